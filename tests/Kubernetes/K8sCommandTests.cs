using AztecInfra.Cli;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Kubernetes;

public sealed class K8sCommandTests
{
    private static CliContext Context => new() { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = new Dictionary<string, string>() };

    [Fact]
    public void Should_WriteTheManifests_When_RenderingAStage()
    {
        var dir = TestEnvironment.NewTempDirectory();
        try
        {
            var (code, output, _) = TestCli.Run(Context, "k8s", "render", "--stage", "prod", "--out", dir);

            Assert.Equal(0, code);
            Assert.Contains("Rendered 12 file(s) of stage prod", output, StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(TestEnvironment.RepoPath("k8s", "validator-statefulset.yaml")), File.ReadAllText(Path.Combine(dir, "validator-statefulset.yaml")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Should_WriteNothing_When_AnOptionIsRefused()
    {
        var dir = Path.Combine(TestEnvironment.NewTempDirectory(), "out");

        var (code, _, error) = TestCli.Run(Context, "k8s", "render", "--stage", "prod", "--out", dir, "--kms-key-arn", "not-an-arn");

        Assert.Equal(1, code);
        Assert.Contains("--kms-key-arn", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
