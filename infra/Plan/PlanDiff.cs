using System.Collections.Immutable;

namespace AztecInfra.Plan;

/// <summary>What happens to one resource between two plans.</summary>
public enum ChangeKind
{
    /// <summary>Only in the new plan.</summary>
    Added,

    /// <summary>Only in the baseline.</summary>
    Removed,

    /// <summary>In both, with different properties.</summary>
    Changed,
}

/// <summary>One resource that differs between two plans.</summary>
/// <param name="Stack">Stack name.</param>
/// <param name="LogicalId">Logical id.</param>
/// <param name="Type">CloudFormation type.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Properties">Top-level properties that differ (changed resources).</param>
/// <param name="Replaces">Properties whose change makes CloudFormation replace this stateful resource.</param>
/// <param name="Interrupts">Properties whose change stops and starts the instance (the validator misses duties meanwhile).</param>
public sealed record ResourceChange(string Stack, string LogicalId, string Type, ChangeKind Kind, ImmutableArray<string> Properties, ImmutableArray<string> Replaces, ImmutableArray<string> Interrupts)
{
    /// <summary>True when the change destroys or replaces something that holds state or identity.</summary>
    public bool TouchesState => Kind == ChangeKind.Removed && PlanDiff.IsStateful(Type) || !Replaces.IsEmpty;
}

/// <summary>The difference between a baseline plan and a new one, for reviewers.</summary>
/// <param name="Changes">Resources added, removed or changed, by stack then logical id.</param>
/// <param name="AddedStacks">Stacks only in the new plan.</param>
/// <param name="RemovedStacks">Stacks only in the baseline.</param>
/// <param name="MonthlyUsdBefore">Baseline monthly cost.</param>
/// <param name="MonthlyUsdAfter">New monthly cost.</param>
/// <param name="CostChanges">Cost components whose monthly amount changed: before and after.</param>
public sealed record PlanDiff(
    ImmutableArray<ResourceChange> Changes,
    ImmutableArray<string> AddedStacks,
    ImmutableArray<string> RemovedStacks,
    decimal MonthlyUsdBefore,
    decimal MonthlyUsdAfter,
    ImmutableArray<(string Component, decimal Before, decimal After)> CostChanges)
{
    /// <summary>
    /// Changes the plan flags on top of CloudFormation's certain replacements
    /// (<see cref="CloudFormationSpec.ReplacingProperties"/>), each for a reason the specification does not
    /// carry: EC2 cannot move, re-encrypt or re-seed a volume and KMS refuses to change a key's spec or usage
    /// (the update fails and the deploy rolls back); an instance's block devices are a conditional
    /// replacement (only DeleteOnTermination changes in place).
    /// </summary>
    public static ImmutableSortedDictionary<string, ImmutableHashSet<string>> AlsoFlagged { get; } = new Dictionary<string, ImmutableHashSet<string>>
    {
        ["AWS::EC2::Volume"] = ["AvailabilityZone", "Encrypted", "KmsKeyId", "SnapshotId"],
        ["AWS::KMS::Key"] = ["KeySpec", "KeyUsage", "MultiRegion"],
        ["AWS::EC2::Instance"] = ["BlockDeviceMappings"],
    }.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>True when changing <paramref name="property"/> of a <paramref name="type"/> replaces it or cannot be done in place.</summary>
    public static bool Replaces(string type, string property) =>
        (CloudFormationSpec.ReplacingProperties.TryGetValue(type, out var spec) && spec.Contains(property))
        || (AlsoFlagged.TryGetValue(type, out var extra) && extra.Contains(property));

    /// <summary>
    /// Instance properties whose change stops and starts an EBS-backed instance ("Some interruptions" in the
    /// CloudFormation reference). DisableApiTermination and DisableApiStop change without interruption.
    /// </summary>
    public static ImmutableHashSet<string> InterruptingInstanceProperties { get; } = ["InstanceType", "UserData", "EbsOptimized"];

    /// <summary>True for resource types whose replacement a reviewer must see: they hold state or carry the nodes.</summary>
    public static bool FlagsReplacement(string type) =>
        IsStateful(type) || type is "AWS::EC2::VolumeAttachment" or "AWS::EC2::VPC" or "AWS::EC2::Subnet" or "AWS::EC2::VPCPeeringConnection";

    /// <summary>True for resource types whose loss loses data, keys or identity.</summary>
    public static bool IsStateful(string type) =>
        type is "AWS::EC2::Volume" or "AWS::KMS::Key" or "AWS::RDS::DBInstance" or "AWS::SecretsManager::Secret" or "AWS::EC2::EIP" or "AWS::EC2::Instance";

    /// <summary>Compares a baseline plan with a new one.</summary>
    public static PlanDiff Compare(PlanSnapshot before, PlanSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<ResourceChange>();
        foreach (var stack in before.Stacks.Keys.Union(after.Stacks.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.Stacks.GetValueOrDefault(stack)?.Resources ?? ImmutableSortedDictionary<string, ResourceSnapshot>.Empty;
            var now = after.Stacks.GetValueOrDefault(stack)?.Resources ?? ImmutableSortedDictionary<string, ResourceSnapshot>.Empty;
            foreach (var id in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
            {
                var a = old.GetValueOrDefault(id);
                var b = now.GetValueOrDefault(id);
                if (a is null)
                {
                    changes.Add(new ResourceChange(stack, id, b!.Type, ChangeKind.Added, [], [], []));
                }
                else if (b is null)
                {
                    changes.Add(new ResourceChange(stack, id, a.Type, ChangeKind.Removed, [], [], []));
                }
                else
                {
                    var differing = a.Properties.Keys.Union(b.Properties.Keys)
                        .Where(p => a.Properties.GetValueOrDefault(p) != b.Properties.GetValueOrDefault(p))
                        .Order(StringComparer.Ordinal)
                        .ToImmutableArray();
                    if (!differing.IsEmpty || a.Type != b.Type)
                    {
                        var interrupting = b.Type == "AWS::EC2::Instance" ? InterruptingInstanceProperties : [];
                        changes.Add(new ResourceChange(stack, id, b.Type, ChangeKind.Changed, differing, [.. differing.Where(p => FlagsReplacement(b.Type) && Replaces(b.Type, p))], [.. differing.Where(interrupting.Contains)]));
                    }
                }
            }
        }

        var costChanges = before.CostLines.Keys.Union(after.CostLines.Keys).Order(StringComparer.Ordinal)
            .Select(k => (k, before.CostLines.GetValueOrDefault(k), after.CostLines.GetValueOrDefault(k)))
            .Where(c => c.Item2 != c.Item3)
            .ToImmutableArray();

        return new PlanDiff(
            [.. changes],
            [.. after.Stacks.Keys.Except(before.Stacks.Keys).Order(StringComparer.Ordinal)],
            [.. before.Stacks.Keys.Except(after.Stacks.Keys).Order(StringComparer.Ordinal)],
            before.MonthlyUsd,
            after.MonthlyUsd,
            costChanges);
    }
}
