using Amazon.CDK;
using AztecInfra.Bootstrap;
using AztecInfra.Stages;
using Constructs;
using AztecInfra.Constructs;

namespace AztecInfra.Stacks;

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
        Network = new ValidatorNetwork(this, "Network", new ValidatorNetworkProps
        {
            Region = props.Region,
            IsolatedSubnets = props.Stage.Ha is { Mode: HaMode.SharedSigner, Database: { } db } && db.Region == props.Region.Name,
        });
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
        if (props.HaDatabase is not null)
        {
            foreach (var node in Nodes)
            {
                HaSigningDatabase.GrantRead(node.Role, props.Stage, region);
            }
        }
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

/// <summary>Properties of <see cref="HaDatabaseStack"/>.</summary>
public sealed record HaDatabaseStackProps
{
    /// <summary>The stage; its <c>ha.database</c> must be set.</summary>
    public required StageConfig Stage { get; init; }

    /// <summary>The network stack of the database's region.</summary>
    public required NetworkStack Network { get; init; }
}

/// <summary>The HA signing database of a shared-signer stage, in its configured region.</summary>
public sealed class HaDatabaseStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public HaDatabaseStack(Construct scope, string id, HaDatabaseStackProps props)
        : base(scope, id, StageStackProps.For(
            props?.Stage ?? throw new ArgumentNullException(nameof(props)),
            props.Network.RegionConfig.Name,
            Naming.HaDatabaseStackName(props.Stage.Stage),
            $"HA signing database (PostgreSQL) in {props.Network.RegionConfig.Name}"))
    {
        var database = props.Stage.Ha.Database ?? throw new ArgumentException("Stage has no ha.database.", nameof(props));
        AddDependency(props.Network);
        Database = new HaSigningDatabase(this, "HaDatabase", new HaSigningDatabaseProps
        {
            Stage = props.Stage,
            Database = database,
            Vpc = props.Network.Network.Vpc,
            Key = props.Network.Key.Key,
        });
    }

    /// <summary>The database.</summary>
    public HaSigningDatabase Database { get; }
}

/// <summary>Properties of <see cref="MeshStack"/>.</summary>
public sealed record MeshStackProps
{
    /// <summary>The stage.</summary>
    public required StageConfig Stage { get; init; }

    /// <summary>The network stack of this region.</summary>
    public required NetworkStack Network { get; init; }

    /// <summary>Connections this region requests, with the peer's network stack.</summary>
    public required IReadOnlyList<NetworkStack> RequestedPeers { get; init; }

    /// <summary>Connections other regions requested to this one, with their mesh stacks.</summary>
    public required IReadOnlyList<MeshStack> AcceptedFrom { get; init; }
}

/// <summary>
/// This region's part of the full VPC peering mesh: the connections it requests (to regions declared after
/// it) and, in every route table, a route to every peer CIDR. Regions are wired by CDK's cross-region
/// references, never lookups, so <c>cdk deploy --all</c> builds the mesh from scratch in dependency order.
/// </summary>
public sealed class MeshStack : Stack
{
    private readonly Dictionary<string, string> _connections = new(StringComparer.Ordinal);

    /// <summary>Creates the stack.</summary>
    public MeshStack(Construct scope, string id, MeshStackProps props)
        : base(scope, id, StageStackProps.For(
            props?.Stage ?? throw new ArgumentNullException(nameof(props)),
            props.Network.RegionConfig.Name,
            Naming.MeshStackName(props.Stage.Stage, props.Network.RegionConfig.Name),
            $"VPC peering of {props.Network.RegionConfig.Name} with the stage's other regions"))
    {
        RegionConfig = props.Network.RegionConfig;
        AddDependency(props.Network);
        var routeTables = props.Network.Network.RouteTableIds.ToList();

        foreach (var peer in props.RequestedPeers)
        {
            AddDependency(peer);
            var connection = new Amazon.CDK.AWS.EC2.CfnVPCPeeringConnection(this, "Peering-" + peer.RegionConfig.Name, new Amazon.CDK.AWS.EC2.CfnVPCPeeringConnectionProps
            {
                VpcId = props.Network.Network.Vpc.VpcId,
                PeerVpcId = peer.Network.Vpc.VpcId,
                PeerRegion = peer.RegionConfig.Name,
            });
            _connections[peer.RegionConfig.Name] = connection.Ref;
            AddRoutes(routeTables, peer.RegionConfig, connection.Ref);
        }

        foreach (var requester in props.AcceptedFrom)
        {
            AddDependency(requester);
            var connectionId = requester.ConnectionTo(RegionConfig.Name);
            AddRoutes(routeTables, requester.RegionConfig, connectionId);
        }
    }

    /// <summary>This region.</summary>
    public RegionConfig RegionConfig { get; }

    /// <summary>The id of the connection this stack requested to <paramref name="region"/>.</summary>
    public string ConnectionTo(string region) => _connections[region];

    private void AddRoutes(List<string> routeTables, RegionConfig peer, string connectionId)
    {
        for (var i = 0; i < routeTables.Count; i++)
        {
            new Amazon.CDK.AWS.EC2.CfnRoute(this, $"RouteTo-{peer.Name}-{i}", new Amazon.CDK.AWS.EC2.CfnRouteProps
            {
                RouteTableId = routeTables[i],
                DestinationCidrBlock = peer.VpcCidr.ToString(),
                VpcPeeringConnectionId = connectionId,
            });
        }
    }
}
