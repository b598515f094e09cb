using System.Text.RegularExpressions;
using AztecInfra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace AztecInfra.Tests.Docs;

/// <summary>What the workflows promise beyond what actionlint checks: pinned actions, least privilege, no secrets.</summary>
public sealed partial class WorkflowTests
{
    private static YamlMappingNode Load(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(TestEnvironment.RepoPath(".github", "workflows", name))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<YamlMappingNode> Jobs(YamlMappingNode workflow) =>
        ((YamlMappingNode)workflow["jobs"]).Children.Values.Cast<YamlMappingNode>();

    [Theory]
    [InlineData("plan.yml")]
    [InlineData("test.yml")]
    public void Should_PinEveryActionByFullCommitSha_When_AWorkflowUsesOne(string name)
    {
        var uses = Jobs(Load(name))
            .SelectMany(j => ((YamlSequenceNode)j["steps"]).Children.Cast<YamlMappingNode>())
            .Where(s => s.Children.ContainsKey("uses"))
            .Select(s => ((YamlScalarNode)s["uses"]).Value!)
            .ToList();
        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.Matches(PinnedAction(), u));
    }

    [Theory]
    [InlineData("plan.yml")]
    [InlineData("test.yml")]
    public void Should_DeclarePermissionsAndCancelStaleRuns_When_Defined(string name)
    {
        var workflow = Load(name);
        Assert.True(workflow.Children.ContainsKey("permissions"));
        var concurrency = (YamlMappingNode)workflow["concurrency"];
        Assert.Equal("true", ((YamlScalarNode)concurrency["cancel-in-progress"]).Value);
    }

    [Fact]
    public void Should_RunHeadCodeReadOnlyAndWithoutSecrets_When_PlanningAPullRequest()
    {
        // The workflow grants nothing by default; the job that runs the change can only read; only the job
        // that runs no checked-out code may write a comment; no secret is referenced anywhere.
        var text = File.ReadAllText(TestEnvironment.RepoPath(".github", "workflows", "plan.yml"));
        var workflow = Load("plan.yml");
        Assert.Empty((YamlMappingNode)workflow["permissions"]);
        var jobs = (YamlMappingNode)workflow["jobs"];
        var plan = (YamlMappingNode)((YamlMappingNode)jobs["plan"])["permissions"];
        Assert.Equal("read", ((YamlScalarNode)plan["contents"]).Value);
        Assert.Single(plan.Children);
        var comment = (YamlMappingNode)jobs["comment"];
        Assert.Equal("write", ((YamlScalarNode)((YamlMappingNode)comment["permissions"])["pull-requests"]).Value);
        Assert.DoesNotContain("actions/checkout", string.Join("\n", ((YamlSequenceNode)comment["steps"]).Children.Select(s => s.ToString())), StringComparison.Ordinal);
        Assert.DoesNotContain("secrets.", text, StringComparison.Ordinal);
        Assert.Contains("<!-- aztec-infra-plan -->", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RunTheReadmesTestCommand_When_TestWorkflowRuns()
    {
        var text = File.ReadAllText(TestEnvironment.RepoPath(".github", "workflows", "test.yml"));
        Assert.Contains("run: bash scripts/test.sh", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();
}
