using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using AztecInfra.Stages;

namespace AztecInfra.Plan;

/// <summary>One validator as a plan remembers it: where it is, its bootstrap settings and its data volume.</summary>
/// <param name="Stack">Its validators stack.</param>
/// <param name="InstanceLogicalId">Logical id of its instance.</param>
/// <param name="Settings">Its non-secret bootstrap settings (the settings parameter), by key.</param>
/// <param name="DataVolumeGiB">Data volume size.</param>
/// <param name="DataVolumeIops">Data volume IOPS.</param>
/// <param name="DataVolumeThroughputMBps">Data volume throughput.</param>
public sealed record NodeSnapshot(
    string Stack,
    string InstanceLogicalId,
    ImmutableSortedDictionary<string, string> Settings,
    int DataVolumeGiB,
    int? DataVolumeIops,
    int? DataVolumeThroughputMBps)
{
    /// <summary>The nodes of the given stacks, read back from their templates.</summary>
    public static ImmutableSortedDictionary<string, NodeSnapshot> From(string stage, IEnumerable<(string StackName, TemplateFacts Facts)> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var nodes = ImmutableSortedDictionary.CreateBuilder<string, NodeSnapshot>(StringComparer.Ordinal);
        foreach (var (stackName, facts) in stacks)
        {
            foreach (var instance in facts.Instances.Where(i => i.IsValidator))
            {
                var parameterName = Naming.NodeSettingsParameter(stage, instance.NodeId);
                var parameter = facts.Resources.Values.FirstOrDefault(r =>
                    (string?)r["Type"] == "AWS::SSM::Parameter" && (string?)r["Properties"]?["Name"] == parameterName);
                var settings = parameter?["Properties"]?["Value"] is JsonValue value && value.TryGetValue<string>(out var text)
                    ? ParseSettings(text)
                    : ImmutableSortedDictionary<string, string>.Empty;
                var data = instance.Volumes.FirstOrDefault(v => v.Kind == "data");
                nodes[instance.NodeId] = new NodeSnapshot(stackName, instance.LogicalId, settings, data?.SizeGiB ?? 0, data?.Iops, data?.ThroughputMBps);
            }
        }

        return nodes.ToImmutable();
    }

    /// <summary>Reads KEY=VALUE lines (the bootstrap settings format); comments and blank lines are skipped.</summary>
    public static ImmutableSortedDictionary<string, string> ParseSettings(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (trimmed.Length > 0 && !trimmed.StartsWith('#') && eq > 0)
            {
                settings[trimmed[..eq]] = trimmed[(eq + 1)..];
            }
        }

        return settings.ToImmutable();
    }
}

/// <summary>A value that changed between two plans.</summary>
/// <param name="Name">Setting key or field.</param>
/// <param name="Before">Old value, or null when it was not set.</param>
/// <param name="After">New value, or null when it is no longer set.</param>
public sealed record SettingChange(string Name, string? Before, string? After)
{
    /// <summary>
    /// "old → new"; for two tags of the same image repository, "repository old-tag → new-tag", so a version
    /// bump reads as one.
    /// </summary>
    public string Text
    {
        get
        {
            if (Before is not null && After is not null && SplitImage(Before) is var (repoA, tagA) && SplitImage(After) is var (repoB, tagB) && repoA == repoB)
            {
                return $"{repoA} {tagA} → {tagB}";
            }

            return $"{Before ?? "(not set)"} → {After ?? "(not set)"}";
        }
    }

    private static (string Repository, string Tag)? SplitImage(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && value.IndexOf('/', StringComparison.Ordinal) > 0 && colon > value.LastIndexOf('/') ? (value[..colon], value[(colon + 1)..]) : null;
    }
}

/// <summary>What a change does to one validator.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Stack">Its validators stack.</param>
/// <param name="Settings">Settings that change (the node restarts to apply them).</param>
/// <param name="DataVolume">Data volume fields that change (modified in place, no restart).</param>
/// <param name="StopsInstance">Instance properties whose change makes CloudFormation stop and start it.</param>
public sealed record NodeChange(string NodeId, string Stack, ImmutableArray<SettingChange> Settings, ImmutableArray<SettingChange> DataVolume, ImmutableArray<string> StopsInstance)
{
    /// <summary>True when the node restarts (at its rollout, or with the deploy).</summary>
    public bool Restarts => !Settings.IsEmpty || !StopsInstance.IsEmpty;

    /// <summary>Why the node restarts, or that it does not.</summary>
    public string Restart => (Settings.IsEmpty, StopsInstance.IsEmpty) switch
    {
        (false, true) => $"restarts once, at its rollout: its settings changed ({string.Join(", ", Settings.Select(s => s.Name))}); the instance and its user data are untouched",
        (true, false) => $"CloudFormation stops and starts the instance during the deploy ({string.Join(", ", StopsInstance)}): the validator misses duties meanwhile",
        (false, false) => $"CloudFormation stops and starts the instance during the deploy ({string.Join(", ", StopsInstance)}), and its settings changed ({string.Join(", ", Settings.Select(s => s.Name))})",
        _ => "keeps running: nothing it runs changes",
    };
}

/// <summary>What a change does to the validators: per node, plus the warnings a reviewer must read.</summary>
/// <param name="Nodes">Nodes that change, by id.</param>
/// <param name="Warnings">Upgrade and volume warnings.</param>
public sealed record NodeDiff(ImmutableArray<NodeChange> Nodes, ImmutableArray<string> Warnings)
{
    /// <summary>The setting that names the Aztec image.</summary>
    public const string ImageKey = "AZTEC_IMAGE";

    /// <summary>Compares the nodes of two plans. A baseline from before nodes were recorded gives no node changes.</summary>
    public static NodeDiff Compare(PlanSnapshot before, PlanSnapshot after, PlanDiff resources)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(resources);
        var changes = new List<NodeChange>();
        var warnings = new List<string>();
        var old = before.Nodes ?? ImmutableSortedDictionary<string, NodeSnapshot>.Empty;
        foreach (var (id, now) in after.Nodes ?? ImmutableSortedDictionary<string, NodeSnapshot>.Empty)
        {
            if (!old.TryGetValue(id, out var was))
            {
                continue;
            }

            var settings = was.Settings.Keys.Union(now.Settings.Keys).Order(StringComparer.Ordinal)
                .Select(k => new SettingChange(k, was.Settings.GetValueOrDefault(k), now.Settings.GetValueOrDefault(k)))
                .Where(c => c.Before != c.After)
                .ToImmutableArray();
            var volume = new[]
            {
                new SettingChange("sizeGiB", Str(was.DataVolumeGiB), Str(now.DataVolumeGiB)),
                new SettingChange("iops", Str(was.DataVolumeIops), Str(now.DataVolumeIops)),
                new SettingChange("throughputMBps", Str(was.DataVolumeThroughputMBps), Str(now.DataVolumeThroughputMBps)),
            }.Where(c => c.Before != c.After).ToImmutableArray();
            var stops = resources.Changes
                .Where(c => c.Stack == now.Stack && c.LogicalId == now.InstanceLogicalId)
                .SelectMany(c => c.Interrupts)
                .ToImmutableArray();
            if (!settings.IsEmpty || !volume.IsEmpty || !stops.IsEmpty)
            {
                changes.Add(new NodeChange(id, now.Stack, settings, volume, stops));
            }

            if (settings.FirstOrDefault(s => s.Name == ImageKey) is { Before: { } a, After: { } b } && CrossesRelease(a, b) is { } release)
            {
                warnings.Add($"{id}: Aztec {release} changes the major or minor version: read the release notes first; a new line can change the node's flags and data (the 6.0 line re-syncs the archiver from L1, hours before the node attests again). Roll it out one node at a time.");
            }

            if (!volume.IsEmpty)
            {
                warnings.Add($"{id}: EBS modifies the data volume in place and allows one modification per volume every six hours; a second change within six hours fails the deploy. The filesystem grows online at the next rollout, without a restart.");
            }
        }

        return new NodeDiff([.. changes], [.. warnings]);
    }

    /// <summary>
    /// Refuses what EBS cannot do against the baseline: a data volume smaller than the one deployed (EBS never
    /// shrinks a volume; the deploy would fail). Each finding names the field.
    /// </summary>
    public static IReadOnlyList<ConfigIssue> CheckAgainstBaseline(StageConfig config, PlanSnapshot baseline)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(baseline);
        var issues = new List<ConfigIssue>();
        for (var i = 0; i < config.Nodes.Length; i++)
        {
            var node = config.Nodes[i];
            if (baseline.Nodes?.GetValueOrDefault(node.Id) is { } was && node.DataVolume is { } volume && volume.SizeGiB < was.DataVolumeGiB)
            {
                issues.Add(new ConfigIssue(
                    IssueSeverity.Error,
                    $"nodes[{i}].dataVolume.sizeGiB",
                    Str(volume.SizeGiB),
                    $"is smaller than the {was.DataVolumeGiB} GiB the baseline deploys for {node.Id}; EBS never shrinks a volume, so keep {was.DataVolumeGiB} GiB or more"));
            }
        }

        return issues;
    }

    /// <summary>"5.2.0 → 6.0.0" when the image's major or minor version changes, else null.</summary>
    public static string? CrossesRelease(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = Version(before);
        var b = Version(after);
        if (a is null || b is null)
        {
            // An unparsable tag on either side: say so rather than guess that it is a patch.
            return before == after ? null : $"{Tag(before)} → {Tag(after)}";
        }

        return a.Value.Major != b.Value.Major || a.Value.Minor != b.Value.Minor ? $"{Tag(before)} → {Tag(after)}" : null;
    }

    private static string Tag(string image) => image[(image.LastIndexOf(':') + 1)..];

    private static (int Major, int Minor)? Version(string image)
    {
        var parts = Tag(image).TrimStart('v').Split('.', '-');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }

    private static string? Str(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
