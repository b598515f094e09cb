using System.Collections.Immutable;

namespace AztecInfra.Kubernetes;

/// <summary>How the validators of a stage share attester keys, as the Kubernetes renderer sees it.</summary>
public enum SigningMode
{
    /// <summary>Every pod signs only for its own node's attesters; no attester may be on two pods.</summary>
    Independent,

    /// <summary>The same attesters on two or more pods, coordinated through one HA signing database.</summary>
    SharedSigner,
}

/// <summary>Which StorageClass the validators' data volumes come from.</summary>
public enum StorageKind
{
    /// <summary>EBS CSI gp3 with provisioned IOPS and throughput, encrypted with a customer KMS key.</summary>
    EbsGp3,

    /// <summary>Local NVMe disks (bare metal or instance store), statically provisioned per host.</summary>
    LocalNvme,
}

/// <summary>
/// Everything the Kubernetes manifests are rendered from: a narrow, engine-neutral view of a validated stage.
/// Built by <see cref="KubernetesStageAdapter"/>; tests build it directly to check the render-time rules.
/// </summary>
public sealed record KubernetesStage
{
    /// <summary>Stage name (lower-case), used in object names and labels.</summary>
    public required string Stage { get; init; }

    /// <summary>Aztec network passed to <c>--network</c>: <c>mainnet</c> or <c>testnet</c>.</summary>
    public required string Network { get; init; }

    /// <summary>Pinned Aztec node image, e.g. <c>aztecprotocol/aztec:5.2.0</c>.</summary>
    public required string Image { get; init; }

    /// <summary>Pinned OpenTelemetry collector image run next to the node.</summary>
    public required string OtelCollectorImage { get; init; }

    /// <summary>Namespace the validators run in.</summary>
    public required string Namespace { get; init; }

    /// <summary>The validator nodes; pod ordinal i runs <c>Nodes[i]</c>.</summary>
    public required ImmutableArray<KubernetesNode> Nodes { get; init; }

    /// <summary>
    /// StatefulSet replicas. Equal to the node count unless a caller sets otherwise; the renderer refuses a
    /// count that differs, so a pod can never exist without its own node's keystore.
    /// </summary>
    public required int Replicas { get; init; }

    /// <summary>Signing mode.</summary>
    public required SigningMode Mode { get; init; }

    /// <summary>The HA signing database; required in shared-signer mode, null otherwise.</summary>
    public HaDatabaseRef? HaDatabase { get; init; }

    /// <summary>Data volume of every pod (a StatefulSet has one claim template).</summary>
    public required StorageSpec Storage { get; init; }

    /// <summary>CPU and memory of the node container.</summary>
    public required ResourceSpec Resources { get; init; }

    /// <summary>Private CIDRs allowed to reach JSON-RPC on 8080.</summary>
    public required ImmutableArray<string> RpcAllowedCidrs { get; init; }

    /// <summary>Namespaces whose pods may reach JSON-RPC on 8080.</summary>
    public required ImmutableArray<string> RpcAllowedNamespaces { get; init; }

    /// <summary>Namespace of Prometheus: the only one allowed to scrape the metrics port.</summary>
    public required string MonitoringNamespace { get; init; }

    /// <summary>Region of the SSM parameters holding the L1 URLs (the cluster's region).</summary>
    public required string L1Region { get; init; }

    /// <summary>SSM SecureString holding ETHEREUM_HOSTS.</summary>
    public required string L1ExecutionUrlsParameter { get; init; }

    /// <summary>SSM SecureString holding L1_CONSENSUS_HOST_URLS.</summary>
    public required string L1ConsensusUrlsParameter { get; init; }

    /// <summary>L1 reward address, or null for Aztec's default.</summary>
    public string? Coinbase { get; init; }
}

/// <summary>One validator node: the pod with the same ordinal runs it.</summary>
/// <param name="Id">Node id from the stage config.</param>
/// <param name="Region">AWS region whose Parameter Store holds the node's keystore.</param>
/// <param name="KeystoreParameter">SSM SecureString with the node's keystore (what <c>aztec-infra keys</c> writes).</param>
/// <param name="Attesters">Attester addresses the node signs for (addresses only).</param>
public sealed record KubernetesNode(string Id, string Region, string KeystoreParameter, ImmutableArray<string> Attesters);

/// <summary>Where the HA signing database credentials live.</summary>
/// <param name="SecretName">Secrets Manager secret (JSON: username, password, host, port, dbname).</param>
/// <param name="Region">Region of the secret.</param>
/// <param name="NetworkCidr">CIDR the database is reachable in (egress on 5432 is allowed only there).</param>
public sealed record HaDatabaseRef(string SecretName, string Region, string NetworkCidr);

/// <summary>The data volume of each pod.</summary>
public sealed record StorageSpec
{
    /// <summary>Storage class kind.</summary>
    public required StorageKind Kind { get; init; }

    /// <summary>Claim size in GiB.</summary>
    public required int SizeGiB { get; init; }

    /// <summary>Provisioned IOPS (gp3 only).</summary>
    public required int Iops { get; init; }

    /// <summary>Provisioned throughput in MB/s (gp3 only).</summary>
    public required int ThroughputMBps { get; init; }

    /// <summary>KMS key (ARN, or alias in the cluster's account) that encrypts gp3 volumes.</summary>
    public required string KmsKeyId { get; init; }
}

/// <summary>Requests and limits of the node container.</summary>
/// <param name="CpuRequest">Requested vCPU.</param>
/// <param name="CpuLimit">vCPU limit.</param>
/// <param name="MemoryRequestGiB">Requested memory in GiB.</param>
/// <param name="MemoryLimitGiB">Memory limit in GiB.</param>
public sealed record ResourceSpec(int CpuRequest, int CpuLimit, int MemoryRequestGiB, int MemoryLimitGiB);

/// <summary>Choices that belong to the cluster rather than the stage; every default is written here once.</summary>
public sealed record KubernetesOptions
{
    /// <summary>Namespace. Default: <c>aztec-{stage}</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>Prometheus namespace. Default: <c>monitoring</c>.</summary>
    public string MonitoringNamespace { get; init; } = "monitoring";

    /// <summary>Namespaces allowed to call JSON-RPC. Default: none (only <c>rpcAllowedCidrs</c>).</summary>
    public ImmutableArray<string> RpcAllowedNamespaces { get; init; } = [];

    /// <summary>Storage class kind. Default: EBS gp3.</summary>
    public StorageKind Storage { get; init; } = StorageKind.EbsGp3;

    /// <summary>
    /// Full KMS key ARN for the gp3 volumes. Default: the stage key's alias ARN when the stage names its
    /// account, else the alias <c>alias/aztec-infra/{stage}</c> resolved in the cluster's account.
    /// </summary>
    public string? KmsKeyArn { get; init; }
}
