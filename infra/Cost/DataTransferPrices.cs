using System.Collections.Immutable;

namespace AztecInfra.Cost;

/// <summary>
/// AWS data-transfer list prices, with where each number was read. The project could not open AWS's own
/// price pages from its build machine; the sources are public pages quoting AWS's bills and rates, and a
/// region none of them covers is left unpriced, never guessed.
/// </summary>
public static class DataTransferPrices
{
    /// <summary>When and where these prices were read.</summary>
    public const string AsOf = "data transfer: AWS rates as quoted in the sources below, read 2026";

    /// <summary>Internet egress free tier, GB per month, across the whole account (all regions and services).</summary>
    public const int FreeTierGBPerMonth = 100;

    /// <summary>Where the free tier and the first-tier egress price were read.</summary>
    public const string InternetEgressSource =
        "https://repost.aws/questions/QUAT1NfOeZSAK5z8KXXO9jgA (AWS re:Post: bill line \"$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier\"; \"free for up to 100 GB of data per month\")";

    /// <summary>Where the inter-region price was read.</summary>
    public const string InterRegionSource =
        "https://github.com/NixOS/amis/issues/122 (\"EC2 charges 2 cents per gigabyte for inter-region egress traffic\"); https://huggingface.co/datasets/f20180301/adrs-data (cloudcast cost.csv: aws us-east-2 to other AWS regions 0.02)";

    /// <summary>
    /// Internet egress per GB, first 10 TB a month, by source region. US and EU regions bill the global
    /// first-tier rate; Asia Pacific regions bill more and no source here gives their rate, so they are absent.
    /// </summary>
    public static ImmutableSortedDictionary<string, decimal> InternetEgressPerGB { get; } = new Dictionary<string, decimal>
    {
        ["us-east-1"] = 0.09m,
        ["us-east-2"] = 0.09m,
        ["us-west-2"] = 0.09m,
        ["eu-west-1"] = 0.09m,
        ["eu-central-1"] = 0.09m,
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Inter-region transfer per GB, billed in the source region; US and EU sources only (see <see cref="InterRegionSource"/>).</summary>
    public static ImmutableSortedDictionary<string, decimal> InterRegionPerGB { get; } = new Dictionary<string, decimal>
    {
        ["us-east-1"] = 0.02m,
        ["us-east-2"] = 0.02m,
        ["us-west-2"] = 0.02m,
        ["eu-west-1"] = 0.02m,
        ["eu-central-1"] = 0.02m,
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);
}
