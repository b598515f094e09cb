using System.Text.Json.Nodes;
using AztecInfra.Tests.Support;
using AztecInfra.Constructs;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class NodeRoleTests(SynthesizedStages stages)
{
    private const string Validators = "aztec-infra-dev-validators-us-east-1";

    private IReadOnlyList<JsonNode> Statements()
    {
        var facts = stages.Dev.Facts(Validators);
        var policies = facts.Resources.Values.Where(r => (string?)r["Type"] == "AWS::IAM::Policy").ToList();
        return policies.SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!).ToList();
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n!.ToJsonString()) : [node!.ToJsonString()];

    [Fact]
    public void Should_NeverGrantStarActionOnStarResource_When_RoleIsSynthesized()
    {
        foreach (var statement in Statements())
        {
            var actions = Strings(statement["Action"]).ToList();
            Assert.DoesNotContain(actions, a => a is "\"*\"" || a.EndsWith(":*\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Should_ReadOnlyThisNodesKeystoreAndL1Parameters_When_RoleIsSynthesized()
    {
        var read = Assert.Single(Statements(), s => (string?)s["Sid"] == "ReadThisNodesSecrets");
        var resources = string.Join("\n", Strings(read["Resource"]));
        Assert.Contains("parameter/aztec-infra/dev/nodes/validator-1/keystore", resources, StringComparison.Ordinal);
        Assert.Contains("parameter/aztec-infra/dev/l1-execution-urls", resources, StringComparison.Ordinal);
        Assert.Contains("parameter/aztec-infra/dev/l1-consensus-urls", resources, StringComparison.Ordinal);
        Assert.Contains("parameter/aztec-infra/dev/nodes/validator-1/settings", resources, StringComparison.Ordinal);
        Assert.Equal(4, read["Resource"]!.AsArray().Count);
        Assert.DoesNotContain(Statements(), s => Strings(s["Action"]).Any(a => a.Contains("ssm:GetParameter", StringComparison.Ordinal)) && Strings(s["Resource"]).Contains("\"*\""));
    }

    [Fact]
    public void Should_DecryptOnlyWithStageKeyThroughSsm_When_RoleIsSynthesized()
    {
        var decrypt = Assert.Single(Statements(), s => Strings(s["Action"]).Contains("\"kms:Decrypt\""));
        Assert.Contains("StageKey", decrypt["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("ssm.us-east-1.amazonaws.com", decrypt["Condition"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NotAttachAnyManagedPolicy_When_RoleIsSynthesized()
    {
        // AmazonSSMManagedInstanceCore grants ssm:GetParameter on every parameter; the role must not carry it.
        var role = Assert.Single(stages.Dev.Facts(Validators).Resources.Values, r => (string?)r["Type"] == "AWS::IAM::Role");
        Assert.Null(role["Properties"]!["ManagedPolicyArns"]);
    }
}
