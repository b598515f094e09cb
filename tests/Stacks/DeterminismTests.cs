using AztecInfra.Constructs;
using AztecInfra.Stages;
using AztecInfra.Tests.Support;
using AztecInfra.Stacks;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class DeterminismTests(SynthesizedStages stages)
{
    [Fact]
    public void Should_ProduceByteIdenticalTemplates_When_SameConfigIsSynthesizedTwice()
    {
        // Given the dev stage already synthesized once
        var first = stages.Dev;

        // When synthesized again into another directory
        var again = StageApp.Synthesize(first.Config, TestEnvironment.NewTempDirectory());

        // Then every template is byte for byte the same
        Assert.Equal(first.Assembly.Stacks.Select(s => s.StackName), again.Stacks.Select(s => s.StackName));
        foreach (var (a, b) in first.Assembly.Stacks.Zip(again.Stacks))
        {
            Assert.Equal(File.ReadAllBytes(a.TemplatePath), File.ReadAllBytes(b.TemplatePath));
        }
    }

    [Fact]
    public void Should_SynthesizeWithoutLookups_When_AccountIsGiven()
    {
        // Given the dev stage with a concrete account (which would normally make CDK look zones up)
        var yaml = File.ReadAllText(TestEnvironment.RepoPath("config", "dev.yaml")) + "\naccount: \"123456789012\"\n";
        var config = StageConfigLoader.Parse(yaml).Config;

        // When synthesized
        var dir = TestEnvironment.NewTempDirectory();
        StageApp.Synthesize(config, dir);

        // Then the manifest records no missing context
        Assert.DoesNotContain("\"missing\"", File.ReadAllText(Path.Combine(dir, "manifest.json")), StringComparison.Ordinal);
    }
}
