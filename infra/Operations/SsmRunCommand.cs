using System.Collections.Concurrent;
using System.Globalization;
using Amazon;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace AztecInfra.Operations;

/// <summary>
/// The rollout's seams on AWS: SSM Run Command (<c>AWS-RunShellScript</c>) for commands on a host, and SSM's
/// managed-instance list, filtered by the instance tags, to find a node. Needs ssm:SendCommand,
/// ssm:GetCommandInvocation and ssm:DescribeInstanceInformation. Clients are created per region, lazily.
/// </summary>
public sealed class SsmRunCommand : IRemoteCommands, INodeDirectory, IDisposable
{
    private readonly Func<string, IAmazonSimpleSystemsManagement> _clientFactory;
    private readonly ConcurrentDictionary<string, IAmazonSimpleSystemsManagement> _clients = new(StringComparer.Ordinal);

    /// <summary>Uses the default AWS credential chain.</summary>
    public SsmRunCommand()
        : this(region => new AmazonSimpleSystemsManagementClient(RegionEndpoint.GetBySystemName(region)))
    {
    }

    /// <summary>Uses <paramref name="clientFactory"/> to build the client of a region.</summary>
    public SsmRunCommand(Func<string, IAmazonSimpleSystemsManagement> clientFactory)
    {
        _clientFactory = clientFactory ?? throw new ArgumentNullException(nameof(clientFactory));
    }

    /// <inheritdoc />
    public async Task<string> SendAsync(string region, string instanceId, IReadOnlyList<string> commands, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var response = await Client(region).SendCommandAsync(
            new SendCommandRequest
            {
                DocumentName = "AWS-RunShellScript",
                InstanceIds = [instanceId],
                Comment = "aztec-infra rollout",
                Parameters = new Dictionary<string, List<string>>
                {
                    ["commands"] = [.. commands],
                    ["executionTimeout"] = [seconds],
                },
            },
            cancellationToken).ConfigureAwait(false);
        return response.Command.CommandId;
    }

    /// <inheritdoc />
    public async Task<CommandResult> GetAsync(string region, string commandId, string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client(region).GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId }, cancellationToken).ConfigureAwait(false);
            var output = response.StandardOutputContent + (string.IsNullOrEmpty(response.StandardErrorContent) ? string.Empty : "\n" + response.StandardErrorContent);
            var state = response.Status?.Value switch
            {
                "Success" => CommandState.Succeeded,
                "Failed" or "Cancelled" or "TimedOut" or "Cancelling" => CommandState.Failed,
                _ => CommandState.Running,
            };
            return new CommandResult(state, output);
        }
        catch (InvocationDoesNotExistException)
        {
            // Right after SendCommand the invocation may not be visible yet.
            return new CommandResult(CommandState.Running, string.Empty);
        }
    }

    /// <inheritdoc />
    public async Task<string?> FindInstanceAsync(string region, string stage, string nodeId, CancellationToken cancellationToken)
    {
        var response = await Client(region).DescribeInstanceInformationAsync(
            new DescribeInstanceInformationRequest
            {
                Filters =
                [
                    new InstanceInformationStringFilter { Key = "tag:aztec-infra:stage", Values = [stage] },
                    new InstanceInformationStringFilter { Key = "tag:" + Naming.NodeTag, Values = [nodeId] },
                    new InstanceInformationStringFilter { Key = "PingStatus", Values = ["Online"] },
                ],
            },
            cancellationToken).ConfigureAwait(false);
        var found = response.InstanceInformationList ?? [];
        return found.Count == 1 ? found[0].InstanceId : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    private IAmazonSimpleSystemsManagement Client(string region) => _clients.GetOrAdd(region, _clientFactory);
}
