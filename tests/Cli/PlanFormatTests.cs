using System.Text.Json;
using System.Xml.Linq;
using AztecInfra.Cli;
using AztecInfra.Cli.Keys;
using AztecInfra.Keys;
using AztecInfra.Tests.Support;
using Moq;

namespace AztecInfra.Tests.Cli;

/// <summary>plan --format markdown|json, --diagram with the real Graphviz dot, and clean errors for unusable paths.</summary>
[Collection(CdkCollection.Name)]
public sealed class PlanFormatTests
{
    private static CliContext Context(IProcessRunner? runner = null) => new()
    {
        RepositoryRoot = TestEnvironment.RepositoryRoot,
        Environment = new Dictionary<string, string>(),
        Keys = KeysDependencies.Real() with { ProcessRunner = runner ?? new ProcessRunner() },
    };

    private static (int Code, string Out, string Err) Run(params string[] args) => TestCli.Run(Context(), args);

    private static readonly Lazy<string> Baseline = new(() =>
    {
        var dir = Path.Combine(TestEnvironment.NewTempDirectory(), "base");
        var (code, _, error) = Run("plan", "--stage", "dev", "--out", dir);
        Assert.True(code == 0, error);
        return dir;
    });

    /// <summary>The acceptance change: a newer image and a bigger data volume, planned as markdown against the base.</summary>
    private static readonly Lazy<(int Code, string Out, string Err, string Svg)> Change = new(() =>
    {
        var dir = TestEnvironment.NewTempDirectory();
        var changed = Path.Combine(dir, "dev.yaml");
        File.WriteAllText(changed, File.ReadAllText(TestEnvironment.RepoPath("config", "dev.yaml"))
            .Replace("aztecprotocol/aztec:5.2.0", "aztecprotocol/aztec:5.3.0", StringComparison.Ordinal)
            .Replace("sizeGiB: 1000", "sizeGiB: 2000", StringComparison.Ordinal));
        var svg = Path.Combine(dir, "stage.svg");
        var (code, output, error) = Run("plan", "--config", changed, "--out", Path.Combine(dir, "out"), "--baseline", Baseline.Value, "--format", "markdown", "--diagram", svg);
        return (code, output, error, svg);
    });

    [Fact]
    public void Should_WriteACommentUnder120ColumnsWithCostDeltaAndOldNewValues_When_ImageIsBumpedAndVolumeGrows()
    {
        var (code, output, error, _) = Change.Value;
        Assert.True(code == 0, error);

        // No line wider than 120 characters
        Assert.All(output.Split('\n'), l => Assert.True(l.Length <= 120, $"{l.Length}: {l}"));

        // The cost before → after comes first, then warnings, then the changes, then the details
        var cost = output.IndexOf("**$444.87 → $524.87** (+$80.00 per month)", StringComparison.Ordinal);
        var warnings = output.IndexOf("### Warnings", StringComparison.Ordinal);
        var changes = output.IndexOf("### Changes against the baseline", StringComparison.Ordinal);
        var details = output.IndexOf("<details>", StringComparison.Ordinal);
        Assert.True(cost > 0 && cost < warnings && warnings < changes && changes < details, output);

        // Old → new values of the changed properties
        // (the image lives in the node's settings parameter: the change reaches the node by rollout, never by a stop)
        Assert.Contains("`AZTEC_IMAGE` (in Value): `aztecprotocol/aztec:5.2.0` → `aztecprotocol/aztec:5.3.0`", output, StringComparison.Ordinal);
        Assert.Contains("`Size`: `1000` → `2000`", output, StringComparison.Ordinal);
        Assert.Contains("`aztec-infra rollout --stage dev`", output, StringComparison.Ordinal);
        Assert.DoesNotContain("stops and starts the instance", output, StringComparison.Ordinal);

        // Messages went to standard error, and the comment links the diagram
        Assert.Contains("Diagram written to", error, StringComparison.Ordinal);
        Assert.Contains("[stage.svg](stage.svg)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RenderTheStageWithDot_When_DiagramIsAsked()
    {
        // Given the plan above, rendered by the real Graphviz dot
        var (code, _, error, svg) = Change.Value;
        Assert.True(code == 0, error);

        // Then the SVG is well-formed and shows the region, the VPC with its CIDR, the node with role and type, and the public ports
        var text = string.Join("\n", XDocument.Load(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("us-east-1: VPC 10.40.0.0/16", text, StringComparison.Ordinal);
        Assert.Contains("validator-1", text, StringComparison.Ordinal);
        Assert.Contains("sequencer", text, StringComparison.Ordinal);
        Assert.Contains("c6i.2xlarge (8 vCPU, 16 GiB)", text, StringComparison.Ordinal);
        Assert.Contains("public: 40400/tcp, 40400/udp", text, StringComparison.Ordinal);
        Assert.Contains("internet", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_DrawPeeringAndTheDatabase_When_ProdIsDiagrammed()
    {
        // Given prod (three regions, peering, HA database) / When diagrammed with dot
        var dir = TestEnvironment.NewTempDirectory();
        var svg = Path.Combine(dir, "prod.svg");
        var (code, _, error) = Run("plan", "--stage", "prod", "--out", Path.Combine(dir, "out"), "--format", "json", "--diagram", svg);
        Assert.True(code == 0, error);

        // Then every region's CIDR, the three peering connections and the database are drawn
        var text = string.Join("\n", XDocument.Load(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("10.50.0.0/16", text, StringComparison.Ordinal);
        Assert.Contains("10.51.0.0/16", text, StringComparison.Ordinal);
        Assert.Contains("10.52.0.0/16", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n').Count(l => l == "VPC peering"));
        Assert.Contains("HA signing database", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_PrintOneJsonDocument_When_FormatIsJson()
    {
        // Given the dev stage / When planned as JSON
        var (code, output, error) = Run("plan", "--stage", "dev", "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "out"), "--format", "json");

        // Then standard output is one JSON document with the cost, the lines and the guide comparison
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("dev", root.GetProperty("stage").GetString());
        Assert.Equal(444.868m, root.GetProperty("cost").GetProperty("monthlyUsd").GetDecimal());
        Assert.Contains(root.GetProperty("cost").GetProperty("lines").EnumerateArray(), l => l.GetProperty("category").GetString() == "dataTransfer");
        Assert.Equal(375m, root.GetProperty("cost").GetProperty("guideComparisons")[0].GetProperty("lines")[3].GetProperty("guideUsd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("diff").ValueKind);
    }

    [Fact]
    public void Should_NotCompareProdNodesWithTheGuide_When_Planned()
    {
        // Given prod's c6i.4xlarge nodes / When planned as text / Then no guide comparison is printed
        var (code, output, error) = Run("plan", "--stage", "prod", "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "out"));
        Assert.True(code == 0, error);
        Assert.DoesNotContain("guide", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "yaml", "yaml")]
    [InlineData("--diagram", "{dir}/stage.png", ".svg")]
    [InlineData("--diagram", "{dir}/missing/stage.svg", "does not exist")]
    [InlineData("--diagram", "{dir}", "is a directory")]
    [InlineData("--out", "{file}", "is a file")]
    [InlineData("--out", "{file}/out", "is a file")]
    [InlineData("--baseline", "{file}", "is a file")]
    [InlineData("--baseline", "{dir}/nothing", "--baseline")]
    [InlineData("--baseline", "{badbase}", "is not a plan snapshot")]
    public void Should_ExitTwoWithACleanMessageAndWriteNothing_When_APathIsUnusable(string option, string value, string expected)
    {
        // Given an unusable path (a file where a directory belongs, a missing directory, a broken snapshot...)
        var dir = TestEnvironment.NewTempDirectory();
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "x");
        var badbase = Path.Combine(dir, "badbase");
        Directory.CreateDirectory(badbase);
        File.WriteAllText(Path.Combine(badbase, "aztec-infra-plan.json"), "{ not json");
        var outdir = Path.Combine(dir, "out");
        var path = value.Replace("{dir}", dir, StringComparison.Ordinal).Replace("{file}", file, StringComparison.Ordinal).Replace("{badbase}", badbase, StringComparison.Ordinal);
        string[] args = option == "--out" ? ["plan", "--stage", "dev", option, path] : ["plan", "--stage", "dev", "--out", outdir, option, path];

        // When planned
        var (code, output, error) = Run(args);

        // Then: usage error, one clean message naming the problem, no stack trace, nothing synthesized
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.False(Directory.Exists(outdir));
    }

    [Fact]
    public void Should_FailCleanly_When_DotIsMissing()
    {
        // Given a process runner that cannot start dot (the project's seam)
        var runner = new Mock<IProcessRunner>(MockBehavior.Strict);
        runner.Setup(r => r.RunAsync(It.Is<ProcessSpec>(s => s.FileName == "dot"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new KeyOperationException("Could not start dot: No such file or directory"));
        var dir = TestEnvironment.NewTempDirectory();

        // When planned with a diagram
        var (code, _, error) = TestCli.Run(Context(runner.Object), "plan", "--stage", "dev", "--out", Path.Combine(dir, "out"), "--diagram", Path.Combine(dir, "s.svg"));

        // Then it says what to install, without a stack trace
        Assert.Equal(1, code);
        Assert.Contains("apt-get install graphviz", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
