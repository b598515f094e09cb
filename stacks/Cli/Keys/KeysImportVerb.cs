using System.CommandLine;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys import</c>: validate a keystore file, then store it as the node's keystore.</summary>
internal sealed class KeysImportVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private Option<string> _node = null!;
    private Option<FileInfo> _file = null!;
    private Option<bool> _force = null!;
    private Option<DirectoryInfo?> _local = null!;

    public override string Name => "import";

    public override string Description => "Validate a keystore file, then store it as the node's keystore (composed with the node's publisher key, if stored).";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _node = KeysOptions.Node(command);
        _file = KeysOptions.File(command);
        _force = KeysOptions.Force(command, "Replace an existing keystore.");
        _local = KeysOptions.Local(command);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken ct)
    {
        var config = _stage.Load(result, context).Config;
        var nodeId = config.Node(result.GetValue(_node)!).Id;
        var path = result.GetValue(_file)!;
        var imported = await KeysVerbs.Service(context, config, result.GetValue(_local))
            .ImportAsync(nodeId, await KeysVerbs.ReadFileAsync(path, ct).ConfigureAwait(false), path.Name, result.GetValue(_force), ct).ConfigureAwait(false);
        if (imported.Location is null)
        {
            KeysVerbs.WriteFindings(output, path.Name, imported.Check.Findings);
            return ExitCodes.Failed;
        }

        output.Line($"Stored the keystore of {nodeId} at {imported.Location}: {imported.Check.AttesterAddresses.Count()} attester(s).");
        if (imported.Publisher is not null)
        {
            output.Line($"Publisher {imported.Publisher} (stored for the node) replaces any publisher given in the file.");
        }

        output.Line(KeysVerbs.RestartReminder(imported.Location));
        return ExitCodes.Ok;
    }
}
