using System.Collections.Immutable;
using System.Globalization;
using AztecInfra.Primitives;
using AztecInfra.Stages;
using k8s.Models;

namespace AztecInfra.Kubernetes;

/// <summary>One rendered file: its name under the output directory and the objects in it, in order.</summary>
/// <param name="FileName">File name, e.g. <c>validator-statefulset.yaml</c>.</param>
/// <param name="Objects">Kubernetes objects (typed models), one YAML document each.</param>
/// <param name="Header">Comment lines written above the first document.</param>
public sealed record ManifestFile(string FileName, ImmutableArray<object> Objects, ImmutableArray<string> Header);

/// <summary>
/// Builds the Kubernetes objects of a stage's validators from typed models: a StatefulSet with one pod per
/// node, its storage, services, disruption budget, network policy, External Secrets objects that read the
/// same parameters <c>aztec-infra keys</c> writes, and the monitoring seam. Pure: no I/O.
/// </summary>
public static class ValidatorManifests
{
    /// <summary>Name of the StatefulSet, its headless Service and the app label.</summary>
    public const string AppName = "aztec-validator";

    /// <summary>Name of the StatefulSet file, as the deployment guide requires.</summary>
    public const string StatefulSetFile = "validator-statefulset.yaml";

    /// <summary>Directory the node loads keystores from: a memory-backed volume holding only this pod's keystore.</summary>
    public const string KeystoreDirectory = "/var/lib/aztec-keystore";

    /// <summary>Where the per-node keystore Secrets are projected for the selecting init container only.</summary>
    public const string KeystoreSourcesDirectory = "/keystore-sources";

    /// <summary>Mount point of the data volume.</summary>
    public const string DataMount = "/var/lib/aztec";

    /// <summary>Startup probe period in seconds.</summary>
    public const int StartupPeriodSeconds = 30;

    /// <summary>Startup probe failures allowed: 80 × 30 s = 40 minutes for a first sync from snapshot.</summary>
    public const int StartupFailureThreshold = 80;

    /// <summary>Readiness probe period in seconds.</summary>
    public const int ReadinessPeriodSeconds = 30;

    /// <summary>Liveness probe period in seconds.</summary>
    public const int LivenessPeriodSeconds = 60;

    /// <summary>Liveness failures before a restart: 10 minutes of no <c>/status</c> answer.</summary>
    public const int LivenessFailureThreshold = 10;

    /// <summary>Seconds the node gets to shut down cleanly (flush LMDB, release HA duties) before SIGKILL.</summary>
    public const int TerminationGraceSeconds = 300;

    /// <summary>UID and GID the containers run as (not root).</summary>
    public const long RunAsUser = 1000;

    /// <summary>Port of the collector's Prometheus endpoint inside the pod.</summary>
    public const int MetricsPort = Ports.CollectorMetrics;

    /// <summary>Label key that marks the pods of this StatefulSet.</summary>
    public const string NameLabel = "app.kubernetes.io/name";

    /// <summary>Label key of the stage.</summary>
    public const string InstanceLabel = "app.kubernetes.io/instance";

    /// <summary>
    /// The JSON-RPC call the readiness probe makes: ready only while the world state is in sync. The node serves
    /// its API under the <c>node_</c> namespace (the real 4.1.2 node answers <c>node_getWorldStateSyncStatus</c> and
    /// "Method not found" for <c>aztec_getWorldStateSyncStatus</c>, which Aztec's docs name): the probe asks the
    /// first and falls back to the second.
    /// </summary>
    internal const string ReadinessScript =
        "const q=m=>fetch('http://127.0.0.1:8080',{method:'POST',headers:{'content-type':'application/json'},"
        + "body:JSON.stringify({jsonrpc:'2.0',id:1,method:m,params:[]})}).then(r=>r.json());"
        + "q('node_getWorldStateSyncStatus').then(j=>j.result?j:q('aztec_getWorldStateSyncStatus'))"
        + ".then(j=>process.exit(j.result&&j.result.treesAreSynched===true?0:1),()=>process.exit(1))";

    /// <summary>
    /// The init container that gives the node only its own keystore. The pod's ordinal picks the node; a pod
    /// beyond the configured nodes, one whose keystore Secret is missing, or one whose data volume was first
    /// used by another node (the node list changed order), refuses to start.
    /// </summary>
    internal const string KeystoreSelectScript = """
        set -eu
        ordinal="${POD_NAME##*-}"
        case "$ordinal" in
          ''|*[!0-9]*) echo "refusing to start: pod name $POD_NAME has no ordinal" >&2; exit 1 ;;
        esac
        if [ "$ordinal" -ge "$NODE_COUNT" ]; then
          echo "refusing to start: pod ordinal $ordinal but the stage has $NODE_COUNT node(s); replicas must equal the stage's nodes (do not kubectl scale up; add a node to the stage config and render again)" >&2
          exit 1
        fi
        node_id=$(printf '%s\n' $NODE_IDS | sed -n "$((ordinal + 1))p")
        src="$KEYSTORE_SOURCES/$ordinal/keystore.json"
        if [ ! -s "$src" ]; then
          echo "refusing to start: no keystore for node $node_id (ordinal $ordinal); its Secret is missing or empty" >&2
          exit 1
        fi
        umask 077
        marker="$DATA_DIR/aztec-infra-node-id"
        if [ -s "$marker" ]; then
          recorded=$(cat "$marker")
          if [ "$recorded" != "$node_id" ]; then
            echo "refusing to start: this pod's data volume belongs to node $recorded (its slashing-protection data is there) but ordinal $ordinal now maps to node $node_id; did the stage's node list change order? Only append nodes; restore the order and render again" >&2
            exit 1
          fi
        else
          printf '%s\n' "$node_id" > "$marker"
        fi
        rm -f "$KEYSTORE_DIR/keystore.json"
        cp "$src" "$KEYSTORE_DIR/keystore.json"
        chmod 0400 "$KEYSTORE_DIR/keystore.json"
        echo "selected the keystore of node $node_id for ordinal $ordinal"
        """;

    /// <summary>Renders every file of the stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="alertRules">
    /// Alerting rules from the monitoring definition; a PrometheusRule is rendered when there are any.
    /// </param>
    /// <exception cref="ConfigValidationException">A render-time rule refuses the stage (field named).</exception>
    public static ImmutableArray<ManifestFile> Render(KubernetesStage stage, IReadOnlyList<AlertRule>? alertRules = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        KubernetesRules.Enforce(stage);

        var header = ImmutableArray.Create(
            $"Rendered by `aztec-infra k8s render --stage {stage.Stage}` from config/{stage.Stage}.yaml. Do not edit: change the",
            "config and render again (a test fails when this file differs from a fresh render). No secret is in here.");
        var files = new List<ManifestFile>
        {
            new("namespace.yaml", [Namespace(stage)], header),
            new("storageclass.yaml", [StorageClass(stage)], header),
            new("serviceaccounts.yaml", [ValidatorServiceAccount(stage), SecretsReaderServiceAccount(stage)], header),
            new("secretstores.yaml", [.. SecretStores(stage)], header),
            new("externalsecrets.yaml", [.. ExternalSecrets(stage)], header),
            new("otel-collector-config.yaml", [OtelConfig(stage)], header),
            new("services.yaml", [HeadlessService(stage), RpcService(stage)], header),
            new(StatefulSetFile, [StatefulSet(stage)], header.AddRange(ScaleWarning(stage))),
            new("poddisruptionbudget.yaml", [DisruptionBudget(stage)], header),
            new("networkpolicy.yaml", [NetworkPolicy(stage)], header),
            new("podmonitor.yaml", [PodMonitor(stage)], header),
        };
        if (alertRules is { Count: > 0 })
        {
            files.Add(new("prometheusrule.yaml", [PrometheusRule(stage, alertRules)], header));
        }

        files.Add(new("kustomization.yaml", [new Kustomization { Resources = [.. files.Select(f => f.FileName)] }], header));
        return [.. files];
    }

    /// <summary>Labels on every object of the stage; the first two select the validator pods.</summary>
    public static SortedDictionary<string, string> SelectorLabels(KubernetesStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return new(StringComparer.Ordinal) { [NameLabel] = AppName, [InstanceLabel] = stage.Stage };
    }

    /// <summary>Name of the Secret that holds one node's keystore (written by External Secrets or kubectl).</summary>
    public static string KeystoreSecretName(string nodeId) => $"aztec-keystore-{nodeId}";

    /// <summary>Name of the Secret holding ETHEREUM_HOSTS and L1_CONSENSUS_HOST_URLS.</summary>
    public const string L1SecretName = "aztec-l1-endpoints";

    /// <summary>Name of the Secret holding the HA database URL (key <c>url</c>).</summary>
    public const string HaDatabaseSecretName = "aztec-ha-database";

    /// <summary>Service account the External Secrets Operator uses (annotate it with an IAM role).</summary>
    public const string SecretsReaderName = "aztec-secrets-reader";

    /// <summary>Name of the StorageClass of a stage.</summary>
    public static string StorageClassName(KubernetesStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return stage.Storage.Kind == StorageKind.EbsGp3 ? $"aztec-{stage.Stage}-gp3" : $"aztec-{stage.Stage}-local-nvme";
    }

    private static ImmutableArray<string> ScaleWarning(KubernetesStage stage) =>
    [
        string.Empty,
        $"WARNING: replicas is the stage's node count ({stage.Replicas}). Do not `kubectl scale` this StatefulSet:",
        "a pod beyond the configured nodes has no keystore and refuses to start; scaling down stops the",
        stage.Mode == SigningMode.Independent
            ? "highest ordinals' attesters (independent mode: nobody signs for them; inactivity is slashed)."
            : "highest ordinals (shared-signer: the others keep signing through the HA database, with less redundancy).",
        "Never force-delete a pod (--force --grace-period=0): its node may still be signing. See README, Kubernetes.",
    ];

    private static V1ObjectMeta Meta(KubernetesStage stage, string name, bool namespaced = true, IDictionary<string, string>? annotations = null)
    {
        var labels = SelectorLabels(stage);
        labels["app.kubernetes.io/part-of"] = "aztec-infra";
        labels["app.kubernetes.io/managed-by"] = "aztec-infra";
        return new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = namespaced ? stage.Namespace : null,
            Labels = labels,
            Annotations = annotations,
        };
    }

    private static V1Namespace Namespace(KubernetesStage stage)
    {
        var meta = Meta(stage, stage.Namespace, namespaced: false);
        // hostPort (P2P) is outside the baseline and restricted Pod Security levels, so enforcing them would
        // refuse the validators; warn and audit at restricted report anything else that drifts from it.
        meta.Labels["pod-security.kubernetes.io/warn"] = "restricted";
        meta.Labels["pod-security.kubernetes.io/audit"] = "restricted";
        return new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = meta };
    }

    private static V1StorageClass StorageClass(KubernetesStage stage)
    {
        var s = stage.Storage;
        if (s.Kind == StorageKind.LocalNvme)
        {
            // Local disks are provisioned per host (e.g. by the local static provisioner); binding waits for the
            // pod so the scheduler picks a host with a free disk.
            return new V1StorageClass
            {
                ApiVersion = "storage.k8s.io/v1",
                Kind = "StorageClass",
                Metadata = Meta(stage, StorageClassName(stage), namespaced: false),
                Provisioner = "kubernetes.io/no-provisioner",
                ReclaimPolicy = "Retain",
                VolumeBindingMode = "WaitForFirstConsumer",
            };
        }

        return new V1StorageClass
        {
            ApiVersion = "storage.k8s.io/v1",
            Kind = "StorageClass",
            Metadata = Meta(stage, StorageClassName(stage), namespaced: false),
            Provisioner = "ebs.csi.aws.com",
            Parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["type"] = "gp3",
                ["iops"] = s.Iops.ToString(CultureInfo.InvariantCulture),
                ["throughput"] = s.ThroughputMBps.ToString(CultureInfo.InvariantCulture),
                ["encrypted"] = "true",
                ["kmsKeyId"] = s.KmsKeyId,
                ["csi.storage.k8s.io/fstype"] = "ext4",
            },
            // The chain data outlives the claim, as the EC2 data volumes outlive their stack.
            ReclaimPolicy = "Retain",
            VolumeBindingMode = "WaitForFirstConsumer",
            AllowVolumeExpansion = true,
            MountOptions = ["noatime"],
        };
    }

    private static V1ServiceAccount ValidatorServiceAccount(KubernetesStage stage) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(stage, AppName),
        // The node needs no Kubernetes or AWS API: no token in the pod.
        AutomountServiceAccountToken = false,
    };

    private static V1ServiceAccount SecretsReaderServiceAccount(KubernetesStage stage) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(stage, SecretsReaderName),
        AutomountServiceAccountToken = false,
    };

    private static string ParameterStoreName(string region) => $"aws-parameter-store-{region}";

    private static string SecretsManagerStoreName(string region) => $"aws-secrets-manager-{region}";

    private static IEnumerable<object> SecretStores(KubernetesStage stage)
    {
        var auth = new AwsAuth(new AwsJwtAuth(new ServiceAccountSelector(SecretsReaderName)));
        // Keystores live in their node's region (aztec-infra keys writes them there); the L1 URLs in the cluster's.
        var regions = stage.Nodes.Select(n => n.Region).Append(stage.L1Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            yield return new SecretStore
            {
                Metadata = Meta(stage, ParameterStoreName(region)),
                Spec = new SecretStoreSpec(new SecretStoreProvider(new AwsProvider("ParameterStore", region, auth))),
            };
        }

        if (stage.HaDatabase is { } db)
        {
            yield return new SecretStore
            {
                Metadata = Meta(stage, SecretsManagerStoreName(db.Region)),
                Spec = new SecretStoreSpec(new SecretStoreProvider(new AwsProvider("SecretsManager", db.Region, auth))),
            };
        }
    }

    private static IEnumerable<object> ExternalSecrets(KubernetesStage stage)
    {
        foreach (var node in stage.Nodes)
        {
            yield return new ExternalSecret
            {
                Metadata = Meta(stage, KeystoreSecretName(node.Id)),
                Spec = new ExternalSecretSpec
                {
                    RefreshInterval = "1h",
                    SecretStoreRef = new SecretStoreRef(ParameterStoreName(node.Region), "SecretStore"),
                    Target = new ExternalSecretTarget { Name = KeystoreSecretName(node.Id) },
                    Data = [new ExternalSecretData("keystore.json", new RemoteReference(node.KeystoreParameter))],
                },
            };
        }

        yield return new ExternalSecret
        {
            Metadata = Meta(stage, L1SecretName),
            Spec = new ExternalSecretSpec
            {
                RefreshInterval = "1h",
                SecretStoreRef = new SecretStoreRef(ParameterStoreName(stage.L1Region), "SecretStore"),
                Target = new ExternalSecretTarget { Name = L1SecretName },
                Data =
                [
                    new ExternalSecretData("ETHEREUM_HOSTS", new RemoteReference(stage.L1ExecutionUrlsParameter)),
                    new ExternalSecretData("L1_CONSENSUS_HOST_URLS", new RemoteReference(stage.L1ConsensusUrlsParameter)),
                ],
            },
        };

        if (stage.HaDatabase is { } db)
        {
            // The RDS-generated secret (username, password, host, port, dbname) becomes one URL, user and
            // password percent-encoded, TLS required as on EC2.
            yield return new ExternalSecret
            {
                Metadata = Meta(stage, HaDatabaseSecretName),
                Spec = new ExternalSecretSpec
                {
                    RefreshInterval = "1h",
                    SecretStoreRef = new SecretStoreRef(SecretsManagerStoreName(db.Region), "SecretStore"),
                    Target = new ExternalSecretTarget
                    {
                        Name = HaDatabaseSecretName,
                        Template = new ExternalSecretTemplate
                        {
                            Data = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
                                new KeyValuePair<string, string>("url", "postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=no-verify"),
                            ]),
                        },
                    },
                    Data =
                    [
                        .. DatabaseSecretFields.Select(p => new ExternalSecretData(p, new RemoteReference(db.SecretName, p))),
                    ],
                },
            };
        }
    }

    // The keys of the RDS-generated secret (what the EC2 bootstrap reads too).
    private static readonly string[] DatabaseSecretFields = ["username", "password", "host", "port", "dbname"];

    private static V1ConfigMap OtelConfig(KubernetesStage stage)
    {
        // The collector's own config, as typed data serialized by the same YAML serializer.
        var config = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["receivers"] = Map(("otlp", Map(("protocols", Map(("http", Map(("endpoint", $"127.0.0.1:{Ports.OtlpHttp}")))))))),
            ["processors"] = Map(("batch", Map())),
            ["exporters"] = Map(("prometheus", Map(
                ("endpoint", $"0.0.0.0:{MetricsPort}"),
                ("const_labels", Map(("aztec_network", stage.Network), ("aztec_stage", stage.Stage)))))),
            ["service"] = Map(("pipelines", Map(("metrics", Map(
                ("receivers", new List<string> { "otlp" }),
                ("processors", new List<string> { "batch" }),
                ("exporters", new List<string> { "prometheus" })))))),
        };
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = Meta(stage, "aztec-otel-collector"),
            Data = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["config.yaml"] = k8s.KubernetesYaml.Serialize(config) },
        };
    }

    private static SortedDictionary<string, object> Map(params (string Key, object Value)[] entries)
    {
        var map = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }

        return map;
    }

    private static V1Service HeadlessService(KubernetesStage stage) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta(stage, AppName),
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            // Stable DNS per pod even while it syncs (not ready for up to 40 minutes).
            PublishNotReadyAddresses = true,
            Selector = SelectorLabels(stage),
            Ports = [new V1ServicePort { Name = "rpc", Port = Ports.Rpc, TargetPort = "rpc", Protocol = "TCP" }],
        },
    };

    private static V1Service RpcService(KubernetesStage stage) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta(stage, $"{AppName}-rpc"),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = SelectorLabels(stage),
            Ports = [new V1ServicePort { Name = "rpc", Port = Ports.Rpc, TargetPort = "rpc", Protocol = "TCP" }],
        },
    };

    private static V1StatefulSet StatefulSet(KubernetesStage stage)
    {
        var labels = SelectorLabels(stage);
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["aztec-infra/nodes"] = string.Join(",", stage.Nodes.Select(n => n.Id)),
            ["aztec-infra/max-replicas"] = stage.Replicas.ToString(CultureInfo.InvariantCulture),
            ["aztec-infra/signing-mode"] = stage.Mode == SigningMode.SharedSigner ? "shared-signer" : "independent",
        };
        var initContainers = new List<V1Container> { KeystoreSelectContainer(stage) };
        if (stage.Mode == SigningMode.SharedSigner)
        {
            initContainers.Add(HaMigrateContainer(stage));
        }

        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = Meta(stage, AppName, annotations: annotations),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = AppName,
                Replicas = stage.Replicas,
                // Pods start together (a stuck pod must not hold the others back); the keystore selection and
                // the migration's advisory lock make that safe.
                PodManagementPolicy = "Parallel",
                Selector = new V1LabelSelector { MatchLabels = labels },
                UpdateStrategy = new V1StatefulSetUpdateStrategy
                {
                    Type = "RollingUpdate",
                    // An upgrade goes to the highest ordinal first; lower the partition to roll the rest.
                    RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = stage.Replicas - 1 },
                },
                PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy
                {
                    WhenDeleted = "Retain",
                    WhenScaled = "Retain",
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Meta(stage, AppName).Labels },
                    Spec = PodSpec(stage, initContainers),
                },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = "data", Labels = SelectorLabels(stage) },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            StorageClassName = StorageClassName(stage),
                            Resources = new V1VolumeResourceRequirements
                            {
                                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new($"{stage.Storage.SizeGiB}Gi") },
                            },
                        },
                    },
                ],
            },
        };
    }

    private static V1PodSpec PodSpec(KubernetesStage stage, List<V1Container> initContainers)
    {
        var labels = SelectorLabels(stage);
        var keystoreSources = stage.Nodes.Select((node, ordinal) => new V1VolumeProjection
        {
            Secret = new V1SecretProjection
            {
                Name = KeystoreSecretName(node.Id),
                // Optional, so one missing keystore stops only its own pod (the init container says which).
                Optional = true,
                Items = [new V1KeyToPath { Key = "keystore.json", Path = $"{ordinal.ToString(CultureInfo.InvariantCulture)}/keystore.json" }],
            },
        }).ToList();

        return new V1PodSpec
        {
            ServiceAccountName = AppName,
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            TerminationGracePeriodSeconds = TerminationGraceSeconds,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = RunAsUser,
                RunAsGroup = RunAsUser,
                FsGroup = RunAsUser,
                FsGroupChangePolicy = "OnRootMismatch",
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    // One validator per host: required, because hostPort 40400 and the node's public address are per host.
                    RequiredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = labels },
                        },
                    ],
                },
            },
            TopologySpreadConstraints =
            [
                new V1TopologySpreadConstraint
                {
                    MaxSkew = 1,
                    TopologyKey = "topology.kubernetes.io/zone",
                    WhenUnsatisfiable = "DoNotSchedule",
                    LabelSelector = new V1LabelSelector { MatchLabels = labels },
                },
            ],
            InitContainers = initContainers,
            Containers = [NodeContainer(stage), CollectorContainer(stage)],
            Volumes =
            [
                new V1Volume { Name = "keystore", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                new V1Volume { Name = "keystore-sources", Projected = new V1ProjectedVolumeSource { DefaultMode = 0b100_100_000, Sources = keystoreSources } },
                new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("1Gi") } },
                new V1Volume { Name = "otel-config", ConfigMap = new V1ConfigMapVolumeSource { Name = "aztec-otel-collector" } },
            ],
        };
    }

    private static V1SecurityContext Restricted(bool readOnlyRoot = true) => new()
    {
        RunAsNonRoot = true,
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = readOnlyRoot,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    private static V1ResourceRequirements Small() => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("256Mi") },
    };

    private static V1EnvVar PodNameEnv(string name) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
    };

    private static V1EnvVar FromSecret(string name, string secret, string key) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } },
    };

    private static V1Container KeystoreSelectContainer(KubernetesStage stage) => new()
    {
        Name = "keystore-select",
        Image = stage.Image,
        Command = ["/bin/bash", "-c", KeystoreSelectScript],
        Env =
        [
            PodNameEnv("POD_NAME"),
            new V1EnvVar { Name = "NODE_COUNT", Value = stage.Nodes.Length.ToString(CultureInfo.InvariantCulture) },
            new V1EnvVar { Name = "NODE_IDS", Value = string.Join(" ", stage.Nodes.Select(n => n.Id)) },
            new V1EnvVar { Name = "KEYSTORE_SOURCES", Value = KeystoreSourcesDirectory },
            new V1EnvVar { Name = "KEYSTORE_DIR", Value = KeystoreDirectory },
            new V1EnvVar { Name = "DATA_DIR", Value = DataMount },
        ],
        SecurityContext = Restricted(),
        Resources = Small(),
        VolumeMounts =
        [
            new V1VolumeMount { Name = "keystore-sources", MountPath = KeystoreSourcesDirectory, ReadOnlyProperty = true },
            new V1VolumeMount { Name = "keystore", MountPath = KeystoreDirectory },
            new V1VolumeMount { Name = "data", MountPath = DataMount },
        ],
    };

    private static V1Container HaMigrateContainer(KubernetesStage stage) => new()
    {
        Name = "ha-db-migrate",
        Image = stage.Image,
        // node-pg-migrate (what `aztec migrate-ha-db up` runs) takes a PostgreSQL advisory lock
        // (pg_try_advisory_lock) for the whole migration: pods starting together migrate once, the others
        // fail fast and the kubelet retries them, when they find nothing left to do.
        Command = ["node", "--no-warnings", "/usr/src/yarn-project/aztec/dest/bin/index.js", "migrate-ha-db", "up"],
        Env = [FromSecret("DATABASE_URL", HaDatabaseSecretName, "url"), new V1EnvVar { Name = "HOME", Value = "/tmp" }],
        SecurityContext = Restricted(),
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("256Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") },
        },
        VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
    };

    private static V1Container NodeContainer(KubernetesStage stage)
    {
        var env = new List<V1EnvVar>
        {
            PodNameEnv("POD_NAME"),
            new() { Name = "DATA_DIRECTORY", Value = $"{DataMount}/data" },
            new() { Name = "CRS_PATH", Value = $"{DataMount}/crs" },
            new() { Name = "KEY_STORE_DIRECTORY", Value = KeystoreDirectory },
            new() { Name = "HOME", Value = "/tmp" },
            // The host's public address through hostPort; one validator per host (required anti-affinity).
            new() { Name = "P2P_QUERY_FOR_IP", Value = "true" },
            new() { Name = "P2P_PORT", Value = Ports.P2p.ToString(CultureInfo.InvariantCulture) },
            new() { Name = "AZTEC_PORT", Value = Ports.Rpc.ToString(CultureInfo.InvariantCulture) },
            new() { Name = "LOG_LEVEL", Value = "info" },
            new() { Name = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", Value = $"http://127.0.0.1:{Ports.OtlpHttp}/v1/metrics" },
            new() { Name = "OTEL_SERVICE_NAME", Value = "aztec-$(POD_NAME)" },
            FromSecret("ETHEREUM_HOSTS", L1SecretName, "ETHEREUM_HOSTS"),
            FromSecret("L1_CONSENSUS_HOST_URLS", L1SecretName, "L1_CONSENSUS_HOST_URLS"),
        };
        if (stage.Coinbase is not null)
        {
            env.Add(new V1EnvVar { Name = "COINBASE", Value = stage.Coinbase });
        }

        if (stage.Mode == SigningMode.SharedSigner)
        {
            env.Add(new V1EnvVar { Name = "VALIDATOR_HA_SIGNING_ENABLED", Value = "true" });
            env.Add(PodNameEnv("VALIDATOR_HA_NODE_ID"));
            env.Add(FromSecret("VALIDATOR_HA_DATABASE_URL", HaDatabaseSecretName, "url"));
        }

        var r = stage.Resources;
        return new V1Container
        {
            Name = "aztec-node",
            Image = stage.Image,
            Args = ["start", "--node", "--sequencer", "--network", stage.Network],
            Env = env,
            Ports =
            [
                new V1ContainerPort { Name = "p2p-tcp", ContainerPort = Ports.P2p, HostPort = Ports.P2p, Protocol = "TCP" },
                new V1ContainerPort { Name = "p2p-udp", ContainerPort = Ports.P2p, HostPort = Ports.P2p, Protocol = "UDP" },
                new V1ContainerPort { Name = "rpc", ContainerPort = Ports.Rpc, Protocol = "TCP" },
            ],
            StartupProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/status", Port = "rpc" },
                PeriodSeconds = StartupPeriodSeconds,
                TimeoutSeconds = 5,
                FailureThreshold = StartupFailureThreshold,
            },
            ReadinessProbe = new V1Probe
            {
                Exec = new V1ExecAction { Command = ["node", "-e", ReadinessScript] },
                PeriodSeconds = ReadinessPeriodSeconds,
                TimeoutSeconds = 10,
                FailureThreshold = 3,
                SuccessThreshold = 1,
            },
            LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/status", Port = "rpc" },
                PeriodSeconds = LivenessPeriodSeconds,
                TimeoutSeconds = 10,
                FailureThreshold = LivenessFailureThreshold,
            },
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(r.CpuRequest.ToString(CultureInfo.InvariantCulture)),
                    ["memory"] = new($"{r.MemoryRequestGiB}Gi"),
                },
                Limits = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(r.CpuLimit.ToString(CultureInfo.InvariantCulture)),
                    ["memory"] = new($"{r.MemoryLimitGiB}Gi"),
                },
            },
            SecurityContext = Restricted(),
            VolumeMounts =
            [
                new V1VolumeMount { Name = "data", MountPath = DataMount },
                new V1VolumeMount { Name = "keystore", MountPath = KeystoreDirectory, ReadOnlyProperty = true },
                new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
            ],
        };
    }

    private static V1Container CollectorContainer(KubernetesStage stage) => new()
    {
        Name = "otel-collector",
        Image = stage.OtelCollectorImage,
        Args = ["--config=/etc/aztec-otel/config.yaml"],
        Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = MetricsPort, Protocol = "TCP" }],
        SecurityContext = Restricted(),
        Resources = Small(),
        VolumeMounts = [new V1VolumeMount { Name = "otel-config", MountPath = "/etc/aztec-otel", ReadOnlyProperty = true }],
    };

    private static V1PodDisruptionBudget DisruptionBudget(KubernetesStage stage) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = Meta(stage, AppName),
        Spec = new V1PodDisruptionBudgetSpec
        {
            // Drains take one validator at a time; a pod that is not ready (syncing) may always be evicted.
            MaxUnavailable = 1,
            UnhealthyPodEvictionPolicy = "AlwaysAllow",
            Selector = new V1LabelSelector { MatchLabels = SelectorLabels(stage) },
        },
    };

    private static readonly string[] PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];

    private static V1NetworkPolicy NetworkPolicy(KubernetesStage stage)
    {
        static V1NetworkPolicyPort Port(string protocol, int port) => new() { Protocol = protocol, Port = port };
        static V1NetworkPolicyPeer NamespacePeer(string name) => new()
        {
            NamespaceSelector = new V1LabelSelector
            {
                MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name },
            },
        };
        var anywhere = new List<V1NetworkPolicyPeer>
        {
            new() { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } },
            new() { IpBlock = new V1IPBlock { Cidr = "::/0" } },
        };
        var publicInternet = new List<V1NetworkPolicyPeer>
        {
            new() { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = PrivateRanges } },
            new() { IpBlock = new V1IPBlock { Cidr = "::/0", Except = ["fc00::/7", "fe80::/10"] } },
        };

        var rpcPeers = stage.RpcAllowedCidrs.Select(c => new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = c } })
            .Concat(stage.RpcAllowedNamespaces.Select(NamespacePeer))
            .ToList();
        var ingress = new List<V1NetworkPolicyIngressRule>
        {
            new() { FromProperty = anywhere, Ports = [Port("TCP", Ports.P2p), Port("UDP", Ports.P2p)] },
            new() { FromProperty = [NamespacePeer(stage.MonitoringNamespace)], Ports = [Port("TCP", MetricsPort)] },
        };
        if (rpcPeers.Count > 0)
        {
            ingress.Insert(1, new V1NetworkPolicyIngressRule { FromProperty = rpcPeers, Ports = [Port("TCP", Ports.Rpc)] });
        }

        var egress = new List<V1NetworkPolicyEgressRule>
        {
            new() { To = [NamespacePeer("kube-system")], Ports = [Port("UDP", 53), Port("TCP", 53)] },
            // L1 execution and beacon APIs, the network config and snapshots: HTTPS on the public internet only
            // (the instance metadata endpoint and private ranges stay closed).
            new() { To = publicInternet, Ports = [Port("TCP", 443)] },
            new() { To = publicInternet, Ports = [Port("TCP", Ports.P2p), Port("UDP", Ports.P2p)] },
        };
        if (stage.HaDatabase is { } db)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = db.NetworkCidr } }],
                Ports = [Port("TCP", Ports.Postgres)],
            });
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = Meta(stage, AppName),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = SelectorLabels(stage) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = ingress,
                Egress = egress,
            },
        };
    }

    private static PodMonitor PodMonitor(KubernetesStage stage) => new()
    {
        Metadata = Meta(stage, AppName),
        Spec = new PodMonitorSpec(
            new V1LabelSelector { MatchLabels = SelectorLabels(stage) },
            [
                // The node makes a new service.instance.id at each restart: pin `instance` to the pod name.
                new PodMetricsEndpoint("metrics", "/metrics", "60s", [new RelabelConfig(["__meta_kubernetes_pod_name"], "instance", "replace")]),
            ]),
    };

    private static PrometheusRule PrometheusRule(KubernetesStage stage, IReadOnlyList<AlertRule> rules) => new()
    {
        Metadata = Meta(stage, AppName),
        Spec = new PrometheusRuleSpec([new PrometheusRuleGroup("aztec-validator", [.. rules])]),
    };
}
