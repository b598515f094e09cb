using System.Globalization;
using System.Text;

namespace AztecInfra.Tests.Monitoring;

/// <summary>
/// Eight days of node_exporter and Aztec metrics for two nodes, in OpenMetrics text for
/// <c>promtool tsdb create-blocks-from openmetrics</c>. Shapes are chosen so the numbers are known:
/// validator-1 has 8 CPUs between 75 % and 95 % busy, 16 GiB with 10 GiB used, and a 1000 GiB data disk
/// growing 2 GiB a day from 700 GiB; validator-2 is idle by comparison.
/// </summary>
internal static class SyntheticMetrics
{
    public const double GiB = 1024d * 1024 * 1024;
    public const double DiskGrowthGiBPerDay = 2;
    public static readonly TimeSpan Span = TimeSpan.FromDays(8);
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(2);

    private sealed record NodeShape(string Id, int Cpus, double BusyLow, double BusyHigh, double MemTotalGiB, double MemUsedGiB, double DiskGiB, double DiskStartGiB);

    private static readonly NodeShape[] Nodes =
    [
        new("validator-1", 8, 0.75, 0.95, 16, 10, 1000, 700),
        new("validator-2", 16, 0.10, 0.30, 32, 8, 1000, 300),
    ];

    public static string OpenMetrics(DateTimeOffset end)
    {
        var start = end - Span;
        var times = new List<DateTimeOffset>();
        for (var t = start; t <= end; t += Step)
        {
            times.Add(t);
        }

        var sb = new StringBuilder();
        void Family(string name, string type, Func<NodeShape, IEnumerable<(string Labels, Func<int, double> Value)>> series)
        {
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            var sampleName = type == "counter" ? name + "_total" : name;
            foreach (var node in Nodes)
            {
                foreach (var (labels, value) in series(node))
                {
                    for (var i = 0; i < times.Count; i++)
                    {
                        sb.Append(sampleName).Append('{').Append(labels).Append("} ")
                            .Append(value(i).ToString("R", CultureInfo.InvariantCulture)).Append(' ')
                            .Append(times[i].ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }

        string Host(NodeShape n, string extra = "") => $"job=\"node-exporter\",instance=\"{n.Id}\",stage=\"test\"{extra}";
        string Aztec(NodeShape n, string extra = "") => $"job=\"aztec-node\",instance=\"{n.Id}\",stage=\"test\"{extra}";
        double Seconds(int i) => i * Step.TotalSeconds;
        // Busy share swings once a day between the node's low and high.
        double Busy(NodeShape n, int i) => n.BusyLow + (n.BusyHigh - n.BusyLow) * (0.5 + 0.5 * Math.Sin(2 * Math.PI * Seconds(i) / 86400));

        // Idle seconds per CPU, integrated once per node.
        var idle = Nodes.ToDictionary(n => n.Id, n =>
        {
            var sums = new double[times.Count];
            for (var i = 1; i < sums.Length; i++)
            {
                sums[i] = sums[i - 1] + (1 - Busy(n, i - 1)) * Step.TotalSeconds;
            }

            return sums;
        });
        Family("node_cpu_seconds", "counter", n => Enumerable.Range(0, n.Cpus).Select(cpu => (Host(n, $",cpu=\"{cpu}\",mode=\"idle\""), (Func<int, double>)(i => idle[n.Id][i]))));
        Family("node_memory_MemTotal_bytes", "gauge", n => [(Host(n), _ => n.MemTotalGiB * GiB)]);
        Family("node_memory_MemAvailable_bytes", "gauge", n => [(Host(n), i => (n.MemTotalGiB - n.MemUsedGiB + 0.5 * Math.Sin(i / 30.0)) * GiB)]);
        var fs = ",device=\"/dev/nvme1n1\",fstype=\"ext4\",mountpoint=\"/var/lib/aztec\"";
        Family("node_filesystem_size_bytes", "gauge", n => [(Host(n, fs), _ => n.DiskGiB * GiB)]);
        Family("node_filesystem_avail_bytes", "gauge", n => [(Host(n, fs), i => (n.DiskGiB - n.DiskStartGiB - DiskGrowthGiBPerDay * Seconds(i) / 86400) * GiB)]);
        Family("node_disk_reads_completed", "counter", n => [(Host(n, ",device=\"nvme1n1\""), i => 3000 * Seconds(i))]);
        Family("node_disk_writes_completed", "counter", n => [(Host(n, ",device=\"nvme1n1\""), i => 1500 * Seconds(i))]);
        Family("node_network_receive_bytes", "counter", n => [(Host(n, ",device=\"ens5\""), i => 2e6 * Seconds(i)), (Host(n, ",device=\"lo\""), i => 9e9 * Seconds(i))]);
        Family("node_network_transmit_bytes", "counter", n => [(Host(n, ",device=\"ens5\""), i => 1e6 * Seconds(i)), (Host(n, ",device=\"lo\""), i => 9e9 * Seconds(i))]);
        Family("node_timex_offset_seconds", "gauge", n => [(Host(n), _ => 0.0004)]);
        Family("up", "gauge", n => [(Host(n), _ => 1), (Aztec(n), _ => 1)]);
        Family("probe_success", "gauge", n => [($"job=\"aztec-status\",instance=\"{n.Id}\",stage=\"test\"", _ => 1)]);

        // Aztec's metrics: gauges, several of them cumulative counts (hence x - x offset 1h in the rules).
        Family("aztec_archiver_block_height", "gauge", n => [(Aztec(n, ",aztec_status=\"proposed\""), i => 1000 + Math.Floor(Seconds(i) / 72)), (Aztec(n, ",aztec_status=\"proven\""), i => 990 + Math.Floor(Seconds(i) / 72))]);
        Family("aztec_archiver_l1_block_height", "gauge", n => [(Aztec(n), i => 2e7 + Math.Floor(Seconds(i) / 12))]);
        Family("aztec_world_state_unfinalized_height", "gauge", n => [(Aztec(n), i => 999 + Math.Floor(Seconds(i) / 72))]);
        Family("aztec_world_state_db_physical_size_bytes", "gauge", n => [(Aztec(n), i => (n.DiskStartGiB / 2 + Seconds(i) / 86400) * GiB)]);
        Family("aztec_peer_manager_peer_count_peers", "gauge", n => [(Aztec(n), _ => 40)]);
        Family("aztec_peer_manager_healthy_peer_count_peers", "gauge", n => [(Aztec(n), _ => 32)]);
        Family("aztec_l1_publisher_balance_eth", "gauge", n => [(Aztec(n), i => 2 - 0.002 * Seconds(i) / 3600)]);
        Family("aztec_validator_attestation_success_count", "gauge", n => [(Aztec(n), i => Math.Floor(Seconds(i) / 72))]);
        Family("aztec_validator_attestation_failed_node_issue_count", "gauge", n => [(Aztec(n), i => Math.Floor(Seconds(i) / 86400))]);
        Family("aztec_validator_attestation_failed_bad_proposal_count", "gauge", n => [(Aztec(n), i => Math.Floor(Seconds(i) / 43200))]);
        Family("aztec_sequencer_slot_total_count", "gauge", n => [(Aztec(n), i => Math.Floor(Seconds(i) / 3600))]);
        Family("aztec_sequencer_slot_filled_count", "gauge", n => [(Aztec(n), i => Math.Floor(Seconds(i) / 3700))]);
        Family("aztec_sequencer_checkpoint_proposal_failed_count", "gauge", n => [(Aztec(n), _ => 0)]);
        Family("aztec_slasher_own_validator_current_round_votes_max", "gauge", n => [(Aztec(n), _ => 0)]);
        Family("aztec_slasher_quorum_size", "gauge", n => [(Aztec(n), _ => 65)]);
        Family("aztec_ha_signer_slashing_protection_count", "gauge", n => [(Aztec(n), _ => 0)]);
        sb.Append("# EOF\n");
        return sb.ToString();
    }
}
