using System.Text;
using AztecInfra.Stages;
using AztecInfra.Primitives;

namespace AztecInfra.Keys;

/// <summary>The secrets of one node.</summary>
public enum NodeSecret
{
    /// <summary>The complete keystore file the node loads.</summary>
    Keystore,

    /// <summary>The node's publisher private key, composed into the keystore.</summary>
    PublisherKey,
}

/// <summary>Custody of a stage's node secrets. Every call names one node; nothing reads across nodes by prefix.</summary>
public interface INodeSecretStore
{
    /// <summary>Where the secret lives, for messages (a parameter name and region, or a file path). Never the value.</summary>
    string Describe(string nodeId, NodeSecret secret);

    /// <summary>Reads the secret; null when absent.</summary>
    Task<string?> ReadAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken);

    /// <summary>True when the secret exists.</summary>
    Task<bool> ExistsAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken);

    /// <summary>Writes the secret; refuses to replace an existing one unless <paramref name="overwrite"/>.</summary>
    Task WriteAsync(string nodeId, NodeSecret secret, string value, bool overwrite, CancellationToken cancellationToken);

    /// <summary>Deletes the secret; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken);
}

/// <summary>SSM size limits: the tier follows the value's size.</summary>
public static class ParameterTiers
{
    /// <summary>Largest value of a Standard parameter, in bytes.</summary>
    public const int StandardMaxBytes = 4096;

    /// <summary>Largest value of an Advanced parameter, in bytes.</summary>
    public const int AdvancedMaxBytes = 8192;

    /// <summary>Standard up to 4096 bytes, Advanced up to 8192.</summary>
    /// <exception cref="KeyOperationException">The value is larger than any SSM parameter holds.</exception>
    public static ParameterTier For(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetByteCount(value);
        return bytes switch
        {
            <= StandardMaxBytes => ParameterTier.Standard,
            <= AdvancedMaxBytes => ParameterTier.Advanced,
            _ => throw new KeyOperationException($"The value is {bytes} bytes; an SSM parameter holds at most {AdvancedMaxBytes} (Advanced tier). Spread the attesters over more nodes or use encrypted key files."),
        };
    }
}

/// <summary>
/// Production custody: SecureStrings under <see cref="Naming.KeystoreParameter"/> and
/// <see cref="Naming.PublisherKeyParameter"/>, in the node's region, encrypted with the stage's customer key
/// <see cref="Naming.KeyAlias"/>.
/// </summary>
public sealed class SsmNodeSecretStore : INodeSecretStore
{
    private readonly IParameterStore _parameters;
    private readonly StageConfig _config;

    /// <summary>Creates the store for <paramref name="config"/>'s nodes.</summary>
    public SsmNodeSecretStore(IParameterStore parameters, StageConfig config)
    {
        _parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        _config = config ?? throw new ArgumentNullException(nameof(config));
    }

    /// <inheritdoc />
    public string Describe(string nodeId, NodeSecret secret) => $"SSM {Name(nodeId, secret)} ({Region(nodeId)})";

    /// <inheritdoc />
    public Task<string?> ReadAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken) =>
        _parameters.GetSecureAsync(Region(nodeId), Name(nodeId, secret), cancellationToken);

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken) =>
        _parameters.ExistsAsync(Region(nodeId), Name(nodeId, secret), cancellationToken);

    /// <inheritdoc />
    public Task WriteAsync(string nodeId, NodeSecret secret, string value, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var write = new SecureParameterWrite(Region(nodeId), Name(nodeId, secret), value, Naming.KeyAlias(_config.Stage), ParameterTiers.For(value), overwrite);
        return _parameters.PutSecureAsync(write, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken) =>
        _parameters.DeleteAsync(Region(nodeId), Name(nodeId, secret), cancellationToken);

    private string Name(string nodeId, NodeSecret secret) => secret == NodeSecret.Keystore
        ? Naming.KeystoreParameter(_config.Stage, nodeId)
        : Naming.PublisherKeyParameter(_config.Stage, nodeId);

    private string Region(string nodeId) => _config.Node(nodeId).Region;
}

/// <summary>
/// Testnet hot wallet: files on this host, <c>DIR/{stage}/{node}/keystore.json</c> (the node's keystore
/// directory is <c>DIR/{stage}/{node}</c>) and <c>publisher-key</c> next to it (not <c>*.json</c>, so the node
/// does not load it). Files are 0600, directories 0700; refused for mainnet stages.
/// </summary>
public sealed class LocalNodeSecretStore : INodeSecretStore
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _root;
    private readonly StageConfig _config;

    /// <summary>Creates the store under <paramref name="root"/>.</summary>
    /// <exception cref="KeyOperationException">The stage is on mainnet, or the directory is readable by others.</exception>
    public LocalNodeSecretStore(string root, StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(root);
        _config = config ?? throw new ArgumentNullException(nameof(config));
        if (config.Network == AztecNetwork.Mainnet)
        {
            throw new KeyOperationException($"A local key store is a testnet hot wallet and is refused for stage {config.Stage} on mainnet: mainnet keys live only in SSM SecureStrings encrypted with {Naming.KeyAlias(config.Stage)}.");
        }

        _root = Path.GetFullPath(root);
        if (Directory.Exists(_root) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(_root) & GroupOrOther) != 0)
        {
            throw new KeyOperationException($"{_root} can be read by users other than its owner; keys need a directory only root can read: chmod 700 {_root} (owned by root).");
        }
    }

    /// <inheritdoc />
    public string Describe(string nodeId, NodeSecret secret) => $"file {PathOf(nodeId, secret)}";

    /// <inheritdoc />
    public Task<string?> ReadAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken)
    {
        var path = PathOf(nodeId, secret);
        return Task.FromResult(File.Exists(path) ? File.ReadAllText(path) : null);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(nodeId, secret)));

    /// <inheritdoc />
    public Task WriteAsync(string nodeId, NodeSecret secret, string value, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathOf(nodeId, secret);
        if (File.Exists(path) && !overwrite)
        {
            throw new SecretExistsException(path);
        }

        foreach (var dir in new[] { _root, Path.Combine(_root, _config.Stage), Path.GetDirectoryName(path)! })
        {
            if (!Directory.Exists(dir))
            {
                CreatePrivateDirectory(dir);
            }
        }

        // Written to a 0600 file created fresh, then moved into place: the secret never sits in a wider file.
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode600;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(value);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string nodeId, NodeSecret secret, CancellationToken cancellationToken)
    {
        var path = PathOf(nodeId, secret);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    private static void CreatePrivateDirectory(string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, DirectoryMode);
            File.SetUnixFileMode(dir, DirectoryMode);
        }
    }

    private string PathOf(string nodeId, NodeSecret secret)
    {
        _config.Node(nodeId);
        return Path.Combine(_root, _config.Stage, nodeId, secret == NodeSecret.Keystore ? "keystore.json" : "publisher-key");
    }
}
