using System.Collections.Immutable;
using System.Net;

namespace AztecInfra.Stages;

/// <summary>The Aztec network a stage joins.</summary>
public enum AztecNetwork
{
    /// <summary>Aztec public testnet.</summary>
    Testnet,

    /// <summary>Aztec mainnet: stricter rules (hardware floor is an error, no hot wallets).</summary>
    Mainnet,
}

/// <summary>How the validators of a stage share (or do not share) attester keys.</summary>
public enum HaMode
{
    /// <summary>Every node signs for its own attesters; no attester may appear on two nodes.</summary>
    Independent,

    /// <summary>
    /// Aztec's native HA signing: the same attesters on two or more nodes, coordinated through one primary
    /// PostgreSQL so that only one node signs each duty.
    /// </summary>
    SharedSigner,
}

/// <summary>A validated, immutable stage: everything needed to declare and bootstrap its validators.</summary>
public sealed record StageConfig
{
    /// <summary>Stage name (lower-case, used in stack names and parameter paths).</summary>
    public required string Stage { get; init; }

    /// <summary>Aztec network the validators join.</summary>
    public required AztecNetwork Network { get; init; }

    /// <summary>Aztec node image, pinned to a version.</summary>
    public required ContainerImage AztecImage { get; init; }

    /// <summary>12-digit AWS account id, or null for an environment-agnostic plan.</summary>
    public string? Account { get; init; }

    /// <summary>Regions the stage spans, in declaration order; the first one is the primary.</summary>
    public required ImmutableArray<RegionConfig> Regions { get; init; }

    /// <summary>Validator nodes, in declaration order.</summary>
    public required ImmutableArray<NodeConfig> Nodes { get; init; }

    /// <summary>References (never values) to the L1 endpoint URLs.</summary>
    public required L1Config L1 { get; init; }

    /// <summary>L1 address that receives block rewards, or null for Aztec's default (each attester's own address).</summary>
    public string? Coinbase { get; init; }

    /// <summary>Private CIDRs allowed to reach the node's JSON-RPC port 8080.</summary>
    public required ImmutableArray<IPNetwork> RpcAllowedCidrs { get; init; }

    /// <summary>
    /// Roles whose nodes may run below their hardware floor on mainnet (a warning instead of an error), from
    /// <c>acceptBelowFloor</c> and the older <c>acceptBelowSequencerFloor: true</c> (which adds the sequencer role).
    /// </summary>
    public required ImmutableArray<NodeRole> AcceptBelowFloor { get; init; }

    /// <summary>When true, instances below Aztec's sequencer floor are accepted (a warning instead of an error).</summary>
    public bool AcceptBelowSequencerFloor => AcceptBelowFloor.Contains(NodeRole.Sequencer);

    /// <summary>High-availability settings.</summary>
    public required HaConfig Ha { get; init; }

    /// <summary>Sidecar images run next to the node (metrics).</summary>
    public required MonitoringImages Monitoring { get; init; }

    /// <summary>The stage's monitoring host (Prometheus, Alertmanager, Grafana) in the primary region.</summary>
    public required MonitoringHostConfig MonitoringHost { get; init; }

    /// <summary>VPC flow logs of every region.</summary>
    public required FlowLogConfig FlowLogs { get; init; }

    /// <summary>Who the stage's alarm topic notifies.</summary>
    public required AlarmConfig Alarms { get; init; }

    /// <summary>Traffic the cost estimate assumes (data transfer is not in any template).</summary>
    public CostAssumptions CostAssumptions { get; init; } = CostAssumptions.Default;

    /// <summary>Tags applied to every resource, sorted by key.</summary>
    public required ImmutableSortedDictionary<string, string> Tags { get; init; }

    /// <summary>The primary region (the first one declared).</summary>
    public RegionConfig PrimaryRegion => Regions[0];

    /// <summary>Finds a region by name.</summary>
    public RegionConfig Region(string name) => Regions.Single(r => r.Name == name);

    /// <summary>
    /// True when the nodes share attesters through Aztec's HA signing database. The one place that decides
    /// it: constructs, keys, Kubernetes and the plan all read this.
    /// </summary>
    public bool SharedSigner => Ha.Mode == HaMode.SharedSigner;

    /// <summary>The HA signing database, or null when the stage does not use shared-signer HA.</summary>
    public HaDatabaseConfig? SigningDatabase => SharedSigner ? Ha.Database : null;

    /// <summary>The validators (sequencer role), in declaration order: what signs, holds keys and uses HA signing.</summary>
    public ImmutableArray<NodeConfig> Sequencers => [.. Nodes.Where(n => n.Role == NodeRole.Sequencer)];

    /// <summary>The node with this id.</summary>
    /// <exception cref="UnknownNodeException">The stage has no such node.</exception>
    public NodeConfig Node(string id) =>
        Nodes.FirstOrDefault(n => n.Id == id) ?? throw new UnknownNodeException(this, id);
}

/// <summary>A container image reference pinned to a tag.</summary>
/// <param name="Repository">Image repository, e.g. aztecprotocol/aztec.</param>
/// <param name="Tag">Pinned tag, never latest.</param>
public sealed record ContainerImage(string Repository, string Tag)
{
    /// <inheritdoc />
    public override string ToString() => $"{Repository}:{Tag}";
}

/// <summary>One AWS region of a stage and its network.</summary>
public sealed record RegionConfig
{
    /// <summary>AWS region name, e.g. us-east-1.</summary>
    public required string Name { get; init; }

    /// <summary>Availability zones given in config (no lookups at synthesis).</summary>
    public required ImmutableArray<string> AvailabilityZones { get; init; }

    /// <summary>Private VPC CIDR, /16 to /24.</summary>
    public required IPNetwork VpcCidr { get; init; }

    /// <summary>
    /// Pinned AMI id for this region, or null to follow Canonical's current Ubuntu 24.04 image (resolved at
    /// deploy time; a newer image then replaces the instance at the next deploy).
    /// </summary>
    public string? AmiId { get; init; }
}

/// <summary>One validator node.</summary>
public sealed record NodeConfig
{
    /// <summary>Node id: unique in the stage, used as VALIDATOR_HA_NODE_ID and in key parameter paths.</summary>
    public required string Id { get; init; }

    /// <summary>Region the node runs in.</summary>
    public required string Region { get; init; }

    /// <summary>Availability zone the node and its data volume live in.</summary>
    public required string AvailabilityZone { get; init; }

    /// <summary>EC2 instance type, from the project's instance table.</summary>
    public required InstanceSpec Instance { get; init; }

    /// <summary>What the node does. Default: <see cref="NodeRole.Sequencer"/>.</summary>
    public NodeRole Role { get; init; } = NodeRole.Sequencer;

    /// <summary>Data volume that holds DATA_DIRECTORY, or null for stateless prover agents.</summary>
    public required DataVolumeConfig? DataVolume { get; init; }

    /// <summary>How many agent instances and on which capacity, for <see cref="NodeRole.ProverAgent"/> only.</summary>
    public AgentPoolConfig? Agents { get; init; }

    /// <summary>How much history a <see cref="NodeRole.Full"/> node keeps; null for other roles.</summary>
    public HistoryConfig? History { get; init; }

    /// <summary>Attester addresses this node signs for (addresses only, never keys).</summary>
    public required ImmutableArray<string> Attesters { get; init; }

    /// <summary>Publisher (L1 transaction) address of this node, or null when the attester key publishes.</summary>
    public string? Publisher { get; init; }
}

/// <summary>The instances of a prover-agent entry.</summary>
/// <param name="Count">Desired number of agent instances (the Auto Scaling group's desired capacity).</param>
/// <param name="Spot">Run on Spot capacity with capacity rebalancing.</param>
public sealed record AgentPoolConfig(int Count, bool Spot);

/// <summary>History a full node keeps for its RPC clients.</summary>
/// <param name="HistoricCheckpoints"><c>WS_NUM_HISTORIC_CHECKPOINTS</c>: world-state checkpoints kept; 0 keeps everything (archive).</param>
/// <param name="ArchivedTxLimit"><c>P2P_ARCHIVED_TX_LIMIT</c>: old transactions kept for lookups.</param>
public sealed record HistoryConfig(int HistoricCheckpoints, int ArchivedTxLimit);

/// <summary>Supported data-volume profiles.</summary>
public enum VolumeType
{
    /// <summary>EBS gp3 with provisioned IOPS and throughput.</summary>
    Gp3,
}

/// <summary>The node's data volume.</summary>
public sealed record DataVolumeConfig
{
    /// <summary>Volume type.</summary>
    public required VolumeType Type { get; init; }

    /// <summary>Size in GiB.</summary>
    public required int SizeGiB { get; init; }

    /// <summary>Provisioned IOPS.</summary>
    public required int Iops { get; init; }

    /// <summary>Provisioned throughput in MB/s.</summary>
    public required int ThroughputMBps { get; init; }
}

/// <summary>Where the L1 endpoint URLs live: SSM SecureString parameter names.</summary>
public sealed record L1Config
{
    /// <summary>Parameter holding ETHEREUM_HOSTS (comma list of execution RPC URLs).</summary>
    public required string ExecutionUrlsParameter { get; init; }

    /// <summary>Parameter holding L1_CONSENSUS_HOST_URLS (beacon API URLs serving blobs).</summary>
    public required string ConsensusUrlsParameter { get; init; }
}

/// <summary>High-availability settings of a stage.</summary>
public sealed record HaConfig
{
    /// <summary>How attester keys are spread over nodes.</summary>
    public required HaMode Mode { get; init; }

    /// <summary>The HA signing database; required in shared-signer mode, absent otherwise.</summary>
    public HaDatabaseConfig? Database { get; init; }
}

/// <summary>The one primary PostgreSQL that coordinates HA signing.</summary>
public sealed record HaDatabaseConfig
{
    /// <summary>Region the database runs in (one of the stage's regions).</summary>
    public required string Region { get; init; }

    /// <summary>RDS instance class, e.g. db.t4g.medium.</summary>
    public required string InstanceClass { get; init; }

    /// <summary>PostgreSQL engine version (major 12 or later).</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Allocated storage in GiB.</summary>
    public required int AllocatedStorageGiB { get; init; }

    /// <summary>Days of automated backups to keep.</summary>
    public required int BackupRetentionDays { get; init; }
}

/// <summary>Which traffic a VPC flow log records.</summary>
public enum FlowLogTraffic
{
    /// <summary>Rejected connections only: what a security review needs, without the volume of P2P traffic.</summary>
    Reject,

    /// <summary>Accepted connections only.</summary>
    Accept,

    /// <summary>Everything (P2P gossip makes this large).</summary>
    All,
}

/// <summary>VPC flow logs to CloudWatch Logs, encrypted with the stage key.</summary>
public sealed record FlowLogConfig
{
    /// <summary>Days CloudWatch Logs keeps the records (one of the values it accepts).</summary>
    public required int RetentionDays { get; init; }

    /// <summary>Traffic recorded.</summary>
    public required FlowLogTraffic Traffic { get; init; }
}

/// <summary>Subscriptions of the stage's alarm topic (in every region with validators).</summary>
public sealed record AlarmConfig
{
    /// <summary>E-mail addresses (each confirms its subscription once).</summary>
    public required ImmutableArray<string> Email { get; init; }

    /// <summary>HTTPS endpoints (each confirms its subscription once). Written into the templates: never a URL holding a secret.</summary>
    public required ImmutableArray<string> Https { get; init; }

    /// <summary>True when nobody is subscribed.</summary>
    public bool IsEmpty => Email.IsEmpty && Https.IsEmpty;
}

/// <summary>What an extra Alertmanager receiver talks to.</summary>
public enum WebhookReceiverKind
{
    /// <summary>Slack-compatible incoming webhook: the URL is the secret.</summary>
    Slack,

    /// <summary>PagerDuty Events v2: the routing key is the secret.</summary>
    PagerDuty,

    /// <summary>Generic webhook: a non-secret URL with a bearer token as the secret.</summary>
    Webhook,
}

/// <summary>An extra Alertmanager receiver; its secret stays in an SSM SecureString read at every start.</summary>
/// <param name="Name">Receiver name.</param>
/// <param name="Kind">What it talks to.</param>
/// <param name="SecretParameter">SecureString holding the URL, routing key or token (a name, never a value).</param>
/// <param name="Url">The non-secret URL of a <see cref="WebhookReceiverKind.Webhook"/>; null for the others.</param>
/// <param name="Warnings">Also send warnings (critical alerts go to every receiver).</param>
public sealed record MonitoringWebhook(string Name, WebhookReceiverKind Kind, string SecretParameter, string? Url, bool Warnings);

/// <summary>The monitoring host of a stage.</summary>
/// <param name="Instance">Instance type.</param>
/// <param name="DataVolumeGiB">Size of the gp3 volume holding Prometheus's TSDB and Grafana's state.</param>
/// <param name="RetentionDays">Days of metrics Prometheus keeps.</param>
/// <param name="Webhooks">Extra receivers besides the stage's SNS topic.</param>
public sealed record MonitoringHostConfig(InstanceSpec Instance, int DataVolumeGiB, int RetentionDays, ImmutableArray<MonitoringWebhook> Webhooks);

/// <summary>Images of the metrics sidecars.</summary>
/// <param name="OtelCollector">OpenTelemetry collector image.</param>
/// <param name="NodeExporter">Prometheus node_exporter image.</param>
public sealed record MonitoringImages(ContainerImage OtelCollector, ContainerImage NodeExporter);

/// <summary>Thrown when a node id is not one of the stage's nodes.</summary>
public sealed class UnknownNodeException : Exception
{
    /// <summary>Creates the exception, listing the stage's nodes.</summary>
    public UnknownNodeException(StageConfig stage, string nodeId)
        : base($"Node '{nodeId}' is not in stage {stage?.Stage}; nodes: {string.Join(", ", stage?.Nodes.Select(n => n.Id) ?? [])}.")
    {
        NodeId = nodeId;
    }

    /// <summary>Creates the exception.</summary>
    public UnknownNodeException()
    {
        NodeId = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public UnknownNodeException(string message)
        : base(message)
    {
        NodeId = string.Empty;
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public UnknownNodeException(string message, Exception innerException)
        : base(message, innerException)
    {
        NodeId = string.Empty;
    }

    /// <summary>The id asked for.</summary>
    public string NodeId { get; }
}
