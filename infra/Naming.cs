using AztecInfra.Config;

namespace AztecInfra;

/// <summary>
/// The one place that names things shared between the stacks, the key commands and the bootstrap:
/// parameter paths, the key alias, stack names. Changing a scheme here changes it everywhere at once.
/// </summary>
public static class Naming
{
    /// <summary>Root of every parameter this project owns.</summary>
    public const string ParameterRoot = "/aztec-infra";

    /// <summary>Path prefix of a node's secret parameters: <c>/aztec-infra/{stage}/nodes/{node}</c>.</summary>
    public static string NodeParameterPrefix(string stage, string nodeId) => $"{ParameterRoot}/{stage}/nodes/{nodeId}";

    /// <summary>The SecureString holding the complete keystore a node loads: <c>.../nodes/{node}/keystore</c>.</summary>
    public static string KeystoreParameter(string stage, string nodeId) => $"{NodeParameterPrefix(stage, nodeId)}/keystore";

    /// <summary>The SecureString holding a node's publisher private key: <c>.../nodes/{node}/publisher-key</c>.</summary>
    public static string PublisherKeyParameter(string stage, string nodeId) => $"{NodeParameterPrefix(stage, nodeId)}/publisher-key";

    /// <summary>KMS alias of a stage's customer key in each region: <c>alias/aztec-infra/{stage}</c>.</summary>
    public static string KeyAlias(string stage) => $"alias/aztec-infra/{stage}";

    /// <summary>CloudFormation stack name of a stage's validators in a region.</summary>
    public static string ValidatorStackName(string stage, string region) => $"aztec-infra-{stage}-validators-{region}";

    /// <summary>CloudFormation stack name of a stage's key and VPC in a region.</summary>
    public static string NetworkStackName(string stage, string region) => $"aztec-infra-{stage}-network-{region}";

    /// <summary>Directory on the host where the node's data volume is mounted.</summary>
    public const string DataMountPoint = "/var/lib/aztec";

    /// <summary>Path of the non-secret bootstrap settings file on the host.</summary>
    public const string HostSettingsFile = "/etc/aztec-infra/validator.env";

    /// <summary>Path where cloud-init writes the bootstrap script on the host.</summary>
    public const string HostScriptPath = "/opt/aztec-infra/setup-validator.sh";

    /// <summary>All stacks of a stage's validators, for messages and ordering.</summary>
    public static IEnumerable<string> ValidatorStackNames(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Regions.Select(r => ValidatorStackName(config.Stage, r.Name));
    }
}
