namespace AztecInfra.Stages;

/// <summary>
/// A stage file as written: every value as the YAML gave it, nothing defaulted or checked beyond its shape.
/// <see cref="Rules.StageValidator"/> turns it into a <see cref="StageConfig"/> or into findings. Each
/// parameter is the YAML key of the same name.
/// </summary>
/// <param name="Stage"><c>stage</c>.</param>
/// <param name="Network"><c>network</c>.</param>
/// <param name="AztecImage"><c>aztecImage</c>.</param>
/// <param name="Account"><c>account</c>.</param>
/// <param name="AcceptBelowSequencerFloor"><c>acceptBelowSequencerFloor</c> (kept: <c>true</c> is <c>acceptBelowFloor: [sequencer]</c>).</param>
/// <param name="AcceptBelowFloor"><c>acceptBelowFloor</c>: role names.</param>
/// <param name="Regions"><c>regions</c>.</param>
/// <param name="Nodes"><c>nodes</c>.</param>
/// <param name="L1"><c>l1</c>.</param>
/// <param name="Coinbase"><c>coinbase</c>.</param>
/// <param name="RpcAllowedCidrs"><c>rpcAllowedCidrs</c>.</param>
/// <param name="Ha"><c>ha</c>.</param>
/// <param name="Monitoring"><c>monitoring</c>.</param>
/// <param name="FlowLogs"><c>flowLogs</c>.</param>
/// <param name="Alarms"><c>alarms</c>.</param>
/// <param name="CostAssumptions"><c>costAssumptions</c>.</param>
/// <param name="Tags"><c>tags</c>, in file order.</param>
public sealed record StageDocument(
    string? Stage,
    string? Network,
    string? AztecImage,
    string? Account,
    bool? AcceptBelowSequencerFloor,
    IReadOnlyList<string> AcceptBelowFloor,
    IReadOnlyList<RegionDocument> Regions,
    IReadOnlyList<NodeDocument> Nodes,
    L1Document? L1,
    string? Coinbase,
    IReadOnlyList<string> RpcAllowedCidrs,
    HaDocument? Ha,
    MonitoringDocument? Monitoring,
    FlowLogsDocument? FlowLogs,
    AlarmsDocument? Alarms,
    CostAssumptionsDocument? CostAssumptions,
    IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>One <c>regions[]</c> entry as written.</summary>
/// <param name="Name"><c>name</c>.</param>
/// <param name="AvailabilityZones"><c>availabilityZones</c>.</param>
/// <param name="VpcCidr"><c>vpcCidr</c>.</param>
/// <param name="AmiId"><c>amiId</c>.</param>
public sealed record RegionDocument(string? Name, IReadOnlyList<string> AvailabilityZones, string? VpcCidr, string? AmiId);

/// <summary>One <c>nodes[]</c> entry as written.</summary>
/// <param name="Id"><c>id</c>.</param>
/// <param name="Region"><c>region</c>.</param>
/// <param name="AvailabilityZone"><c>availabilityZone</c>.</param>
/// <param name="InstanceType"><c>instanceType</c>.</param>
/// <param name="DataVolume"><c>dataVolume</c>.</param>
/// <param name="Attesters"><c>attesters</c>.</param>
/// <param name="Publisher"><c>publisher</c>.</param>
/// <param name="Role"><c>role</c>.</param>
/// <param name="Count"><c>count</c> (prover agents).</param>
/// <param name="Spot"><c>spot</c> (prover agents).</param>
/// <param name="History"><c>history</c> (full nodes).</param>
public sealed record NodeDocument(
    string? Id,
    string? Region,
    string? AvailabilityZone,
    string? InstanceType,
    DataVolumeDocument? DataVolume,
    IReadOnlyList<string> Attesters,
    string? Publisher,
    string? Role = null,
    int? Count = null,
    bool? Spot = null,
    HistoryDocument? History = null);

/// <summary><c>nodes[].history</c> as written.</summary>
/// <param name="HistoricCheckpoints"><c>historicCheckpoints</c>.</param>
/// <param name="ArchivedTxLimit"><c>archivedTxLimit</c>.</param>
public sealed record HistoryDocument(int? HistoricCheckpoints, int? ArchivedTxLimit);

/// <summary><c>nodes[].dataVolume</c> as written.</summary>
/// <param name="Type"><c>type</c>.</param>
/// <param name="SizeGiB"><c>sizeGiB</c>.</param>
/// <param name="Iops"><c>iops</c>.</param>
/// <param name="ThroughputMBps"><c>throughputMBps</c>.</param>
public sealed record DataVolumeDocument(string? Type, int? SizeGiB, int? Iops, int? ThroughputMBps);

/// <summary><c>l1</c> as written.</summary>
/// <param name="ExecutionUrlsParameter"><c>executionUrlsParameter</c>.</param>
/// <param name="ConsensusUrlsParameter"><c>consensusUrlsParameter</c>.</param>
public sealed record L1Document(string? ExecutionUrlsParameter, string? ConsensusUrlsParameter);

/// <summary><c>ha</c> as written.</summary>
/// <param name="Mode"><c>mode</c>.</param>
/// <param name="Database"><c>database</c>.</param>
public sealed record HaDocument(string? Mode, HaDatabaseDocument? Database);

/// <summary><c>ha.database</c> as written.</summary>
/// <param name="Region"><c>region</c>.</param>
/// <param name="InstanceClass"><c>instanceClass</c>.</param>
/// <param name="EngineVersion"><c>engineVersion</c>.</param>
/// <param name="AllocatedStorageGiB"><c>allocatedStorageGiB</c>.</param>
/// <param name="BackupRetentionDays"><c>backupRetentionDays</c>.</param>
public sealed record HaDatabaseDocument(string? Region, string? InstanceClass, string? EngineVersion, int? AllocatedStorageGiB, int? BackupRetentionDays);

/// <summary><c>monitoring</c> as written.</summary>
/// <param name="OtelCollector"><c>otelCollector</c>.</param>
/// <param name="NodeExporter"><c>nodeExporter</c>.</param>
/// <param name="InstanceType"><c>instanceType</c>.</param>
/// <param name="DataVolumeGiB"><c>dataVolumeGiB</c>.</param>
/// <param name="RetentionDays"><c>retentionDays</c>.</param>
/// <param name="Webhooks"><c>webhooks</c>.</param>
public sealed record MonitoringDocument(string? OtelCollector, string? NodeExporter, string? InstanceType, int? DataVolumeGiB, int? RetentionDays, IReadOnlyList<WebhookDocument> Webhooks);

/// <summary>One <c>monitoring.webhooks[]</c> entry as written.</summary>
/// <param name="Name"><c>name</c>.</param>
/// <param name="Kind"><c>kind</c>.</param>
/// <param name="SecretParameter"><c>secretParameter</c>.</param>
/// <param name="Url"><c>url</c>.</param>
/// <param name="Warnings"><c>warnings</c>.</param>
public sealed record WebhookDocument(string? Name, string? Kind, string? SecretParameter, string? Url, bool? Warnings);

/// <summary><c>flowLogs</c> as written.</summary>
/// <param name="RetentionDays"><c>retentionDays</c>.</param>
/// <param name="Traffic"><c>traffic</c>.</param>
public sealed record FlowLogsDocument(int? RetentionDays, string? Traffic);

/// <summary><c>alarms</c> as written.</summary>
/// <param name="Email"><c>email</c>.</param>
/// <param name="Https"><c>https</c>.</param>
public sealed record AlarmsDocument(IReadOnlyList<string> Email, IReadOnlyList<string> Https);
