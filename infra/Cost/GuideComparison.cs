using System.Collections.Immutable;

namespace AztecInfra.Cost;

/// <summary>One line of the guide's per-node estimate beside the same thing in this plan.</summary>
/// <param name="What">What is compared.</param>
/// <param name="GuideUsd">The guide's monthly figure.</param>
/// <param name="PlanUsd">This plan's monthly figure for the same thing, or null when a line is unpriced.</param>
public sealed record GuideLine(string What, decimal GuideUsd, decimal? PlanUsd);

/// <summary>
/// A node of the guide's instance type compared with the guide's per-node estimate, line by line: compute,
/// the 1 TB gp3 volume, data transfer and their total. What the guide leaves out (gp3 performance above the
/// baseline, root volume, Elastic IP, alarms) is shown apart, never mixed into the like-for-like total.
/// </summary>
/// <param name="NodeId">Node.</param>
/// <param name="Lines">Compute, storage, data transfer, total.</param>
/// <param name="BeyondGuideUsd">What this node costs that the guide's lines do not include.</param>
public sealed record GuideComparison(string NodeId, ImmutableArray<GuideLine> Lines, decimal BeyondGuideUsd)
{
    /// <summary>The instance type the guide's estimate is for; nodes of other types get no comparison.</summary>
    public const string GuideInstanceType = "c6i.2xlarge";

    /// <summary>The guide's per-node lines (USD per month).</summary>
    public const decimal GuideComputeUsd = 245m;

    /// <summary>The guide's 1 TB gp3 line.</summary>
    public const decimal GuideStorageUsd = 80m;

    /// <summary>The guide's data-transfer line.</summary>
    public const decimal GuideDataTransferUsd = 50m;

    /// <summary>The guide's total per node.</summary>
    public const decimal GuideTotalUsd = 375m;

    /// <summary>Compares one node with the guide, or returns null when it is not of the guide's instance type.</summary>
    public static GuideComparison? For(CostEstimate estimate, string nodeId, string instanceType)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (instanceType != GuideInstanceType)
        {
            return null;
        }

        var mine = estimate.Lines.Where(l => l.NodeId == nodeId).ToList();
        decimal? Sum(CostCategory category)
        {
            var of = mine.Where(l => l.Category == category).ToList();
            return of.Count == 0 || of.Any(l => l.MonthlyUsd is null) ? null : of.Sum(l => l.MonthlyUsd!.Value);
        }

        var compute = Sum(CostCategory.Compute);
        var storage = Sum(CostCategory.DataVolumeStorage);
        var transfer = Sum(CostCategory.DataTransfer);
        var total = compute + storage + transfer;
        var beyond = mine.Where(l => l.Category is CostCategory.DataVolumePerformance or CostCategory.NodeExtras).Sum(l => l.MonthlyUsd ?? 0m);
        return new GuideComparison(nodeId, [
            new("compute (c6i.2xlarge, on-demand)", GuideComputeUsd, compute),
            new("data volume gp3 storage (guide: 1 TB)", GuideStorageUsd, storage),
            new("data transfer", GuideDataTransferUsd, transfer),
            new("total of these lines", GuideTotalUsd, total),
        ], beyond);
    }
}
