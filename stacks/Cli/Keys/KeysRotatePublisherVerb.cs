using AztecInfra.Keys;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys rotate-publisher</c>: a fresh publisher key for the node. Needs --yes.</summary>
internal sealed class KeysRotatePublisherVerb(CliContext context) : ConfirmedNodeVerb(context)
{
    public override string Name => "rotate-publisher";

    public override string Description => "Replace the node's publisher key with a fresh one and recompose its keystore. Needs --yes.";

    protected override string Refusal(string nodeId) =>
        $"rotate-publisher replaces the publisher key of {nodeId}; the old account keeps its ETH. Run again with --yes to confirm.";

    protected override async Task<int> RunConfirmedAsync(KeyService service, string nodeId, CliOutput output, CancellationToken ct)
    {
        var rotated = await service.RotatePublisherAsync(nodeId, ct).ConfigureAwait(false);
        output.Line(rotated.Address);
        output.Message($"Publisher of {nodeId} is now {rotated.Address} (was {rotated.PreviousAddress}). Fund the new one; sweep the old one's ETH with its key from the parameter's version history.");
        output.Message(KeysVerbs.RestartReminder(rotated.Location));
        return ExitCodes.Ok;
    }
}
