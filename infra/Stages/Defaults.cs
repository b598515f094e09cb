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

    /// <summary>Default: false; instances below the sequencer floor are a warning on testnet, an error on mainnet.</summary>
    public const bool AcceptBelowSequencerFloor = false;
}
