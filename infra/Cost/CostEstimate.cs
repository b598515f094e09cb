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
/// <param name="Category">What kind of cost it is, for like-for-like comparisons.</param>
public sealed record CostLine(string Component, string Region, string Detail, decimal? MonthlyUsd, string? NodeId = null, CostCategory Category = CostCategory.Other);

/// <summary>What kind of cost a line is.</summary>
public enum CostCategory
{
    /// <summary>Anything not listed below (keys, secrets, the database).</summary>
    Other,

    /// <summary>The instance itself.</summary>
    Compute,

    /// <summary>Data-volume storage (GiB).</summary>
    DataVolumeStorage,

    /// <summary>Data-volume IOPS and throughput above gp3's baseline.</summary>
    DataVolumePerformance,

    /// <summary>Root volume, Elastic IP, alarms: what a node needs besides compute and its data volume.</summary>
    NodeExtras,

    /// <summary>Traffic to the internet or between regions, priced from config assumptions.</summary>
    DataTransfer,
}

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
    /// <summary>
    /// Estimates the monthly cost of the stacks of a stage; <paramref name="traffic"/> (default: the documented
    /// defaults) prices data transfer, which no template declares.
    /// </summary>
    public static CostEstimate Estimate(IEnumerable<StackFacts> stacks, CostAssumptions? traffic = null)
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
                lines.Add(new($"EC2 {instance.InstanceType} ({node})", region, hourly is null ? "no price in table" : $"730 h × ${hourly:0.####}/h", hourly * PriceTable.HoursPerMonth, node, CostCategory.Compute));
                foreach (var v in instance.Volumes.OrderBy(v => v.Kind == "root"))
                {
                    lines.AddRange(VolumeLines(v, node, region, prices));
                }

                if (instance.ElasticIps > 0)
                {
                    lines.Add(new($"Elastic IP ({node})", region, $"{Times(instance.ElasticIps)}730 h × ${PriceTable.PublicIpv4Hourly}/h", instance.ElasticIps * PriceTable.PublicIpv4Hourly * PriceTable.HoursPerMonth, node, CostCategory.NodeExtras));
                }

                if (instance.Alarms > 0)
                {
                    lines.Add(new($"CloudWatch alarms ×{instance.Alarms} ({node})", region, $"{instance.Alarms} × ${PriceTable.AlarmMonthly}", instance.Alarms * PriceTable.AlarmMonthly, node, CostCategory.NodeExtras));
                }
            }
        }

        foreach (var (region, facts) in all)
        {
            var prices = PriceTable.Regions.GetValueOrDefault(region);
            foreach (var group in facts.AutoScalingGroups)
            {
                // Desired capacity × the launch template's type. Spot is priced at the on-demand rate: its price
                // moves by the hour and zone, so the estimate is the ceiling, and the line says so.
                var node = group.NodeId;
                var type = group.LaunchTemplate.InstanceType;
                var n = group.DesiredCapacity;
                var hourly = PriceTable.InstanceHourlyUsEast1.TryGetValue(type, out var h) && prices is not null ? h * prices.ComputeFactor : (decimal?)null;
                var spot = group.Spot ? ", Spot: billed below this on-demand ceiling" : string.Empty;
                lines.Add(new($"EC2 {n} × {type} ({node}, Auto Scaling){spot}", region, hourly is null ? "no price in table" : $"{n} × 730 h × ${hourly:0.####}/h", hourly * PriceTable.HoursPerMonth * n, node));
                foreach (var v in group.LaunchTemplate.Volumes)
                {
                    lines.AddRange(VolumeLines(v, node, region, prices).Select(l => l with
                    {
                        Component = $"{n} × {l.Component}",
                        Detail = l.MonthlyUsd is null ? l.Detail : $"{n} × {l.Detail}",
                        MonthlyUsd = l.MonthlyUsd * n,
                    }));
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

        lines.AddRange(DataTransferLines(all, traffic ?? CostAssumptions.Default));
        var notes = ImmutableArray.Create(
            $"Prices: {PriceTable.AsOf}, on-demand, before tax, savings plans or credits; {DataTransferPrices.AsOf}.",
            $"Data transfer is assumed, not declared: costAssumptions in the stage file (defaults in the README); the {DataTransferPrices.FreeTierGBPerMonth} GB/month internet free tier counts once per account, here all of it for this stage.",
            $"Data-transfer sources: internet egress {DataTransferPrices.InternetEgressSource}; inter-region {DataTransferPrices.InterRegionSource}.",
            "Not included: snapshots, CloudWatch Logs (flow logs of rejected traffic, database log exports), traffic inside a region.");
        return new CostEstimate([.. lines], notes);
    }

    /// <summary>
    /// Data transfer from the config's assumptions: each node's internet egress (the account's free tier taken
    /// off the first nodes), and traffic crossing regions to the HA database and to monitoring in the stage's
    /// primary region (the database's region, else the first stack's), billed at the node region's rate.
    /// </summary>
    private static IEnumerable<CostLine> DataTransferLines(List<StackFacts> all, CostAssumptions traffic)
    {
        // The assumptions are per Aztec node: the monitoring host gossips nothing and its inbound scrapes are free.
        var nodes = all.SelectMany(s => s.Facts.Instances.Where(i => i.IsValidator).Select(i => (s.Region, i.NodeId))).ToList();
        var databaseRegion = all.FirstOrDefault(s => !s.Facts.Databases.IsEmpty)?.Region;
        var primaryRegion = databaseRegion ?? all.FirstOrDefault()?.Region;
        var freeLeft = (decimal)DataTransferPrices.FreeTierGBPerMonth;
        foreach (var (region, node) in nodes)
        {
            var gb = (decimal)traffic.InternetEgressGBPerNodeMonth;
            var free = Math.Min(freeLeft, gb);
            freeLeft -= free;
            var price = DataTransferPrices.InternetEgressPerGB.TryGetValue(region, out var p) ? p : (decimal?)null;
            var detail = price is null
                ? $"{gb:0} GB; no dated egress price for {region}"
                : free > 0 ? $"({gb:0} GB − {free:0} GB free tier) × ${price}/GB" : $"{gb:0} GB × ${price}/GB";
            yield return new($"Internet egress ({node})", region, detail, (gb - free) * price, node, CostCategory.DataTransfer);

            foreach (var (what, perNode, crosses) in new[]
            {
                ("Inter-region to the HA database", traffic.HaDatabaseInterRegionGBPerNodeMonth, databaseRegion is not null && databaseRegion != region),
                ("Inter-region monitoring", traffic.MonitoringInterRegionGBPerNodeMonth, primaryRegion is not null && primaryRegion != region),
            })
            {
                if (!crosses || perNode == 0)
                {
                    continue;
                }

                var rate = DataTransferPrices.InterRegionPerGB.TryGetValue(region, out var r) ? r : (decimal?)null;
                yield return new($"{what} ({node})", region, rate is null ? $"{perNode} GB; no dated inter-region price for {region}" : $"{perNode} GB × ${rate}/GB", perNode * rate, node, CostCategory.DataTransfer);
            }
        }
    }

    private static IEnumerable<CostLine> VolumeLines(VolumeFact v, string node, string region, RegionPrices? prices)
    {
        if (v.VolumeType != "gp3")
        {
            yield return new($"EBS {v.VolumeType} {v.Kind} {v.SizeGiB} GiB ({node})", region, "no price in table", null, node, v.Kind == "data" ? CostCategory.DataVolumeStorage : CostCategory.NodeExtras);
            yield break;
        }

        var data = v.Kind == "data";
        yield return new($"EBS gp3 {v.Kind} {v.SizeGiB} GiB ({node})", region, prices is null ? "no price in table" : $"{v.SizeGiB} GiB × ${prices.Gp3PerGiBMonth}", v.SizeGiB * prices?.Gp3PerGiBMonth, node, data ? CostCategory.DataVolumeStorage : CostCategory.NodeExtras);
        if (v.Iops is { } iops && iops > Gp3.BaselineIops)
        {
            yield return new($"EBS gp3 IOPS above {Gp3.BaselineIops} ({node})", region, prices is null ? "no price in table" : $"{iops - Gp3.BaselineIops} IOPS × ${prices.Gp3PerIopsMonth}", (iops - Gp3.BaselineIops) * prices?.Gp3PerIopsMonth, node, data ? CostCategory.DataVolumePerformance : CostCategory.NodeExtras);
        }

        if (v.ThroughputMBps is { } throughput && throughput > Gp3.BaselineThroughputMBps)
        {
            yield return new($"EBS gp3 throughput above {Gp3.BaselineThroughputMBps} MB/s ({node})", region, prices is null ? "no price in table" : $"{throughput - Gp3.BaselineThroughputMBps} MB/s × ${prices.Gp3PerMBpsMonth}", (throughput - Gp3.BaselineThroughputMBps) * prices?.Gp3PerMBpsMonth, node, data ? CostCategory.DataVolumePerformance : CostCategory.NodeExtras);
        }
    }

    private static string Times(int count) => count == 1 ? string.Empty : $"{count} × ";
}
