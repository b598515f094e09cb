using System.Collections.Immutable;
using AztecInfra.Keys;

namespace AztecInfra.Tests.Keys;

public class ProcessRunnerTests
{
    [Fact]
    public async Task Should_CaptureOutput_When_RunningEcho()
    {
        // Given /bin/echo with an argument holding spaces and shell characters
        var spec = new ProcessSpec { FileName = "/bin/echo", Arguments = ["a b; $HOME"] };

        // When run
        var result = await new ProcessRunner().RunAsync(spec, CancellationToken.None);

        // Then the argument arrived as one argv entry, unexpanded
        Assert.Equal("a b; $HOME\n", result.StandardOutput);
    }

    [Fact]
    public async Task Should_ReturnExitCode_When_ProcessFails()
    {
        // Given a process exiting with 3
        var spec = new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "exit 3"] };

        // When run
        var result = await new ProcessRunner().RunAsync(spec, CancellationToken.None);

        // Then 3 comes back
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Should_PassEnvironment_When_Given()
    {
        // Given a variable set only for the child
        var spec = new ProcessSpec
        {
            FileName = "/bin/sh",
            Arguments = ["-c", "printf %s \"$AZTEC_INFRA_TEST_VALUE\""],
            Environment = ImmutableDictionary<string, string>.Empty.Add("AZTEC_INFRA_TEST_VALUE", "from-env"),
        };

        // When run
        var result = await new ProcessRunner().RunAsync(spec, CancellationToken.None);

        // Then the child saw it
        Assert.Equal("from-env", result.StandardOutput);
    }

    [Fact]
    public void Should_HideEnvironmentValues_When_SpecIsFormatted()
    {
        // Given a spec carrying a secret in its environment
        var spec = new ProcessSpec { FileName = "docker", Environment = ImmutableDictionary<string, string>.Empty.Add("X", KeysTestData.RpcSecret) };

        // When formatted
        var text = spec.ToString();

        // Then the name shows and the value does not
        Assert.DoesNotContain(KeysTestData.RpcSecret, text, StringComparison.Ordinal);
    }
}
