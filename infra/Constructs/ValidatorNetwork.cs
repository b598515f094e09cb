using System.Net;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="ValidatorNetwork"/>.</summary>
public sealed record ValidatorNetworkProps
{
    /// <summary>The VPC's private CIDR, /16 to /24.</summary>
    public required IPNetwork VpcCidr { get; init; }

    /// <summary>Availability zones to make subnets in (given, never looked up).</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>Adds an isolated subnet per zone (no route to the internet), for the HA database. Default: false.</summary>
    public bool? IsolatedSubnets { get; init; }

    /// <summary>Where the VPC's flow log goes and what it records.</summary>
    public required FlowLogSpec FlowLog { get; init; }
}

/// <summary>A VPC flow log to CloudWatch Logs.</summary>
/// <param name="Key">Key that encrypts the log group (its policy must let CloudWatch Logs use it).</param>
/// <param name="RetentionDays">Days the records are kept; a value CloudWatch Logs accepts.</param>
/// <param name="Traffic">REJECT, ACCEPT or ALL.</param>
public sealed record FlowLogSpec(IKey Key, int RetentionDays, FlowLogTrafficType Traffic);

/// <summary>
/// A VPC of the configured CIDR with one public subnet per configured zone and no NAT gateway: validators
/// have public addresses for P2P, and everything else reaches them privately or through SSM. Its flow log
/// goes to an encrypted CloudWatch Logs group that outlives the stack (the records are audit evidence) and
/// expires by its retention.
/// </summary>
public sealed class ValidatorNetwork : Construct
{
    /// <summary>Creates the VPC.</summary>
    public ValidatorNetwork(Construct scope, string id, ValidatorNetworkProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var isolated = props.IsolatedSubnets ?? false;
        // Each subnet is a sixteenth of the VPC (at most /28): room for a subnet per zone of each kind.
        var subnetPrefix = Math.Min(props.VpcCidr.PrefixLength + 4, 28);
        var subnets = new List<SubnetConfiguration>
        {
            new()
            {
                Name = "public",
                SubnetType = SubnetType.PUBLIC,
                CidrMask = subnetPrefix,
                MapPublicIpOnLaunch = true,
            },
        };
        if (isolated)
        {
            subnets.Add(new SubnetConfiguration { Name = "isolated", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = subnetPrefix });
        }

        Vpc = new Vpc(this, "Resource", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr(props.VpcCidr.ToString()),
            AvailabilityZones = [.. props.AvailabilityZones],
            NatGateways = 0,
            EnableDnsHostnames = true,
            EnableDnsSupport = true,
            // Restricting the default security group needs a Lambda-backed custom resource; nothing here
            // uses the default group, so we keep the template free of functions and assets.
            RestrictDefaultSecurityGroup = false,
            SubnetConfiguration = [.. subnets],
        });

        if (props.FlowLog.RetentionDays <= 0)
        {
            throw new ArgumentException($"FlowLog.RetentionDays: {props.FlowLog.RetentionDays} is not allowed; use a retention CloudWatch Logs accepts.", nameof(props));
        }

        FlowLogGroup = new LogGroup(this, "FlowLogGroup", new LogGroupProps
        {
            EncryptionKey = props.FlowLog.Key,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        // The L2 takes an enum of named periods; the config holds days, already checked against the allowed list.
        ((CfnLogGroup)FlowLogGroup.Node.DefaultChild!).RetentionInDays = props.FlowLog.RetentionDays;
        new FlowLog(this, "FlowLog", new FlowLogProps
        {
            ResourceType = FlowLogResourceType.FromVpc(Vpc),
            Destination = FlowLogDestination.ToCloudWatchLogs(FlowLogGroup),
            TrafficType = props.FlowLog.Traffic,
        });
    }

    /// <summary>The log group of the VPC's flow log.</summary>
    public ILogGroup FlowLogGroup { get; }

    /// <summary>Every route table of the VPC (public and isolated), for peering routes.</summary>
    public IEnumerable<string> RouteTableIds =>
        Vpc.PublicSubnets.Concat(Vpc.IsolatedSubnets).Select(s => s.RouteTable.RouteTableId);

    /// <summary>The VPC.</summary>
    public IVpc Vpc { get; }

    /// <summary>
    /// The CIDR of the public subnet in <paramref name="zone"/>, as CDK allocated it (a literal at synthesis,
    /// so other regions' stacks can use it without a cross-region reference).
    /// </summary>
    public string PublicSubnetCidr(string zone) =>
        Vpc.PublicSubnets.Single(s => s.AvailabilityZone == zone).Ipv4CidrBlock;
}
