using System.Collections.Immutable;
using AztecInfra.Plan;
using AztecInfra.Stages;

namespace AztecInfra.Cost;

/// <summary>One line of a monthly cost estimate.</summary>
/// <param name="Component">What is billed.</param>
/// <param name="Region">Region billed in.</param>
/// <param name="Detail">Quantity and unit price, for the reviewer to check.</param>
/// <param name="MonthlyUsd">Estimated monthly cost, or null when the table has no price.</param>
/// <param name="NodeId">The node the line belongs to, or null for stage-wide resources.</param>
public sealed record CostLine(string Component, string Region, string Detail, decimal? MonthlyUsd, string? NodeId = null);

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
    public decimal NodeUsd(string nodeId) => Lines.Where(l => l.NodeId == nodeId).Sum(l => l.MonthlyUsd ?? 0m);
}

/// <summary>The facts of one synthesized template and the region it deploys to.</summary>
/// <param name="Region">Region.</param>
/// <param name="Facts">What the template declares.</param>
public sealed record StackFacts(string Region, TemplateFacts Facts);

/// <summary>
/// Prices what the templates declare, from the dated <see cref="PriceTable"/>: the same facts the plan
/// prints, so what is priced is what is deployed.
/// </summary>
public static class CostEstimator
{
    /// <summary>Estimates the monthly cost of the stacks of a stage.</summary>
    public static CostEstimate Estimate(IEnumerable<StackFacts> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var all = stacks.ToList();
        var lines = new List<CostLine>();
        foreach (var (region, facts) in all)
        {
            var prices = PriceTable.Regions.GetValueOrDefault(region);
            foreach (var instance in facts.Instances)
            {
                // A validator is named by its node id; the monitoring host by its role.
                var node = instance.IsValidator ? instance.NodeId : $"{instance.Role} host";
                var hourly = PriceTable.InstanceHourlyUsEast1.TryGetValue(instance.InstanceType, out var h) && prices is not null ? h * prices.ComputeFactor : (decimal?)null;
                lines.Add(new($"EC2 {instance.InstanceType} ({node})", region, hourly is null ? "no price in table" : $"730 h × ${hourly:0.####}/h", hourly * PriceTable.HoursPerMonth, node));
                foreach (var v in instance.Volumes.OrderBy(v => v.Kind == "root"))
                {
                    lines.AddRange(VolumeLines(v, node, region, prices));
                }

                if (instance.ElasticIps > 0)
                {
                    lines.Add(new($"Elastic IP ({node})", region, $"{Times(instance.ElasticIps)}730 h × ${PriceTable.PublicIpv4Hourly}/h", instance.ElasticIps * PriceTable.PublicIpv4Hourly * PriceTable.HoursPerMonth, node));
                }

                if (instance.Alarms > 0)
                {
                    lines.Add(new($"CloudWatch alarms ×{instance.Alarms} ({node})", region, $"{instance.Alarms} × ${PriceTable.AlarmMonthly}", instance.Alarms * PriceTable.AlarmMonthly, node));
                }
            }
        }

        foreach (var (region, facts) in all)
        {
            // Alarms on no instance of the template (the monitoring heartbeat), priced stage-wide.
            foreach (var alarm in facts.Alarms.Where(a => !a.OnInstance))
            {
                lines.Add(new($"CloudWatch alarm {alarm.Namespace} {alarm.Metric}", region, $"1 × ${PriceTable.AlarmMonthly}", PriceTable.AlarmMonthly));
            }

            if (facts.AdvancedParameters > 0)
            {
                lines.Add(new("SSM advanced parameters", region, $"{facts.AdvancedParameters} × ${PriceTable.AdvancedParameterMonthly}", facts.AdvancedParameters * PriceTable.AdvancedParameterMonthly));
            }
        }

        foreach (var (region, facts) in all)
        {
            foreach (var unused in facts.Keys)
            {
                lines.Add(new("KMS stage key", region, $"1 key × ${PriceTable.KmsKeyMonthly}", PriceTable.KmsKeyMonthly));
            }
        }

        foreach (var (region, facts) in all)
        {
            var prices = PriceTable.Regions.GetValueOrDefault(region);
            foreach (var db in facts.Databases)
            {
                var instanceClass = db.InstanceClass;
                // The table holds Multi-AZ prices only (the project deploys nothing else); anything else stays unpriced.
                var az = db.MultiAz ? "Multi-AZ" : "Single-AZ";
                var hourly = db.MultiAz && PriceTable.RdsMultiAzHourlyUsEast1.TryGetValue(instanceClass, out var h) && prices is not null ? h * prices.ComputeFactor : (decimal?)null;
                lines.Add(new($"RDS PostgreSQL {instanceClass} {az}", region, hourly is null ? "no price in table" : $"730 h × ${hourly:0.####}/h", hourly * PriceTable.HoursPerMonth));
                var storage = db.MultiAz ? prices?.RdsStorageMultiAzPerGiBMonth : null;
                lines.Add(new($"RDS storage {db.AllocatedStorageGiB} GiB {az}", region, storage is null ? "no price in table" : $"{db.AllocatedStorageGiB} GiB × ${storage}", db.AllocatedStorageGiB * storage));
            }

            foreach (var secret in facts.Secrets)
            {
                var copies = 1 + secret.ReplicaRegions.Length;
                lines.Add(new("Secrets Manager: HA database credentials and replicas", region, $"{copies} × ${PriceTable.SecretMonthly}", copies * PriceTable.SecretMonthly));
            }
        }

        var notes = ImmutableArray.Create(
            $"Prices: {PriceTable.AsOf}, on-demand, before tax, savings plans or credits.",
            "Not included: data transfer (P2P egress to the internet is billed per GB after the first 100 GB/month; inter-region peering traffic per GB), snapshots, CloudWatch Logs (flow logs of rejected traffic, database log exports).");
        return new CostEstimate([.. lines], notes);
    }

    private static IEnumerable<CostLine> VolumeLines(VolumeFact v, string node, string region, RegionPrices? prices)
    {
        if (v.VolumeType != "gp3")
        {
            yield return new($"EBS {v.VolumeType} {v.Kind} {v.SizeGiB} GiB ({node})", region, "no price in table", null, node);
            yield break;
        }

        yield return new($"EBS gp3 {v.Kind} {v.SizeGiB} GiB ({node})", region, prices is null ? "no price in table" : $"{v.SizeGiB} GiB × ${prices.Gp3PerGiBMonth}", v.SizeGiB * prices?.Gp3PerGiBMonth, node);
        if (v.Iops is { } iops && iops > Gp3.BaselineIops)
        {
            yield return new($"EBS gp3 IOPS above {Gp3.BaselineIops} ({node})", region, prices is null ? "no price in table" : $"{iops - Gp3.BaselineIops} IOPS × ${prices.Gp3PerIopsMonth}", (iops - Gp3.BaselineIops) * prices?.Gp3PerIopsMonth, node);
        }

        if (v.ThroughputMBps is { } throughput && throughput > Gp3.BaselineThroughputMBps)
        {
            yield return new($"EBS gp3 throughput above {Gp3.BaselineThroughputMBps} MB/s ({node})", region, prices is null ? "no price in table" : $"{throughput - Gp3.BaselineThroughputMBps} MB/s × ${prices.Gp3PerMBpsMonth}", (throughput - Gp3.BaselineThroughputMBps) * prices?.Gp3PerMBpsMonth, node);
        }
    }

    private static string Times(int count) => count == 1 ? string.Empty : $"{count} × ";
}
