using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.Lambda;
using AztecInfra.Constructs;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class LambdaRuntimeTests(SynthesizedStages stages)
{
    private IEnumerable<(string Template, string LogicalId, string? Runtime)> Functions()
    {
        foreach (var stage in new[] { stages.Dev, stages.Prod })
        {
            foreach (var stack in stage.Assembly.Stacks)
            {
                foreach (var (id, resource) in stage.Facts(stack.StackName).Resources)
                {
                    if ((string?)resource["Type"] is "AWS::Lambda::Function" or "AWS::Serverless::Function")
                    {
                        yield return (stack.StackName, id, (string?)resource["Properties"]?["Runtime"]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Should_UseNoDeprecatedRuntime_When_AnyTemplateHasALambdaFunction()
    {
        // Given every Lambda function of the dev and prod templates (prod's cross-region helpers among them)
        var functions = Functions().ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // Then each runs on a runtime the schedule knows, not deprecated today, and supported for a year after the review
        Assert.NotEmpty(functions);
        var problems = functions
            .Select(f => (f, Deprecation: f.Runtime is null ? null : LambdaRuntimes.DeprecationOf(f.Runtime)))
            .Where(x => x.Deprecation is not { } d || d <= today || d < LambdaRuntimes.ReviewedOn.AddYears(1))
            .Select(x => $"{x.f.Template}/{x.f.LogicalId}: {x.f.Runtime ?? "(no runtime)"} deprecated {x.Deprecation?.ToString("yyyy-MM-dd") ?? "(not in LambdaRuntimes.Schedule)"}")
            .ToList();
        Assert.Empty(problems);
    }

    [Fact]
    public void Should_PutCrossRegionHelpersOnTheSupportedNodeRuntime_When_ProdSpansRegions()
    {
        // Given the prod stage, whose mesh and non-primary network stacks carry CDK's cross-region reference handlers
        var runtimes = Functions().Where(f => f.Template.StartsWith("aztec-infra-prod-", StringComparison.Ordinal)).ToList();

        // Then there are such handlers, all on the runtime we chose
        Assert.Contains(runtimes, f => f.Template.Contains("-mesh-", StringComparison.Ordinal));
        Assert.Contains(runtimes, f => f.Template == "aztec-infra-prod-network-eu-west-1");
        Assert.All(runtimes, f => Assert.Equal(LambdaRuntimes.NodeRuntime, f.Runtime));
    }

    [Fact]
    public void Should_RewriteNodeRuntimes_When_AFunctionExistsBeforeAspectsRun()
    {
        // Given a stack with a Node.js 20 function and a Python function, and the aspect
        var app = new App();
        var stack = new Stack(app, "Scratch", new StackProps { Env = new Amazon.CDK.Environment { Region = "us-east-1" } });
        new CfnFunction(stack, "Node", new CfnFunctionProps { Role = "arn:aws:iam::123456789012:role/r", Runtime = "nodejs20.x", Handler = "index.handler", Code = new CfnFunction.CodeProperty { ZipFile = "exports.handler = async () => {};" } });
        new CfnFunction(stack, "Python", new CfnFunctionProps { Role = "arn:aws:iam::123456789012:role/r", Runtime = "python3.13", Handler = "index.handler", Code = new CfnFunction.CodeProperty { ZipFile = "def handler(e, c): pass" } });
        Aspects.Of(app).Add(new SupportedNodeRuntimeAspect());

        // When it synthesizes
        var template = Template.FromStack(stack);

        // Then only the Node.js function moved to the supported runtime
        var functions = template.FindResources("AWS::Lambda::Function");
        var runtimes = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(functions))!.AsObject()
            .ToDictionary(f => f.Key, f => (string?)f.Value!["Properties"]!["Runtime"]);
        Assert.Equal(LambdaRuntimes.NodeRuntime, runtimes["Node"]);
        Assert.Equal("python3.13", runtimes["Python"]);
    }
}
