using AztecInfra.Cli;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Cli;

[Collection(CdkCollection.Name)]
public sealed class DayTwoPlanTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) =>
        TestCli.Run(new CliContext { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = new Dictionary<string, string>() }, args);

    private static readonly Lazy<string> Baseline = new(() =>
    {
        var dir = Path.Combine(TestEnvironment.NewTempDirectory(), "base");
        var (code, _, error) = Run("plan", "--stage", "dev", "--out", dir);
        Assert.True(code == 0, error);
        return dir;
    });

    private static string DevWith(string from, string to)
    {
        var text = File.ReadAllText(TestEnvironment.RepoPath("config", "dev.yaml"));
        Assert.Contains(from, text, StringComparison.Ordinal);
        var file = Path.Combine(TestEnvironment.NewTempDirectory(), "dev.yaml");
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
        return file;
    }

    [Fact]
    public void Should_ShowTheNewImageAndTheRolloutAndLeaveTheInstanceAlone_When_AztecImageChanges()
    {
        // Given dev with aztecImage 5.2.0 as the baseline, and the same stage on 5.3.0
        var changed = DevWith("aztecImage: aztecprotocol/aztec:5.2.0", "aztecImage: aztecprotocol/aztec:5.3.0");

        // When planned against the baseline
        var (code, output, error) = Run("plan", "--config", changed, "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "out"), "--baseline", Baseline.Value);

        // Then the reviewer sees the version change, the node it restarts and how to apply it, and the instance is untouched
        Assert.True(code == 0, error);
        var diff = output[..output.IndexOf("Plan for stage", StringComparison.Ordinal)];
        Assert.Contains("AZTEC_IMAGE: aztecprotocol/aztec 5.2.0 → 5.3.0", diff, StringComparison.Ordinal);
        Assert.Contains("restarts once, at its rollout: its settings changed (AZTEC_IMAGE); the instance and its user data are untouched", diff, StringComparison.Ordinal);
        Assert.Contains("aztec-infra rollout --stage dev", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS::EC2::Instance", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("UserData", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("stops and starts", diff, StringComparison.Ordinal);
        // 5.3 is a new minor release: the reviewer is told to read its notes.
        Assert.Contains("! validator-1: Aztec 5.2.0 → 5.3.0 changes the major or minor version", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_WarnAboutTheResync_When_TheImageCrossesAMinorOrMajorRelease()
    {
        var changed = DevWith("aztecImage: aztecprotocol/aztec:5.2.0", "aztecImage: aztecprotocol/aztec:6.0.0");
        var (code, output, error) = Run("plan", "--config", changed, "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "out"), "--baseline", Baseline.Value);
        Assert.True(code == 0, error);
        Assert.Contains("! validator-1: Aztec 5.2.0 → 6.0.0 changes the major or minor version", output, StringComparison.Ordinal);
        Assert.Contains("re-syncs the archiver from L1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ShowCoinbaseOldAndNew_When_ItIsSet()
    {
        var changed = DevWith("# coinbase: \"0x...\"", "coinbase: \"0x00000000000000000000000000000000000000aa\"");
        var (code, output, error) = Run("plan", "--config", changed, "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "out"), "--baseline", Baseline.Value);
        Assert.True(code == 0, error);
        Assert.Contains("COINBASE: (not set) → 0x00000000000000000000000000000000000000aa", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ShowTheResizeAndTheSixHourRuleWithoutARestart_When_TheVolumeGrows()
    {
        var changed = DevWith("sizeGiB: 1000", "sizeGiB: 1500");
        var (code, output, error) = Run("plan", "--config", changed, "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "out"), "--baseline", Baseline.Value);
        Assert.True(code == 0, error);
        Assert.Contains("dataVolume.sizeGiB: 1000 → 1500", output, StringComparison.Ordinal);
        Assert.Contains("keeps running: nothing it runs changes", output, StringComparison.Ordinal);
        Assert.Contains("one modification per volume every six hours", output, StringComparison.Ordinal);
        Assert.Contains("grows online at the next rollout", output, StringComparison.Ordinal);
        Assert.Contains("Size: 1000 → 1500", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseNamingTheFieldAndWriteNothing_When_TheVolumeShrinks()
    {
        // Given the baseline's 1000 GiB volume shrunk to 900 GiB
        var changed = DevWith("sizeGiB: 1000", "sizeGiB: 900");
        var outdir = Path.Combine(TestEnvironment.NewTempDirectory(), "out");

        // When planned against the baseline
        var (code, output, error) = Run("plan", "--config", changed, "--out", outdir, "--baseline", Baseline.Value);

        // Then it is refused with the field, the value and the size EBS needs, and nothing is synthesized
        Assert.Equal(1, code);
        Assert.Contains("nodes[0].dataVolume.sizeGiB", error, StringComparison.Ordinal);
        Assert.Contains("(got '900')", error, StringComparison.Ordinal);
        Assert.Contains("EBS never shrinks a volume, so keep 1000 GiB or more", error, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.False(Directory.Exists(outdir));
    }
}
