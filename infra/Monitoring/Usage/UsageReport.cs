using System.Collections.Immutable;
using System.Globalization;
using AztecInfra.Stages;
using AztecInfra.Cost;

namespace AztecInfra.Monitoring.Usage;

/// <summary>What a node was given: instance type and data volume, from the stage config.</summary>
/// <param name="Id">Node id (the pinned instance label).</param>
/// <param name="Region">AWS region (prices differ by region).</param>
/// <param name="Instance">Instance type.</param>
/// <param name="VolumeGiB">Data volume size.</param>
/// <param name="VolumeIops">Provisioned data volume IOPS.</param>
/// <param name="Mainnet">True on mainnet, where Aztec's sequencer floor is a hard limit.</param>
public sealed record ProvisionedNode(string Id, string Region, InstanceSpec Instance, int VolumeGiB, int VolumeIops, bool Mainnet);

/// <summary>p50, p95 and maximum of a measurement over the window.</summary>
/// <param name="P50">Median.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="Max">Maximum.</param>
public sealed record Spread(double P50, double P95, double Max)
{
    /// <summary>The spread of <paramref name="values"/> (nearest-rank percentiles); null when there are none.</summary>
    public static Spread? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Spread(Rank(0.50), Rank(0.95), sorted[^1]);
    }
}

/// <summary>Measured use of one node over the window.</summary>
/// <param name="Id">Node id.</param>
/// <param name="VCpus">CPUs node_exporter sees.</param>
/// <param name="CpuBusy">Share of all CPUs busy (0-1).</param>
/// <param name="MemoryTotalBytes">Memory the kernel sees.</param>
/// <param name="MemoryUsed">Memory not available, bytes.</param>
/// <param name="DiskSizeBytes">Size of the data filesystem.</param>
/// <param name="DiskUsedBytes">Used bytes at the end of the window.</param>
/// <param name="DiskGrowthBytesPerDay">Least-squares growth of used bytes per day.</param>
/// <param name="Iops">Reads plus writes per second, all disks.</param>
/// <param name="NetworkBytesPerSecond">Received plus sent bytes per second, all interfaces but lo.</param>
public sealed record NodeUsage(string Id, int? VCpus, Spread? CpuBusy, double? MemoryTotalBytes, Spread? MemoryUsed, double? DiskSizeBytes, double? DiskUsedBytes, double? DiskGrowthBytesPerDay, Spread? Iops, Spread? NetworkBytesPerSecond)
{
    /// <summary>Days until the data filesystem is full at the measured growth; null when it does not grow.</summary>
    public double? DaysUntilFull => DiskSizeBytes is { } size && DiskUsedBytes is { } used && DiskGrowthBytesPerDay is > 0 and var growth ? Math.Max(0, (size - used) / growth) : null;
}

/// <summary>A recommended size for a node and what it changes per month.</summary>
/// <param name="Id">Node id.</param>
/// <param name="CurrentInstance">Type today.</param>
/// <param name="Instance">Recommended type (may be the same).</param>
/// <param name="CurrentVolumeGiB">Data volume today.</param>
/// <param name="VolumeGiB">Recommended data volume (never smaller: EBS volumes cannot shrink).</param>
/// <param name="MonthlyDeltaUsd">Monthly cost difference at list prices; null when a price is missing.</param>
/// <param name="Reasons">Why, one phrase each.</param>
public sealed record Recommendation(string Id, InstanceSpec CurrentInstance, InstanceSpec Instance, int CurrentVolumeGiB, int VolumeGiB, decimal? MonthlyDeltaUsd, ImmutableArray<string> Reasons);

/// <summary>The usage report: measurements and, for nodes the stage config describes, a recommendation.</summary>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end.</param>
/// <param name="Nodes">Per node.</param>
/// <param name="Recommendations">Per node found in the stage config.</param>
public sealed record UsageReport(DateTimeOffset Start, DateTimeOffset End, ImmutableArray<NodeUsage> Nodes, ImmutableArray<Recommendation> Recommendations);

/// <summary>Builds the usage report from node_exporter metrics through Prometheus.</summary>
public static class UsageAnalyzer
{
    /// <summary>CPU p95 should stay under this share of the instance (slots need headroom for block building).</summary>
    public const double CpuP95Target = 0.6;

    /// <summary>Peak memory should stay under this share of the instance.</summary>
    public const double MemoryPeakTarget = 0.7;

    /// <summary>A volume should last this many days at the measured growth, and stay under 80 % full.</summary>
    public const int VolumeHorizonDays = 180;

    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>Queries Prometheus over <paramref name="since"/> up to <paramref name="end"/> and builds the report.</summary>
    public static async Task<UsageReport> AnalyzeAsync(IPrometheusApi api, DateTimeOffset end, TimeSpan since, IReadOnlyCollection<ProvisionedNode> provisioned, string mountpoint = "/var/lib/aztec", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(provisioned);
        if (since < TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(since), since, "--since: use at least 1h");
        }

        var start = end - since;
        // About 1,000 points per series whatever the window, and never finer than the 30 s scrape.
        var step = TimeSpan.FromSeconds(Math.Max(60, Math.Ceiling(since.TotalSeconds / 1000)));
        var fs = $"mountpoint=\"{mountpoint}\"";

        async Task<Dictionary<string, ImmutableArray<Sample>>> Q(string query)
        {
            var series = await api.QueryRangeAsync(query, start, end, step, cancellationToken).ConfigureAwait(false);
            return series.Where(s => s.Labels.ContainsKey("instance")).ToDictionary(s => s.Labels["instance"], s => s.Samples, StringComparer.Ordinal);
        }

        var cpu = await Q("1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))").ConfigureAwait(false);
        var cpus = await Q("count by (instance) (node_cpu_seconds_total{mode=\"idle\"})").ConfigureAwait(false);
        var memTotal = await Q("max by (instance) (node_memory_MemTotal_bytes)").ConfigureAwait(false);
        var memUsed = await Q("max by (instance) (node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)").ConfigureAwait(false);
        var diskSize = await Q($"max by (instance) (node_filesystem_size_bytes{{{fs}}})").ConfigureAwait(false);
        var diskUsed = await Q($"max by (instance) (node_filesystem_size_bytes{{{fs}}} - node_filesystem_avail_bytes{{{fs}}})").ConfigureAwait(false);
        var iops = await Q("sum by (instance) (rate(node_disk_reads_completed_total[5m]) + rate(node_disk_writes_completed_total[5m]))").ConfigureAwait(false);
        var net = await Q("sum by (instance) (rate(node_network_receive_bytes_total{device!=\"lo\"}[5m]) + rate(node_network_transmit_bytes_total{device!=\"lo\"}[5m]))").ConfigureAwait(false);

        var ids = cpu.Keys.Concat(memUsed.Keys).Concat(diskUsed.Keys).Concat(provisioned.Select(p => p.Id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var nodes = ImmutableArray.CreateBuilder<NodeUsage>();
        foreach (var id in ids)
        {
            nodes.Add(new NodeUsage(
                id,
                Last(cpus, id) is { } n ? (int)n : null,
                Spread.Of(Values(cpu, id)),
                Last(memTotal, id),
                Spread.Of(Values(memUsed, id)),
                Last(diskSize, id),
                Last(diskUsed, id),
                diskUsed.TryGetValue(id, out var used) ? SlopePerDay(used) : null,
                Spread.Of(Values(iops, id)),
                Spread.Of(Values(net, id))));
        }

        var byId = provisioned.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var recommendations = nodes.Where(n => byId.ContainsKey(n.Id)).Select(n => Recommend(n, byId[n.Id])).ToImmutableArray();
        return new UsageReport(start, end, nodes.ToImmutable(), recommendations);
    }

    /// <summary>The cheapest catalog instance and the volume that fit the measured use with headroom.</summary>
    public static Recommendation Recommend(NodeUsage usage, ProvisionedNode node)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(node);
        var reasons = new List<string>();
        var vcpus = usage.VCpus ?? node.Instance.VCpus;
        var needCpus = usage.CpuBusy is { } cpu ? (int)Math.Ceiling(cpu.P95 * vcpus / CpuP95Target) : node.Instance.VCpus;
        var needMemGiB = usage.MemoryUsed is { } mem ? (int)Math.Ceiling(mem.Max / GiB / MemoryPeakTarget) : node.Instance.MemoryGiB;
        if (node.Mainnet)
        {
            needCpus = Math.Max(needCpus, InstanceCatalog.SequencerFloorVCpus);
            needMemGiB = Math.Max(needMemGiB, InstanceCatalog.SequencerFloorMemoryGiB);
        }

        var candidates = InstanceCatalog.All.Values
            .Where(s => s.Architecture == node.Instance.Architecture && s.VCpus >= needCpus && s.MemoryGiB >= needMemGiB)
            .Select(s => (Spec: s, Monthly: InstanceMonthly(s, node.Region)))
            .Where(c => c.Monthly is not null)
            .OrderBy(c => c.Monthly)
            .ThenBy(c => c.Spec.Name, StringComparer.Ordinal)
            .ToList();
        var instance = candidates.Count == 0 ? node.Instance : candidates[0].Spec;
        if (candidates.Count == 0)
        {
            reasons.Add($"no catalog type has {needCpus} vCPU and {needMemGiB} GiB");
        }
        else if (instance.Name == node.Instance.Name)
        {
            reasons.Add($"needs {needCpus} vCPU / {needMemGiB} GiB, has {node.Instance.VCpus} / {node.Instance.MemoryGiB}");
        }
        else
        {
            reasons.Add($"p95 CPU and peak memory need {needCpus} vCPU / {needMemGiB} GiB at {CpuP95Target:P0} / {MemoryPeakTarget:P0} target, {node.Instance.Name} has {node.Instance.VCpus} / {node.Instance.MemoryGiB}");
        }

        var volume = node.VolumeGiB;
        if (usage.DiskUsedBytes is { } used)
        {
            var growth = Math.Max(0, usage.DiskGrowthBytesPerDay ?? 0);
            var needGiB = (used + growth * VolumeHorizonDays) / 0.8 / GiB;
            var rounded = (int)Math.Ceiling(needGiB / 100) * 100;
            if (rounded > volume)
            {
                volume = rounded;
                reasons.Add($"{VolumeHorizonDays} days of growth at {growth / GiB:0.#} GiB/day need {rounded} GiB under 80 % full");
            }
        }

        if (usage.Iops is { } iops)
        {
            reasons.Add(iops.P95 > 0.8 * node.VolumeIops
                ? string.Create(CultureInfo.InvariantCulture, $"p95 IOPS {iops.P95:0} is near the {node.VolumeIops} provisioned: raise the gp3 IOPS (16,000 at most)")
                : string.Create(CultureInfo.InvariantCulture, $"p95 IOPS {iops.P95:0} of {node.VolumeIops} provisioned"));
        }

        decimal? delta = null;
        if (InstanceMonthly(instance, node.Region) is { } after && InstanceMonthly(node.Instance, node.Region) is { } before && PriceTable.Regions.TryGetValue(node.Region, out var prices))
        {
            delta = Math.Round(after - before + (volume - node.VolumeGiB) * prices.Gp3PerGiBMonth, 2);
        }
        else
        {
            reasons.Add($"no list price for {instance.Name} in {node.Region}");
        }

        return new Recommendation(node.Id, node.Instance, instance, node.VolumeGiB, volume, delta, [.. reasons]);
    }

    private static decimal? InstanceMonthly(InstanceSpec spec, string region) =>
        PriceTable.InstanceHourlyUsEast1.TryGetValue(spec.Name, out var hourly) && PriceTable.Regions.TryGetValue(region, out var prices)
            ? hourly * prices.ComputeFactor * PriceTable.HoursPerMonth
            : null;

    private static IEnumerable<double> Values(Dictionary<string, ImmutableArray<Sample>> series, string id) =>
        series.TryGetValue(id, out var samples) ? samples.Select(s => s.Value) : [];

    private static double? Last(Dictionary<string, ImmutableArray<Sample>> series, string id) =>
        series.TryGetValue(id, out var samples) && samples.Length > 0 ? samples[^1].Value : null;

    // Least squares over the window: robust to the sawtooth of compaction, unlike first-versus-last.
    private static double? SlopePerDay(ImmutableArray<Sample> samples)
    {
        if (samples.Length < 2)
        {
            return null;
        }

        var t0 = samples[0].Time.ToUnixTimeSeconds();
        var xs = samples.Select(s => (double)(s.Time.ToUnixTimeSeconds() - t0)).ToArray();
        var mx = xs.Average();
        var my = samples.Average(s => s.Value);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            sxy += (xs[i] - mx) * (samples[i].Value - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }

        return sxx == 0 ? null : sxy / sxx * 86400;
    }
}

/// <summary>Writes a <see cref="UsageReport"/> as plain text.</summary>
public static class UsageReportWriter
{
    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>Writes the report.</summary>
    public static void Write(UsageReport report, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(w);
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"Usage from {report.Start:yyyy-MM-dd HH:mm} to {report.End:yyyy-MM-dd HH:mm} UTC ({(report.End - report.Start).TotalDays:0.#} days), from node_exporter through Prometheus."));
        w.WriteLine(string.Create(c, $"Aztec's sequencer spec: {InstanceCatalog.SequencerFloorVCpus} vCPU (8 cores), 16 GB RAM (8 GB floor), 1 TB NVMe SSD at ~50k random IOPS, 25 Mbps."));
        foreach (var n in report.Nodes)
        {
            w.WriteLine();
            w.WriteLine(n.Id);
            w.WriteLine(string.Create(c, $"  CPU busy      {Pct(n.CpuBusy)} of {(n.VCpus is { } v ? v.ToString(c) : "?")} vCPU"));
            w.WriteLine(string.Create(c, $"  memory used   {Sized(n.MemoryUsed, GiB, "GiB")} of {(n.MemoryTotalBytes is { } m ? (m / GiB).ToString("0.0", c) : "?")} GiB"));
            w.WriteLine(string.Create(c, $"  disk used     {(n.DiskUsedBytes is { } u ? (u / GiB).ToString("0.0", c) : "?")} of {(n.DiskSizeBytes is { } s ? (s / GiB).ToString("0.0", c) : "?")} GiB, growth {(n.DiskGrowthBytesPerDay is { } g ? (g / GiB).ToString("0.00", c) : "?")} GiB/day, full in {(n.DaysUntilFull is { } d ? d.ToString("0.0", c) + " days" : "never at this rate")}"));
            w.WriteLine(string.Create(c, $"  disk IOPS     {Sized(n.Iops, 1, string.Empty)} (spec ~50k; gp3 tops out at 16k)"));
            w.WriteLine(string.Create(c, $"  network       {Sized(n.NetworkBytesPerSecond, 1e6 / 8, "Mbit/s")} (spec 25 Mbit/s)"));
        }

        w.WriteLine();
        if (report.Recommendations.IsEmpty)
        {
            w.WriteLine("No right-sizing: give --stage or --config to compare with the provisioned instances and volumes.");
        }

        foreach (var r in report.Recommendations)
        {
            var instance = r.Instance.Name == r.CurrentInstance.Name ? $"keep {r.CurrentInstance.Name}" : $"{r.CurrentInstance.Name} -> {r.Instance.Name} ({r.Instance.VCpus} vCPU, {r.Instance.MemoryGiB} GiB)";
            var volume = r.VolumeGiB == r.CurrentVolumeGiB ? $"keep the {r.CurrentVolumeGiB} GiB data volume" : $"data volume {r.CurrentVolumeGiB} -> {r.VolumeGiB} GiB";
            var cost = r.MonthlyDeltaUsd is { } d ? (d >= 0 ? "+$" : "-$") + Math.Abs(d).ToString("#,0.00", c) + " per month" : "cost change unpriced";
            w.WriteLine($"right-sizing {r.Id}: {instance}; {volume}; {cost} ({PriceTable.AsOf}). Why: {string.Join("; ", r.Reasons)}.");
        }
    }

    private static string Pct(Spread? s) => s is null ? "no data" : string.Create(CultureInfo.InvariantCulture, $"p50 {s.P50:P0}, p95 {s.P95:P0}, max {s.Max:P0}");

    private static string Sized(Spread? s, double unit, string suffix) => s is null
        ? "no data"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {s.P50 / unit:0.#}, p95 {s.P95 / unit:0.#}, max {s.Max / unit:0.#}{(suffix.Length > 0 ? " " + suffix : string.Empty)}");
}
