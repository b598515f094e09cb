using System.Text.RegularExpressions;
using AztecInfra.Stages;
using AztecInfra.Kubernetes;
using AztecInfra.Tests.Support;
using k8s.Models;

namespace AztecInfra.Tests.Kubernetes;

/// <summary>The prod and dev renders, asserted on the typed objects and on the committed files.</summary>
public sealed class ValidatorManifestTests
{
    private static readonly Lazy<IReadOnlyList<ManifestFile>> ProdFiles = new(() => Render("prod"));
    private static readonly Lazy<IReadOnlyList<ManifestFile>> DevFiles = new(() => Render("dev"));

    private static IReadOnlyList<ManifestFile> Render(string stage)
    {
        var config = StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", stage + ".yaml")).Config;
        return ValidatorManifests.Render(KubernetesStageAdapter.FromStage(config, new KubernetesOptions()));
    }

    private static T Single<T>(IReadOnlyList<ManifestFile> files) => files.SelectMany(f => f.Objects).OfType<T>().Single();

    private static V1StatefulSet Prod => Single<V1StatefulSet>(ProdFiles.Value);

    private static V1Container NodeContainer(V1StatefulSet set) => set.Spec.Template.Spec.Containers.Single(c => c.Name == "aztec-node");

    private static IEnumerable<V1Container> AllContainers(V1StatefulSet set) =>
        set.Spec.Template.Spec.Containers.Concat(set.Spec.Template.Spec.InitContainers);

    [Fact]
    public void Should_EqualAFreshRender_When_CommittedK8sDirectoryIsRead()
    {
        // Given the committed k8s/ directory and a fresh render of config/prod.yaml
        var fresh = ManifestWriter.ToYaml(ProdFiles.Value);
        var committed = Directory.GetFiles(TestEnvironment.RepoPath("k8s"), "*.yaml").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToList();

        // Then the same files exist, byte for byte (re-render: aztec-infra k8s render --stage prod)
        Assert.Equal(fresh.Keys.ToList(), committed);
        foreach (var (name, text) in fresh)
        {
            Assert.True(text == File.ReadAllText(TestEnvironment.RepoPath("k8s", name)), $"k8s/{name} differs from a fresh render: run 'dotnet run --project stacks -- k8s render --stage prod'");
        }

        Assert.Contains(ValidatorManifests.StatefulSetFile, committed);
    }

    [Fact]
    public void Should_RunOnePodPerNode_When_ProdIsRendered()
    {
        // Given prod's three nodes, Then three replicas, and the nodes named in order on the object
        Assert.Equal(3, Prod.Spec.Replicas);
        Assert.Equal("validator-us,validator-eu,validator-ap", Prod.Metadata.Annotations["aztec-infra/nodes"]);
        Assert.Equal("Parallel", Prod.Spec.PodManagementPolicy);
    }

    [Fact]
    public void Should_AllowLongSyncAndProbeConservatively_When_Rendered()
    {
        var node = NodeContainer(Prod);

        // Startup: /status on the RPC port, 20 to 40 minutes before the kubelet gives up
        Assert.Equal("/status", node.StartupProbe.HttpGet.Path);
        Assert.Equal("rpc", node.StartupProbe.HttpGet.Port.Value);
        var startupSeconds = node.StartupProbe.PeriodSeconds!.Value * node.StartupProbe.FailureThreshold!.Value;
        Assert.InRange(startupSeconds, 20 * 60, 40 * 60);

        // Readiness: world-state sync through JSON-RPC
        var readiness = string.Join(" ", node.ReadinessProbe.Exec.Command);
        Assert.Contains("q('node_getWorldStateSyncStatus')", readiness, StringComparison.Ordinal);
        Assert.Contains("q('aztec_getWorldStateSyncStatus')", readiness, StringComparison.Ordinal);
        Assert.Contains("treesAreSynched===true", readiness, StringComparison.Ordinal);

        // Liveness: /status, at least 10 minutes of silence before a restart
        Assert.Equal("/status", node.LivenessProbe.HttpGet.Path);
        Assert.True(node.LivenessProbe.PeriodSeconds * node.LivenessProbe.FailureThreshold >= 600);
        Assert.True(Prod.Spec.Template.Spec.TerminationGracePeriodSeconds >= 120);
    }

    [Fact]
    public void Should_PublishP2pOnTcpAndUdpHostPorts_When_Rendered()
    {
        var ports = NodeContainer(Prod).Ports.Where(p => p.ContainerPort == 40400).ToList();

        Assert.Equal(["TCP", "UDP"], ports.Select(p => p.Protocol).Order(StringComparer.Ordinal));
        Assert.All(ports, p => Assert.Equal(40400, p.HostPort));
        Assert.Contains(NodeContainer(Prod).Env, e => e.Name == "P2P_QUERY_FOR_IP" && e.Value == "true");
        // Admin 8880 is never declared
        Assert.DoesNotContain(AllContainers(Prod).SelectMany(c => c.Ports ?? []), p => p.ContainerPort == 8880);
    }

    [Fact]
    public void Should_RequireOnePodPerHostAndSpreadZones_When_Rendered()
    {
        var spec = Prod.Spec.Template.Spec;
        var term = Assert.Single(spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
        Assert.Equal(Prod.Spec.Selector.MatchLabels, term.LabelSelector.MatchLabels);

        var spread = Assert.Single(spec.TopologySpreadConstraints);
        Assert.Equal("topology.kubernetes.io/zone", spread.TopologyKey);
        Assert.Equal("DoNotSchedule", spread.WhenUnsatisfiable);
    }

    [Fact]
    public void Should_BudgetOneDisruptionAndCanaryUpgrades_When_Rendered()
    {
        var pdb = Single<V1PodDisruptionBudget>(ProdFiles.Value);
        Assert.Equal("1", pdb.Spec.MaxUnavailable.Value);
        Assert.Equal(Prod.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels);

        // An upgrade reaches the highest ordinal only, until the partition is lowered
        Assert.Equal("RollingUpdate", Prod.Spec.UpdateStrategy.Type);
        Assert.Equal(2, Prod.Spec.UpdateStrategy.RollingUpdate.Partition);
    }

    [Fact]
    public void Should_RunNonRootWithoutCapabilities_When_Rendered()
    {
        var pod = Prod.Spec.Template.Spec.SecurityContext;
        Assert.True(pod.RunAsNonRoot);
        Assert.NotEqual(0, pod.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SeccompProfile.Type);
        Assert.False(Prod.Spec.Template.Spec.AutomountServiceAccountToken);

        Assert.All(AllContainers(Prod), c =>
        {
            Assert.True(c.SecurityContext.RunAsNonRoot);
            Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
            Assert.True(c.SecurityContext.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
            Assert.Null(c.SecurityContext.Capabilities.Add);
            Assert.Equal("RuntimeDefault", c.SecurityContext.SeccompProfile.Type);
        });
    }

    [Fact]
    public void Should_RequestTheSequencerFloor_When_Rendered()
    {
        var resources = NodeContainer(Prod).Resources;
        Assert.Equal(InstanceCatalog.SequencerFloorVCpus.ToString(System.Globalization.CultureInfo.InvariantCulture), resources.Limits["cpu"].ToString());
        Assert.Equal($"{InstanceCatalog.SequencerFloorMemoryGiB}Gi", resources.Limits["memory"].ToString());
        Assert.Equal("14", resources.Requests["cpu"].ToString());
        Assert.Equal("14Gi", resources.Requests["memory"].ToString());
    }

    [Fact]
    public void Should_ContainNoSecretValue_When_Rendered()
    {
        // Given every rendered file of both stages
        var texts = ManifestWriter.ToYaml(ProdFiles.Value).Values.Concat(ManifestWriter.ToYaml(DevFiles.Value).Values).ToList();

        // Then no Secret object, no 32-byte hex key, no URL with a literal password
        Assert.All(texts, text =>
        {
            Assert.DoesNotMatch(new Regex("^kind: Secret$", RegexOptions.Multiline), text);
            Assert.DoesNotMatch(new Regex("0x[0-9a-fA-F]{64}"), text);
            Assert.DoesNotMatch(new Regex("://[^{/\\s:]+:[^{@\\s]+@"), text);
            Assert.DoesNotContain("stringData", text, StringComparison.Ordinal);
        });

        // And the keystores come from the parameters 'aztec-infra keys' writes
        var keystoreRefs = ProdFiles.Value.SelectMany(f => f.Objects).OfType<ExternalSecret>()
            .Where(e => e.Metadata.Name.StartsWith("aztec-keystore-", StringComparison.Ordinal))
            .Select(e => e.Spec.Data.Single().RemoteRef.Key);
        Assert.Equal(new[] { "validator-us", "validator-eu", "validator-ap" }.Select(n => Naming.KeystoreParameter("prod", n)), keystoreRefs);
    }

    [Fact]
    public void Should_GiveTheNodeOnlyItsOwnKeystore_When_Rendered()
    {
        var spec = Prod.Spec.Template.Spec;

        // The node mounts only the memory-backed keystore volume, read-only; never the per-node sources
        var node = NodeContainer(Prod);
        var keystoreMount = Assert.Single(node.VolumeMounts, m => m.MountPath == ValidatorManifests.KeystoreDirectory);
        Assert.True(keystoreMount.ReadOnlyProperty);
        Assert.Equal("Memory", spec.Volumes.Single(v => v.Name == keystoreMount.Name).EmptyDir.Medium);
        Assert.DoesNotContain(spec.Containers.SelectMany(c => c.VolumeMounts), m => m.Name == "keystore-sources");
        Assert.Contains(node.Env, e => e.Name == "KEY_STORE_DIRECTORY" && e.Value == ValidatorManifests.KeystoreDirectory);

        // Ordinal i's source is nodes[i]'s Secret, optional so a missing one stops only that pod
        var sources = spec.Volumes.Single(v => v.Name == "keystore-sources").Projected.Sources.Select(s => s.Secret).ToList();
        Assert.Equal(["aztec-keystore-validator-us", "aztec-keystore-validator-eu", "aztec-keystore-validator-ap"], sources.Select(s => s.Name));
        Assert.Equal(["0/keystore.json", "1/keystore.json", "2/keystore.json"], sources.Select(s => s.Items.Single().Path));
        Assert.All(sources, s => Assert.True(s.Optional));

        // Only the selecting init container sees the sources, and it runs first
        Assert.Equal("keystore-select", spec.InitContainers[0].Name);
        Assert.Contains(spec.InitContainers[0].VolumeMounts, m => m.Name == "keystore-sources" && m.ReadOnlyProperty == true);
    }

    [Fact]
    public void Should_SetHaSigningFromPodName_When_SharedSigner()
    {
        var env = NodeContainer(Prod).Env;
        Assert.Contains(env, e => e.Name == "VALIDATOR_HA_SIGNING_ENABLED" && e.Value == "true");
        Assert.Equal("metadata.name", env.Single(e => e.Name == "VALIDATOR_HA_NODE_ID").ValueFrom.FieldRef.FieldPath);
        var url = env.Single(e => e.Name == "VALIDATOR_HA_DATABASE_URL").ValueFrom.SecretKeyRef;
        Assert.Equal((ValidatorManifests.HaDatabaseSecretName, "url"), (url.Name, url.Key));

        // The schema migration runs before the node, after the keystore, with the URL from the same Secret
        var migrate = Prod.Spec.Template.Spec.InitContainers.Single(c => c.Name == "ha-db-migrate");
        Assert.Equal(["migrate-ha-db", "up"], migrate.Command.TakeLast(2));
        Assert.Equal(ValidatorManifests.HaDatabaseSecretName, migrate.Env.Single(e => e.Name == "DATABASE_URL").ValueFrom.SecretKeyRef.Name);
        Assert.Equal(["keystore-select", "ha-db-migrate"], Prod.Spec.Template.Spec.InitContainers.Select(c => c.Name));
    }

    [Fact]
    public void Should_LeaveHaOut_When_Independent()
    {
        var dev = Single<V1StatefulSet>(DevFiles.Value);
        Assert.DoesNotContain(NodeContainer(dev).Env, e => e.Name.StartsWith("VALIDATOR_HA_", StringComparison.Ordinal));
        Assert.DoesNotContain(dev.Spec.Template.Spec.InitContainers, c => c.Name == "ha-db-migrate");
        Assert.DoesNotContain(DevFiles.Value.SelectMany(f => f.Objects).OfType<ExternalSecret>(), e => e.Metadata.Name == ValidatorManifests.HaDatabaseSecretName);
        Assert.Equal(0, dev.Spec.UpdateStrategy.RollingUpdate.Partition);
    }

    [Fact]
    public void Should_OpenP2pToAllRpcToConfigAndMetricsToMonitoring_When_Rendered()
    {
        var policy = Single<V1NetworkPolicy>(ProdFiles.Value);
        var p2p = policy.Spec.Ingress.Single(r => r.Ports.Any(p => p.Port.Value == "40400"));
        Assert.Equal(["TCP", "UDP"], p2p.Ports.Select(p => p.Protocol).Order(StringComparer.Ordinal));
        Assert.Equal(["0.0.0.0/0", "::/0"], p2p.FromProperty.Select(f => f.IpBlock.Cidr));

        var rpc = policy.Spec.Ingress.Single(r => r.Ports.Any(p => p.Port.Value == "8080"));
        Assert.Equal(["10.50.0.0/16", "10.51.0.0/16", "10.52.0.0/16"], rpc.FromProperty.Select(f => f.IpBlock.Cidr));

        var metrics = policy.Spec.Ingress.Single(r => r.Ports.Any(p => p.Port.Value == "8889"));
        Assert.Equal("monitoring", Assert.Single(metrics.FromProperty).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);

        // Egress: DNS, HTTPS and P2P to the public internet (never the metadata endpoint), 5432 to the database's network
        Assert.Contains(policy.Spec.Egress, r => r.Ports.Any(p => p.Port.Value == "443") && r.To.All(t => t.IpBlock.Cidr != "0.0.0.0/0" || t.IpBlock.Except.Contains("169.254.0.0/16")));
        Assert.Contains(policy.Spec.Egress, r => r.Ports.Any(p => p.Port.Value == "53"));
        Assert.Contains(policy.Spec.Egress, r => r.Ports.Any(p => p.Port.Value == "5432") && r.To.Single().IpBlock.Cidr == "10.50.0.0/16");
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
    }

    [Fact]
    public void Should_EncryptGp3WithStageKeyAndConfiguredPerformance_When_Rendered()
    {
        var storage = Single<V1StorageClass>(ProdFiles.Value);
        Assert.Equal("ebs.csi.aws.com", storage.Provisioner);
        Assert.Equal("gp3", storage.Parameters["type"]);
        Assert.Equal("16000", storage.Parameters["iops"]);
        Assert.Equal("1000", storage.Parameters["throughput"]);
        Assert.Equal("true", storage.Parameters["encrypted"]);
        Assert.Equal(Naming.KeyAlias("prod"), storage.Parameters["kmsKeyId"]);
        Assert.Equal("Retain", storage.ReclaimPolicy);
        Assert.Equal("WaitForFirstConsumer", storage.VolumeBindingMode);
        var claim = Assert.Single(Prod.Spec.VolumeClaimTemplates);
        Assert.Equal(storage.Metadata.Name, claim.Spec.StorageClassName);
        Assert.Equal("1000Gi", claim.Spec.Resources.Requests["storage"].ToString());
    }

    [Fact]
    public void Should_RenderPrometheusRule_When_AlertRulesAreGiven()
    {
        // Given the monitoring seam fed with one rule
        var config = StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "prod.yaml")).Config;
        var rule = new AlertRule("AztecNodeDown", "up{job=\"aztec\"} == 0", "5m",
            System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("severity", "critical")]),
            System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("summary", "node down")]));

        // When rendered
        var files = ValidatorManifests.Render(KubernetesStageAdapter.FromStage(config, new KubernetesOptions()), [rule]);

        // Then a PrometheusRule file carries it and kustomize lists it; without rules there is none
        var text = ManifestWriter.ToYaml(files.Single(f => f.FileName == "prometheusrule.yaml"));
        Assert.Contains("alert: AztecNodeDown", text, StringComparison.Ordinal);
        Assert.Contains("prometheusrule.yaml", Single<Kustomization>(files).Resources);
        Assert.DoesNotContain(ProdFiles.Value, f => f.FileName == "prometheusrule.yaml");
    }
}
