using System.Collections.Immutable;

namespace AztecInfra.Stages;

/// <summary>
/// AWS commercial regions and the availability-zone letters each offers. Used to refuse typos offline,
/// since synthesis never asks AWS.
/// </summary>
public static class AwsRegions
{
    /// <summary>Region name to its availability-zone letters.</summary>
    public static ImmutableSortedDictionary<string, string> ZoneLetters { get; } = new Dictionary<string, string>
    {
        ["us-east-1"] = "abcdef",
        ["us-east-2"] = "abc",
        ["us-west-1"] = "abc",
        ["us-west-2"] = "abcd",
        ["ca-central-1"] = "abd",
        ["sa-east-1"] = "abc",
        ["eu-west-1"] = "abc",
        ["eu-west-2"] = "abc",
        ["eu-west-3"] = "abc",
        ["eu-central-1"] = "abc",
        ["eu-central-2"] = "abc",
        ["eu-north-1"] = "abc",
        ["eu-south-1"] = "abc",
        ["eu-south-2"] = "abc",
        ["ap-east-1"] = "abc",
        ["ap-south-1"] = "abc",
        ["ap-south-2"] = "abc",
        ["ap-southeast-1"] = "abc",
        ["ap-southeast-2"] = "abc",
        ["ap-southeast-3"] = "abc",
        ["ap-southeast-4"] = "abc",
        ["ap-northeast-1"] = "acd",
        ["ap-northeast-2"] = "abcd",
        ["ap-northeast-3"] = "abc",
        ["me-south-1"] = "abc",
        ["me-central-1"] = "abc",
        ["af-south-1"] = "abc",
        ["il-central-1"] = "abc",
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>True when the name is a known region.</summary>
    public static bool IsRegion(string name) => ZoneLetters.ContainsKey(name);

    /// <summary>True when the zone belongs to the region.</summary>
    public static bool IsZoneOf(string zone, string region)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return ZoneLetters.TryGetValue(region, out var letters)
            && zone.Length == region.Length + 1
            && zone.StartsWith(region, StringComparison.Ordinal)
            && letters.Contains(zone[^1], StringComparison.Ordinal);
    }
}
