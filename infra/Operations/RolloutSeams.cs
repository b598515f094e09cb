namespace AztecInfra.Operations;

/// <summary>Where a remote command stands.</summary>
public enum CommandState
{
    /// <summary>Accepted, not finished yet (pending, in progress, delayed).</summary>
    Running,

    /// <summary>Finished with exit code 0.</summary>
    Succeeded,

    /// <summary>Failed, cancelled or timed out.</summary>
    Failed,
}

/// <summary>The state of a remote command and what it printed.</summary>
/// <param name="State">Where it stands.</param>
/// <param name="Output">Standard output and error so far (the bootstrap never prints a secret).</param>
public sealed record CommandResult(CommandState State, string Output);

/// <summary>Runs shell commands on a node's host (SSM Run Command on EC2). The rollout's seam to AWS.</summary>
public interface IRemoteCommands
{
    /// <summary>Starts <paramref name="commands"/> as root on the instance; returns the command id.</summary>
    Task<string> SendAsync(string region, string instanceId, IReadOnlyList<string> commands, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The state and output of a command on the instance.</summary>
    Task<CommandResult> GetAsync(string region, string commandId, string instanceId, CancellationToken cancellationToken);
}

/// <summary>Finds the instance that runs a node (by its tags). The rollout's seam to AWS.</summary>
public interface INodeDirectory
{
    /// <summary>The managed, online instance tagged with the stage and node, or null when there is none.</summary>
    Task<string?> FindInstanceAsync(string region, string stage, string nodeId, CancellationToken cancellationToken);
}

/// <summary>Waiting between polls, so tests do not sleep.</summary>
public interface IDelay
{
    /// <summary>Waits <paramref name="delay"/>.</summary>
    Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>Real waiting.</summary>
public sealed class SystemDelay : IDelay
{
    /// <inheritdoc />
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
}
