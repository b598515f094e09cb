using System.Text.Json.Nodes;
using AztecInfra.Bootstrap;
using AztecInfra.Plan;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class ProverStageTests(SynthesizedStages stages)
{
    private const string Validators = "aztec-infra-provers-validators-us-east-1";

    // A ROLE line of the settings file inside the cloud-config (the embedded script mentions ROLE= too).
    private static readonly System.Text.RegularExpressions.Regex SettingsRoleLine = new("(?m)^\\s*ROLE=");

    private TemplateFacts Facts => stages.Provers.Facts(Validators);

    private InstanceFact Instance(string node) => Assert.Single(Facts.Instances, i => i.NodeId == node);

    // The monitoring host's fixed private address, as the one /32 every node admits.
    private string Monitoring() => Assert.Single(Instance("validator-1").Ingress, r => r.FromPort == 9100).Source;

    [Fact]
    public void Should_RunAgentsInAnAutoScalingGroup_When_TheStageHasAProverSet()
    {
        // Given config/provers.yaml (agents: count 2, spot) / Then one group of two, all Spot, rebalancing
        var group = Assert.Single(Facts.AutoScalingGroups);
        Assert.Equal("agents", group.NodeId);
        Assert.Equal(2, group.DesiredCapacity);
        Assert.True(group.Spot);
        Assert.True(group.CapacityRebalance);
        Assert.Equal("c6i.16xlarge", group.LaunchTemplate.InstanceType);
        Assert.True(group.LaunchTemplate.ImdsV2Required);
        Assert.Equal(1, group.LaunchTemplate.HopLimit);
        Assert.Empty(group.Ingress);
        var root = Assert.Single(group.LaunchTemplate.Volumes);
        Assert.True(root.Encrypted && root.CustomerKey);
    }

    [Fact]
    public void Should_AdmitOnlyTheProverNodeAndAgentsOnTheBroker_When_Synthesized()
    {
        // The broker: no public port; 8080 only from two security groups, and the monitoring host's /32 on the
        // /status probe and the two metrics ports (no other CIDR at all).
        var broker = Instance("broker");
        Assert.DoesNotContain(broker.Ingress, r => r.IsPublic);
        var monitoring = Monitoring();
        Assert.Equal(
            ["8080/tcp from " + monitoring, "8080/tcp from security group", "8080/tcp from security group", "8889/tcp from " + monitoring, "9100/tcp from " + monitoring],
            broker.Ingress.Select(r => $"{r.PortText} from {r.Source}").Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0, broker.ElasticIps);

        var sources = Facts.Resources.Values
            .Where(r => (string?)r["Type"] == "AWS::EC2::SecurityGroupIngress")
            .Select(r => r["Properties"]!["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!.GetValue<string>())
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(2, sources.Count);
        Assert.Contains(sources, s => s.StartsWith("NodeagentsSecurityGroup", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.StartsWith("NodeproverSecurityGroup", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_OpenTheFullNodesRpcOnlyToConfiguredCidrs_When_Synthesized()
    {
        var rpc = Instance("rpc-1");
        Assert.Equal(["10.60.0.0/16", Monitoring()], rpc.Ingress.Where(r => r.FromPort == 8080).Select(r => r.Source).Order(StringComparer.Ordinal).ToArray());
        Assert.DoesNotContain(rpc.Ingress, r => r.IsPublic && r.FromPort != 40400);
    }

    [Fact]
    public void Should_RenderEachRolesCommandSettings_When_UserDataIsBuilt()
    {
        // Instance nodes: the settings the host assembles (user-data file + settings parameter); agents: user data
        var settings = stages.Provers.NodeSettings();
        Assert.False(settings["validator-1"].ContainsKey("ROLE"));
        Assert.Equal("full", settings["rpc-1"]["ROLE"]);
        Assert.Equal("0", settings["rpc-1"]["WS_NUM_HISTORIC_CHECKPOINTS"]);
        Assert.Equal("10000000", settings["rpc-1"]["P2P_ARCHIVED_TX_LIMIT"]);
        Assert.Equal("prover-node", settings["prover"]["ROLE"]);
        Assert.Equal("from-instance-tag", settings["prover"]["PROVER_BROKER_HOST"]);
        Assert.Equal("/aztec-infra/provers/nodes/prover/publisher-key", settings["prover"]["SSM_PUBLISHER_KEY_PARAMETER"]);
        Assert.False(settings["prover"].ContainsKey("SSM_KEYSTORE_PARAMETER"));
        Assert.Equal("prover-broker", settings["broker"]["ROLE"]);
        var prover = Instance("prover").UserDataText!;
        var agents = Assert.Single(Facts.AutoScalingGroups).LaunchTemplate.UserDataText!;
        Assert.Contains("ROLE=prover-agent\n", agents, StringComparison.Ordinal);
        Assert.DoesNotContain("--signal", agents[agents.LastIndexOf("runcmd:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("--signal", prover[prover.LastIndexOf("runcmd:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain("EBS_VOLUME_ID=", agents, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_LetTheProverNodeReadOnlyItsPublisherKeyAndL1_When_RoleIsSynthesized()
    {
        var policies = Facts.Resources.Values.Where(r => (string?)r["Type"] == "AWS::IAM::Policy").ToList();
        var reads = policies
            .SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Where(s => (string?)s!["Sid"] == "ReadThisNodesSecrets")
            .Select(s => s!["Resource"]!.ToJsonString())
            .ToList();
        var prover = Assert.Single(reads, r => r.Contains("nodes/prover/", StringComparison.Ordinal));
        Assert.Contains("nodes/prover/publisher-key", prover, StringComparison.Ordinal);
        Assert.DoesNotContain("keystore", prover, StringComparison.Ordinal);
        Assert.DoesNotContain(policies, p => p.ToJsonString().Contains("nodes/validator-1", StringComparison.Ordinal) && p.ToJsonString().Contains("nodes/prover", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_PriceTheAgentsAsDesiredCountTimesType_When_CostIsEstimated()
    {
        var cost = stages.Provers.Cost();
        var agents = Assert.Single(cost.Lines, l => l.Component.StartsWith("EC2 2 × c6i.16xlarge (agents", StringComparison.Ordinal));
        Assert.Equal(2 * 730m * 2.72m, agents.MonthlyUsd);
        Assert.Contains(cost.Lines, l => l.Component == "EC2 c6i.8xlarge (prover)" && l.MonthlyUsd == 730m * 1.36m);
        Assert.False(cost.HasUnpriced);
    }

    [Fact]
    public void Should_LetAutoScalingUseTheStageKey_When_OnlyTheStageHasAgents()
    {
        static bool Allows(JsonNode key) => key.ToJsonString().Contains("AWSServiceRoleForAutoScaling", StringComparison.Ordinal);
        JsonNode Key(SynthesizedStage stage, string stack) => stage.Facts(stack).Resources.Values.Single(r => (string?)r["Type"] == "AWS::KMS::Key");
        Assert.True(Allows(Key(stages.Provers, "aztec-infra-provers-network-us-east-1")));
        Assert.False(Allows(Key(stages.Dev, "aztec-infra-dev-network-us-east-1")));
    }

    [Fact]
    public void Should_HaveNoAgentGroupOrRoleTag_When_TheStageHasOnlySequencers()
    {
        Assert.Empty(stages.Dev.Facts("aztec-infra-dev-validators-us-east-1").AutoScalingGroups);
        Assert.DoesNotContain(Naming.RoleTag, stages.Dev.TemplateJson("aztec-infra-dev-validators-us-east-1"), StringComparison.Ordinal);
        Assert.DoesNotMatch(SettingsRoleLine, Assert.Single(stages.Dev.Instances()).UserDataText!);
        Assert.False(stages.Dev.NodeSettings()["validator-1"].ContainsKey("ROLE"));
    }
}
