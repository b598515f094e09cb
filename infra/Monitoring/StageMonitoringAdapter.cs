using System.Collections.Immutable;
using AztecInfra.Stages;
using AztecInfra.Monitoring.Usage;

namespace AztecInfra.Monitoring;

/// <summary>
/// The one place the monitoring code reads the stage model: maps a stage onto a <see cref="MonitoringInput"/>.
/// Everything else in this namespace knows nothing of the stage config (it is being reshaped).
/// </summary>
public static class StageMonitoringAdapter
{
    /// <summary>Builds the input for <paramref name="stage"/>.</summary>
    /// <param name="stage">The validated stage.</param>
    /// <param name="addressOf">Private address of a node by id (a CDK token such as the instance's PrivateIp works).</param>
    /// <param name="paging">Where alerts go.</param>
    /// <param name="haDatabaseEndpoint">host:port of the HA database when the stage has one (a deploy-time value).</param>
    /// <param name="retentionDays">Days of metrics to keep.</param>
    public static MonitoringInput FromStage(StageConfig stage, Func<string, string> addressOf, PagingConfig paging, string? haDatabaseEndpoint = null, int retentionDays = 30)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(addressOf);
        return new MonitoringInput
        {
            Stage = stage.Stage,
            Network = stage.Network.ToString().ToLowerInvariant(),
            // Config may list no attesters (they come from the stored keystore); a publisher pays for one at least.
            // The nodes that run an Aztec node and push its metrics; agents are stateless workers without a collector.
            Nodes = [.. stage.Nodes.Where(n => n.Role != NodeRole.ProverAgent).Select(n => new MonitoredNode(n.Id, NodeRoles.Name(n.Role), addressOf(n.Id), Math.Max(1, n.Attesters.Length)))],
            HaDatabaseEndpoint = stage.Ha.Mode == HaMode.SharedSigner ? haDatabaseEndpoint : null,
            RetentionDays = retentionDays,
            Paging = paging,
        };
    }

    /// <summary>Loads a stage file and builds its input (see <see cref="FromStage"/>).</summary>
    public static MonitoringInput FromStageFile(string path, Func<string, string> addressOf, PagingConfig paging, string? haDatabaseEndpoint = null, int retentionDays = 30) =>
        FromStage(StageConfigLoader.LoadFile(path).Config, addressOf, paging, haDatabaseEndpoint, retentionDays);

    /// <summary>Instance type and data volume of each node, for the usage report's comparison.</summary>
    public static ImmutableArray<ProvisionedNode> Provisioned(StageConfig stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        // Stateless prover agents have no data volume to right-size.
        return [.. stage.Nodes.Where(n => n.DataVolume is not null).Select(n => new ProvisionedNode(n.Id, n.Region, n.Instance, n.DataVolume!.SizeGiB, n.DataVolume.Iops, stage.Network == AztecNetwork.Mainnet))];
    }

    /// <summary>Loads a stage file and lists its nodes' resources (see <see cref="Provisioned(StageConfig)"/>).</summary>
    public static ImmutableArray<ProvisionedNode> ProvisionedFromStageFile(string path) => Provisioned(StageConfigLoader.LoadFile(path).Config);
}
