using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using AztecInfra.Stages;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Kubernetes;

/// <summary>
/// The one place that reads <see cref="StageConfig"/> for Kubernetes: it applies the stage rules (the same
/// code the loader runs) and maps the stage onto the narrow <see cref="KubernetesStage"/>.
/// </summary>
public static partial class KubernetesStageAdapter
{
    /// <summary>vCPU left to the kubelet and the node's daemon sets on a worker sized at the floor.</summary>
    public const int SystemReservedVCpus = 2;

    /// <summary>Memory in GiB left to the kubelet, the daemon sets and the page cache the node's LMDB stores rely on.</summary>
    public const int SystemReservedMemoryGiB = 2;

    /// <summary>Builds the Kubernetes view of a stage.</summary>
    /// <exception cref="ConfigValidationException">The stage breaks a stage rule, or a Kubernetes option is invalid.</exception>
    public static KubernetesStage FromStage(StageConfig config, KubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);

        // A StageConfig built in code has not been through the loader: run the same rules it runs.
        var errors = StageRules.Check(config).Where(i => i.Severity == IssueSeverity.Error).ToList();
        for (var i = 0; i < config.Nodes.Length; i++)
        {
            // The StatefulSet runs validators only; full and prover roles deploy with the CDK stacks.
            if (config.Nodes[i].Role != NodeRole.Sequencer)
            {
                errors.Add(new ConfigIssue(IssueSeverity.Error, $"nodes[{i}].role", NodeRoles.Name(config.Nodes[i].Role), "is not rendered for Kubernetes: k8s render covers sequencers only; deploy full and prover roles with the CDK stacks, or plan them in another stage file"));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigValidationException($"stage {config.Stage} (kubernetes)", errors);
        }

        var first = config.Nodes.IsDefaultOrEmpty ? null : config.Nodes[0];
        for (var i = 1; i < config.Nodes.Length; i++)
        {
            // A StatefulSet has one volume claim template: every node must ask for the same volume.
            if (config.Nodes[i].DataVolume != first!.DataVolume)
            {
                errors.Add(new ConfigIssue(IssueSeverity.Error, $"nodes[{i}].dataVolume", Describe(config.Nodes[i].DataVolume!), $"differs from nodes[0].dataVolume ({Describe(first.DataVolume!)}); the StatefulSet has one volume claim template, so every node needs the same volume"));
            }
        }

        if (first is null)
        {
            errors.Add(new ConfigIssue(IssueSeverity.Error, "nodes", null, "must list at least one node"));
        }

        var ns = options.Namespace ?? $"aztec-{config.Stage}";
        CheckDnsLabel(errors, "--namespace", ns);
        CheckDnsLabel(errors, "--monitoring-namespace", options.MonitoringNamespace);
        foreach (var rpcNamespace in options.RpcAllowedNamespaces)
        {
            CheckDnsLabel(errors, "--rpc-namespace", rpcNamespace);
        }

        if (options.KmsKeyArn is not null && !KmsArn().IsMatch(options.KmsKeyArn))
        {
            errors.Add(new ConfigIssue(IssueSeverity.Error, "--kms-key-arn", options.KmsKeyArn, "must be a KMS key or alias ARN such as arn:aws:kms:us-east-1:123456789012:alias/aztec-infra/prod"));
        }

        if (errors.Count > 0)
        {
            throw new ConfigValidationException($"stage {config.Stage} (kubernetes)", errors);
        }

        var clusterRegion = config.PrimaryRegion.Name;
        HaDatabaseRef? database = null;
        if (config.SigningDatabase is { } db)
        {
            database = new HaDatabaseRef(Naming.HaDatabaseSecretName(config.Stage), db.Region, config.Region(db.Region).VpcCidr.ToString());
        }

        var smallest = config.Nodes.Select(n => n.Instance).MinBy(s => (s.VCpus, s.MemoryGiB))!;
        var vcpus = Math.Min(InstanceCatalog.SequencerFloorVCpus, smallest.VCpus);
        var memory = Math.Min(InstanceCatalog.SequencerFloorMemoryGiB, smallest.MemoryGiB);

        return new KubernetesStage
        {
            Stage = config.Stage,
            Network = config.Network == AztecNetwork.Mainnet ? "mainnet" : "testnet",
            Image = config.AztecImage.ToString(),
            OtelCollectorImage = config.Monitoring.OtelCollector.ToString(),
            Namespace = ns,
            Nodes = config.Nodes.Select(n => new KubernetesNode(n.Id, n.Region, Naming.KeystoreParameter(config.Stage, n.Id), n.Attesters)).ToImmutableArray(),
            Replicas = config.Nodes.Length,
            Mode = config.SharedSigner ? SigningMode.SharedSigner : SigningMode.Independent,
            HaDatabase = database,
            Storage = new StorageSpec
            {
                Kind = options.Storage,
                SizeGiB = first!.DataVolume!.SizeGiB,
                Iops = first.DataVolume!.Iops,
                ThroughputMBps = first.DataVolume!.ThroughputMBps,
                KmsKeyId = options.KmsKeyArn
                    ?? (config.Account is null
                        ? Naming.KeyAlias(config.Stage)
                        : $"arn:aws:kms:{clusterRegion}:{config.Account}:{Naming.KeyAlias(config.Stage)}"),
            },
            // The floor (or the configured machine, when the stage accepts less): limits at it, requests below
            // it by what the kubelet and daemon sets need, so the pod fits a worker of exactly that size.
            Resources = new ResourceSpec(
                Math.Max(1, vcpus - SystemReservedVCpus),
                vcpus,
                Math.Max(1, memory - SystemReservedMemoryGiB),
                memory),
            RpcAllowedCidrs = config.RpcAllowedCidrs.Select(c => c.ToString()).ToImmutableArray(),
            RpcAllowedNamespaces = options.RpcAllowedNamespaces,
            MonitoringNamespace = options.MonitoringNamespace,
            L1Region = clusterRegion,
            L1ExecutionUrlsParameter = config.L1.ExecutionUrlsParameter,
            L1ConsensusUrlsParameter = config.L1.ConsensusUrlsParameter,
            Coinbase = config.Coinbase,
        };
    }

    private static void CheckDnsLabel(List<ConfigIssue> errors, string field, string value)
    {
        if (!DnsLabel().IsMatch(value))
        {
            errors.Add(new ConfigIssue(IssueSeverity.Error, field, value, "must be a Kubernetes namespace name: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit"));
        }
    }

    private static string Describe(DataVolumeConfig v) =>
        string.Create(CultureInfo.InvariantCulture, $"{v.SizeGiB} GiB, {v.Iops} IOPS, {v.ThroughputMBps} MB/s");

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_+=,.@-]+$")]
    private static partial Regex KmsArn();
}
