using System.CommandLine;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys verify</c>: the stored keys against the stage and the slashing rules.</summary>
internal sealed class KeysVerifyVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private Option<DirectoryInfo?> _local = null!;

    public override string Name => "verify";

    public override string Description => "Check the stage's stored keys: every node has a keystore, no attester on two nodes (unless shared-signer), distinct publishers, attesters match nodes[].attesters.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _local = KeysOptions.Local(command);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken ct)
    {
        var config = _stage.Load(result, context).Config;
        var findings = await KeysVerbs.Service(context, config, result.GetValue(_local)).VerifyAsync(ct).ConfigureAwait(false);
        if (findings.IsEmpty)
        {
            output.Line($"Stage {config.Stage}: keys of {config.Nodes.Length} node(s) verified.");
            return ExitCodes.Ok;
        }

        output.Message($"Stage {config.Stage}: {findings.Length} problem(s):");
        foreach (var finding in findings)
        {
            output.Message($"  {finding}");
        }

        return ExitCodes.Failed;
    }
}
