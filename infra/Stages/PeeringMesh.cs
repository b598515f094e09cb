using AztecInfra.Stages;

namespace AztecInfra.Stages;

/// <summary>One VPC peering connection: requested from one region, accepted in another.</summary>
/// <param name="Requester">Region whose stack creates the connection.</param>
/// <param name="Accepter">Peer region.</param>
public sealed record PeeringPair(RegionConfig Requester, RegionConfig Accepter);

/// <summary>
/// The full mesh between a stage's regions: every pair peered exactly once, requested by the region
/// declared first, so n regions give n·(n−1)/2 connections.
/// </summary>
public static class PeeringMesh
{
    /// <summary>Every pair of regions, in declaration order.</summary>
    public static IReadOnlyList<PeeringPair> Pairs(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var pairs = new List<PeeringPair>();
        for (var i = 0; i < config.Regions.Length; i++)
        {
            for (var j = i + 1; j < config.Regions.Length; j++)
            {
                pairs.Add(new PeeringPair(config.Regions[i], config.Regions[j]));
            }
        }

        return pairs;
    }
}
