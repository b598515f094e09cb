namespace AztecInfra.Stages;

/// <summary>
/// A stage file as written: every value as the YAML gave it, nothing defaulted or checked beyond its shape.
/// <see cref="Rules.StageValidator"/> turns it into a <see cref="StageConfig"/> or into findings.
/// </summary>
public sealed record StageDocument
{
    /// <summary><c>stage</c>.</summary>
    public string? Stage { get; init; }

    /// <summary><c>network</c>.</summary>
    public string? Network { get; init; }

    /// <summary><c>aztecImage</c>.</summary>
    public string? AztecImage { get; init; }

    /// <summary><c>account</c>.</summary>
    public string? Account { get; init; }

    /// <summary><c>acceptBelowSequencerFloor</c>.</summary>
    public bool? AcceptBelowSequencerFloor { get; init; }

    /// <summary><c>regions</c>.</summary>
    public IReadOnlyList<RegionDocument> Regions { get; init; } = [];

    /// <summary><c>nodes</c>.</summary>
    public IReadOnlyList<NodeDocument> Nodes { get; init; } = [];

    /// <summary><c>l1</c>.</summary>
    public L1Document? L1 { get; init; }

    /// <summary><c>coinbase</c>.</summary>
    public string? Coinbase { get; init; }

    /// <summary><c>rpcAllowedCidrs</c>.</summary>
    public IReadOnlyList<string> RpcAllowedCidrs { get; init; } = [];

    /// <summary><c>ha</c>.</summary>
    public HaDocument? Ha { get; init; }

    /// <summary><c>monitoring</c>.</summary>
    public MonitoringDocument? Monitoring { get; init; }

    /// <summary><c>costAssumptions</c>.</summary>
    public CostAssumptionsDocument? CostAssumptions { get; init; }

    /// <summary><c>tags</c>, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
}

/// <summary>One <c>regions[]</c> entry as written.</summary>
public sealed record RegionDocument
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>availabilityZones</c>.</summary>
    public IReadOnlyList<string> AvailabilityZones { get; init; } = [];

    /// <summary><c>vpcCidr</c>.</summary>
    public string? VpcCidr { get; init; }

    /// <summary><c>amiId</c>.</summary>
    public string? AmiId { get; init; }
}

/// <summary>One <c>nodes[]</c> entry as written.</summary>
public sealed record NodeDocument
{
    /// <summary><c>id</c>.</summary>
    public string? Id { get; init; }

    /// <summary><c>region</c>.</summary>
    public string? Region { get; init; }

    /// <summary><c>availabilityZone</c>.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary><c>instanceType</c>.</summary>
    public string? InstanceType { get; init; }

    /// <summary><c>dataVolume</c>.</summary>
    public DataVolumeDocument? DataVolume { get; init; }

    /// <summary><c>attesters</c>.</summary>
    public IReadOnlyList<string> Attesters { get; init; } = [];

    /// <summary><c>publisher</c>.</summary>
    public string? Publisher { get; init; }
}

/// <summary><c>nodes[].dataVolume</c> as written.</summary>
public sealed record DataVolumeDocument
{
    /// <summary><c>type</c>.</summary>
    public string? Type { get; init; }

    /// <summary><c>sizeGiB</c>.</summary>
    public int? SizeGiB { get; init; }

    /// <summary><c>iops</c>.</summary>
    public int? Iops { get; init; }

    /// <summary><c>throughputMBps</c>.</summary>
    public int? ThroughputMBps { get; init; }
}

/// <summary><c>l1</c> as written.</summary>
public sealed record L1Document
{
    /// <summary><c>executionUrlsParameter</c>.</summary>
    public string? ExecutionUrlsParameter { get; init; }

    /// <summary><c>consensusUrlsParameter</c>.</summary>
    public string? ConsensusUrlsParameter { get; init; }
}

/// <summary><c>ha</c> as written.</summary>
public sealed record HaDocument
{
    /// <summary><c>mode</c>.</summary>
    public string? Mode { get; init; }

    /// <summary><c>database</c>.</summary>
    public HaDatabaseDocument? Database { get; init; }
}

/// <summary><c>ha.database</c> as written.</summary>
public sealed record HaDatabaseDocument
{
    /// <summary><c>region</c>.</summary>
    public string? Region { get; init; }

    /// <summary><c>instanceClass</c>.</summary>
    public string? InstanceClass { get; init; }

    /// <summary><c>engineVersion</c>.</summary>
    public string? EngineVersion { get; init; }

    /// <summary><c>allocatedStorageGiB</c>.</summary>
    public int? AllocatedStorageGiB { get; init; }

    /// <summary><c>backupRetentionDays</c>.</summary>
    public int? BackupRetentionDays { get; init; }
}

/// <summary><c>monitoring</c> as written.</summary>
public sealed record MonitoringDocument
{
    /// <summary><c>otelCollector</c>.</summary>
    public string? OtelCollector { get; init; }

    /// <summary><c>nodeExporter</c>.</summary>
    public string? NodeExporter { get; init; }
}
