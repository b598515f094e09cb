using System.CommandLine;
using AztecInfra.Keys;

namespace AztecInfra.Cli.Keys;

/// <summary><c>keys new</c>: attester keys from Aztec's own generator, stored as the node's keystore.</summary>
internal sealed class KeysNewVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private readonly Option<int> _count = new("--count") { Description = "Number of attesters to generate, 1 to 64. Default: 1.", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _gse = new("--gse-address") { Description = "GSE contract address of the network (public; needed for the staker output).", Required = true };
    private readonly Option<string> _generator = new("--generator") { Description = "How to run Aztec's generator: docker (the stage's pinned aztecImage) or aztec-cli (an installed 'aztec'). Default: docker.", DefaultValueFactory = _ => "docker" };
    private readonly Option<bool> _stdin = new("--l1-rpc-stdin") { Description = "Read the L1 RPC URL(s) from the first line of standard input." };
    private readonly Option<FileInfo?> _staker = new("--staker-output") { Description = "Where to write the public staker output. Default: ./<stage>-<node>_staker_output.json." };
    private Option<string> _node = null!;
    private Option<bool> _force = null!;
    private Option<DirectoryInfo?> _local = null!;

    public override string Name => "new";

    public override string Description => "Generate attester keys with Aztec's own generator (aztec validator-keys new --staker-output) and store the node's keystore. "
        + $"The L1 RPC URL is read from ${KeysVerbs.RpcEnvironmentVariable}, from standard input with --l1-rpc-stdin, or from the stage's l1.executionUrlsParameter; never from an argument.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _node = KeysOptions.Node(command);
        _generator.AcceptOnlyFromAmong("docker", "aztec-cli");
        _force = KeysOptions.Force(command, "Replace an existing keystore (its attesters are then gone from the node).");
        _local = KeysOptions.Local(command);
        command.Options.Add(_count);
        command.Options.Add(_gse);
        command.Options.Add(_generator);
        command.Options.Add(_stdin);
        command.Options.Add(_staker);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken ct)
    {
        if (result.GetValue(_count) is < 1 or > 64)
        {
            throw new UsageException($"--count: {result.GetValue(_count)} is not allowed; give 1 to 64.");
        }

        var config = _stage.Load(result, context).Config;
        var node = config.Node(result.GetValue(_node)!);
        var stakerPath = result.GetValue(_staker)?.FullName ?? Path.GetFullPath($"{config.Stage}-{node.Id}{KeystoreValidator.StakerOutputSuffix}");
        var overwrite = result.GetValue(_force);
        if (File.Exists(stakerPath) && !overwrite)
        {
            throw new SecretExistsException(stakerPath, "or give another --staker-output");
        }

        var service = KeysVerbs.Service(context, config, result.GetValue(_local));
        var rpc = context.Environment.TryGetValue(KeysVerbs.RpcEnvironmentVariable, out var fromEnv) && !string.IsNullOrWhiteSpace(fromEnv)
            ? fromEnv.Trim()
            : result.GetValue(_stdin)
                ? (await context.Keys.StandardInput.ReadLineAsync(ct).ConfigureAwait(false))?.Trim() is { Length: > 0 } line
                    ? line
                    : throw new UsageException("--l1-rpc-stdin: standard input had no URL on its first line.")
                : await KeyService.ReadL1RpcUrlsAsync(context.Keys.ParameterStore, config, node.Region, ct).ConfigureAwait(false);

        var created = await service.NewAsync(
            node.Id,
            new NewKeysOptions
            {
                Count = result.GetValue(_count),
                GseAddress = result.GetValue(_gse)!,
                L1RpcUrls = rpc,
                Mode = result.GetValue(_generator) == "aztec-cli" ? GeneratorMode.AztecCli : GeneratorMode.Docker,
                Force = overwrite,
            },
            ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(stakerPath, created.StakerOutputJson, ct).ConfigureAwait(false);

        output.Line($"Stored the keystore of {node.Id} at {created.Location}.");
        output.Line("Attesters (add them to nodes[].attesters in the stage file):");
        foreach (var attester in created.Attesters)
        {
            output.Line($"  {attester}");
        }

        output.Line($"Staker output (public, for the staking step; never put it in a keystore directory): {stakerPath}");
        output.Line(created.Publisher is null
            ? $"No publisher key for {node.Id} yet: the attesters would publish themselves. Run 'aztec-infra keys publisher --stage {config.Stage} --node {node.Id}'."
            : $"Publisher {created.Publisher} is composed into the keystore.");
        output.Line(KeysVerbs.RestartReminder(created.Location));
        return ExitCodes.Ok;
    }
}
