using AztecInfra.Bootstrap;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Bootstrap;

/// <summary>The user data carries the bootstrap without comment lines: it must be the same program.</summary>
public sealed class ShellScriptTests
{
    private static readonly string Original = TestEnvironment.RepoPath("scripts", "setup-validator.sh");

    private static string Stripped()
    {
        var path = Path.Combine(TestEnvironment.NewTempDirectory(), "setup-validator.sh");
        File.WriteAllText(path, ShellScript.StripComments(File.ReadAllText(Original)));
        return path;
    }

    [Fact]
    public void Should_DropCommentsButNotHereDocumentsOrCode_When_Stripped()
    {
        // Given a script with comments, a here-document holding '#' lines, and a trailing comment
        const string script = "#!/usr/bin/env bash\n# a comment\n\nx=1 # trailing\ncat <<'EOF'\n# kept: file content\n\nEOF\n  # indented comment\necho \"$x\"\n";

        // When stripped
        var result = ShellScript.StripComments(script);

        // Then only the full-line comments and blank lines outside the here-document are gone
        Assert.Equal("#!/usr/bin/env bash\nx=1 # trailing\ncat <<'EOF'\n# kept: file content\n\nEOF\necho \"$x\"\n", result);
    }

    [Fact]
    public void Should_ParseAndBeSmaller_When_TheBootstrapIsStripped()
    {
        var stripped = Stripped();
        Assert.Equal(0, TestEnvironment.Run("bash", "-n", stripped).ExitCode);
        Assert.True(new FileInfo(stripped).Length < new FileInfo(Original).Length * 0.95);
    }

    [Theory]
    [InlineData("render-node-env", "validator.env")]
    [InlineData("render-compose", "validator.env")]
    [InlineData("render-unit", "validator.env")]
    [InlineData("render-otel-config", "validator.env")]
    [InlineData("render-node-env", "baremetal.env")]
    [InlineData("render-compose", "baremetal.env")]
    [InlineData("render-unit", "baremetal.env")]
    [InlineData("--help", "validator.env")]
    public void Should_RenderTheSameFiles_When_TheStrippedScriptRuns(string command, string settings)
    {
        // Given the repository's script and the stripped copy the user data carries
        var stripped = Stripped();
        var file = TestEnvironment.RepoPath("scripts", "tests", "fixtures", settings);

        // When each renders from the same settings (no host changes)
        var before = TestEnvironment.Run("bash", Original, "--no-system", command, "--settings", file);
        var after = TestEnvironment.Run("bash", stripped, "--no-system", command, "--settings", file);

        // Then the exit code and everything printed are the same, apart from the script's own path
        Assert.Equal(before.ExitCode, after.ExitCode);
        Assert.Equal(before.Output, after.Output.Replace(stripped, Original, StringComparison.Ordinal));
    }
}
