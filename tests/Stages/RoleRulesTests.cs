using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stages;

public sealed class RoleRulesTests
{
    private const string A1 = "0x1111111111111111111111111111111111111111";
    private const string P1 = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Sequencer = "  - id: validator-1\n    instanceType: c6i.4xlarge";
    private const string ProverNode = "  - id: prover\n    role: prover-node";
    private const string Broker = "  - id: broker\n    role: prover-broker";
    private const string Agents = "  - id: agents\n    role: prover-agent\n    count: 2";

    private static string Stage(params string[] nodes) => StageYaml.Build(StageYaml.UsEast1, string.Join("\n", nodes));

    private static string Mainnet(string yaml) => yaml.Replace("network: testnet", "network: mainnet", StringComparison.Ordinal);

    [Fact]
    public void Should_ApplyEachRolesDefaults_When_OnlyTheRoleIsGiven()
    {
        // Given a prover set and a full node with nothing but their roles
        var config = StageConfigLoader.Parse(Stage(Sequencer, "  - id: rpc\n    role: full", ProverNode, Broker, "  - id: agents\n    role: prover-agent")).Config;

        // Then each gets its role's instance, disk and settings from Defaults
        Assert.Equal(NodeRole.Sequencer, config.Node("validator-1").Role);
        Assert.Equal(Defaults.ForRole[NodeRole.ProverNode].InstanceType, config.Node("prover").Instance.Name);
        Assert.Equal(Defaults.ForRole[NodeRole.ProverBroker].DataVolume!.SizeGiB, config.Node("broker").DataVolume!.SizeGiB);
        Assert.Null(config.Node("agents").DataVolume);
        Assert.Equal(new AgentPoolConfig(Defaults.ProverAgentCount, Defaults.ProverAgentSpot), config.Node("agents").Agents);
        Assert.Equal(new HistoryConfig(Defaults.HistoricCheckpoints, Defaults.ArchivedTxLimit), config.Node("rpc").History);
        Assert.Equal(Defaults.ForRole[NodeRole.Full].DataVolume!.SizeGiB, config.Node("rpc").DataVolume!.SizeGiB);
        Assert.Single(config.Sequencers);
    }

    [Fact]
    public void Should_RefuseNamingTheField_When_MainnetProverAgentHasLessThan128GiB()
    {
        // Given a mainnet agent on c6i.8xlarge (32 vCPU, 64 GiB)
        var yaml = Mainnet(Stage(ProverNode, Broker, Agents + "\n    instanceType: c6i.8xlarge"));

        // When loaded / Then refused on nodes[2].instanceType, naming the floor and the way to accept it
        var error = StageYaml.SingleError(yaml, "nodes[2].instanceType", "below Aztec's prover-agent floor (64 vCPU, 128 GiB)");
        Assert.Equal("c6i.8xlarge", error.Value);
        Assert.Contains("acceptBelowFloor: [prover-agent]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseTheAgent_When_MainnetAgentHasTheCpuButNotTheMemory()
    {
        // Given 64 vCPU but 128 GiB is the floor: r6i.8xlarge has 32 vCPU / 256 GiB, c6i.16xlarge exactly meets it
        var below = Mainnet(Stage(ProverNode, Broker, Agents + "\n    instanceType: r6i.8xlarge"));
        StageYaml.SingleError(below, "nodes[2].instanceType", "prover-agent floor");
        Assert.Empty(StageConfigLoader.Parse(Mainnet(Stage(ProverNode, Broker, Agents + "\n    instanceType: c6i.16xlarge"))).Warnings
            .Where(w => w.Field.EndsWith(".instanceType", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_WarnOnly_When_MainnetAcceptsTheAgentRoleBelowItsFloor()
    {
        var yaml = Mainnet(Stage(ProverNode, Broker, Agents + "\n    instanceType: c6i.8xlarge")) + "\nacceptBelowFloor: [prover-agent]\n";
        var warning = Assert.Single(StageConfigLoader.Parse(yaml).Warnings, w => w.Field == "nodes[2].instanceType");
        Assert.Contains("accepted by acceptBelowFloor", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_WarnNotFail_When_TestnetProverNodeIsBelowItsFloor()
    {
        var warning = Assert.Single(StageConfigLoader.Parse(Stage(ProverNode + "\n    instanceType: c6i.4xlarge", Broker, Agents)).Warnings);
        Assert.Equal("nodes[0].instanceType", warning.Field);
        Assert.Contains("prover-node floor (32 vCPU, 16 GiB)", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseTheDisk_When_MainnetFullNodeVolumeIsBelowTheDiskFloor() =>
        StageYaml.SingleError(
            Mainnet(Stage("  - id: rpc\n    role: full\n    dataVolume: {sizeGiB: 500}")),
            "nodes[0].dataVolume.sizeGiB",
            "below Aztec's full disk floor of 1000 GiB");

    [Fact]
    public void Should_StillAcceptTheSequencer_When_OnlyTheOldFlagIsSet()
    {
        // Given the pre-roles flag on mainnet / Then the sequencer below its floor is a warning, not an error
        var yaml = Mainnet(Stage("  - id: validator-1\n    instanceType: c6i.2xlarge")) + "\nacceptBelowSequencerFloor: true\n";
        var loaded = StageConfigLoader.Parse(yaml);
        Assert.Equal(NodeRole.Sequencer, Assert.Single(loaded.Config.AcceptBelowFloor));
        Assert.True(loaded.Config.AcceptBelowSequencerFloor);
    }

    [Fact]
    public void Should_RefuseAnUnknownRole_When_AcceptBelowFloorListsOne() =>
        StageYaml.SingleError(Stage(Sequencer) + "\nacceptBelowFloor: [miner]\n", "acceptBelowFloor[0]", "must be one of: sequencer, full, prover-node, prover-broker, prover-agent");

    [Fact]
    public void Should_RefuseAnUnknownRole_When_NodeRoleIsMisspelt() =>
        StageYaml.SingleError(Stage("  - id: prover\n    role: prover"), "nodes[0].role", "must be one of: sequencer, full, prover-node");

    [Fact]
    public void Should_RefuseTheSecondBroker_When_APoverSetHasTwo() =>
        StageYaml.SingleError(Stage(ProverNode, Broker, "  - id: broker-2\n    role: prover-broker", Agents), "nodes[2].role", "second prover-broker");

    [Fact]
    public void Should_RefuseTheSet_When_ItHasNoBroker() =>
        StageYaml.SingleError(Stage(ProverNode, Agents), "nodes[0].role", "without a prover-broker");

    [Fact]
    public void Should_RefuseTheSet_When_ItHasNoAgent() =>
        StageYaml.SingleError(Stage(ProverNode, Broker), "nodes[0].role", "without agents");

    [Fact]
    public void Should_RefuseTheSecondProverNode_When_TwoAreListed() =>
        StageYaml.SingleError(Stage(ProverNode, "  - id: prover-2\n    role: prover-node", Broker, Agents), "nodes[1].role", "second prover-node");

    [Fact]
    public void Should_RefuseZeroAgents_When_CountIsZero() =>
        StageYaml.SingleError(Stage(ProverNode, Broker, "  - id: agents\n    role: prover-agent\n    count: 0"), "nodes[2].count", "at least one agent");

    [Fact]
    public void Should_RefuseAttesters_When_OnAFullNode() =>
        StageYaml.SingleError(Stage($"  - id: rpc\n    role: full\n    attesters: [\"{A1}\"]"), "nodes[0].attesters", "only sequencers sign");

    [Fact]
    public void Should_RefuseAttesters_When_OnTheProverNode() =>
        StageYaml.SingleError(Stage($"{ProverNode}\n    attesters: [\"{A1}\"]", Broker, Agents), "nodes[0].attesters", "must be empty for role prover-node");

    [Fact]
    public void Should_RefuseTheProverPublisher_When_ASequencerPublishesWithIt()
    {
        // Given the prover node recording the sequencer's publisher
        var yaml = Stage($"{Sequencer}\n    publisher: \"{P1}\"", $"{ProverNode}\n    publisher: \"{P1}\"", Broker, Agents);

        // Then the publisher rule of SlashingRules refuses it on the prover node's field
        var error = StageYaml.SingleError(yaml, "nodes[1].publisher", "is the publisher of both validator-1 and prover");
        Assert.Equal(P1, error.Value);
    }

    [Fact]
    public void Should_RefuseTheProverPublisher_When_ItIsASequencersAttester()
    {
        // A sequencer without a publisher sends its L1 transactions from its attester account.
        var yaml = Stage($"{ProverNode}\n    publisher: \"{A1}\"", Broker, Agents, $"{Sequencer}\n    attesters: [\"{A1}\"]");
        StageYaml.SingleError(yaml, "nodes[0].publisher", "prover publisher of prover and an attester of validator-1");
    }

    [Fact]
    public void Should_RefuseAPublisher_When_OnTheBroker() =>
        StageYaml.SingleError(Stage(ProverNode, $"{Broker}\n    publisher: \"{P1}\"", Agents), "nodes[1].publisher", "only sequencers and the prover node publish");

    [Theory]
    [InlineData("  - id: validator-1\n    count: 3", "nodes[0].count", "only applies to role prover-agent")]
    [InlineData("  - id: validator-1\n    spot: true", "nodes[0].spot", "only applies to role prover-agent")]
    [InlineData("  - id: validator-1\n    history: {historicCheckpoints: 0}", "nodes[0].history", "only applies to role full")]
    [InlineData("  - id: rpc\n    role: full\n    history: {historicCheckpoints: -1}", "nodes[0].history.historicCheckpoints", "whole number")]
    public void Should_RefuseNamingTheField_When_ASettingDoesNotFitTheRole(string node, string field, string text) =>
        StageYaml.SingleError(Stage(node), field, text);

    [Fact]
    public void Should_RefuseADataVolume_When_OnAgents() =>
        StageYaml.SingleError(Stage(ProverNode, Broker, Agents + "\n    dataVolume: {sizeGiB: 100}"), "nodes[2].dataVolume", "agents are stateless");

    [Fact]
    public void Should_RefuseAZone_When_OnAgents() =>
        StageYaml.SingleError(Stage(ProverNode, Broker, Agents + "\n    availabilityZone: us-east-1a"), "nodes[2].availabilityZone", "every zone of the region");

    [Fact]
    public void Should_RefuseTheSet_When_ItSpansTwoRegions()
    {
        var regions = StageYaml.UsEast1 + "\n  - name: eu-west-1\n    availabilityZones: [eu-west-1a]\n    vpcCidr: 10.41.0.0/16";
        var yaml = StageYaml.Build(regions, string.Join("\n", ProverNode, Broker, Agents + "\n    region: eu-west-1"));
        StageYaml.SingleError(yaml, "nodes[2].region", "share one VPC");
    }

    [Fact]
    public void Should_CountOnlySequencers_When_SharedSignerNeedsTwoNodes()
    {
        // Given shared-signer with one sequencer and a full node: HA needs two signing nodes
        var yaml = StageYaml.Build(StageYaml.UsEast1, string.Join("\n", Sequencer, "  - id: rpc\n    role: full"), "shared-signer\n  database: {region: us-east-1}");
        StageYaml.SingleError(yaml, "ha.mode", "needs at least two nodes; this stage has 1");
    }

    [Fact]
    public void Should_PlanEveryRole_When_TheShippedProversStageIsLoaded()
    {
        var loaded = StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "provers.yaml"));
        Assert.Equal(
            [NodeRole.Sequencer, NodeRole.Full, NodeRole.ProverNode, NodeRole.ProverBroker, NodeRole.ProverAgent],
            loaded.Config.Nodes.Select(n => n.Role));
        Assert.Empty(loaded.Warnings);
    }
}
