using System.Collections.Immutable;
using AztecInfra.Stages;

namespace AztecInfra.Cost;

/// <summary>One line of a monthly cost estimate.</summary>
/// <param name="Component">What is billed.</param>
/// <param name="Region">Region billed in.</param>
/// <param name="Detail">Quantity and unit price, for the reviewer to check.</param>
/// <param name="MonthlyUsd">Estimated monthly cost, or null when the table has no price.</param>
public sealed record CostLine(string Component, string Region, string Detail, decimal? MonthlyUsd);

/// <summary>A stage's monthly cost estimate.</summary>
/// <param name="Lines">Billed components.</param>
/// <param name="Notes">What the estimate leaves out.</param>
public sealed record CostEstimate(ImmutableArray<CostLine> Lines, ImmutableArray<string> Notes)
{
    /// <summary>Sum of priced lines.</summary>
    public decimal TotalUsd => Lines.Sum(l => l.MonthlyUsd ?? 0m);

    /// <summary>True when some line has no price.</summary>
    public bool HasUnpriced => Lines.Any(l => l.MonthlyUsd is null);

    /// <summary>Monthly cost of one node's own resources (instance, volumes, address, alarms).</summary>
    public decimal NodeUsd(string nodeId) => Lines.Where(l => l.Component.EndsWith($"({nodeId})", StringComparison.Ordinal)).Sum(l => l.MonthlyUsd ?? 0m);
}

/// <summary>Estimates what a stage costs per month from the dated <see cref="PriceTable"/>.</summary>
public static class CostEstimator
{
    /// <summary>Root volume of every node, GiB (matches the validator construct's default).</summary>
    public const int RootVolumeGiB = 30;

    /// <summary>Estimates the monthly cost of a stage.</summary>
    public static CostEstimate Estimate(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var lines = new List<CostLine>();
        foreach (var node in config.Nodes)
        {
            var prices = PriceTable.Regions.GetValueOrDefault(node.Region);
            var hourly = PriceTable.InstanceHourlyUsEast1.TryGetValue(node.Instance.Name, out var h) && prices is not null ? h * prices.ComputeFactor : (decimal?)null;
            lines.Add(new($"EC2 {node.Instance.Name} ({node.Id})", node.Region, hourly is null ? "no price in table" : $"730 h × ${hourly:0.####}/h", hourly * PriceTable.HoursPerMonth));

            var v = node.DataVolume;
            lines.Add(new($"EBS gp3 data {v.SizeGiB} GiB ({node.Id})", node.Region, prices is null ? "no price in table" : $"{v.SizeGiB} GiB × ${prices.Gp3PerGiBMonth}", v.SizeGiB * prices?.Gp3PerGiBMonth));
            if (v.Iops > 3000)
            {
                lines.Add(new($"EBS gp3 IOPS above 3000 ({node.Id})", node.Region, prices is null ? "no price in table" : $"{v.Iops - 3000} IOPS × ${prices.Gp3PerIopsMonth}", (v.Iops - 3000) * prices?.Gp3PerIopsMonth));
            }

            if (v.ThroughputMBps > 125)
            {
                lines.Add(new($"EBS gp3 throughput above 125 MB/s ({node.Id})", node.Region, prices is null ? "no price in table" : $"{v.ThroughputMBps - 125} MB/s × ${prices.Gp3PerMBpsMonth}", (v.ThroughputMBps - 125) * prices?.Gp3PerMBpsMonth));
            }

            lines.Add(new($"EBS gp3 root {RootVolumeGiB} GiB ({node.Id})", node.Region, prices is null ? "no price in table" : $"{RootVolumeGiB} GiB × ${prices.Gp3PerGiBMonth}", RootVolumeGiB * prices?.Gp3PerGiBMonth));
            lines.Add(new($"Elastic IP ({node.Id})", node.Region, $"730 h × ${PriceTable.PublicIpv4Hourly}/h", PriceTable.PublicIpv4Hourly * PriceTable.HoursPerMonth));
            lines.Add(new($"CloudWatch alarms ×2 ({node.Id})", node.Region, $"2 × ${PriceTable.AlarmMonthly}", 2 * PriceTable.AlarmMonthly));
        }

        foreach (var region in config.Regions)
        {
            lines.Add(new("KMS stage key", region.Name, $"1 key × ${PriceTable.KmsKeyMonthly}", PriceTable.KmsKeyMonthly));
        }

        if (config.Ha is { Mode: HaMode.SharedSigner, Database: { } db })
        {
            var prices = PriceTable.Regions.GetValueOrDefault(db.Region);
            var hourly = PriceTable.RdsMultiAzHourlyUsEast1.TryGetValue(db.InstanceClass, out var h) && prices is not null ? h * prices.ComputeFactor : (decimal?)null;
            lines.Add(new($"RDS PostgreSQL {db.InstanceClass} Multi-AZ", db.Region, hourly is null ? "no price in table" : $"730 h × ${hourly:0.####}/h", hourly * PriceTable.HoursPerMonth));
            lines.Add(new($"RDS storage {db.AllocatedStorageGiB} GiB Multi-AZ", db.Region, prices is null ? "no price in table" : $"{db.AllocatedStorageGiB} GiB × ${prices.RdsStorageMultiAzPerGiBMonth}", db.AllocatedStorageGiB * prices?.RdsStorageMultiAzPerGiBMonth));
            var secretCopies = 1 + config.Nodes.Select(n => n.Region).Distinct(StringComparer.Ordinal).Count(r => r != db.Region);
            lines.Add(new("Secrets Manager: HA database credentials and replicas", db.Region, $"{secretCopies} × ${PriceTable.SecretMonthly}", secretCopies * PriceTable.SecretMonthly));
        }

        var notes = ImmutableArray.Create(
            $"Prices: {PriceTable.AsOf}, on-demand, before tax, savings plans or credits.",
            "Not included: data transfer (P2P egress to the internet is billed per GB after the first 100 GB/month; inter-region peering traffic per GB), snapshots, CloudWatch Logs (flow logs of rejected traffic, database log exports).");
        return new CostEstimate([.. lines], notes);
    }
}
