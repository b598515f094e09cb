using System.Collections.Immutable;

namespace AztecInfra.Monitoring;

/// <summary>One query of a panel.</summary>
/// <param name="Expr">PromQL; may use the <c>$instance</c> dashboard variable and <c>$__rate_interval</c>.</param>
/// <param name="Legend">Grafana legend format, e.g. <c>{{instance}}</c>.</param>
public sealed record PanelQuery(string Expr, string Legend);

/// <summary>A time-series panel.</summary>
/// <param name="Title">Panel title.</param>
/// <param name="Unit">Grafana unit id (<c>short</c>, <c>percentunit</c>, <c>bytes</c>, <c>Bps</c>, <c>iops</c>, <c>s</c>).</param>
/// <param name="Queries">What it plots.</param>
public sealed record Panel(string Title, string Unit, ImmutableArray<PanelQuery> Queries);

/// <summary>A Grafana dashboard, rendered to JSON and provisioned from files.</summary>
/// <param name="Uid">Stable uid (URLs and links survive re-provisioning).</param>
/// <param name="Title">Title.</param>
/// <param name="File">File name under grafana/dashboards/.</param>
/// <param name="Panels">Panels, laid out two per row.</param>
public sealed record Dashboard(string Uid, string Title, string File, ImmutableArray<Panel> Panels);

/// <summary>The dashboards, in the same engine-neutral terms as the rules.</summary>
public static class AztecDashboards
{
    /// <summary>The selector every panel filters on; Grafana fills <c>$instance</c> from the node list.</summary>
    public const string Sel = "instance=~\"$instance\"";

    private const string Fs = AztecRules.FsFilter;

    private static readonly string DefaultThreshold = MonitoringInput.DefaultPublisherBalanceEthPerAttester.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>All dashboards.</summary>
    public static ImmutableArray<Dashboard> All { get; } =
    [
        new("aztec-validators", "Aztec validators", "aztec-validators.json",
        [
            new("Proposed block height", "short", [Q($"max by (instance) (aztec_archiver_block_height{{aztec_status=\"proposed\", {Sel}}})", "{{instance}}")]),
            new("Blocks behind the highest node", "short",
            [
                Q($"scalar(max(aztec_archiver_block_height{{aztec_status=\"proposed\"}})) - max by (instance) (aztec_archiver_block_height{{aztec_status=\"proposed\", {Sel}}})", "{{instance}} archiver"),
                Q($"max by (instance) (aztec_archiver_block_height{{aztec_status=\"proposed\", {Sel}}}) - max by (instance) (aztec_world_state_unfinalized_height{{{Sel}}})", "{{instance}} world state"),
            ]),
            new("L1 block height", "short", [Q($"max by (instance) (aztec_archiver_l1_block_height{{{Sel}}})", "{{instance}}")]),
            new("Peers", "short",
            [
                Q($"max by (instance) (aztec_peer_manager_peer_count_peers{{{Sel}}})", "{{instance}} all"),
                Q($"max by (instance) (aztec_peer_manager_healthy_peer_count_peers{{{Sel}}})", "{{instance}} healthy"),
            ]),
            new("Publisher balance (ETH) and threshold", "short",
            [
                Q($"aztec_infra:publisher_balance_eth{{{Sel}}}", "{{instance}} balance"),
                Q($"max by (instance) ({AztecRules.ThresholdRecord}{{{Sel}}}) or on (instance) (0 * aztec_infra:publisher_balance_eth{{{Sel}}} + {DefaultThreshold})", "{{instance}} threshold"),
            ]),
            new("Publisher hours left at the 6 h burn rate", "h", [Q($"aztec_infra:publisher_balance_hours_left{{{Sel}}}", "{{instance}}")]),
            new("Attestations in the last hour", "short",
            [
                Q($"sum by (instance) (aztec_validator_attestation_success_count{{{Sel}}} - aztec_validator_attestation_success_count{{{Sel}}} offset 1h)", "{{instance}} succeeded"),
                Q($"sum by (instance) (aztec_validator_attestation_failed_node_issue_count{{{Sel}}} - aztec_validator_attestation_failed_node_issue_count{{{Sel}}} offset 1h)", "{{instance}} failed (node issue)"),
                Q($"sum by (instance) (aztec_validator_attestation_failed_bad_proposal_count{{{Sel}}} - aztec_validator_attestation_failed_bad_proposal_count{{{Sel}}} offset 1h)", "{{instance}} refused (bad proposal)"),
            ]),
            new("Slots and proposals in the last hour", "short",
            [
                Q($"sum by (instance) (aztec_sequencer_slot_filled_count{{{Sel}}} - aztec_sequencer_slot_filled_count{{{Sel}}} offset 1h)", "{{instance}} slots filled"),
                Q($"sum by (instance) (aztec_sequencer_slot_total_count{{{Sel}}} - aztec_sequencer_slot_total_count{{{Sel}}} offset 1h)", "{{instance}} slots"),
                Q($"sum by (instance) (aztec_sequencer_checkpoint_proposal_failed_count{{{Sel}}} - aztec_sequencer_checkpoint_proposal_failed_count{{{Sel}}} offset 1h)", "{{instance}} checkpoint proposals failed"),
            ]),
            new("Slashing votes against our validators / quorum", "short",
            [
                Q($"max by (instance) (aztec_slasher_own_validator_current_round_votes_max{{{Sel}}})", "{{instance}} votes"),
                Q($"max by (instance) (aztec_slasher_quorum_size{{{Sel}}})", "{{instance}} quorum"),
            ]),
            new("HA slashing protection events in the last hour", "short",
            [Q($"sum by (instance) (aztec_ha_signer_slashing_protection_count{{{Sel}}} - aztec_ha_signer_slashing_protection_count{{{Sel}}} offset 1h)", "{{instance}}")]),
        ]),
        new("aztec-hosts", "Aztec validator hosts", "aztec-hosts.json",
        [
            new("CPU busy", "percentunit", [Q($"instance:node_cpu_utilisation:ratio{{{Sel}}}", "{{instance}}")]),
            new("Memory used", "percentunit", [Q($"instance:node_memory_utilisation:ratio{{{Sel}}}", "{{instance}}")]),
            new("Filesystem used", "percentunit", [Q($"1 - node_filesystem_avail_bytes{{{Fs}, {Sel}}} / node_filesystem_size_bytes{{{Fs}, {Sel}}}", "{{instance}} {{mountpoint}}")]),
            new("World-state database size", "bytes", [Q($"max by (instance) (aztec_world_state_db_physical_size_bytes{{{Sel}}})", "{{instance}}")]),
            new("Disk IOPS", "iops", [Q($"sum by (instance) (rate(node_disk_reads_completed_total{{{Sel}}}[$__rate_interval]) + rate(node_disk_writes_completed_total{{{Sel}}}[$__rate_interval]))", "{{instance}}")]),
            new("Network", "Bps",
            [
                Q($"sum by (instance) (rate(node_network_receive_bytes_total{{device!=\"lo\", {Sel}}}[$__rate_interval]))", "{{instance}} in"),
                Q($"sum by (instance) (rate(node_network_transmit_bytes_total{{device!=\"lo\", {Sel}}}[$__rate_interval]))", "{{instance}} out"),
            ]),
            new("Clock offset", "s", [Q($"node_timex_offset_seconds{{{Sel}}}", "{{instance}}")]),
            new("Scrape targets up", "short", [Q($"up{{{Sel}}}", "{{instance}} {{job}}"), Q($"probe_success{{{Sel}}}", "{{instance}} {{job}}")]),
        ]),
    ];

    /// <summary>
    /// A panel expression as Prometheus sees it once Grafana has filled the variables: every instance, and
    /// the rate interval of a 1-minute scrape.
    /// </summary>
    public static string Expand(string expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        return expr.Replace("$instance", ".+", StringComparison.Ordinal).Replace("$__rate_interval", "5m", StringComparison.Ordinal);
    }

    private static PanelQuery Q(string expr, string legend) => new(expr, legend);
}
