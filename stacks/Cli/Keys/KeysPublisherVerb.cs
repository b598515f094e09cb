using System.CommandLine;
using AztecInfra.Keys;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys publisher</c>: the node's own publisher key, generated here; prints only its address.</summary>
internal sealed class KeysPublisherVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private Option<string> _node = null!;
    private Option<bool> _force = null!;
    private Option<DirectoryInfo?> _local = null!;

    public override string Name => "publisher";

    public override string Description => "Generate the node's own publisher (L1 transaction) key, store it and compose it into the node's keystore. Prints only its address, to fund with ~0.1 ETH per attester.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _node = KeysOptions.Node(command);
        _force = KeysOptions.Force(command, "Replace an existing publisher key (prefer 'keys rotate-publisher').");
        _local = KeysOptions.Local(command);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken ct)
    {
        var config = _stage.Load(result, context).Config;
        var nodeId = config.Node(result.GetValue(_node)!).Id;
        PublisherResult created;
        try
        {
            created = await KeysVerbs.Service(context, config, result.GetValue(_local)).CreatePublisherAsync(nodeId, result.GetValue(_force), ct).ConfigureAwait(false);
        }
        catch (SecretExistsException ex)
        {
            throw new KeyOperationException($"{ex.Location} already exists; use 'aztec-infra keys rotate-publisher' to replace it (or --force).");
        }

        output.Line(created.Address);
        output.Message($"Publisher of {nodeId} stored at {created.Location}. Fund {created.Address} with ~0.1 ETH per attester on the node.");
        output.Message(created.KeystoreUpdated ? KeysVerbs.RestartReminder(created.Location) : "The node has no keystore yet; 'keys new' or 'keys import' will compose this publisher in.");
        return ExitCodes.Ok;
    }
}
