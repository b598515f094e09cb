using AztecInfra.Keys;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys remove</c>: delete the node's keystore and publisher key. Needs --yes.</summary>
internal sealed class KeysRemoveVerb(CliContext context) : ConfirmedNodeVerb(context)
{
    public override string Name => "remove";

    public override string Description => "Delete the node's keystore and publisher key. Needs --yes.";

    protected override string Refusal(string nodeId) =>
        $"remove deletes the keystore and publisher key of {nodeId}; without a backup they are gone. Run again with --yes to confirm.";

    protected override async Task<int> RunConfirmedAsync(KeyService service, string nodeId, CliOutput output, CancellationToken ct)
    {
        var removed = await service.RemoveAsync(nodeId, ct).ConfigureAwait(false);
        foreach (var location in removed)
        {
            output.Line($"Removed {location}.");
        }

        if (removed.IsEmpty)
        {
            output.Line($"{nodeId} had no keys stored.");
        }

        output.Line("The running node keeps its keys in memory until 'systemctl restart aztec-validator'; after a restart it has no validators. Its attesters stay staked: keep them signing elsewhere or exit them, or inactivity is slashed.");
        return ExitCodes.Ok;
    }
}
