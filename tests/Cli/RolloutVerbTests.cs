using AztecInfra.Cli;
using AztecInfra.Cli.Operations;
using AztecInfra.Operations;
using AztecInfra.Tests.Support;
using Moq;

namespace AztecInfra.Tests.Cli;

public sealed class RolloutVerbTests
{
    private static (int Code, string Out, string Err) Run(RolloutDependencies deps, params string[] args) =>
        TestCli.Run(new CliContext { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = new Dictionary<string, string>(), Rollout = deps }, args);

    [Fact]
    public void Should_ExitOneAndSayWhy_When_TheNodeHasNoInstance()
    {
        // Given the dev stage, whose one node the directory cannot find
        var directory = new Mock<INodeDirectory>(MockBehavior.Strict);
        directory.Setup(d => d.FindInstanceAsync("us-east-1", "dev", "validator-1", It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        var deps = new RolloutDependencies { Commands = new Mock<IRemoteCommands>(MockBehavior.Strict).Object, Directory = directory.Object, Delay = new Mock<IDelay>(MockBehavior.Strict).Object };

        // When rolled out
        var (code, output, error) = Run(deps, "rollout", "--stage", "dev");

        // Then it fails, names the node and the tags it looked for, and sent no command
        Assert.Equal(1, code);
        Assert.Contains("validator-1: FAILED: no online SSM-managed instance tagged aztec-infra:stage=dev, aztec-infra:node=validator-1 in us-east-1", output, StringComparison.Ordinal);
        Assert.Contains("rollout of stage dev: 1 node(s), one at a time", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitZero_When_TheNodeIsAppliedAndSynced()
    {
        // Given the dev node found, bootstrapped and synced
        var directory = new Mock<INodeDirectory>(MockBehavior.Strict);
        directory.Setup(d => d.FindInstanceAsync("us-east-1", "dev", "validator-1", It.IsAny<CancellationToken>())).ReturnsAsync("i-0abc");
        var commands = new Mock<IRemoteCommands>(MockBehavior.Strict);
        commands.Setup(c => c.SendAsync("us-east-1", "i-0abc", RolloutEngine.BootstrapCommands, It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync("boot");
        commands.Setup(c => c.GetAsync("us-east-1", "boot", "i-0abc", It.IsAny<CancellationToken>())).ReturnsAsync(new CommandResult(CommandState.Succeeded, "install: no changes"));
        commands.Setup(c => c.SendAsync("us-east-1", "i-0abc", NodeHealth.ProbeCommands, It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync("probe");
        commands.Setup(c => c.GetAsync("us-east-1", "probe", "i-0abc", It.IsAny<CancellationToken>())).ReturnsAsync(new CommandResult(CommandState.Succeeded, "status=200\ntips={\"result\":{\"proposed\":{\"number\":7}}}\nworld={\"result\":{\"latestBlockNumber\":7}}\n"));
        var delay = new Mock<IDelay>(MockBehavior.Strict);
        delay.Setup(d => d.WaitAsync(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var deps = new RolloutDependencies { Commands = commands.Object, Directory = directory.Object, Delay = delay.Object };

        // When rolled out / Then it succeeds and reports the node applied
        var (code, output, error) = Run(deps, "rollout", "--stage", "dev");
        Assert.True(code == 0, error);
        Assert.Contains("validator-1: applied: answers /status; world state at block 7, proposed tip 7", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AskForAStage_When_NoneIsGiven()
    {
        var deps = new RolloutDependencies { Commands = new Mock<IRemoteCommands>(MockBehavior.Strict).Object, Directory = new Mock<INodeDirectory>(MockBehavior.Strict).Object, Delay = new Mock<IDelay>(MockBehavior.Strict).Object };
        var (code, _, error) = Run(deps, "rollout");
        Assert.Equal(2, code);
        Assert.Contains("--stage", error, StringComparison.Ordinal);
    }
}
