using System.CommandLine;
using AztecInfra.Keys;
using AztecInfra.Stages;

namespace AztecInfra.Cli.Keys;

/// <summary>
/// <c>aztec-infra keys …</c>: validator and publisher keys of a stage. Secrets never travel as arguments and
/// are never printed.
/// </summary>
internal static class KeysVerbs
{
    /// <summary>Environment variable that may hold the L1 execution RPC URLs for <c>keys new</c>.</summary>
    public const string RpcEnvironmentVariable = "AZTEC_INFRA_L1_RPC_URLS";

    public static Command Build(CliContext context) => VerbGroup.Build(
        new Command("keys", "Create, import, check and list validator keystores and publisher keys of a stage."),
        [
            new KeysNewVerb(context),
            new KeysPublisherVerb(context),
            new KeysImportVerb(context),
            new KeysValidateVerb(),
            new KeysListVerb(context),
            new KeysVerifyVerb(context),
            new KeysRotatePublisherVerb(context),
            new KeysRemoveVerb(context),
        ]);

    /// <summary>The key service of a stage, on SSM or (testnet only) on local files.</summary>
    public static KeyService Service(CliContext context, StageConfig config, DirectoryInfo? local)
    {
        INodeSecretStore store = local is null
            ? new SsmNodeSecretStore(context.Keys.ParameterStore, config)
            : new LocalNodeSecretStore(local.FullName, config);
        return new KeyService(config, store, new ValidatorKeyGenerator(context.Keys.ProcessRunner));
    }

    public static string RestartReminder(string location) =>
        $"Takes effect at 'systemctl restart aztec-validator': the node fetches its keystore from {location} only at service start. "
        + "A keystore reload through the node's admin API re-reads only the file already on the host, so it does not pick up this change.";

    public static void WriteFindings(CliOutput output, string name, IReadOnlyCollection<KeystoreFinding> findings)
    {
        output.Message($"{name}: {findings.Count} problem(s):");
        foreach (var finding in findings)
        {
            output.Message($"  {finding}");
        }
    }

    public static async Task<string> ReadFileAsync(FileInfo file, CancellationToken ct) =>
        file.Exists
            ? await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false)
            : throw new UsageException($"--file {file.FullName} does not exist.");
}

/// <summary>The options the key verbs share.</summary>
internal static class KeysOptions
{
    public static Option<string> Node(Command command) =>
        Add(command, new Option<string>("--node") { Description = "Node id from the stage file (nodes[].id).", Required = true });

    public static Option<FileInfo> File(Command command) =>
        Add(command, new Option<FileInfo>("--file") { Description = "Keystore JSON file (Aztec's keyN.json, never *_staker_output.json).", Required = true });

    public static Option<bool> Force(Command command, string description) =>
        Add(command, new Option<bool>("--force") { Description = description });

    public static Option<bool> Yes(Command command) =>
        Add(command, new Option<bool>("--yes") { Description = "Confirm the change." });

    public static Option<DirectoryInfo?> Local(Command command) => Add(command, new Option<DirectoryInfo?>("--local")
    {
        Description = "Testnet hot wallet: keep the keys in files under DIR (0700 directories, 0600 files) instead of SSM. Refused for mainnet stages.",
    });

    private static Option<T> Add<T>(Command command, Option<T> option)
    {
        command.Options.Add(option);
        return option;
    }
}

/// <summary>A destructive verb on one node: --stage/--config, --node, --local, and --yes to confirm.</summary>
internal abstract class ConfirmedNodeVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private Option<string> _node = null!;
    private Option<bool> _yes = null!;
    private Option<DirectoryInfo?> _local = null!;

    /// <summary>What running without --yes says.</summary>
    protected abstract string Refusal(string nodeId);

    /// <summary>Runs the confirmed change.</summary>
    protected abstract Task<int> RunConfirmedAsync(KeyService service, string nodeId, CliOutput output, CancellationToken ct);

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _node = KeysOptions.Node(command);
        _yes = KeysOptions.Yes(command);
        _local = KeysOptions.Local(command);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var config = _stage.Load(result, context).Config;
        var nodeId = config.Node(result.GetValue(_node)!).Id;
        if (!result.GetValue(_yes))
        {
            throw new UsageException(Refusal(nodeId));
        }

        return await RunConfirmedAsync(KeysVerbs.Service(context, config, result.GetValue(_local)), nodeId, output, cancellationToken).ConfigureAwait(false);
    }
}
