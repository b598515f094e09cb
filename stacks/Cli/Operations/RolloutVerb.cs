using System.CommandLine;
using AztecInfra.Operations;

namespace AztecInfra.Cli.Operations;

/// <summary>The outside world of <c>rollout</c>: SSM Run Command, the instance list, waiting. Tests swap in fakes.</summary>
public sealed record RolloutDependencies
{
    /// <summary>Runs commands on hosts.</summary>
    public required IRemoteCommands Commands { get; init; }

    /// <summary>Finds a node's instance.</summary>
    public required INodeDirectory Directory { get; init; }

    /// <summary>Waits between polls.</summary>
    public required IDelay Delay { get; init; }

    /// <summary>How long to wait for each step.</summary>
    public RolloutOptions Options { get; init; } = new();

    /// <summary>The real, AWS-backed dependencies (clients are created on first use).</summary>
    public static RolloutDependencies Real()
    {
        var ssm = new SsmRunCommand();
        return new RolloutDependencies { Commands = ssm, Directory = ssm, Delay = new SystemDelay() };
    }
}

/// <summary>
/// <c>rollout --stage S</c>: applies the deployed settings to the stage's nodes, one at a time, through the
/// <see cref="RolloutEngine"/>. Exit 0 when every node is applied, 1 when it stopped at a node.
/// </summary>
internal sealed class RolloutVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();

    public override string Name => "rollout";

    public override string Description => "Apply the deployed node settings (image, coinbase, ...) and a grown data volume to the stage's hosts, one node at a time, through SSM Run Command; waits for /status and sync after each node and stops at the first failure. Needs AWS credentials.";

    protected override void Define(Command command) => _stage.AddTo(command);

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var loaded = _stage.Load(result, context);
        var plan = RolloutPlan.For(loaded.Config);
        var deps = context.Rollout;
        output.Message($"rollout of stage {plan.Stage}: {plan.Nodes.Length} node(s), one at a time{(plan.SharedSigner ? ", always with another node signing" : string.Empty)}");
        var report = await new RolloutEngine(deps.Commands, deps.Directory, deps.Delay, deps.Options)
            .RunAsync(plan, output.Message, cancellationToken)
            .ConfigureAwait(false);
        foreach (var node in report.Nodes)
        {
            var outcome = node.Outcome switch
            {
                NodeOutcome.Applied => "applied",
                NodeOutcome.Failed => "FAILED",
                _ => "not started",
            };
            output.Line($"{node.NodeId}: {outcome}: {node.Detail}");
        }

        return report.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
