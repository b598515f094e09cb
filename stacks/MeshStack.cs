using AztecInfra.Stages;
using Constructs;

namespace AztecInfra.Stacks;

/// <summary>Properties of <see cref="MeshStack"/>.</summary>
public sealed record MeshStackProps
{
    /// <summary>What the stage's stacks share.</summary>
    public required StageStackSettings Settings { get; init; }

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
public sealed class MeshStack : Amazon.CDK.Stack
{
    private readonly Dictionary<string, string> _connections = new(StringComparer.Ordinal);

    /// <summary>Creates the stack.</summary>
    public MeshStack(Construct scope, string id, MeshStackProps props)
        : base(scope, id, (props ?? throw new ArgumentNullException(nameof(props))).Settings.For(
            props.Network.RegionConfig.Name,
            Naming.MeshStackName(props.Settings.StageName, props.Network.RegionConfig.Name),
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
