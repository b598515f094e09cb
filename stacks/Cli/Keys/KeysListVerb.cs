using System.CommandLine;
using AztecInfra.Keys;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys list</c>: addresses and where each secret lives, never a secret value.</summary>
internal sealed class KeysListVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private Option<DirectoryInfo?> _local = null!;

    public override string Name => "list";

    public override string Description => "Per node: attester, publisher and coinbase addresses and where each secret lives. Never a secret value.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _local = KeysOptions.Local(command);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken ct)
    {
        var config = _stage.Load(result, context).Config;
        var nodes = await KeysVerbs.Service(context, config, result.GetValue(_local)).ListAsync(ct).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            output.Line($"{node.NodeId} ({config.Node(node.NodeId).Region})");
            output.Line($"  keystore:      {node.KeystoreLocation}{(node.HasKeystore ? string.Empty : " (absent)")}");
            output.Line($"  publisher key: {node.PublisherKeyLocation}{(node.HasPublisherKey ? string.Empty : " (absent)")}");
            for (var i = 0; i < node.Validators.Length; i++)
            {
                var entry = node.Validators[i];
                output.Line($"  validators[{i}]");
                foreach (var attester in entry.Attesters)
                {
                    output.Line($"    attester:  {Describe(attester, node.KeystoreLocation)}");
                }

                foreach (var publisher in entry.Publishers)
                {
                    output.Line($"    publisher: {Describe(publisher, node.KeystoreLocation)}");
                }

                if (entry.Publishers.IsEmpty)
                {
                    output.Line("    publisher: none (the attester publishes)");
                }

                output.Line($"    coinbase:  {entry.Coinbase ?? config.Coinbase ?? "default (the attester's address)"}");
            }

            foreach (var finding in node.Findings)
            {
                output.Line($"  problem: {finding}");
            }
        }

        return ExitCodes.Ok;
    }

    private static string Describe(KeystoreAccount account, string keystoreLocation) => account.Custody switch
    {
        KeyCustody.InlineKey => $"{account.Address} (key inside the keystore, {keystoreLocation})",
        KeyCustody.KeyFile => "address unknown offline (encrypted key file on the host)",
        _ => $"{account.Address} (key held by the remote signer)",
    };
}
