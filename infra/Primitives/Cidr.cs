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
}
