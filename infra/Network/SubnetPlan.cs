using AztecInfra.Config;

namespace AztecInfra.Network;

/// <summary>
/// How a region's VPC CIDR is cut into subnets: one public subnet per zone, each a sixteenth of the VPC
/// (at most /28), which leaves room for private subnets later without renumbering.
/// </summary>
/// <param name="SubnetPrefixLength">Prefix length of each subnet.</param>
/// <param name="Subnets">The subnet CIDRs, one per zone, in zone order.</param>
public sealed record SubnetPlan(int SubnetPrefixLength, IReadOnlyList<string> Subnets)
{
    /// <summary>Plans the subnets of a region.</summary>
    public static SubnetPlan For(RegionConfig region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var prefix = Math.Min(region.VpcCidr.PrefixLength + 4, 28);
        var size = 1u << (32 - prefix);
        var bytes = region.VpcCidr.BaseAddress.GetAddressBytes();
        var start = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var subnets = region.AvailabilityZones
            .Select((_, i) => start + ((uint)i * size))
            .Select(a => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{prefix}")
            .ToList();
        return new SubnetPlan(prefix, subnets);
    }
}
