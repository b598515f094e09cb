using System.Collections.Immutable;
using AztecInfra.Stages;

namespace AztecInfra.Operations;

/// <summary>One node to roll out to.</summary>
/// <param name="NodeId">Node id (its <c>aztec-infra:node</c> tag).</param>
/// <param name="Region">Region it runs in.</param>
public sealed record RolloutNode(string NodeId, string Region);

/// <summary>The nodes of a stage, in the order a rollout visits them.</summary>
/// <param name="Stage">Stage name (its <c>aztec-infra:stage</c> tag).</param>
/// <param name="SharedSigner">True when the nodes share attesters: one of them must keep signing throughout.</param>
/// <param name="Nodes">Nodes in declaration order.</param>
public sealed record RolloutPlan(string Stage, bool SharedSigner, ImmutableArray<RolloutNode> Nodes)
{
    /// <summary>The plan for a stage: every node, in the order the stage declares them.</summary>
    public static RolloutPlan For(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RolloutPlan(config.Stage, config.SharedSigner, [.. config.Nodes.Select(n => new RolloutNode(n.Id, n.Region))]);
    }
}

/// <summary>How long a rollout waits.</summary>
public sealed record RolloutOptions
{
    /// <summary>How long the bootstrap may run on one node. Default: 30 minutes.</summary>
    public TimeSpan BootstrapTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a node may take to answer /status and catch up after its bootstrap. Default: 60 minutes.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Time between polls. Default: 15 seconds.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>What happened to one node.</summary>
public enum NodeOutcome
{
    /// <summary>Bootstrapped, answers /status and is synced.</summary>
    Applied,

    /// <summary>The rollout stopped here.</summary>
    Failed,

    /// <summary>Not touched: an earlier node failed.</summary>
    NotStarted,
}

/// <summary>One node's result.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Why, for the operator.</param>
public sealed record NodeRollout(string NodeId, NodeOutcome Outcome, string Detail);

/// <summary>The result of a rollout.</summary>
/// <param name="Nodes">Every node of the plan, in order.</param>
public sealed record RolloutReport(ImmutableArray<NodeRollout> Nodes)
{
    /// <summary>True when every node was applied.</summary>
    public bool Succeeded => Nodes.All(n => n.Outcome == NodeOutcome.Applied);
}

/// <summary>
/// Applies a stage's current settings to its nodes one at a time: on each node it runs the bootstrap
/// (<c>setup-validator.sh install</c>, which re-reads the settings parameter and restarts the node only when
/// something changed), then waits until the node answers <c>/status</c> and has caught up with its chain tip,
/// and only then moves on. It stops at the first failure. In shared-signer HA it touches a node only while
/// another node answers and is synced, so at least one keeps signing; it never works on two nodes at once.
/// </summary>
public sealed class RolloutEngine
{
    private readonly IRemoteCommands _commands;
    private readonly INodeDirectory _directory;
    private readonly IDelay _delay;
    private readonly RolloutOptions _options;

    /// <summary>Creates the engine over the project's seams.</summary>
    public RolloutEngine(IRemoteCommands commands, INodeDirectory directory, IDelay delay, RolloutOptions? options = null)
    {
        _commands = commands ?? throw new ArgumentNullException(nameof(commands));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _delay = delay ?? throw new ArgumentNullException(nameof(delay));
        _options = options ?? new RolloutOptions();
    }

    /// <summary>What runs on a host to apply its settings.</summary>
    public static IReadOnlyList<string> BootstrapCommands { get; } = [$"bash {Naming.HostScriptPath} install"];

    /// <summary>Rolls out to every node of <paramref name="plan"/>, reporting progress as it goes.</summary>
    public async Task<RolloutReport> RunAsync(RolloutPlan plan, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(progress);
        var results = new List<NodeRollout>();

        // Every node must be found before any is touched: a rollout that stops half-way for a missing
        // instance would leave the stage on two versions.
        var instances = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in plan.Nodes)
        {
            var instance = await _directory.FindInstanceAsync(node.Region, plan.Stage, node.NodeId, cancellationToken).ConfigureAwait(false);
            if (instance is null)
            {
                return Stop(plan, results, node, $"no online SSM-managed instance tagged aztec-infra:stage={plan.Stage}, aztec-infra:node={node.NodeId} in {node.Region}; nothing was changed");
            }

            instances[node.NodeId] = instance;
        }

        foreach (var node in plan.Nodes)
        {
            var instance = instances[node.NodeId];
            if (plan.SharedSigner && plan.Nodes.Any(n => n.NodeId != node.NodeId))
            {
                var signer = await AnotherSyncedNode(plan, node, instances, cancellationToken).ConfigureAwait(false);
                if (signer is null)
                {
                    return Stop(plan, results, node, "no other node answers /status and is synced, so restarting this one could leave no node signing (shared-signer HA); fix the others first");
                }

                progress($"{node.NodeId}: {signer} keeps signing meanwhile");
            }

            progress($"{node.NodeId}: running the bootstrap on {instance} ({node.Region})");
            var bootstrap = await RunToEnd(node.Region, instance, BootstrapCommands, _options.BootstrapTimeout, cancellationToken).ConfigureAwait(false);
            if (bootstrap.State != CommandState.Succeeded)
            {
                return Stop(plan, results, node, $"the bootstrap {(bootstrap.State == CommandState.Running ? $"did not finish within {_options.BootstrapTimeout.TotalMinutes:0} min" : "failed")}: {Tail(bootstrap.Output)}");
            }

            progress($"{node.NodeId}: bootstrap done; waiting for /status and sync");
            var health = await WaitHealthy(node, instance, progress, cancellationToken).ConfigureAwait(false);
            if (!health.Synced)
            {
                return Stop(plan, results, node, $"not healthy within {_options.HealthTimeout.TotalMinutes:0} min: {health.Detail}");
            }

            results.Add(new NodeRollout(node.NodeId, NodeOutcome.Applied, health.Detail));
            progress($"{node.NodeId}: applied; {health.Detail}");
        }

        return new RolloutReport([.. results]);
    }

    private async Task<string?> AnotherSyncedNode(RolloutPlan plan, RolloutNode current, Dictionary<string, string> instances, CancellationToken cancellationToken)
    {
        foreach (var other in plan.Nodes.Where(n => n.NodeId != current.NodeId))
        {
            var health = await Probe(other.Region, instances[other.NodeId], cancellationToken).ConfigureAwait(false);
            if (health.Synced)
            {
                return other.NodeId;
            }
        }

        return null;
    }

    private async Task<NodeHealth> WaitHealthy(RolloutNode node, string instance, Action<string> progress, CancellationToken cancellationToken)
    {
        var health = new NodeHealth(false, false, "not probed yet");
        for (var waited = TimeSpan.Zero; waited < _options.HealthTimeout; waited += _options.PollInterval)
        {
            health = await Probe(node.Region, instance, cancellationToken).ConfigureAwait(false);
            if (health.Synced)
            {
                return health;
            }

            progress($"{node.NodeId}: {health.Detail}");
            await _delay.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return health;
    }

    private async Task<NodeHealth> Probe(string region, string instance, CancellationToken cancellationToken)
    {
        var result = await RunToEnd(region, instance, NodeHealth.ProbeCommands, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        return result.State == CommandState.Succeeded
            ? NodeHealth.Parse(result.Output)
            : new NodeHealth(false, false, $"the health probe did not run ({Tail(result.Output)})");
    }

    private async Task<CommandResult> RunToEnd(string region, string instance, IReadOnlyList<string> commands, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = await _commands.SendAsync(region, instance, commands, timeout, cancellationToken).ConfigureAwait(false);
        var result = new CommandResult(CommandState.Running, string.Empty);
        for (var waited = TimeSpan.Zero; waited <= timeout; waited += _options.PollInterval)
        {
            await _delay.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            result = await _commands.GetAsync(region, id, instance, cancellationToken).ConfigureAwait(false);
            if (result.State != CommandState.Running)
            {
                return result;
            }
        }

        return result;
    }

    private static RolloutReport Stop(RolloutPlan plan, List<NodeRollout> results, RolloutNode failed, string detail)
    {
        results.Add(new NodeRollout(failed.NodeId, NodeOutcome.Failed, detail));
        results.AddRange(plan.Nodes.Where(n => results.All(r => r.NodeId != n.NodeId)).Select(n => new NodeRollout(n.NodeId, NodeOutcome.NotStarted, $"not touched: the rollout stopped at {failed.NodeId}")));
        return new RolloutReport([.. results]);
    }

    // The last lines of a command's output: enough to see why, short enough for a terminal.
    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(3));
    }
}
