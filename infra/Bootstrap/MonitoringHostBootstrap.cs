using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AztecInfra.Bootstrap;

/// <summary>What the monitoring host's boot needs to know; none of it is a secret or a deploy-time value.</summary>
/// <param name="Stage">Stage name (the heartbeat's <c>Stage</c> dimension).</param>
/// <param name="Region">Region of the host, its parameters and its heartbeat.</param>
/// <param name="DeploymentParameter">String parameter holding the deployment files, read at every boot.</param>
/// <param name="RetentionDays">Days of metrics Prometheus keeps.</param>
/// <param name="SecretParameters">Receiver secret file name to the SecureString it is read from at every start.</param>
public sealed record MonitoringHostSettings(string Stage, string Region, string DeploymentParameter, int RetentionDays, IReadOnlyList<KeyValuePair<string, string>> SecretParameters);

/// <summary>
/// The monitoring host's user data: a cloud-config that writes <c>scripts/setup-monitoring.sh</c>, the shared
/// bundle (<see cref="Monitoring.MonitoringRenderer.RenderShared"/> without its rule tests), a settings file and
/// a boot unit, then starts the unit. The unit runs <c>setup-monitoring.sh ec2-boot</c> at every boot: it mounts
/// the data volume (its id from an instance tag), reads the deployment parameter and installs. Everything here
/// is static, so it is gzip-compressed under EC2's 16 KB limit like the validators' user data.
/// </summary>
public static partial class MonitoringHostBootstrap
{
    /// <summary>Where cloud-init writes the installer on the host.</summary>
    public const string ScriptPath = "/opt/aztec-infra/setup-monitoring.sh";

    /// <summary>Where cloud-init writes the shared bundle.</summary>
    public const string BundlePath = "/opt/aztec-infra/monitoring";

    /// <summary>The host's settings file (KEY=VALUE, parsed by the script, never sourced).</summary>
    public const string SettingsPath = "/etc/aztec-monitoring/host.env";

    /// <summary>The systemd unit that installs from the parameter at every boot.</summary>
    public const string BootUnit = "aztec-monitoring-boot.service";

    /// <summary>Value telling the script to read the data volume id from the instance tag <see cref="NodeSettings.VolumeIdTag"/>.</summary>
    public const string FromInstanceTag = NodeSettings.FromInstanceTag;

    /// <summary>The installer shipped with this library (scripts/setup-monitoring.sh).</summary>
    public static string Script { get; } = ReadScript();

    /// <summary>Renders the cloud-config for the host.</summary>
    /// <param name="settings">The host's settings.</param>
    /// <param name="bundle">The shared bundle: relative path to content (rule tests are left out).</param>
    public static string Render(MonitoringHostSettings settings, IReadOnlyDictionary<string, string> bundle)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(bundle);
        var files = new YamlSequenceNode(
            File(ScriptPath, "0700", Script),
            File(SettingsPath, "0640", RenderSettings(settings)),
            File("/etc/systemd/system/" + BootUnit, "0644", BootUnitText));
        foreach (var (path, content) in bundle.Where(f => !f.Key.StartsWith(Monitoring.MonitoringRenderer.TestsFolder, StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            files.Add(File($"{BundlePath}/{path}", "0644", content));
        }

        var root = new YamlMappingNode
        {
            { "package_update", "false" },
            { "write_files", files },
            {
                "runcmd", new YamlSequenceNode(
                    new YamlSequenceNode("systemctl", "daemon-reload"),
                    new YamlSequenceNode("systemctl", "enable", "--now", BootUnit))
            },
        };
        return CloudConfig.Emit(root);
    }

    /// <summary>The settings file: KEY=VALUE lines the script's <c>ec2-boot</c> reads.</summary>
    /// <exception cref="ArgumentException">A value has characters the script refuses.</exception>
    public static string RenderSettings(MonitoringHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lines = new List<KeyValuePair<string, string>>
        {
            new("STAGE", settings.Stage),
            new("AWS_REGION", settings.Region),
            new("EBS_VOLUME_ID", FromInstanceTag),
            new("SSM_DEPLOYMENT_PARAMETER", settings.DeploymentParameter),
            new("RETENTION_DAYS", settings.RetentionDays.ToString(CultureInfo.InvariantCulture)),
            new("BUNDLE", BundlePath),
            new("SECRET_PARAMETERS", string.Join(",", settings.SecretParameters.Select(p => $"{p.Key}={p.Value}"))),
        };
        foreach (var (key, value) in lines)
        {
            if (!SafeValue().IsMatch(value))
            {
                throw new ArgumentException($"Monitoring host setting {key}: '{value}' has characters the script refuses; allowed: letters, digits and _.:/,@+=-", nameof(settings));
            }
        }

        return NodeSettings.Render(lines, "# aztec-infra monitoring host: non-secret settings, read at every boot by setup-monitoring.sh ec2-boot.");
    }

    /// <summary>
    /// The deployment parameter's value: one compact JSON object of relative path to file content. The content
    /// may hold CDK tokens (private addresses, the topic ARN), which CloudFormation fills in at deploy time.
    /// </summary>
    public static string DeploymentParameterValue(IReadOnlyDictionary<string, string> deploymentFiles)
    {
        ArgumentNullException.ThrowIfNull(deploymentFiles);
        var ordered = deploymentFiles.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        return JsonSerializer.Serialize(ordered, CompactJson);
    }

    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string BootUnitText = """
        # Written by aztec-infra (cloud-init). Installs the monitoring bundle with this deployment at every boot.
        [Unit]
        Description=Aztec monitoring host: mount the data volume, read the deployment parameter, install
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=/bin/bash /opt/aztec-infra/setup-monitoring.sh ec2-boot --host-settings /etc/aztec-monitoring/host.env
        Restart=on-failure
        RestartSec=30

        [Install]
        WantedBy=multi-user.target

        """;

    private static YamlMappingNode File(string path, string mode, string content) => new()
    {
        { "path", path },
        { "owner", "root:root" },
        { "permissions", new YamlScalarNode(mode) { Style = ScalarStyle.SingleQuoted } },
        { "content", new YamlScalarNode(content) { Style = ScalarStyle.Literal } },
    };

    private static string ReadScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AztecInfra.setup-monitoring.sh")
            ?? throw new InvalidOperationException("The monitoring installer is not embedded in the AztecInfra assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(NodeSettings.ValuePattern)]
    private static partial Regex SafeValue();
}
