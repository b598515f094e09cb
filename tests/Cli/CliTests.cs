using AztecInfra.Cli;
using AztecInfra.Cli.Keys;
using AztecInfra.Keys;
using AztecInfra.Tests.Keys;
using AztecInfra.Tests.Support;
using Moq;

namespace AztecInfra.Tests.Cli;

/// <summary>What every verb shares: one mapping from failure to exit code, and no echo of unknown tokens.</summary>
public sealed class CliTests
{
    private const string SecretLooking = "0x4c0883a69102937d6231471b5dbb6204fe512961708279f3c3c5e2d2a4d8e3a1";

    private static (int Code, string Out, string Err) Run(params string[] args) => TestCli.Run(
        new CliContext
        {
            RepositoryRoot = TestEnvironment.RepositoryRoot,
            Environment = new Dictionary<string, string>(),
            Keys = new KeysDependencies
            {
                ParameterStore = new Mock<IParameterStore>(MockBehavior.Strict).Object,
                ProcessRunner = new Mock<IProcessRunner>(MockBehavior.Strict).Object,
                StandardInput = new StringReader(string.Empty),
            },
        },
        args);

    [Theory]
    [InlineData("plan", "--stage", "dev")]
    [InlineData("synth", "--stage", "dev")]
    [InlineData("keys", "list", "--stage", "dev")]
    [InlineData("keys", "validate", "--file", "x.json")]
    public void Should_ExitTwoWithoutEchoing_When_AVerbGetsAnUnknownToken(params string[] args)
    {
        // Given a verb with a stray token that might be a secret
        var (code, output, error) = Run([.. args, SecretLooking]);

        // Then every verb answers the same: usage (2), the count, never the token
        Assert.Equal(2, code);
        Assert.Contains("1 argument(s) not recognized", error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretLooking, output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "bogus" }, "verbs: plan, synth, cost, keys")]
    [InlineData(new[] { "keys", "bogus" }, "verbs: new, publisher, import, validate, list, verify, rotate-publisher, remove")]
    public void Should_NameTheVerbsWithoutEchoing_When_TheVerbIsUnknown(string[] args, string verbs)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("Unknown verb", error, StringComparison.Ordinal);
        Assert.Contains(verbs, error, StringComparison.Ordinal);
        Assert.DoesNotContain("bogus", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseBoth_When_StageAndConfigAreGiven()
    {
        // Given --stage dev with prod's file: which one wins would be a guess
        var (code, output, error) = Run("plan", "--stage", "dev", "--config", TestEnvironment.RepoPath("config", "prod.yaml"));

        // Then it is refused as usage, and nothing is planned
        Assert.Equal(2, code);
        Assert.Contains("not both", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public void Should_FailCleanly_When_OutIsAFile()
    {
        var file = Path.Combine(TestEnvironment.NewTempDirectory(), "a-file");
        File.WriteAllText(file, "x");
        var (code, _, error) = Run("plan", "--stage", "dev", "--out", file);
        Assert.Equal(2, code);
        Assert.Contains("--out", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitTwoAndListNodes_When_NodeIsNotInTheStage()
    {
        var (code, _, error) = Run("keys", "remove", "--stage", "dev", "--node", "nope", "--yes", "--local", Directory.CreateTempSubdirectory("cli-local-").FullName);
        Assert.Equal(2, code);
        Assert.Contains("nodes: validator-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AdviseForce_When_ASecretExists()
    {
        // Given a local testnet keystore that already exists
        // (a temporary subdirectory is created 0700, as a hot wallet must be)
        var local = Directory.CreateTempSubdirectory("cli-local-").FullName;
        var file = Path.Combine(local, "key1.json");
        File.WriteAllText(file, KeysTestData.Keystore());
        Assert.Equal(0, Run("keys", "import", "--stage", "dev", "--node", "validator-1", "--file", file, "--local", local).Code);

        // When imported again without --force
        var (code, _, error) = Run("keys", "import", "--stage", "dev", "--node", "validator-1", "--file", file, "--local", local);

        // Then it is refused (1) and the command line says how to replace it
        Assert.Equal(1, code);
        Assert.Contains("already exists; give --force to replace it", error, StringComparison.Ordinal);
    }
}
