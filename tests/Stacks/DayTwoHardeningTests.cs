using System.Text.Json.Nodes;
using AztecInfra.Constructs;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class DayTwoHardeningTests(SynthesizedStages stages)
{
    private IEnumerable<(SynthesizedStage Stage, string Stack, string LogicalId, JsonObject Resource)> All(string type) =>
        new[] { stages.Dev, stages.Prod }.SelectMany(stage => stage.Assembly.Stacks.SelectMany(s =>
            stage.Facts(s.StackName).Resources
                .Where(r => (string?)r.Value["Type"] == type)
                .Select(r => (stage, s.StackName, r.Key, r.Value))));

    private static JsonNode? Prop(JsonObject resource, string name) => resource["Properties"]?[name];

    [Fact]
    public void Should_LogRejectedTrafficOfEveryVpcToAnEncryptedGroup_When_Synthesized()
    {
        // Given every VPC of dev and prod
        var vpcs = All("AWS::EC2::VPC").ToList();
        Assert.Equal(4, vpcs.Count);
        foreach (var vpc in vpcs)
        {
            // Then its stack has a flow log of that VPC, rejected traffic, into a log group of the same stack
            var resources = vpc.Stage.Facts(vpc.Stack).Resources;
            var flowLog = Assert.Single(resources.Values, r => (string?)r["Type"] == "AWS::EC2::FlowLog");
            Assert.Equal(vpc.LogicalId, (string?)Prop(flowLog, "ResourceId")!["Ref"]);
            Assert.Equal("REJECT", (string?)Prop(flowLog, "TrafficType"));
            Assert.Equal("cloud-watch-logs", (string?)Prop(flowLog, "LogDestinationType"));
            var groupId = (string)Prop(flowLog, "LogGroupName")!["Ref"]!;

            // And the group is encrypted with the stage key, keeps records as configured, and outlives the stack
            var group = resources[groupId];
            Assert.Equal("AWS::Logs::LogGroup", (string?)group["Type"]);
            Assert.Equal(vpc.Stage.Config.FlowLogs.RetentionDays, (int)Prop(group, "RetentionInDays")!);
            var keyId = (string)Prop(group, "KmsKeyId")!["Fn::GetAtt"]![0]!;
            Assert.Equal("AWS::KMS::Key", (string?)resources[keyId]["Type"]);
            Assert.Equal("Retain", (string?)group["DeletionPolicy"]);
        }
    }

    [Fact]
    public void Should_LetCloudWatchLogsAndAlarmsUseTheStageKey_When_TheKeyPolicyIsSynthesized()
    {
        foreach (var key in All("AWS::KMS::Key"))
        {
            // Given each stage key's policy
            var statements = Prop(key.Resource, "KeyPolicy")!["Statement"]!.AsArray();
            var services = statements.Select(s => s!["Principal"]?["Service"]?.ToJsonString() ?? string.Empty).ToList();

            // Then CloudWatch Logs may use it, for this account's log groups only, and CloudWatch alarms may publish with it
            var logs = Assert.Single(statements, s => s!["Sid"]?.GetValue<string>() == "CloudWatchLogsEncryptsThisAccountsLogGroups")!;
            Assert.Contains("logs.", logs["Principal"]!["Service"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.NotNull(logs["Condition"]!["ArnLike"]!["kms:EncryptionContext:aws:logs:arn"]);
            Assert.Contains(services, s => s.Contains("cloudwatch.amazonaws.com", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Should_ProtectValidatorsFromTerminationButNotFromStop_When_Synthesized()
    {
        // The validators (the monitoring host holds no identity; its data volume is retained instead)
        var instances = All("AWS::EC2::Instance").Where(i => !i.Stack.EndsWith("-monitoring", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, instances.Count);
        foreach (var instance in instances)
        {
            // Then termination needs a deliberate step, and CloudFormation may still stop the instance to change its type or user data
            Assert.True((bool)Prop(instance.Resource, "DisableApiTermination")!);
            Assert.Null(Prop(instance.Resource, "DisableApiStop"));
        }
    }

    [Fact]
    public void Should_NotifyTheStagesEncryptedTopic_When_AnyAlarmFires()
    {
        // The validators' alarms (the monitoring host's notify the imported topic: MonitoringHostTests)
        var alarms = All("AWS::CloudWatch::Alarm").Where(a => !a.Stack.EndsWith("-monitoring", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, alarms.Count);
        foreach (var alarm in alarms)
        {
            // Given the alarm's stack and its topic
            var resources = alarm.Stage.Facts(alarm.Stack).Resources;
            var topic = Assert.Single(resources, r => (string?)r.Value["Type"] == "AWS::SNS::Topic");
            Assert.NotNull(Prop(topic.Value, "KmsMasterKeyId"));

            // Then the alarm notifies that topic when it fires and when it clears, besides its EC2 action
            var actions = Prop(alarm.Resource, "AlarmActions")!.AsArray().Select(a => a!.ToJsonString()).ToList();
            Assert.Contains(actions, a => a.Contains(topic.Key, StringComparison.Ordinal));
            Assert.Contains(actions, a => a.Contains(":automate:", StringComparison.Ordinal) || a.Contains("ec2:", StringComparison.Ordinal));
            Assert.Contains(Prop(alarm.Resource, "OKActions")!.AsArray(), a => a!.ToJsonString().Contains(topic.Key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Should_RequireTlsOnTheAlarmTopic_When_Synthesized()
    {
        foreach (var policy in All("AWS::SNS::TopicPolicy"))
        {
            var text = Prop(policy.Resource, "PolicyDocument")!.ToJsonString();
            Assert.Contains("aws:SecureTransport", text, StringComparison.Ordinal);
        }

        Assert.Equal(All("AWS::SNS::Topic").Count(), All("AWS::SNS::TopicPolicy").Count());
    }

    [Fact]
    public void Should_ExportServerAndUpgradeLogs_When_TheSigningDatabaseIsSynthesized()
    {
        var db = Assert.Single(All("AWS::RDS::DBInstance"));
        var exports = Prop(db.Resource, "EnableCloudwatchLogsExports")!.AsArray().Select(e => (string?)e).ToList();
        Assert.Equal(["postgresql", "upgrade"], exports);
    }

    [Fact]
    public void Should_GiveEverySuppressionAReasonAndAUse_When_TheStagesAreSynthesized()
    {
        // Given every cdk-nag suppression written into the dev and prod templates
        var written = new[] { stages.Dev, stages.Prod }
            .SelectMany(s => s.Assembly.Stacks.SelectMany(st => s.Facts(st.StackName).Resources.Values))
            .SelectMany(r => r["Metadata"]?["cdk_nag"]?["rules_to_suppress"]?.AsArray() ?? [])
            .Select(r => ((string)r!["id"]!, (string)r["reason"]!))
            .ToList();

        // Then each accepted finding in NagSuppressions is used somewhere, and every reason is a real sentence
        foreach (var suppression in NagSuppressions.All)
        {
            Assert.Contains((suppression.RuleId, suppression.Reason), written);
            Assert.True(suppression.Reason.Length >= 80, $"{suppression.RuleId}: the reason is too short to convince a reviewer");
            Assert.All(suppression.Reason, c => Assert.True(c < 128, $"{suppression.RuleId}: cdk-nag base64-encodes non-ASCII reasons"));
        }
    }
}
