using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AztecInfra.Cost;

namespace AztecInfra.Plan;

/// <summary>One resource as a plan remembers it: its type, a fingerprint of each top-level property, and its value when short.</summary>
/// <param name="Type">CloudFormation type.</param>
/// <param name="Properties">Property name to SHA-256 of its canonical JSON.</param>
/// <param name="Values">Property name to its canonical JSON, for values up to <see cref="PlanSnapshot.MaxRecordedValue"/> characters (null in plans written before values were recorded).</param>
public sealed record ResourceSnapshot(string Type, ImmutableSortedDictionary<string, string> Properties, ImmutableSortedDictionary<string, string>? Values = null);

/// <summary>One stack as a plan remembers it.</summary>
/// <param name="Region">Region.</param>
/// <param name="Resources">Logical id to resource.</param>
public sealed record StackSnapshot(string Region, ImmutableSortedDictionary<string, ResourceSnapshot> Resources);

/// <summary>
/// What <c>plan</c> writes next to the templates (<c>aztec-infra-plan.json</c>) so that a later plan can say
/// what a change adds, removes, changes and costs, without credentials or CloudFormation state.
/// It holds only what the templates hold (which carry no secret, a test checks): fingerprints, short
/// property values and each node's non-secret settings, so it is as safe to keep as the templates.
/// </summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Stacks">Stack name to stack.</param>
/// <param name="MonthlyUsd">Estimated monthly cost.</param>
/// <param name="CostLines">Cost component to monthly USD.</param>
/// <param name="Nodes">Each validator's settings and data volume (null in plans written before nodes were recorded).</param>
public sealed record PlanSnapshot(
    string Stage,
    ImmutableSortedDictionary<string, StackSnapshot> Stacks,
    decimal MonthlyUsd,
    ImmutableSortedDictionary<string, decimal> CostLines,
    ImmutableSortedDictionary<string, NodeSnapshot>? Nodes = null)
{
    /// <summary>File name inside the cloud assembly directory.</summary>
    public const string FileName = "aztec-infra-plan.json";

    /// <summary>Longest property value recorded (the user data, far longer, is fingerprinted only).</summary>
    public const int MaxRecordedValue = 4096;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Builds a snapshot from synthesized templates and the cost estimate.</summary>
    public static PlanSnapshot Create(string stage, IEnumerable<(string StackName, string Region, TemplateFacts Facts)> stacks, CostEstimate cost)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(cost);
        var list = stacks.ToList();
        var snapshotStacks = list.ToImmutableSortedDictionary(
            s => s.StackName,
            s => new StackSnapshot(s.Region, s.Facts.Resources.ToImmutableSortedDictionary(
                r => r.Key,
                r => new ResourceSnapshot(
                    (string)r.Value["Type"]!,
                    (r.Value["Properties"]?.AsObject() ?? []).ToImmutableSortedDictionary(p => p.Key, p => Fingerprint(p.Value), StringComparer.Ordinal),
                    (r.Value["Properties"]?.AsObject() ?? [])
                        .Select(p => (p.Key, Json: p.Value?.ToJsonString() ?? "null"))
                        .Where(p => p.Json.Length <= MaxRecordedValue)
                        .ToImmutableSortedDictionary(p => p.Key, p => p.Json, StringComparer.Ordinal)),
                StringComparer.Ordinal)),
            StringComparer.Ordinal);
        var lines = cost.Lines
            .GroupBy(l => $"{l.Component} [{l.Region}]", StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Sum(l => l.MonthlyUsd ?? 0m), StringComparer.Ordinal);
        return new PlanSnapshot(stage, snapshotStacks, cost.TotalUsd, lines, NodeSnapshot.From(stage, list.Select(s => (s.StackName, s.Facts))));
    }

    /// <summary>Serializes the snapshot.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a snapshot written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a plan snapshot.</exception>
    public static PlanSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<PlanSnapshot>(json, Json) ?? throw new JsonException("Empty plan snapshot.");

    private static string Fingerprint(JsonNode? value)
    {
        var canonical = value?.ToJsonString() ?? "null";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }
}
