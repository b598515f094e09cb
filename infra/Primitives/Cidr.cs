using System.Net;
using System.Net.Sockets;

namespace AztecInfra.Primitives;

/// <summary>IPv4 CIDR checks on top of <see cref="IPNetwork"/>.</summary>
public static class Cidr
{
    private static readonly IPNetwork[] Rfc1918 =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
    ];

    /// <summary>Parses an IPv4 CIDR whose address is the network address (10.0.0.0/16, not 10.0.0.1/16).</summary>
    public static bool TryParseIpv4(string text, out IPNetwork cidr)
    {
        ArgumentNullException.ThrowIfNull(text);
        cidr = default;
        if (!text.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(text, out var parsed)
            || parsed.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || !string.Equals(parsed.ToString(), text, StringComparison.Ordinal))
        {
            return false;
        }

        cidr = parsed;
        return true;
    }

    /// <summary>True when the CIDR lies entirely inside an RFC 1918 private range.</summary>
    public static bool IsRfc1918(IPNetwork cidr) =>
        Rfc1918.Any(range => range.PrefixLength <= cidr.PrefixLength && range.Contains(cidr.BaseAddress));

    /// <summary>True when two CIDRs share any address.</summary>
    public static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    /// <summary>
    /// The highest address EC2 lets an instance use in a subnet: the one below the broadcast address (EC2
    /// reserves the first four and the last). A fixed address there is known at synthesis, in every region.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not an IPv4 CIDR of /16 to /28.</exception>
    public static string LastUsableAddress(string subnetCidr)
    {
        ArgumentNullException.ThrowIfNull(subnetCidr);
        if (!TryParseIpv4(subnetCidr, out var cidr) || cidr.PrefixLength is < 16 or > 28)
        {
            throw new ArgumentException($"subnet: '{subnetCidr}' is not an IPv4 subnet CIDR of /16 to /28.", nameof(subnetCidr));
        }

        var bytes = cidr.BaseAddress.GetAddressBytes();
        var value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var last = value + (1u << (32 - cidr.PrefixLength)) - 2;
        return new IPAddress([(byte)(last >> 24), (byte)(last >> 16), (byte)(last >> 8), (byte)last]).ToString();
    }
}
