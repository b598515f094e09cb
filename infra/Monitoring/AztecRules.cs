using System.Collections.Immutable;
using static AztecInfra.Monitoring.RuleTests;

namespace AztecInfra.Monitoring;

/// <summary>
/// The recording and alerting rules for Aztec validators, with a unit test per alert. Metric names are the
/// collector's (dots to underscores, unit suffix; see docs aztec-node.md, Metrics). Many Aztec counters are
/// exported as cumulative gauges, so "in the last hour" is <c>x - x offset 1h</c>, as Aztec's own rules do;
/// a node restart makes that negative for an hour, which never fires. Every series from a node carries the
/// pinned <c>instance</c> label (its node id), so <c>by (instance)</c> aggregations survive restarts.
/// </summary>
public static class AztecRules
{
    /// <summary>Scrape job of the OpenTelemetry collector (the node's metrics) on 8889.</summary>
    public const string NodeJob = "aztec-node";

    /// <summary>Scrape job of node_exporter on 9100.</summary>
    public const string HostJob = "node-exporter";

    /// <summary>Blackbox probe of the node's <c>GET /status</c> on 8080.</summary>
    public const string StatusJob = "aztec-status";

    /// <summary>Blackbox TCP probe of the HA signing database.</summary>
    public const string HaDatabaseJob = "ha-database";

    /// <summary>Recorded per-node publisher threshold; rendered per deployment from the attester count.</summary>
    public const string ThresholdRecord = "aztec_infra:publisher_balance_threshold_eth";

    /// <summary>Filesystems worth watching (not pseudo or container layers).</summary>
    public const string FsFilter = "fstype!~\"tmpfs|overlay|squashfs|ramfs|nsfs|fuse.lxcfs\"";

    private const string Proposed = "aztec_archiver_block_height{aztec_status=\"proposed\"}";
    private const string V1 = "instance=\"validator-1\"";
    private const string Node1 = "job=\"aztec-node\", instance=\"validator-1\"";
    private const string Host1 = "job=\"node-exporter\", instance=\"validator-1\"";
    private const string Disk1 = "job=\"node-exporter\", instance=\"validator-1\", device=\"/dev/nvme1n1\", fstype=\"ext4\", mountpoint=\"/var/lib/aztec\"";

    /// <summary>Recording rules, evaluated in order (later ones use earlier ones).</summary>
    public static ImmutableArray<RecordingRule> Recording { get; } =
    [
        new("aztec_infra:publisher_balance_eth", "min by (instance) (aztec_l1_publisher_balance_eth)",
            "One balance per node, whatever extra labels the collector adds."),
        new("aztec_infra:publisher_burn_eth_per_hour",
            "clamp_min(max by (instance) (aztec_l1_publisher_balance_eth offset 6h) - min by (instance) (aztec_l1_publisher_balance_eth), 0) / 6",
            "ETH spent per hour over the last 6 h; a top-up reads as 0, never as negative burn."),
        new("aztec_infra:publisher_balance_hours_left",
            "aztec_infra:publisher_balance_eth / (aztec_infra:publisher_burn_eth_per_hour > 0)",
            "Hours until the publisher is empty at the current burn; absent while nothing is spent."),
        new("instance:node_cpu_utilisation:ratio",
            "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))",
            "Share of all CPUs busy."),
        new("instance:node_memory_utilisation:ratio",
            "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
            "Share of memory not available to new work (page cache counts as available)."),
    ];

    /// <summary>The alerts, each with its firing and quiet unit tests.</summary>
    public static ImmutableArray<AlertRule> Alerts { get; } =
    [
        new("TargetDown", AlertSeverity.Critical,
            "up == 0", "3m",
            "{{ $labels.instance }}: {{ $labels.job }} cannot be scraped",
            "Prometheus has not reached {{ $labels.job }} on {{ $labels.instance }} for 3 minutes: the host, the container or the network path is down (for a probe job: the blackbox exporter). An inactive validator is slashed after about 38 minutes.",
            [
                Fires("scrape fails for 8 minutes", "10m", [S($"up{{{Host1}}}", "1 1 0x10")], "instance", "validator-1", "job", "node-exporter"),
                Quiet("a 2-minute blip", "10m", S($"up{{{Host1}}}", "1x5 0 0 1x5")),
            ]),
        new("AztecStatusFailing", AlertSeverity.Critical,
            $"probe_success{{job=\"{StatusJob}\"}} == 0", "3m",
            "{{ $labels.instance }}: GET /status fails",
            "The blackbox probe of the node's /status on 8080 has failed for 3 minutes: the node process is down, restarting or not serving.",
            [
                Fires("probe fails", "10m", [S($"probe_success{{job=\"{StatusJob}\", {V1}}}", "0x10")], "instance", "validator-1", "job", StatusJob),
                Quiet("probe succeeds", "10m", S($"probe_success{{job=\"{StatusJob}\", {V1}}}", "1x10")),
            ]),
        new("AztecNodeNotReporting", AlertSeverity.Critical,
            $"up{{job=\"{NodeJob}\"}} == 1 unless on (instance) aztec_archiver_l1_block_height", "5m",
            "{{ $labels.instance }}: the collector is up but the node pushes no metrics",
            "The OpenTelemetry collector answers but has no Aztec metrics from the node (it drops them 5 minutes after the last push): the node is down, stuck at start-up, or cannot reach the collector.",
            [
                Fires("node stopped pushing at 5m", "20m", [S($"up{{{Node1}}}", "1x20"), S($"aztec_archiver_l1_block_height{{{Node1}}}", "100+1x5")], "instance", "validator-1", "job", NodeJob),
                Quiet("node pushes", "20m", S($"up{{{Node1}}}", "1x20"), S($"aztec_archiver_l1_block_height{{{Node1}}}", "100+1x20")),
            ]),
        new("AztecNoNewProposedBlock", AlertSeverity.Critical,
            $"max by (instance) ({Proposed}) - max by (instance) ({Proposed} offset 10m) <= 0", "1m",
            "{{ $labels.instance }}: no new proposed block for 10 minutes",
            "The archiver's proposed block height has not moved for 10 minutes. If every node shows it, the network or L1 is stalled; if one does, that node is stuck and misses its duties.",
            [
                Fires("height stuck from 10m", "30m", [S($"{Proposed[..^1]}, {Node1}}}", "10+1x10 20x20")], "instance", "validator-1"),
                Quiet("height grows", "30m", S($"{Proposed[..^1]}, {Node1}}}", "10+1x30")),
            ]),
        new("AztecL1HeightStalled", AlertSeverity.Critical,
            "max by (instance) (aztec_archiver_l1_block_height) - max by (instance) (aztec_archiver_l1_block_height offset 5m) <= 0", "5m",
            "{{ $labels.instance }}: L1 block height stalled",
            "The node has seen no new L1 block for 10 minutes (L1 makes one every 12 s): its ETHEREUM_HOSTS endpoint is down, rate-limited or out of sync.",
            [
                Fires("L1 stuck from 10m", "30m", [S($"aztec_archiver_l1_block_height{{{Node1}}}", "100+1x10 110x20")], "instance", "validator-1"),
                Quiet("L1 advances", "30m", S($"aztec_archiver_l1_block_height{{{Node1}}}", "100+5x30")),
            ]),
        new("AztecBehindChainTip", AlertSeverity.Warning,
            $"(max by (instance) ({Proposed}) - max by (instance) (aztec_world_state_unfinalized_height) > 5) or (scalar(max({Proposed})) - max by (instance) ({Proposed}) > 5)", "15m",
            "{{ $labels.instance }}: more than 5 blocks behind the chain tip",
            "For 15 minutes either the node's world state lags its own archiver by more than 5 blocks, or its archiver lags the highest proposed block any of our nodes sees. It cannot attest to blocks it has not synced.",
            [
                Fires("world state 10 blocks behind", "30m", [S($"{Proposed[..^1]}, {Node1}}}", "100+1x30"), S($"aztec_world_state_unfinalized_height{{{Node1}}}", "90+1x30")], "instance", "validator-1"),
                Fires("20 blocks behind the other node", "30m",
                [
                    S($"{Proposed[..^1]}, {Node1}}}", "80+1x30"), S($"aztec_world_state_unfinalized_height{{{Node1}}}", "80+1x30"),
                    S($"{Proposed[..^1]}, job=\"aztec-node\", instance=\"validator-2\"}}", "100+1x30"), S("aztec_world_state_unfinalized_height{job=\"aztec-node\", instance=\"validator-2\"}", "100+1x30"),
                ], "instance", "validator-1"),
                Quiet("in sync", "30m", S($"{Proposed[..^1]}, {Node1}}}", "100+1x30"), S($"aztec_world_state_unfinalized_height{{{Node1}}}", "99+1x30")),
            ]),
        new("AztecHealthyPeersLow", AlertSeverity.Warning,
            "max by (instance) (aztec_peer_manager_healthy_peer_count_peers) < 5", "10m",
            "{{ $labels.instance }}: fewer than 5 healthy peers",
            "Fewer than 5 healthy P2P peers for 10 minutes: proposals and attestations may not propagate. Check that 40400 TCP and UDP are open and P2P_IP is the address peers see.",
            [
                Fires("3 healthy peers", "20m", [S($"aztec_peer_manager_healthy_peer_count_peers{{{Node1}}}", "3x20")], "instance", "validator-1"),
                Quiet("8 healthy peers", "20m", S($"aztec_peer_manager_healthy_peer_count_peers{{{Node1}}}", "8x20")),
            ]),
        new("AztecNoPeers", AlertSeverity.Critical,
            "max by (instance) (aztec_peer_manager_peer_count_peers) == 0", "2m",
            "{{ $labels.instance }}: no P2P peers",
            "The node has had no peers for 2 minutes. Since v5.2 a node with 0 peers stops proposing, and its attestations reach nobody.",
            [
                Fires("peers drop to 0", "10m", [S($"aztec_peer_manager_peer_count_peers{{{Node1}}}", "5 5 0x10")], "instance", "validator-1"),
                Quiet("5 peers", "10m", S($"aztec_peer_manager_peer_count_peers{{{Node1}}}", "5x10")),
            ]),
        new("AztecPublisherBalanceLow", AlertSeverity.Critical,
            $"aztec_infra:publisher_balance_eth < on (instance) (max by (instance) ({ThresholdRecord}) or on (instance) (0 * aztec_infra:publisher_balance_eth + {MonitoringInput.DefaultPublisherBalanceEthPerAttester.ToString(System.Globalization.CultureInfo.InvariantCulture)}))", "5m",
            "{{ $labels.instance }}: publisher balance below its threshold",
            "The publisher account that sends this node's L1 transactions holds less ETH than its threshold (0.1 ETH per attester unless set per node). When it is empty the node cannot publish proposals. Top it up.",
            [
                Fires("0.05 ETH against the default 0.1", "20m", [S($"aztec_l1_publisher_balance_eth{{{Node1}}}", "0.05x20")], "instance", "validator-1"),
                Fires("0.2 ETH against a per-node threshold of 0.3", "20m", [S($"aztec_l1_publisher_balance_eth{{{Node1}}}", "0.2x20"), S($"{ThresholdRecord}{{{V1}}}", "0.3x20")], "instance", "validator-1"),
                Quiet("0.2 ETH against the default 0.1", "20m", S($"aztec_l1_publisher_balance_eth{{{Node1}}}", "0.2x20")),
                Quiet("0.5 ETH against a per-node threshold of 0.3", "20m", S($"aztec_l1_publisher_balance_eth{{{Node1}}}", "0.5x20"), S($"{ThresholdRecord}{{{V1}}}", "0.3x20")),
            ]),
        new("AztecPublisherBalanceRunningOut", AlertSeverity.Warning,
            "aztec_infra:publisher_balance_hours_left < 72", "30m",
            "{{ $labels.instance }}: publisher ETH runs out within 3 days",
            "At the burn rate of the last 6 hours the publisher account is empty in less than 72 hours. Top it up before AztecPublisherBalanceLow pages.",
            [
                Fires("0.06 ETH per hour from 0.58 ETH", "7h", [S($"aztec_l1_publisher_balance_eth{{{Node1}}}", "1-0.001x420")], "instance", "validator-1"),
                Quiet("0.0006 ETH per hour", "7h", S($"aztec_l1_publisher_balance_eth{{{Node1}}}", "1-0.00001x420")),
            ]),
        new("AztecAttestationsFailed", AlertSeverity.Warning,
            "(sum by (instance) (aztec_validator_attestation_failed_node_issue_count - aztec_validator_attestation_failed_node_issue_count offset 1h) > 0) or (sum by (instance) (aztec_validator_failed_reexecution_count - aztec_validator_failed_reexecution_count offset 1h) > 0)", null,
            "{{ $labels.instance }}: attestations failed in the last hour",
            "The node failed attestations through its own fault (node issue or failed re-execution) in the last hour. Missing 90 % of duties in an epoch (about 38 minutes) costs 2,000 AZTEC.",
            [
                Fires("one failure at 60m", "90m", [S($"aztec_validator_attestation_failed_node_issue_count{{{Node1}}}", "0x60 1x30")], "instance", "validator-1"),
                Quiet("3 failures, all older than an hour", "90m", S($"aztec_validator_attestation_failed_node_issue_count{{{Node1}}}", "3x90")),
            ]),
        new("AztecProposalsFailed", AlertSeverity.Warning,
            "(sum by (instance) (aztec_sequencer_block_proposal_failed_count - aztec_sequencer_block_proposal_failed_count offset 1h) > 0) or (sum by (instance) (aztec_sequencer_checkpoint_proposal_failed_count - aztec_sequencer_checkpoint_proposal_failed_count offset 1h) > 0)", null,
            "{{ $labels.instance }}: block or checkpoint proposals failed in the last hour",
            "The sequencer failed to build or publish a proposal in its slot in the last hour: the reward is lost. Check the L1 endpoint, the publisher balance and the logs around the slot.",
            [
                Fires("a failed checkpoint proposal at 60m", "90m", [S($"aztec_sequencer_checkpoint_proposal_failed_count{{{Node1}}}", "0x60 1x30")], "instance", "validator-1"),
                Quiet("an old failure only", "90m", S($"aztec_sequencer_block_proposal_failed_count{{{Node1}}}", "1x90")),
            ]),
        new("AztecOwnValidatorSlashingVotes", AlertSeverity.Critical,
            "max by (instance) (aztec_slasher_own_validator_current_round_votes_max) >= on (instance) 0.5 * max by (instance) (aztec_slasher_quorum_size) and on (instance) max by (instance) (aztec_slasher_own_validator_current_round_votes_max) > 0", null,
            "{{ $labels.instance }}: slashing votes against our validator reach half the quorum",
            "Proposers are voting to slash one of our attesters and the votes in this round reach half the quorum. Find out why (inactivity, an invalid block) before the round closes.",
            [
                Fires("5 votes of a quorum of 8", "10m", [S($"aztec_slasher_own_validator_current_round_votes_max{{{Node1}}}", "5x10"), S($"aztec_slasher_quorum_size{{{Node1}}}", "8x10")], "instance", "validator-1"),
                Quiet("2 votes of 8", "10m", S($"aztec_slasher_own_validator_current_round_votes_max{{{Node1}}}", "2x10"), S($"aztec_slasher_quorum_size{{{Node1}}}", "8x10")),
            ]),
        new("AztecOwnValidatorSlashed", AlertSeverity.Critical,
            "sum by (instance) (aztec_slasher_own_validator_slashed_count - aztec_slasher_own_validator_slashed_count offset 1h) > 0", null,
            "{{ $labels.instance }}: one of our validators was slashed",
            "An attester of ours was slashed in the last hour. Check which offence (duplicate signing costs 5,000 AZTEC, inactivity 2,000) and stop the cause before the next one.",
            [
                Fires("slashed at 60m", "70m", [S($"aztec_slasher_own_validator_slashed_count{{{Node1}}}", "0x60 1x10")], "instance", "validator-1"),
                Quiet("slashed long ago", "70m", S($"aztec_slasher_own_validator_slashed_count{{{Node1}}}", "1x70")),
            ]),
        new("AztecHaSlashingProtectionTriggered", AlertSeverity.Critical,
            "sum by (instance) (aztec_ha_signer_slashing_protection_count - aztec_ha_signer_slashing_protection_count offset 1h) > 0", null,
            "{{ $labels.instance }}: HA slashing protection refused a signature",
            "The HA signer refused to sign a duty another node already signed differently. The protection worked, but two nodes disagreed: look for a node on another image or chain view before the database is the only thing between us and a 5,000 AZTEC slash.",
            [
                Fires("protection at 60m", "70m", [S($"aztec_ha_signer_slashing_protection_count{{{Node1}}}", "0x60 2x10")], "instance", "validator-1"),
                Quiet("no protection events", "70m", S($"aztec_ha_signer_slashing_protection_count{{{Node1}}}", "0x70")),
            ]),
        new("AztecHaDatabaseUnreachable", AlertSeverity.Critical,
            $"probe_success{{job=\"{HaDatabaseJob}\"}} == 0", "2m",
            "HA signing database unreachable",
            "The monitoring host cannot open a TCP connection to the HA signing database. Without it no HA node signs anything, so every attester is inactive.",
            [
                Fires("TCP probe fails", "10m", [S($"probe_success{{job=\"{HaDatabaseJob}\", instance=\"ha-database\"}}", "0x10")], "instance", "ha-database", "job", HaDatabaseJob),
                Quiet("TCP probe succeeds", "10m", S($"probe_success{{job=\"{HaDatabaseJob}\", instance=\"ha-database\"}}", "1x10")),
            ]),
        new("AztecWorldStateCriticalError", AlertSeverity.Critical,
            "max by (instance) (aztec_world_state_critical_error_count) > 0", null,
            "{{ $labels.instance }}: world-state critical error",
            "The world-state database reported a critical error since the node started; the node cannot be trusted to build or check blocks until it is restarted and, if the error returns, resynced.",
            [
                Fires("an error at 2m", "5m", [S($"aztec_world_state_critical_error_count{{{Node1}}}", "0 0 1x5")], "instance", "validator-1"),
                Quiet("no errors", "5m", S($"aztec_world_state_critical_error_count{{{Node1}}}", "0x5")),
            ]),
        new("HostDiskAlmostFull", AlertSeverity.Warning,
            $"1 - node_filesystem_avail_bytes{{{FsFilter}}} / node_filesystem_size_bytes{{{FsFilter}}} > 0.8", "10m",
            "{{ $labels.instance }}: {{ $labels.mountpoint }} more than 80 % full",
            "Grow the volume (gp3 grows online: modify the volume, then resize2fs) before the node's databases fail to write.",
            [
                Fires("85 % used", "20m", [S($"node_filesystem_size_bytes{{{Disk1}}}", "1000x20"), S($"node_filesystem_avail_bytes{{{Disk1}}}", "150x20")],
                    "instance", "validator-1", "job", HostJob, "device", "/dev/nvme1n1", "fstype", "ext4", "mountpoint", "/var/lib/aztec"),
                Quiet("70 % used", "20m", S($"node_filesystem_size_bytes{{{Disk1}}}", "1000x20"), S($"node_filesystem_avail_bytes{{{Disk1}}}", "300x20")),
            ]),
        new("HostDiskFullIn7Days", AlertSeverity.Warning,
            $"predict_linear(node_filesystem_avail_bytes{{{FsFilter}}}[6h], 7 * 86400) < 0", "1h",
            "{{ $labels.instance }}: {{ $labels.mountpoint }} full within 7 days",
            "At the growth of the last 6 hours this filesystem fills within 7 days. Grow the volume; `aztec-infra usage` gives the growth per day and a size.",
            [
                Fires("losing 1 unit a minute of 1000", "5h", [S($"node_filesystem_avail_bytes{{{Disk1}}}", "1000-1x300")],
                    "instance", "validator-1", "job", HostJob, "device", "/dev/nvme1n1", "fstype", "ext4", "mountpoint", "/var/lib/aztec"),
                Quiet("flat", "5h", S($"node_filesystem_avail_bytes{{{Disk1}}}", "1000x300")),
            ]),
        new("HostMemorySaturated", AlertSeverity.Warning,
            "instance:node_memory_utilisation:ratio > 0.9", "15m",
            "{{ $labels.instance }}: memory more than 90 % used",
            "Less than 10 % of memory has been available for 15 minutes; the kernel will soon kill the node. Check the node's memory with docker stats and the instance size with `aztec-infra usage`.",
            [
                Fires("95 % used", "20m", [S($"node_memory_MemTotal_bytes{{{Host1}}}", "100x20"), S($"node_memory_MemAvailable_bytes{{{Host1}}}", "5x20")], "instance", "validator-1", "job", HostJob),
                Quiet("50 % used", "20m", S($"node_memory_MemTotal_bytes{{{Host1}}}", "100x20"), S($"node_memory_MemAvailable_bytes{{{Host1}}}", "50x20")),
            ]),
        new("HostCpuSaturated", AlertSeverity.Warning,
            "instance:node_cpu_utilisation:ratio > 0.7", "15m",
            "{{ $labels.instance }}: CPU more than 70 % busy",
            "CPUs have been more than 70 % busy for 15 minutes (Aztec's own threshold). Block building and re-execution need headroom in the node's slots.",
            [
                Fires("90 % busy", "30m", [S($"node_cpu_seconds_total{{{Host1}, cpu=\"0\", mode=\"idle\"}}", "0+6x30")], "instance", "validator-1"),
                Quiet("10 % busy", "30m", S($"node_cpu_seconds_total{{{Host1}, cpu=\"0\", mode=\"idle\"}}", "0+54x30")),
            ]),
        new("HostClockDrift", AlertSeverity.Warning,
            "abs(node_timex_offset_seconds) > 0.05 or node_timex_sync_status == 0", "10m",
            "{{ $labels.instance }}: clock not synchronised",
            "The clock is more than 50 ms off or not synchronised for 10 minutes. Slots are timed; a drifting clock makes proposals and attestations late. Check chrony (timedatectl, chronyc tracking).",
            [
                Fires("200 ms off", "20m", [S($"node_timex_offset_seconds{{{Host1}}}", "0.2x20")], "instance", "validator-1", "job", HostJob),
                Quiet("1 ms off and synchronised", "20m", S($"node_timex_offset_seconds{{{Host1}}}", "0.001x20"), S($"node_timex_sync_status{{{Host1}}}", "1x20")),
            ]),
        new("AztecNodeRestarting", AlertSeverity.Warning,
            $"count by (instance) (count_over_time(target_info{{job=\"{NodeJob}\"}}[1h])) > 2", null,
            "{{ $labels.instance }}: node container restarted twice or more within an hour",
            "The node reported three or more different service instance ids in an hour: its container restarts (crash loop, out of memory, failing start-up). Read docker logs aztec-node.",
            [
                Fires("three instance ids", "30m",
                [
                    S($"target_info{{{Node1}, service_instance_id=\"a\"}}", "1x10"),
                    S($"target_info{{{Node1}, service_instance_id=\"b\"}}", "_x10 1x10"),
                    S($"target_info{{{Node1}, service_instance_id=\"c\"}}", "_x20 1x10"),
                ], "instance", "validator-1"),
                Quiet("one restart", "30m", S($"target_info{{{Node1}, service_instance_id=\"a\"}}", "1x10"), S($"target_info{{{Node1}, service_instance_id=\"b\"}}", "_x10 1x20")),
            ]),
        new("Watchdog", AlertSeverity.None,
            "vector(1)", null,
            "Watchdog: the alerting pipeline works",
            "Always firing. Alertmanager sends it to the dead-man receiver every minute; when those stop, Prometheus or Alertmanager is down and the dead-man service pages.",
            [Fires("always", "1m", [])]),
    ];
}
