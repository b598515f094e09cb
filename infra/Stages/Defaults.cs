namespace AztecInfra.Stages;

/// <summary>
/// Every configuration default, written once. The README's configuration reference repeats these values;
/// a test keeps the two in step.
/// </summary>
public static class Defaults
{
    /// <summary>Default: aztecprotocol/aztec:5.2.0 (the v5.2.0 network release that testnet and mainnet run).</summary>
    public static ContainerImage AztecImage { get; } = new("aztecprotocol/aztec", "5.2.0");

    /// <summary>Default: c6i.4xlarge (16 vCPU, 32 GiB), the smallest listed type at Aztec's sequencer floor.</summary>
    public const string InstanceType = "c6i.4xlarge";

    /// <summary>Default: 1000 GiB data volume (Aztec asks for 1 TB of SSD).</summary>
    public const int DataVolumeSizeGiB = 1000;

    /// <summary>Default: 6000 IOPS.</summary>
    public const int DataVolumeIops = 6000;

    /// <summary>Default: 250 MB/s.</summary>
    public const int DataVolumeThroughputMBps = 250;

    /// <summary>Default: independent (every node its own attesters).</summary>
    public const HaMode Mode = HaMode.Independent;

    /// <summary>Default HA database instance class: db.t4g.medium (signing coordination is a few small writes per slot).</summary>
    public const string DatabaseInstanceClass = "db.t4g.medium";

    /// <summary>Default HA database engine: PostgreSQL 16.4.</summary>
    public const string DatabaseEngineVersion = "16.4";

    /// <summary>Default HA database storage: 50 GiB.</summary>
    public const int DatabaseStorageGiB = 50;

    /// <summary>Default HA database backups: 7 days.</summary>
    public const int DatabaseBackupRetentionDays = 7;

    /// <summary>Default OpenTelemetry collector image.</summary>
    public static ContainerImage OtelCollector { get; } = new("otel/opentelemetry-collector-contrib", "0.115.1");

    /// <summary>Default node_exporter image.</summary>
    public static ContainerImage NodeExporter { get; } = new("prom/node-exporter", "v1.8.2");

    /// <summary>Default monitoring host: t3.medium (2 vCPU, 4 GiB), ample for Prometheus, Alertmanager and Grafana of a few nodes.</summary>
    public const string MonitoringInstanceType = "t3.medium";

    /// <summary>Default monitoring data volume: 50 GiB gp3 (a few nodes' series for the retention, with room to spare).</summary>
    public const int MonitoringDataVolumeGiB = 50;

    /// <summary>Default: Prometheus keeps 30 days of metrics.</summary>
    public const int MonitoringRetentionDays = 30;

    /// <summary>Default: flow log records kept 30 days.</summary>
    public const int FlowLogRetentionDays = 30;

    /// <summary>Default: flow logs record rejected traffic only (P2P traffic would make ALL large).</summary>
    public const FlowLogTraffic FlowLogTraffic = Stages.FlowLogTraffic.Reject;

    /// <summary>
    /// Default: 650 GB of internet egress per node-month. Not measured on a node yet: it is the volume at which
    /// AWS's $0.09/GB, after the account's 100 GB free tier, gives the guide's ~$50 of data transfer for one
    /// node. Measure yours (CloudWatch NetworkOut) and set <c>costAssumptions.internetEgressGBPerNodeMonth</c>.
    /// </summary>
    public const int InternetEgressGBPerNodeMonth = 650;

    /// <summary>Default: 5 GB per node-month to and from an HA signing database in another region (a few small writes per duty).</summary>
    public const int HaDatabaseInterRegionGBPerNodeMonth = 5;

    /// <summary>Default: 0 GB; no stage ships metrics out of a node's region today (the collectors run on the node).</summary>
    public const int MonitoringInterRegionGBPerNodeMonth = 0;

    /// <summary>Default: false; instances below the sequencer floor are a warning on testnet, an error on mainnet.</summary>
    public const bool AcceptBelowSequencerFloor = false;

    /// <summary>Default: sequencer (a validator, today's only role before roles existed).</summary>
    public const NodeRole Role = NodeRole.Sequencer;

    /// <summary>Default: 2 proving agents (Aztec: "start with 2-4"; they scale linearly).</summary>
    public const int ProverAgentCount = 2;

    /// <summary>Default: false, agents run on-demand; Spot is opt-in (agents are stateless, so an interruption loses one job).</summary>
    public const bool ProverAgentSpot = false;

    /// <summary>Default: 64 world-state checkpoints kept (Aztec's <c>WS_NUM_HISTORIC_CHECKPOINTS</c> default; 0 keeps everything).</summary>
    public const int HistoricCheckpoints = 64;

    /// <summary>Default: 0 archived transactions (Aztec's <c>P2P_ARCHIVED_TX_LIMIT</c> default; its archive node keeps 10,000,000).</summary>
    public const int ArchivedTxLimit = 0;

    /// <summary>
    /// Per-role defaults for <c>nodes[].instanceType</c> and <c>nodes[].dataVolume</c>: the smallest listed type at
    /// the role's floor, and the disk the role needs. Sequencers keep the stage-wide defaults above.
    /// </summary>
    public static IReadOnlyDictionary<NodeRole, RoleDefaults> ForRole { get; } = new Dictionary<NodeRole, RoleDefaults>
    {
        [NodeRole.Sequencer] = new(InstanceType, new(DataVolumeSizeGiB, DataVolumeIops, DataVolumeThroughputMBps)),
        // RPC for indexers keeps history and archived transactions: twice the sequencer's disk.
        [NodeRole.Full] = new(InstanceType, new(2000, DataVolumeIops, DataVolumeThroughputMBps)),
        // c6i.8xlarge: 32 vCPU, 64 GiB, the smallest listed type at the prover node's 32 vCPU floor.
        [NodeRole.ProverNode] = new("c6i.8xlarge", new(DataVolumeSizeGiB, DataVolumeIops, DataVolumeThroughputMBps)),
        // The broker's job store is small (Aztec: 10 GB); 20 GiB at gp3's free baseline.
        [NodeRole.ProverBroker] = new(InstanceType, new(20, 3000, 125)),
        // c6i.16xlarge: 64 vCPU, 128 GiB, exactly the agent floor; agents have no data volume.
        [NodeRole.ProverAgent] = new("c6i.16xlarge", null),
    };
}

/// <summary>Defaults of one role.</summary>
/// <param name="InstanceType">Default <c>nodes[].instanceType</c>.</param>
/// <param name="DataVolume">Default <c>nodes[].dataVolume</c>, or null when the role has none (agents).</param>
public sealed record RoleDefaults(string InstanceType, VolumeDefaults? DataVolume);

/// <summary>Default data volume of a role.</summary>
/// <param name="SizeGiB">Size.</param>
/// <param name="Iops">IOPS.</param>
/// <param name="ThroughputMBps">Throughput.</param>
public sealed record VolumeDefaults(int SizeGiB, int Iops, int ThroughputMBps);
