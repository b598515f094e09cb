using System.Collections.Concurrent;
using Amazon;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace AztecInfra.Keys;

/// <summary>
/// <see cref="IParameterStore"/> over <see cref="AmazonSimpleSystemsManagementClient"/>. Clients are created
/// lazily, one per region, on first use, so commands that never touch AWS never need credentials.
/// </summary>
public sealed class SsmParameterStore : IParameterStore, IDisposable
{
    private readonly Func<string, IAmazonSimpleSystemsManagement> _clientFactory;
    private readonly ConcurrentDictionary<string, IAmazonSimpleSystemsManagement> _clients = new(StringComparer.Ordinal);

    /// <summary>Uses the default AWS credential chain.</summary>
    public SsmParameterStore()
        : this(region => new AmazonSimpleSystemsManagementClient(RegionEndpoint.GetBySystemName(region)))
    {
    }

    /// <summary>Uses <paramref name="clientFactory"/> to build the client of a region.</summary>
    public SsmParameterStore(Func<string, IAmazonSimpleSystemsManagement> clientFactory)
    {
        _clientFactory = clientFactory ?? throw new ArgumentNullException(nameof(clientFactory));
    }

    /// <inheritdoc />
    public async Task<string?> GetSecureAsync(string region, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client(region).GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
            return response.Parameter.Value;
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string region, string name, CancellationToken cancellationToken)
    {
        try
        {
            await Client(region).GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = false }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ParameterNotFoundException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task PutSecureAsync(SecureParameterWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var request = new PutParameterRequest
        {
            Name = write.Name,
            Value = write.Value,
            Type = ParameterType.SecureString,
            KeyId = write.KeyId,
            Tier = write.Tier == ParameterTier.Advanced ? Amazon.SimpleSystemsManagement.ParameterTier.Advanced : Amazon.SimpleSystemsManagement.ParameterTier.Standard,
            Overwrite = write.Overwrite,
            Description = "Managed by aztec-infra keys; secret, never print.",
        };
        try
        {
            await Client(write.Region).PutParameterAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ParameterAlreadyExistsException ex)
        {
            throw new SecretExistsException($"{write.Name} ({write.Region})", ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string region, string name, CancellationToken cancellationToken)
    {
        try
        {
            await Client(region).DeleteParameterAsync(new DeleteParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ParameterNotFoundException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    private IAmazonSimpleSystemsManagement Client(string region) => _clients.GetOrAdd(region, _clientFactory);
}
