using System.Collections.Immutable;
using AztecInfra.Cost;
using AztecInfra.Plan;
using AztecInfra.Stacks;
using AztecInfra.Stages;

namespace AztecInfra.Cli.Plan;

/// <summary>Everything a plan shows, computed once: the synthesized stacks, what they declare, what they cost.</summary>
/// <param name="Loaded">The validated stage and its warnings.</param>
/// <param name="Assembly">The stacks in deploy order.</param>
/// <param name="Facts">What each template declares, by stack name.</param>
/// <param name="Cost">The monthly cost, priced from those facts.</param>
/// <param name="Snapshot">Fingerprints for a later <c>--baseline</c>.</param>
/// <param name="Diff">The change against a baseline, if one was given.</param>
/// <param name="Baseline">The baseline, if one was given.</param>
/// <param name="Nodes">What the change does to each validator, against the baseline.</param>
internal sealed record StagePlan(
    LoadedConfig Loaded,
    StageAssembly Assembly,
    ImmutableSortedDictionary<string, TemplateFacts> Facts,
    CostEstimate Cost,
    PlanSnapshot Snapshot,
    PlanDiff? Diff,
    PlanSnapshot? Baseline = null,
    NodeDiff? Nodes = null);

/// <summary>Computes a plan: synthesizes offline, reads the templates back, prices them, compares with a baseline.</summary>
internal static class StagePlanner
{
    public static StagePlan Plan(LoadedConfig loaded, string outputDirectory, PlanSnapshot? baseline)
    {
        var assembly = StageApp.Synthesize(loaded.Config, outputDirectory);
        var facts = assembly.Stacks.ToImmutableSortedDictionary(s => s.StackName, s => TemplateFacts.Read(File.ReadAllText(s.TemplatePath)), StringComparer.Ordinal);
        var cost = CostEstimator.Estimate(assembly.Stacks.Select(s => new StackFacts(s.Region, facts[s.StackName])));
        var snapshot = PlanSnapshot.Create(loaded.Config.Stage, assembly.Stacks.Select(s => (s.StackName, s.Region, facts[s.StackName])), cost);
        File.WriteAllText(Path.Combine(outputDirectory, PlanSnapshot.FileName), snapshot.ToJson());
        var diff = baseline is null ? null : PlanDiff.Compare(baseline, snapshot);
        return new StagePlan(loaded, assembly, facts, cost, snapshot, diff, baseline, diff is null ? null : NodeDiff.Compare(baseline!, snapshot, diff));
    }
}
