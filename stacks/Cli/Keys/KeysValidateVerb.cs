using System.CommandLine;
using AztecInfra.Keys;
using AztecInfra.Primitives;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys validate</c>: a keystore file against Aztec's format, offline.</summary>
internal sealed class KeysValidateVerb : Verb
{
    private Option<FileInfo> _file = null!;

    public override string Name => "validate";

    public override string Description => "Check a keystore file against Aztec's keystore format, offline; prints what is wrong, field by field.";

    protected override void Define(Command command) => _file = KeysOptions.File(command);

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken ct)
    {
        var path = result.GetValue(_file)!;
        var check = KeystoreValidator.Check(await KeysVerbs.ReadFileAsync(path, ct).ConfigureAwait(false), path.Name);
        if (!check.IsValid)
        {
            KeysVerbs.WriteFindings(output, path.Name, check.Findings);
            return ExitCodes.Failed;
        }

        output.Line($"{path.Name}: valid keystore, {check.Validators.Length} validator entr{(check.Validators.Length == 1 ? "y" : "ies")}, attesters: {string.Join(", ", check.AttesterAddresses.Select(EthAddress.ToChecksum))}");
        return ExitCodes.Ok;
    }
}
