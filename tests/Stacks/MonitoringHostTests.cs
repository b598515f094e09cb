using System.Text.Json.Nodes;
using AztecInfra.Bootstrap;
using AztecInfra.Constructs;
using AztecInfra.Primitives;
using AztecInfra.Stacks;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class MonitoringHostTests(SynthesizedStages stages)
{
    public static TheoryData<string> Stages => ["dev", "prod"];

    private SynthesizedStage Stage(string name) => name == "dev" ? stages.Dev : stages.Prod;

    private static string MonitoringStack(SynthesizedStage stage) => Naming.MonitoringStackName(stage.Config.Stage);

    private static IEnumerable<JsonObject> OfType(SynthesizedStage stage, string stack, string type) =>
        stage.Facts(stack).Resources.Values.Where(r => (string?)r["Type"] == type);

    private static string HostAddress(SynthesizedStage stage)
    {
        var instance = OfType(stage, MonitoringStack(stage), "AWS::EC2::Instance").Single();
        return (string)instance["Properties"]!["PrivateIpAddress"]!;
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_DeployOneHardenedHostWithNoInboundRule_When_StageIsSynthesized(string name)
    {
        var stage = Stage(name);

        // Given the stage's stacks, exactly one monitoring host in the primary region
        var hosts = stage.Assembly.Stacks.SelectMany(s => stage.Facts(s.StackName).Instances.Where(i => !i.IsValidator).Select(i => (s, i))).ToList();
        var (stack, host) = Assert.Single(hosts);
        Assert.Equal(stage.Config.PrimaryRegion.Name, stack.Region);
        Assert.Equal("monitoring", host.Role);

        // Then it has no inbound rule at all, IMDSv2 with one hop, and both volumes encrypted with the stage key
        Assert.Empty(host.Ingress);
        Assert.True(host.ImdsV2Required);
        var template = OfType(stage, stack.StackName, "AWS::EC2::LaunchTemplate").Single();
        Assert.Equal(1, (int)template["Properties"]!["LaunchTemplateData"]!["MetadataOptions"]!["HttpPutResponseHopLimit"]!);
        Assert.All(host.Volumes, v => Assert.True(v.Encrypted && v.CustomerKey));

        // And the data volume is separate, gp3, of the configured size, and outlives the stack
        var data = Assert.Single(host.Volumes, v => v.Kind == "data");
        Assert.Equal("gp3", data.VolumeType);
        Assert.Equal(stage.Config.MonitoringHost.DataVolumeGiB, data.SizeGiB);
        Assert.True(data.Retained);
        Assert.Equal(stage.Config.MonitoringHost.Instance.Name, host.InstanceType);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_AdmitOnlyTheHostsAddressToTheMetricsPorts_When_ValidatorsAreSynthesized(string name)
    {
        var stage = Stage(name);
        var address = HostAddress(stage);

        // Given the host's fixed address, the last usable one of the primary region's first public subnet
        Assert.EndsWith(".254", address, StringComparison.Ordinal);

        // Then every validator opens 8889 and 9100 to that /32 and to nothing else
        var validators = stage.Instances().ToList();
        Assert.NotEmpty(validators);
        foreach (var node in validators)
        {
            foreach (var port in new[] { Ports.CollectorMetrics, Ports.NodeExporter })
            {
                var rule = Assert.Single(node.Ingress, r => r.FromPort <= port && r.ToPort >= port);
                Assert.Equal($"{address}/32", rule.Source);
            }

            // And /status on 8080 is open to the host too (for the blackbox probe)
            Assert.Contains(node.Ingress, r => r.FromPort == Ports.Rpc && r.Source == $"{address}/32");
        }

        // And each node's metrics listen on its private address, read from instance metadata at start
        Assert.All(stage.NodeSettings().Values, s => Assert.Equal(NodeSettings.FromInstanceMetadata, s["METRICS_BIND"]));
    }

    [Fact]
    public void Should_LetTheHostProbeTheHaDatabase_When_StageSharesASigner()
    {
        var stage = stages.Prod;
        var db = Assert.Single(stage.Assembly.Stacks.SelectMany(s => stage.Facts(s.StackName).Databases));
        Assert.Contains(db.Ingress, r => r.FromPort == Ports.Postgres && r.Source == $"{HostAddress(stage)}/32");
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_GrantTheRoleOnlyWhatTheHostUses_When_Synthesized(string name)
    {
        var stage = Stage(name);
        var statements = OfType(stage, MonitoringStack(stage), "AWS::IAM::Policy")
            .SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => s!.AsObject())
            .ToDictionary(s => (string)s["Sid"]!, StringComparer.Ordinal);

        // Then sns:Publish is on one topic, never '*'
        var publish = statements["PublishToStageTopic"];
        Assert.Equal("sns:Publish", (string?)publish["Action"]);
        Assert.IsNotType<JsonArray>(publish["Resource"]);
        Assert.NotEqual("*", publish["Resource"]!.ToJsonString().Trim('"'));

        // And PutMetricData only into the heartbeat's namespace
        var metric = statements["PutHeartbeatMetric"];
        Assert.Equal("cloudwatch:PutMetricData", (string?)metric["Action"]);
        Assert.Equal(Naming.HeartbeatNamespace, (string?)metric["Condition"]!["StringEquals"]!["cloudwatch:namespace"]);

        // And GetParameter only on its own deployment parameter
        var read = statements["ReadOwnParameters"];
        Assert.Equal("ssm:GetParameter", (string?)read["Action"]);
        Assert.Contains(Naming.MonitoringDeploymentParameter(stage.Config.Stage).TrimStart('/'), read["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("parameter/*", read["Resource"]!.ToJsonString(), StringComparison.Ordinal);

        // And KMS only through SSM or SNS in its region; no other statement exists
        Assert.Equal(
            ["DecryptWithStageKeyThroughSsm", "EncryptForStageTopicThroughSns", "PublishToStageTopic", "PutHeartbeatMetric", "ReadOwnParameters", "SsmAgentCore"],
            statements.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(OfType(stage, MonitoringStack(stage), "AWS::IAM::Role"), r => r["Properties"]!["ManagedPolicyArns"] is not null && r["Properties"]!["AssumeRolePolicyDocument"]!.ToJsonString().Contains("ec2.amazonaws.com", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_PageThroughTheTopic_When_TheHeartbeatStops(string name)
    {
        var stage = Stage(name);
        var facts = stage.Facts(MonitoringStack(stage));

        // Given the alarm on the heartbeat metric of this stage
        var heartbeat = Assert.Single(facts.Alarms, a => a.Metric == Naming.HeartbeatMetric);
        Assert.Equal(Naming.HeartbeatNamespace, heartbeat.Namespace);
        var resource = facts.Resources[heartbeat.LogicalId]["Properties"]!;
        Assert.Equal(stage.Config.Stage, (string?)resource["Dimensions"]![0]!["Value"]);

        // Then missing data pages, and it notifies the stage's alarm topic
        Assert.Equal("breaching", heartbeat.TreatMissingData);
        Assert.NotEmpty(heartbeat.NotifiesTopics);
        Assert.Contains("AlarmTopic", heartbeat.NotifiesTopics[0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_KeepStaticUserDataUnderTheLimit_When_TheBundleIsEmbedded(string name)
    {
        var stage = Stage(name);
        var host = stage.Facts(MonitoringStack(stage)).Instances.Single();

        // Then the compressed user data fits EC2's limit and holds no deploy-time value
        Assert.InRange(host.UserDataBytes, 1, CloudConfig.UserDataLimitBytes);
        Assert.Contains("setup-monitoring.sh ec2-boot", host.UserDataText, StringComparison.Ordinal);
        Assert.Contains("prometheus/rules/aztec-alerts.yml", host.UserDataText, StringComparison.Ordinal);
        Assert.DoesNotContain("aztec-rules.test.yml", host.UserDataText, StringComparison.Ordinal);
        Assert.DoesNotContain("Token[", host.UserDataText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_CarryTargetsAndTopicInTheParameter_When_Synthesized(string name)
    {
        var stage = Stage(name);
        var parameter = OfType(stage, MonitoringStack(stage), "AWS::SSM::Parameter")
            .Single(p => (string?)p["Properties"]!["Name"] == Naming.MonitoringDeploymentParameter(stage.Config.Stage));
        // The value is an Fn::Join of literal text and deploy-time references; the literal parts, concatenated:
        var join = parameter["Properties"]!["Value"]!["Fn::Join"]![1]!.AsArray();
        var value = string.Concat(join.Select(p => p is JsonValue v ? (string)v! : "<" + p!.ToJsonString() + ">"));

        // Then the value is assembled at deploy time from every node's private address and the topic's ARN
        Assert.Contains("PrivateIp", value, StringComparison.Ordinal);
        Assert.Contains("sns_configs", value, StringComparison.Ordinal);
        Assert.Contains("alertmanager/alertmanager.yml", value, StringComparison.Ordinal);
        foreach (var node in stage.Config.Nodes)
        {
            Assert.Contains($"\\\"instance\\\": \\\"{node.Id}\\\"", value, StringComparison.Ordinal);
        }

        // And it fits the tier the stack chose for its longest possible value
        var bytes = ((AztecInfra.Stacks.MonitoringStack)stage.App.Node.FindChild(MonitoringStack(stage))).WorstCaseDeploymentBytes;
        Assert.InRange(bytes, 1, AztecInfra.Stacks.MonitoringStack.AdvancedParameterBytes);
        Assert.Equal(bytes > AztecInfra.Stacks.MonitoringStack.StandardParameterBytes ? "Advanced" : "Standard", (string?)parameter["Properties"]!["Tier"]);
    }

    [Fact]
    public void Should_PriceTheHostAndItsHeartbeat_When_ProdIsEstimated()
    {
        var cost = stages.Prod.Cost();
        var hostLines = cost.Lines.Where(l => l.NodeId == "monitoring host").ToList();
        Assert.Contains(hostLines, l => l.Component == "EC2 t3.medium (monitoring host)" && l.MonthlyUsd == 0.0416m * 730);
        Assert.Contains(hostLines, l => l.Component == "EBS gp3 data 50 GiB (monitoring host)" && l.MonthlyUsd == 4.00m);
        Assert.Contains(hostLines, l => l.Component == "EBS gp3 root 20 GiB (monitoring host)" && l.MonthlyUsd == 1.60m);
        Assert.Contains(cost.Lines, l => l.Component == $"CloudWatch alarm {Naming.HeartbeatNamespace} {Naming.HeartbeatMetric}" && l.MonthlyUsd == 0.10m);
    }
}
