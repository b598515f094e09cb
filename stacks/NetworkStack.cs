using AztecInfra.Constructs;
using AztecInfra.Stages;
using Constructs;

namespace AztecInfra.Stacks;

/// <summary>Properties of <see cref="NetworkStack"/>.</summary>
public sealed record NetworkStackProps
{
    /// <summary>What the stage's stacks share.</summary>
    public required StageStackSettings Settings { get; init; }

    /// <summary>The region this stack deploys to.</summary>
    public required RegionConfig Region { get; init; }

    /// <summary>Adds isolated subnets for the HA database. Default: false.</summary>
    public bool? IsolatedSubnets { get; init; }

    /// <summary>Retention and traffic of the VPC flow log.</summary>
    public required FlowLogConfig FlowLogs { get; init; }
}

/// <summary>
/// The long-lived foundation of a stage in one region: the stage key and the VPC. Kept apart from the
/// validators so that peering and the HA database can be in place before any validator boots.
/// </summary>
public sealed class NetworkStack : Amazon.CDK.Stack
{
    /// <summary>Creates the stack.</summary>
    public NetworkStack(Construct scope, string id, NetworkStackProps props)
        : base(scope, id, (props ?? throw new ArgumentNullException(nameof(props))).Settings.For(
            props.Region.Name,
            Naming.NetworkStackName(props.Settings.StageName, props.Region.Name),
            $"stage key and VPC in {props.Region.Name}"))
    {
        RegionConfig = props.Region;
        Key = new StageKey(this, "StageKey", new StageKeyProps { Stage = props.Settings.StageName });
        Network = new ValidatorNetwork(this, "Network", new ValidatorNetworkProps
        {
            VpcCidr = props.Region.VpcCidr,
            AvailabilityZones = props.Region.AvailabilityZones,
            IsolatedSubnets = props.IsolatedSubnets,
            FlowLog = new FlowLogSpec(Key.Key, props.FlowLogs.RetentionDays, props.FlowLogs.Traffic switch
            {
                FlowLogTraffic.All => Amazon.CDK.AWS.EC2.FlowLogTrafficType.ALL,
                FlowLogTraffic.Accept => Amazon.CDK.AWS.EC2.FlowLogTrafficType.ACCEPT,
                _ => Amazon.CDK.AWS.EC2.FlowLogTrafficType.REJECT,
            }),
        });
    }

    /// <summary>The region configuration.</summary>
    public RegionConfig RegionConfig { get; }

    /// <summary>The stage key in this region.</summary>
    public StageKey Key { get; }

    /// <summary>The VPC.</summary>
    public ValidatorNetwork Network { get; }
}
