using System.Collections.Immutable;
using AztecInfra.Operations;
using Moq;

namespace AztecInfra.Tests.Operations;

public sealed class RolloutEngineTests
{
    private const string Region = "us-east-1";
    private const string Synced = "status=200\ntips={\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"proposed\":{\"number\":120,\"hash\":\"0x1\"}}}\nworld={\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"latestBlockNumber\":119,\"treesAreSynched\":true}}\n";
    private const string Behind = "status=200\ntips={\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"proposed\":{\"number\":120,\"hash\":\"0x1\"}}}\nworld={\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"latestBlockNumber\":80,\"treesAreSynched\":true}}\n";
    private const string Down = "status=000\ntips=\nworld=\n";

    private static readonly RolloutOptions Options = new() { PollInterval = TimeSpan.FromSeconds(15), HealthTimeout = TimeSpan.FromMinutes(1), BootstrapTimeout = TimeSpan.FromMinutes(1) };

    private readonly List<string> _events = [];
    private readonly Mock<IRemoteCommands> _commands = new(MockBehavior.Strict);
    private readonly Mock<INodeDirectory> _directory = new(MockBehavior.Strict);
    private readonly Mock<IDelay> _delay = new(MockBehavior.Strict);

    public RolloutEngineTests()
    {
        _delay.Setup(d => d.WaitAsync(Options.PollInterval, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    private static RolloutPlan Plan(bool sharedSigner, params string[] nodes) =>
        new("prod", sharedSigner, [.. nodes.Select(n => new RolloutNode(n, Region))]);

    /// <summary>A node the directory finds, whose bootstrap ends in <paramref name="bootstrap"/> and whose probes answer <paramref name="probes"/> in turn.</summary>
    private void Node(string id, CommandState bootstrap = CommandState.Succeeded, params string[] probes)
    {
        var instance = "i-" + id;
        _directory.Setup(d => d.FindInstanceAsync(Region, "prod", id, It.IsAny<CancellationToken>())).ReturnsAsync(instance);
        _commands.Setup(c => c.SendAsync(Region, instance, It.Is<IReadOnlyList<string>>(x => x.SequenceEqual(RolloutEngine.BootstrapCommands)), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback(() => _events.Add($"bootstrap {id}"))
            .ReturnsAsync("boot-" + id);
        _commands.Setup(c => c.GetAsync(Region, "boot-" + id, instance, It.IsAny<CancellationToken>()))
            .Callback(() => _events.Add($"bootstrap {id} {bootstrap}"))
            .ReturnsAsync(new CommandResult(bootstrap, bootstrap == CommandState.Failed ? "setup-validator: error: docker pull failed" : "install: 2 file(s) changed"));
        _commands.Setup(c => c.SendAsync(Region, instance, It.Is<IReadOnlyList<string>>(x => x.SequenceEqual(NodeHealth.ProbeCommands)), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("probe-" + id);
        var queue = new Queue<string>(probes);
        _commands.Setup(c => c.GetAsync(Region, "probe-" + id, instance, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                var output = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
                _events.Add($"probe {id}: {(output == Synced ? "synced" : output == Behind ? "behind" : "down")}");
                return new CommandResult(CommandState.Succeeded, output);
            });
    }

    private Task<RolloutReport> Run(RolloutPlan plan) =>
        new RolloutEngine(_commands.Object, _directory.Object, _delay.Object, Options).RunAsync(plan, _ => { }, CancellationToken.None);

    [Fact]
    public async Task Should_BootstrapAndConfirmEachNodeBeforeTheNext_When_NodesAreIndependent()
    {
        // Given two independent nodes that come back synced
        Node("a", CommandState.Succeeded, Synced);
        Node("b", CommandState.Succeeded, Synced);

        // When rolled out
        var report = await Run(Plan(false, "a", "b"));

        // Then each node is bootstrapped and confirmed healthy before the next one is touched
        Assert.True(report.Succeeded);
        Assert.Equal(["a", "b"], report.Nodes.Select(n => n.NodeId));
        Assert.Equal(["bootstrap a", "bootstrap a Succeeded", "probe a: synced", "bootstrap b", "bootstrap b Succeeded", "probe b: synced"], _events);
    }

    [Fact]
    public async Task Should_WaitUntilTheNodeAnswersAndCatchesUp_When_ItComesBackSlowly()
    {
        // Given a node that is down, then behind, then synced after its bootstrap; and a second node
        Node("a", CommandState.Succeeded, Down, Behind, Synced);
        Node("b", CommandState.Succeeded, Synced);

        // When rolled out
        var report = await Run(Plan(false, "a", "b"));

        // Then the rollout polls a until it is synced, and only then starts on b
        Assert.True(report.Succeeded);
        Assert.Equal(["bootstrap a", "bootstrap a Succeeded", "probe a: down", "probe a: behind", "probe a: synced", "bootstrap b", "bootstrap b Succeeded", "probe b: synced"], _events);
        Assert.Contains("world state at block 119, proposed tip 120", report.Nodes[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_StopAndLeaveTheRestAlone_When_ABootstrapFails()
    {
        // Given a first node whose bootstrap fails; the strict mocks refuse any call for the second node's commands
        Node("a", CommandState.Failed, Synced);
        _directory.Setup(d => d.FindInstanceAsync(Region, "prod", "b", It.IsAny<CancellationToken>())).ReturnsAsync("i-b");

        // When rolled out
        var report = await Run(Plan(false, "a", "b"));

        // Then it stops at a with the bootstrap's own words, and b is not touched
        Assert.False(report.Succeeded);
        Assert.Equal([NodeOutcome.Failed, NodeOutcome.NotStarted], report.Nodes.Select(n => n.Outcome));
        Assert.Contains("docker pull failed", report.Nodes[0].Detail, StringComparison.Ordinal);
        Assert.Equal(["bootstrap a", "bootstrap a Failed"], _events);
    }

    [Fact]
    public async Task Should_StopAtTheFirstNodeThatNeverCatchesUp_When_HealthTimesOut()
    {
        // Given a node that stays behind for longer than the health timeout
        Node("a", CommandState.Succeeded, Behind);
        _directory.Setup(d => d.FindInstanceAsync(Region, "prod", "b", It.IsAny<CancellationToken>())).ReturnsAsync("i-b");

        // When rolled out
        var report = await Run(Plan(false, "a", "b"));

        // Then it gave up after the timeout's worth of probes and never touched b
        Assert.Equal([NodeOutcome.Failed, NodeOutcome.NotStarted], report.Nodes.Select(n => n.Outcome));
        Assert.Contains("not healthy within 1 min", report.Nodes[0].Detail, StringComparison.Ordinal);
        Assert.Equal(4, _events.Count(e => e == "probe a: behind"));
        Assert.DoesNotContain(_events, e => e.StartsWith("bootstrap b", StringComparison.Ordinal) || e.StartsWith("probe b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_TouchANodeOnlyWhileAnotherKeepsSigning_When_NodesShareSigners()
    {
        // Given two shared-signer nodes, both synced
        Node("a", CommandState.Succeeded, Synced);
        Node("b", CommandState.Succeeded, Synced);

        // When rolled out
        var report = await Run(Plan(true, "a", "b"));

        // Then before each bootstrap the other node was seen synced, and the two are never restarted together
        Assert.True(report.Succeeded);
        Assert.Equal(["probe b: synced", "bootstrap a", "bootstrap a Succeeded", "probe a: synced", "probe a: synced", "bootstrap b", "bootstrap b Succeeded", "probe b: synced"], _events);
    }

    [Fact]
    public async Task Should_RefuseToRestartTheLastSigner_When_NoOtherNodeIsSynced()
    {
        // Given shared-signer nodes where b is down: restarting a would leave nobody signing
        Node("a", CommandState.Succeeded, Synced);
        Node("b", CommandState.Succeeded, Down);

        // When rolled out
        var report = await Run(Plan(true, "a", "b"));

        // Then a is not bootstrapped and the rollout stops
        Assert.Equal([NodeOutcome.Failed, NodeOutcome.NotStarted], report.Nodes.Select(n => n.Outcome));
        Assert.Contains("could leave no node signing", report.Nodes[0].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_events, e => e.StartsWith("bootstrap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_ChangeNothing_When_ANodeHasNoInstance()
    {
        // Given the second node has no managed instance
        _directory.Setup(d => d.FindInstanceAsync(Region, "prod", "a", It.IsAny<CancellationToken>())).ReturnsAsync("i-a");
        _directory.Setup(d => d.FindInstanceAsync(Region, "prod", "b", It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);

        // When rolled out
        var report = await Run(Plan(false, "a", "b"));

        // Then no command was sent to any node (the strict mock has no command setups)
        Assert.False(report.Succeeded);
        var b = Assert.Single(report.Nodes, n => n.Outcome == NodeOutcome.Failed);
        Assert.Equal("b", b.NodeId);
        Assert.Contains("nothing was changed", b.Detail, StringComparison.Ordinal);
        Assert.Empty(_events);
    }

    [Theory]
    [InlineData("status=503\n", false, false)]
    [InlineData("status=200\ntips=\nworld=\n", true, false)]
    [InlineData("status=200\ntips={\"result\":{\"proposed\":{\"number\":\"120\"}}}\nworld={\"result\":{\"latestBlockNumber\":\"118\"}}\n", true, true)]
    [InlineData("status=200\ntips={\"result\":{\"proposed\":{\"number\":120}}}\nworld={\"result\":{\"latestBlockNumber\":120,\"treesAreSynched\":false}}\n", true, false)]
    [InlineData("status=200\ntips={not json\nworld={\"result\":{\"latestBlockNumber\":120}}\n", true, false)]
    public void Should_ReadTheProbe_When_TheNodeAnswers(string output, bool answers, bool synced)
    {
        var health = NodeHealth.Parse(output);
        Assert.Equal((answers, synced), (health.Answers, health.Synced));
    }

    [Fact]
    public void Should_VisitNodesInDeclarationOrder_When_PlannedFromAStage()
    {
        var prod = AztecInfra.Stages.StageConfigLoader.LoadFile(Support.TestEnvironment.RepoPath("config", "prod.yaml")).Config;
        var plan = RolloutPlan.For(prod);
        Assert.True(plan.SharedSigner);
        Assert.Equal(["validator-us", "validator-eu", "validator-ap"], plan.Nodes.Select(n => n.NodeId));
        Assert.Equal(["us-east-1", "eu-west-1", "ap-southeast-1"], plan.Nodes.Select(n => n.Region));
    }
}
