using AztecInfra.Stages;

namespace AztecInfra.Stages;

/// <summary>
/// How a region's VPC CIDR is cut into subnets: a public subnet per zone, then (where the HA database lives)
/// an isolated subnet per zone, each a sixteenth of the VPC (at most /28). This is the order in which CDK
/// allocates them, so the plan knows every subnet's CIDR without synthesizing.
/// </summary>
/// <param name="SubnetPrefixLength">Prefix length of each subnet.</param>
/// <param name="PublicSubnets">Public subnet CIDRs, one per zone, in zone order.</param>
/// <param name="IsolatedSubnets">Isolated subnet CIDRs, one per zone, or empty.</param>
public sealed record SubnetPlan(int SubnetPrefixLength, IReadOnlyList<string> PublicSubnets, IReadOnlyList<string> IsolatedSubnets)
{
    /// <summary>Plans the subnets of a region.</summary>
    public static SubnetPlan For(RegionConfig region, bool withIsolated = false)
    {
        ArgumentNullException.ThrowIfNull(region);
        var prefix = Math.Min(region.VpcCidr.PrefixLength + 4, 28);
        var size = 1u << (32 - prefix);
        var bytes = region.VpcCidr.BaseAddress.GetAddressBytes();
        var start = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var zones = region.AvailabilityZones.Length;
        string Cidr(int index)
        {
            var a = start + ((uint)index * size);
            return $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{prefix}";
        }

        return new SubnetPlan(
            prefix,
            Enumerable.Range(0, zones).Select(Cidr).ToList(),
            withIsolated ? Enumerable.Range(zones, zones).Select(Cidr).ToList() : []);
    }

    /// <summary>The public subnet of a zone of the region.</summary>
    public string PublicSubnetOf(RegionConfig region, string zone)
    {
        ArgumentNullException.ThrowIfNull(region);
        return PublicSubnets[region.AvailabilityZones.IndexOf(zone)];
    }
}
