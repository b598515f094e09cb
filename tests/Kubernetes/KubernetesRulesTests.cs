using System.Collections.Immutable;
using AztecInfra.Stages;
using AztecInfra.Kubernetes;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Kubernetes;

/// <summary>Every refusal of the Kubernetes path names its field; nothing is rendered when one fires.</summary>
public sealed class KubernetesRulesTests
{
    private const string A1 = "0x1111111111111111111111111111111111111111";
    private const string A2 = "0x2222222222222222222222222222222222222222";

    private static StageConfig Prod => StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "prod.yaml")).Config;

    private static StageConfig Dev => StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "dev.yaml")).Config;

    /// <summary>A valid independent stage of two nodes with their own attesters, as the renderer's input.</summary>
    private static KubernetesStage TwoIndependent()
    {
        var dev = KubernetesStageAdapter.FromStage(Dev, new KubernetesOptions());
        return dev with
        {
            Nodes =
            [
                new KubernetesNode("validator-1", "us-east-1", Naming.KeystoreParameter("dev", "validator-1"), [A1]),
                new KubernetesNode("validator-2", "us-east-1", Naming.KeystoreParameter("dev", "validator-2"), [A2]),
            ],
            Replicas = 2,
        };
    }

    private static ConfigIssue SingleRenderError(KubernetesStage stage, string field)
    {
        var ex = Assert.Throws<ConfigValidationException>(() => ValidatorManifests.Render(stage));
        var issue = Assert.Single(ex.Issues);
        Assert.Equal(field, issue.Field);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        return issue;
    }

    private static ConfigIssue SingleAdapterError(StageConfig config, string field, KubernetesOptions? options = null)
    {
        var ex = Assert.Throws<ConfigValidationException>(() => KubernetesStageAdapter.FromStage(config, options ?? new KubernetesOptions()));
        var issue = Assert.Single(ex.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal(field, issue.Field);
        return issue;
    }

    [Fact]
    public void Should_Render_When_IndependentNodesHaveTheirOwnAttesters()
    {
        Assert.NotEmpty(ValidatorManifests.Render(TwoIndependent()));
    }

    [Fact]
    public void Should_RefuseSharedAttester_When_IndependentWithMoreThanOneReplica()
    {
        // Given two pods in independent mode that both list A1
        var stage = TwoIndependent();
        stage = stage with { Nodes = [stage.Nodes[0], stage.Nodes[1] with { Attesters = [A2, A1.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)] }] };

        // Then rendering is refused, naming the field, the attester and both nodes
        var issue = SingleRenderError(stage, "nodes[1].attesters[1]");
        Assert.Equal(A1, issue.Value);
        Assert.Contains("validator-1 and validator-2", issue.Message, StringComparison.Ordinal);
        Assert.Contains("double-sign", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseReplicas_When_TheyDifferFromTheNodeCount()
    {
        // A third pod would have no node and no keystore; the renderer never emits one
        var issue = SingleRenderError(TwoIndependent() with { Replicas = 3 }, "replicas");
        Assert.Contains("number of nodes (2)", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseSharedSigner_When_NoDatabase()
    {
        var prod = KubernetesStageAdapter.FromStage(Prod, new KubernetesOptions());
        SingleRenderError(prod with { HaDatabase = null }, "ha.database");
    }

    [Fact]
    public void Should_RefuseSharedSigner_When_OneReplica()
    {
        var prod = KubernetesStageAdapter.FromStage(Prod, new KubernetesOptions());
        SingleRenderError(prod with { Nodes = [prod.Nodes[0]], Replicas = 1 }, "ha.mode");
    }

    [Fact]
    public void Should_RefuseDatabase_When_Independent()
    {
        SingleRenderError(TwoIndependent() with { HaDatabase = new HaDatabaseRef("aztec-infra/dev/ha-database", "us-east-1", "10.40.0.0/16") }, "ha.database");
    }

    [Fact]
    public void Should_RefuseNodeId_When_NotUsableInASecretName()
    {
        var stage = TwoIndependent();
        SingleRenderError(stage with { Nodes = [stage.Nodes[0], stage.Nodes[1] with { Id = "validator-" }] }, "nodes[1].id");
    }

    [Fact]
    public void Should_ApplyTheStageRules_When_AStageConfigSharesAnAttesterInIndependentMode()
    {
        // Given a StageConfig built in code (never through the loader) with A1 on two independent nodes
        var dev = Dev;
        var node = dev.Nodes[0] with { Attesters = [A1] };
        var config = dev with { Nodes = [node, node with { Id = "validator-2" }] };

        // Then the adapter refuses with the loader's own rule and field
        var issue = SingleAdapterError(config, "nodes[1].attesters[0]");
        Assert.Contains("independent mode", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ApplyTheStageRules_When_TwoNodesShareAPublisher()
    {
        var prod = Prod;
        const string publisher = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        var config = prod with { Nodes = [prod.Nodes[0] with { Publisher = publisher }, prod.Nodes[1] with { Publisher = publisher }, prod.Nodes[2]] };
        SingleAdapterError(config, "nodes[1].publisher");
    }

    [Fact]
    public void Should_ApplyTheStageRules_When_SharedSignerHasNoDatabase()
    {
        var prod = Prod;
        SingleAdapterError(prod with { Ha = prod.Ha with { Database = null } }, "ha.database");
    }

    [Fact]
    public void Should_RefuseDifferentDataVolumes_When_NodesAskForDifferentSizes()
    {
        // One claim template serves every pod
        var prod = Prod;
        var bigger = prod.Nodes[1] with { DataVolume = prod.Nodes[1].DataVolume! with { SizeGiB = 2000 } };
        var issue = SingleAdapterError(prod with { Nodes = [prod.Nodes[0], bigger, prod.Nodes[2]] }, "nodes[1].dataVolume");
        Assert.Contains("2000 GiB", issue.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseKmsKey_When_NotAnArn()
    {
        SingleAdapterError(Prod, "--kms-key-arn", new KubernetesOptions { KmsKeyArn = "my-key" });
    }

    [Fact]
    public void Should_UseTheKeyAliasArn_When_TheStageNamesItsAccount()
    {
        var stage = KubernetesStageAdapter.FromStage(Prod with { Account = "123456789012" }, new KubernetesOptions());
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:alias/aztec-infra/prod", stage.Storage.KmsKeyId);
    }

    [Fact]
    public void Should_RefuseNamespace_When_NotADnsLabel()
    {
        SingleAdapterError(Prod, "--namespace", new KubernetesOptions { Namespace = "Aztec_Prod" });
    }

    [Fact]
    public void Should_ProvisionLocally_When_LocalNvmeIsChosen()
    {
        var files = ValidatorManifests.Render(KubernetesStageAdapter.FromStage(Prod, new KubernetesOptions { Storage = StorageKind.LocalNvme }));
        var storage = files.SelectMany(f => f.Objects).OfType<k8s.Models.V1StorageClass>().Single();
        Assert.Equal("kubernetes.io/no-provisioner", storage.Provisioner);
        Assert.Equal("aztec-prod-local-nvme", storage.Metadata.Name);
        Assert.Equal("WaitForFirstConsumer", storage.VolumeBindingMode);
    }
}
