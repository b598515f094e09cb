using AztecInfra.Cli;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Cli;

[Collection(CdkCollection.Name)]
public sealed class PlanCommandTests
{
    private static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        TestCli.Run(new CliContext { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = env ?? new Dictionary<string, string>() }, args);

    private static readonly Lazy<(int Code, string Out, string Err, string Dir)> DevPlan = new(() =>
    {
        var dir = Path.Combine(TestEnvironment.NewTempDirectory(), "cdk.out");
        var (code, output, error) = Run(null, "plan", "--stage", "dev", "--out", dir);
        return (code, output, error, dir);
    });

    [Fact]
    public void Should_ExitZeroAndWriteTheAssembly_When_DevIsPlanned()
    {
        // Given no AWS credentials / When the dev stage is planned
        var plan = DevPlan.Value;

        // Then it succeeds and leaves the cloud assembly behind
        Assert.True(plan.Code == 0, plan.Err);
        Assert.True(File.Exists(Path.Combine(plan.Dir, "aztec-infra-dev-validators-us-east-1.template.json")));
    }

    [Theory]
    [InlineData("c6i.2xlarge (8 vCPU, 16 GiB, amd64)")]
    [InlineData("gp3 1000 GiB, 6000 IOPS, 250 MB/s")]
    [InlineData("data volume: gp3 1000 GiB, 6000 IOPS, 250 MB/s, encrypted with the stage key, retained on stack delete")]
    [InlineData("public inbound:  40400/tcp from 0.0.0.0/0, 40400/udp from 0.0.0.0/0, 40400/tcp from ::/0, 40400/udp from ::/0")]
    [InlineData("private inbound: 8080/tcp from 10.40.0.0/16")]
    [InlineData("nodes[0].instanceType: is below Aztec's sequencer floor")]
    [InlineData("KMS key StageKey11619627: rotation on, retained on stack delete")]
    [InlineData("IMDSv2 required")]
    [InlineData("1. aztec-infra-dev-network-us-east-1 (us-east-1)")]
    [InlineData("2. aztec-infra-dev-validators-us-east-1 (us-east-1)  after aztec-infra-dev-network-us-east-1")]
    [InlineData("| Total ")]
    public void Should_ShowWhatAReviewerChecks_When_DevIsPlanned(string expected) =>
        Assert.Contains(expected, DevPlan.Value.Out, StringComparison.Ordinal);

    [Fact]
    public void Should_PriceTheDevNodeNearTheSeedEstimate_When_Planned()
    {
        var line = DevPlan.Value.Out.Split('\n').Single(l => l.Contains("per node-month", StringComparison.Ordinal));
        Assert.Contains("validator-1: $403.95 per node-month (c6i.2xlarge", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitNonZeroNameTheFieldAndWriteNothing_When_ConfigIsMalformed()
    {
        // Given a stage file with a bad CIDR
        var dir = TestEnvironment.NewTempDirectory();
        var file = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(file, File.ReadAllText(TestEnvironment.RepoPath("config", "dev.yaml")).Replace("vpcCidr: 10.40.0.0/16", "vpcCidr: 10.40.0/16", StringComparison.Ordinal));
        var outdir = Path.Combine(dir, "cdk.out");

        // When planned
        var (code, output, error) = Run(null, "plan", "--config", file, "--out", outdir);

        // Then it fails, names the field and the value, and writes nothing
        Assert.Equal(1, code);
        Assert.Contains("regions[0].vpcCidr", error, StringComparison.Ordinal);
        Assert.Contains("10.40.0/16", error, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.False(Directory.Exists(outdir));
    }

    [Fact]
    public void Should_ShowChangesAndCostDelta_When_PlannedAgainstABaseline()
    {
        // Given the dev plan as baseline, and a change of instance type and IOPS
        var dir = TestEnvironment.NewTempDirectory();
        var changed = Path.Combine(dir, "dev.yaml");
        File.WriteAllText(changed, File.ReadAllText(TestEnvironment.RepoPath("config", "dev.yaml"))
            .Replace("instanceType: c6i.2xlarge", "instanceType: c6i.4xlarge", StringComparison.Ordinal)
            .Replace("iops: 6000", "iops: 8000", StringComparison.Ordinal));

        // When planned against the baseline
        var (code, output, error) = Run(null, "plan", "--config", changed, "--out", Path.Combine(dir, "out"), "--baseline", DevPlan.Value.Dir);

        // Then the reviewer sees what changes, what it interrupts and what it costs
        Assert.True(code == 0, error);
        Assert.Contains("monthly cost $444.87 -> $703.07 (+$258.20)", output, StringComparison.Ordinal);
        Assert.Contains("AWS::EC2::Instance (InstanceType)", output, StringComparison.Ordinal);
        Assert.Contains("stops and starts the instance (InstanceType)", output, StringComparison.Ordinal);
        Assert.Contains("AWS::EC2::Volume (Iops)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("REPLACEMENT", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_When_BaselineHasNoPlan()
    {
        var empty = TestEnvironment.NewTempDirectory();
        var (code, _, error) = Run(null, "plan", "--stage", "dev", "--out", Path.Combine(empty, "out"), "--baseline", empty);
        Assert.Equal(2, code);
        Assert.Contains("--baseline", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitNonZero_When_StageFileDoesNotExist()
    {
        var (code, _, error) = Run(null, "plan", "--stage", "nosuchstage");
        Assert.Equal(1, code);
        Assert.Contains("nosuchstage.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AskForAStage_When_PlanHasNoStageOrConfig()
    {
        var (code, _, error) = Run(null, "plan");
        Assert.NotEqual(0, code);
        Assert.Contains("--stage", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("synth")]
    [InlineData("keys")]
    public void Should_PrintHelp_When_VerbGetsHelp(string verb)
    {
        var (code, output, _) = Run(null, verb, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SynthesizeTheContextStage_When_CdkCliRunsTheApp()
    {
        // Given the environment the CDK CLI gives an app: an output directory and the context
        var outdir = Path.Combine(TestEnvironment.NewTempDirectory(), "assembly");
        var env = new Dictionary<string, string> { ["CDK_OUTDIR"] = outdir, ["CDK_CONTEXT_JSON"] = "{\"stage\":\"dev\"}" };

        // When synth runs without --stage
        var (code, output, error) = Run(env, "synth");

        // Then the context's stage is written where the CLI asked, and standard output stays empty for the CDK CLI
        Assert.True(code == 0, error);
        Assert.Contains("stage dev", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.True(File.Exists(Path.Combine(outdir, "manifest.json")));
    }
}
