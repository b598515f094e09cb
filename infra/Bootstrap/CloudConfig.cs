using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AztecInfra.Bootstrap;

/// <summary>
/// Renders EC2 user data: a cloud-config that writes the bootstrap script and its settings, then runs the
/// script. The whole document is static text (deploy-time values come from instance tags), so it is
/// gzip-compressed to fit EC2's 16 KB user-data limit; cloud-init unpacks it on boot.
/// </summary>
public static class CloudConfig
{
    /// <summary>EC2's limit on user data, in bytes, before base64 (here: the compressed bytes).</summary>
    public const int UserDataLimitBytes = 16 * 1024;

    /// <summary>The bootstrap script shipped with this library (scripts/setup-validator.sh).</summary>
    public static string BootstrapScript { get; } = ReadScript();

    /// <summary>SHA-256 of the bootstrap script, shown in plans so reviewers can match it to the repository.</summary>
    public static string BootstrapScriptSha256 { get; } =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(BootstrapScript)));

    /// <summary>The command cloud-init runs once, on first boot.</summary>
    public static IReadOnlyList<string> RunCommand { get; } =
        ["bash", Naming.HostScriptPath, "install", "--settings", Naming.HostSettingsFile, "--signal"];

    /// <summary>
    /// Renders the cloud-config document for a node. <paramref name="signal"/> false drops <c>--signal</c>, for
    /// instances nothing waits on (proving agents in an Auto Scaling group).
    /// </summary>
    public static string Render(string settingsFileText, bool signal = true)
    {
        ArgumentNullException.ThrowIfNull(settingsFileText);
        var root = new YamlMappingNode
        {
            { "package_update", "false" },
            {
                "write_files", new YamlSequenceNode(
                    new YamlMappingNode
                    {
                        { "path", Naming.HostScriptPath },
                        { "owner", "root:root" },
                        { "permissions", FileMode("0700") },
                        // Without its comment lines: the same code, and room under EC2's 16 KB (a test runs both).
                        { "content", new YamlScalarNode(ShellScript.StripComments(BootstrapScript)) { Style = ScalarStyle.Literal } },
                    },
                    new YamlMappingNode
                    {
                        { "path", Naming.HostSettingsFile },
                        { "owner", "root:root" },
                        { "permissions", FileMode("0640") },
                        { "content", new YamlScalarNode(settingsFileText) { Style = ScalarStyle.Literal } },
                    })
            },
            {
                "runcmd", new YamlSequenceNode(
                    (YamlNode)new YamlSequenceNode(RunCommand.Where(arg => signal || arg != "--signal").Select(arg => (YamlNode)new YamlScalarNode(arg)).ToArray()))
            },
        };

        return Emit(root);
    }

    /// <summary>Writes a cloud-config document: the <c>#cloud-config</c> line, then the mapping without document markers.</summary>
    internal static string Emit(YamlMappingNode root)
    {
        var writer = new StringWriter { NewLine = "\n" };
        writer.Write("#cloud-config\n");
        new YamlStream(new YamlDocument(root)).Save(new NoDocumentMarkersEmitter(writer), assignAnchors: false);
        return writer.ToString();
    }

    // File modes stay strings: an unquoted 0700 is read by YAML 1.1 as an octal number.
    private static YamlScalarNode FileMode(string mode) => new(mode) { Style = ScalarStyle.SingleQuoted };

    /// <summary>Gzip-compresses text and encodes it as base64: EC2 user data that cloud-init unpacks.</summary>
    public static string GzipBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes, 0, bytes.Length);
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    private static string ReadScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AztecInfra.setup-validator.sh")
            ?? throw new InvalidOperationException("The bootstrap script is not embedded in the AztecInfra assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Emits a single YAML document without the '---' and '...' markers cloud-config does not want.</summary>
    private sealed class NoDocumentMarkersEmitter(TextWriter writer) : IEmitter
    {
        private readonly Emitter _inner = new(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n"));

        public void Emit(ParsingEvent @event)
        {
            _inner.Emit(@event switch
            {
                DocumentStart => new DocumentStart(null, null, isImplicit: true),
                DocumentEnd => new DocumentEnd(isImplicit: true),
                _ => @event,
            });
        }
    }
}
