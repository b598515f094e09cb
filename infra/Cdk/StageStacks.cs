using Amazon.CDK;
using AztecInfra.Bootstrap;
using AztecInfra.Config;
using Constructs;

namespace AztecInfra.Cdk;

/// <summary>Stack properties shared by every stack of a stage in one region.</summary>
internal static class StageStackProps
{
    public static StackProps For(StageConfig stage, string region, string name, string description) => new()
    {
        StackName = name,
        Description = $"aztec-infra {stage.Stage}: {description}",
        Env = new Amazon.CDK.Environment { Region = region, Account = stage.Account },
        TerminationProtection = stage.Network == AztecNetwork.Mainnet,
        AnalyticsReporting = false,
        CrossRegionReferences = stage.Regions.Length > 1,
    };
}

/// <summary>Properties of <see cref="NetworkStack"/>.</summary>
public sealed record NetworkStackProps
{
    /// <summary>The stage.</summary>
    public required StageConfig Stage { get; init; }

    /// <summary>The region this stack deploys to.</summary>
    public required RegionConfig Region { get; init; }
}

/// <summary>
/// The long-lived foundation of a stage in one region: the stage key and the VPC. Kept apart from the
/// validators so that peering and the HA database can be in place before any validator boots.
/// </summary>
public sealed class NetworkStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public NetworkStack(Construct scope, string id, NetworkStackProps props)
        : base(scope, id, StageStackProps.For(
            props?.Stage ?? throw new ArgumentNullException(nameof(props)),
            props.Region.Name,
            Naming.NetworkStackName(props.Stage.Stage, props.Region.Name),
            $"stage key and VPC in {props.Region.Name}"))
    {
        RegionConfig = props.Region;
        Key = new StageKey(this, "StageKey", new StageKeyProps { Stage = props.Stage.Stage });
        Network = new ValidatorNetwork(this, "Network", new ValidatorNetworkProps { Region = props.Region });
    }

    /// <summary>The region configuration.</summary>
    public RegionConfig RegionConfig { get; }

    /// <summary>The stage key in this region.</summary>
    public StageKey Key { get; }

    /// <summary>The VPC.</summary>
    public ValidatorNetwork Network { get; }
}

/// <summary>Properties of <see cref="ValidatorsStack"/>.</summary>
public sealed record ValidatorsStackProps
{
    /// <summary>The stage.</summary>
    public required StageConfig Stage { get; init; }

    /// <summary>The network stack of the same region.</summary>
    public required NetworkStack Network { get; init; }

    /// <summary>The HA signing database, in shared-signer mode. Default: none.</summary>
    public HaDatabaseEndpoint? HaDatabase { get; init; }
}

/// <summary>The validators of a stage in one region.</summary>
public sealed class ValidatorsStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public ValidatorsStack(Construct scope, string id, ValidatorsStackProps props)
        : base(scope, id, StageStackProps.For(
            props?.Stage ?? throw new ArgumentNullException(nameof(props)),
            props.Network.RegionConfig.Name,
            Naming.ValidatorStackName(props.Stage.Stage, props.Network.RegionConfig.Name),
            $"Aztec {props.Stage.Network.ToString().ToLowerInvariant()} validators in {props.Network.RegionConfig.Name}"))
    {
        AddDependency(props.Network);
        var region = props.Network.RegionConfig.Name;
        Nodes = props.Stage.Nodes
            .Where(n => n.Region == region)
            .Select(n => new ValidatorNode(this, NodeConstructId(n), new ValidatorNodeProps
            {
                Stage = props.Stage,
                Node = n,
                Vpc = props.Network.Network.Vpc,
                Key = props.Network.Key.Key,
                HaDatabase = props.HaDatabase,
            }))
            .ToList();
    }

    /// <summary>The validators in this region.</summary>
    public IReadOnlyList<ValidatorNode> Nodes { get; }

    /// <summary>Construct id of a node: derived from the validated node id (lower-case letters, digits, '-').</summary>
    public static string NodeConstructId(NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return "Node-" + node.Id;
    }
}
