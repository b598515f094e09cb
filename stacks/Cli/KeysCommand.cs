using System.CommandLine;
using System.CommandLine.Invocation;
using Amazon.Runtime;
using AztecInfra.Stages;
using AztecInfra.Keys;
using AztecInfra.Primitives;

namespace AztecInfra.Cli;

/// <summary>
/// <c>aztec-infra keys …</c>: validator and publisher keys of a stage. Exit codes: 0 ok, 1 a validation or
/// verification failure (or a refused operation), 2 a usage error. Secrets never travel as arguments and are
/// never printed.
/// </summary>
internal static class KeysCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    /// <summary>Environment variable that may hold the L1 execution RPC URLs for <c>keys new</c>.</summary>
    public const string RpcEnvironmentVariable = "AZTEC_INFRA_L1_RPC_URLS";

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = new Command("keys", "Create, import, check and list validator keystores and publisher keys of a stage.");
        keys.Action = new KeysAction(keys, (result, output, _) =>
        {
            output.Error.WriteLine("Give a verb: new, publisher, import, validate, list, verify, rotate-publisher, remove. See 'aztec-infra keys --help'.");
            return Task.FromResult(Usage);
        });

        keys.Subcommands.Add(New(context));
        keys.Subcommands.Add(Publisher(context));
        keys.Subcommands.Add(Import(context));
        keys.Subcommands.Add(Validate());
        keys.Subcommands.Add(List(context));
        keys.Subcommands.Add(Verify(context));
        keys.Subcommands.Add(RotatePublisher(context));
        keys.Subcommands.Add(Remove(context));
        return keys;
    }

    private static Command New(CliContext context)
    {
        var command = new Command("new", "Generate attester keys with Aztec's own generator (aztec validator-keys new --staker-output) and store the node's keystore. "
            + $"The L1 RPC URL is read from ${RpcEnvironmentVariable}, from standard input with --l1-rpc-stdin, or from the stage's l1.executionUrlsParameter; never from an argument.");
        var stage = new StageOptions();
        stage.AddTo(command);
        var node = NodeOption(command);
        var count = new Option<int>("--count") { Description = "Number of attesters to generate. Default: 1.", DefaultValueFactory = _ => 1 };
        var gse = new Option<string>("--gse-address") { Description = "GSE contract address of the network (public; needed for the staker output).", Required = true };
        var generator = new Option<string>("--generator") { Description = "How to run Aztec's generator: docker (the stage's pinned aztecImage) or aztec-cli (an installed 'aztec'). Default: docker.", DefaultValueFactory = _ => "docker" };
        generator.AcceptOnlyFromAmong("docker", "aztec-cli");
        var stdin = new Option<bool>("--l1-rpc-stdin") { Description = "Read the L1 RPC URL(s) from the first line of standard input." };
        var staker = new Option<FileInfo?>("--staker-output") { Description = "Where to write the public staker output. Default: ./<stage>-<node>_staker_output.json." };
        var force = ForceOption(command, "Replace an existing keystore (its attesters are then gone from the node).");
        var local = LocalOption(command);
        command.Options.Add(count);
        command.Options.Add(gse);
        command.Options.Add(generator);
        command.Options.Add(stdin);
        command.Options.Add(staker);

        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var config = stage.Load(result, context).Config;
            var nodeId = result.GetValue(node)!;
            var stakerPath = result.GetValue(staker)?.FullName ?? Path.GetFullPath($"{config.Stage}-{nodeId}{KeystoreValidator.StakerOutputSuffix}");
            var overwrite = result.GetValue(force);
            if (File.Exists(stakerPath) && !overwrite)
            {
                throw new KeyOperationException($"{stakerPath} already exists; give --force or another --staker-output.");
            }

            var service = Service(context, config, result.GetValue(local));
            var region = NodeOf(config, nodeId).Region;
            var rpc = context.Environment.TryGetValue(RpcEnvironmentVariable, out var fromEnv) && !string.IsNullOrWhiteSpace(fromEnv)
                ? fromEnv.Trim()
                : result.GetValue(stdin)
                    ? (await context.Keys.StandardInput.ReadLineAsync(ct).ConfigureAwait(false))?.Trim() is { Length: > 0 } line
                        ? line
                        : throw new KeyOperationException("--l1-rpc-stdin: standard input had no URL on its first line.")
                    : await KeyService.ReadL1RpcUrlsAsync(context.Keys.ParameterStore, config, region, ct).ConfigureAwait(false);

            var created = await service.NewAsync(
                nodeId,
                new NewKeysOptions
                {
                    Count = result.GetValue(count),
                    GseAddress = result.GetValue(gse)!,
                    L1RpcUrls = rpc,
                    Mode = result.GetValue(generator) == "aztec-cli" ? GeneratorMode.AztecCli : GeneratorMode.Docker,
                    Force = overwrite,
                },
                ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(stakerPath, created.StakerOutputJson, ct).ConfigureAwait(false);

            output.Output.WriteLine($"Stored the keystore of {nodeId} at {created.Location}.");
            output.Output.WriteLine("Attesters (add them to nodes[].attesters in the stage file):");
            foreach (var attester in created.Attesters)
            {
                output.Output.WriteLine($"  {attester}");
            }

            output.Output.WriteLine($"Staker output (public, for the staking step; never put it in a keystore directory): {stakerPath}");
            output.Output.WriteLine(created.Publisher is null
                ? $"No publisher key for {nodeId} yet: the attesters would publish themselves. Run 'aztec-infra keys publisher --stage {config.Stage} --node {nodeId}'."
                : $"Publisher {created.Publisher} is composed into the keystore.");
            output.Output.WriteLine(RestartReminder(created.Location));
            return Ok;
        });
        return command;
    }

    private static Command Publisher(CliContext context)
    {
        var command = new Command("publisher", "Generate the node's own publisher (L1 transaction) key, store it and compose it into the node's keystore. Prints only its address, to fund with ~0.1 ETH per attester.");
        var stage = new StageOptions();
        stage.AddTo(command);
        var node = NodeOption(command);
        var force = ForceOption(command, "Replace an existing publisher key (prefer 'keys rotate-publisher').");
        var local = LocalOption(command);
        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var config = stage.Load(result, context).Config;
            var nodeId = result.GetValue(node)!;
            var created = await Service(context, config, result.GetValue(local)).CreatePublisherAsync(nodeId, result.GetValue(force), ct).ConfigureAwait(false);
            output.Output.WriteLine(created.Address);
            output.Error.WriteLine($"Publisher of {nodeId} stored at {created.Location}. Fund {created.Address} with ~0.1 ETH per attester on the node.");
            output.Error.WriteLine(created.KeystoreUpdated ? RestartReminder(created.Location) : "The node has no keystore yet; 'keys new' or 'keys import' will compose this publisher in.");
            return Ok;
        });
        return command;
    }

    private static Command RotatePublisher(CliContext context) => ConfirmedNodeVerb(
        context,
        "rotate-publisher",
        "Replace the node's publisher key with a fresh one and recompose its keystore. Needs --yes.",
        nodeId => $"rotate-publisher replaces the publisher key of {nodeId}; the old account keeps its ETH. Run again with --yes to confirm.",
        async (service, nodeId, output, ct) =>
        {
            var rotated = await service.RotatePublisherAsync(nodeId, ct).ConfigureAwait(false);
            output.Output.WriteLine(rotated.Address);
            output.Error.WriteLine($"Publisher of {nodeId} is now {rotated.Address} (was {rotated.PreviousAddress}). Fund the new one; sweep the old one's ETH with its key from the parameter's version history.");
            output.Error.WriteLine(RestartReminder(rotated.Location));
            return Ok;
        });


    private static Command Import(CliContext context)
    {
        var command = new Command("import", "Validate a keystore file, then store it as the node's keystore (composed with the node's publisher key, if stored).");
        var stage = new StageOptions();
        stage.AddTo(command);
        var node = NodeOption(command);
        var file = FileOption(command);
        var force = ForceOption(command, "Replace an existing keystore.");
        var local = LocalOption(command);
        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var config = stage.Load(result, context).Config;
            var nodeId = result.GetValue(node)!;
            var path = result.GetValue(file)!;
            var imported = await Service(context, config, result.GetValue(local))
                .ImportAsync(nodeId, await ReadFileAsync(path, ct).ConfigureAwait(false), path.Name, result.GetValue(force), ct).ConfigureAwait(false);
            if (imported.Location is null)
            {
                WriteFindings(output.Error, path.Name, imported.Check.Findings);
                return Failed;
            }

            output.Output.WriteLine($"Stored the keystore of {nodeId} at {imported.Location}: {imported.Check.AttesterAddresses.Count()} attester(s).");
            if (imported.Publisher is not null)
            {
                output.Output.WriteLine($"Publisher {imported.Publisher} (stored for the node) replaces any publisher given in the file.");
            }

            output.Output.WriteLine(RestartReminder(imported.Location));
            return Ok;
        });
        return command;
    }

    private static Command Validate()
    {
        var command = new Command("validate", "Check a keystore file against Aztec's keystore format, offline; prints what is wrong, field by field.");
        var file = FileOption(command);
        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var path = result.GetValue(file)!;
            var check = KeystoreValidator.Check(await ReadFileAsync(path, ct).ConfigureAwait(false), path.Name);
            if (!check.IsValid)
            {
                WriteFindings(output.Error, path.Name, check.Findings);
                return Failed;
            }

            output.Output.WriteLine($"{path.Name}: valid keystore, {check.Validators.Length} validator entr{(check.Validators.Length == 1 ? "y" : "ies")}, attesters: {string.Join(", ", check.AttesterAddresses.Select(EthAddress.ToChecksum))}");
            return Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "Per node: attester, publisher and coinbase addresses and where each secret lives. Never a secret value.");
        var stage = new StageOptions();
        stage.AddTo(command);
        var local = LocalOption(command);
        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var config = stage.Load(result, context).Config;
            var nodes = await Service(context, config, result.GetValue(local)).ListAsync(ct).ConfigureAwait(false);
            foreach (var node in nodes)
            {
                output.Output.WriteLine($"{node.NodeId} ({NodeOf(config, node.NodeId).Region})");
                output.Output.WriteLine($"  keystore:      {node.KeystoreLocation}{(node.HasKeystore ? string.Empty : " (absent)")}");
                output.Output.WriteLine($"  publisher key: {node.PublisherKeyLocation}{(node.HasPublisherKey ? string.Empty : " (absent)")}");
                for (var i = 0; i < node.Validators.Length; i++)
                {
                    var entry = node.Validators[i];
                    output.Output.WriteLine($"  validators[{i}]");
                    foreach (var attester in entry.Attesters)
                    {
                        output.Output.WriteLine($"    attester:  {Describe(attester, node.KeystoreLocation)}");
                    }

                    foreach (var publisher in entry.Publishers)
                    {
                        output.Output.WriteLine($"    publisher: {Describe(publisher, node.KeystoreLocation)}");
                    }

                    if (entry.Publishers.IsEmpty)
                    {
                        output.Output.WriteLine("    publisher: none (the attester publishes)");
                    }

                    output.Output.WriteLine($"    coinbase:  {entry.Coinbase ?? config.Coinbase ?? "default (the attester's address)"}");
                }

                foreach (var finding in node.Findings)
                {
                    output.Output.WriteLine($"  problem: {finding}");
                }
            }

            return Ok;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var command = new Command("verify", "Check the stage's stored keys: every node has a keystore, no attester on two nodes (unless shared-signer), distinct publishers, attesters match nodes[].attesters.");
        var stage = new StageOptions();
        stage.AddTo(command);
        var local = LocalOption(command);
        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var config = stage.Load(result, context).Config;
            var findings = await Service(context, config, result.GetValue(local)).VerifyAsync(ct).ConfigureAwait(false);
            if (findings.IsEmpty)
            {
                output.Output.WriteLine($"Stage {config.Stage}: keys of {config.Nodes.Length} node(s) verified.");
                return Ok;
            }

            output.Error.WriteLine($"Stage {config.Stage}: {findings.Length} problem(s):");
            foreach (var finding in findings)
            {
                output.Error.WriteLine($"  {finding}");
            }

            return Failed;
        });
        return command;
    }

    private static Command Remove(CliContext context) => ConfirmedNodeVerb(
        context,
        "remove",
        "Delete the node's keystore and publisher key. Needs --yes.",
        nodeId => $"remove deletes the keystore and publisher key of {nodeId}; without a backup they are gone. Run again with --yes to confirm.",
        async (service, nodeId, output, ct) =>
        {
            var removed = await service.RemoveAsync(nodeId, ct).ConfigureAwait(false);
            foreach (var location in removed)
            {
                output.Output.WriteLine($"Removed {location}.");
            }

            if (removed.IsEmpty)
            {
                output.Output.WriteLine($"{nodeId} had no keys stored.");
            }

            output.Output.WriteLine($"The running node keeps its keys in memory until 'systemctl restart aztec-validator'; after a restart it has no validators. Its attesters stay staked: keep them signing elsewhere or exit them, or inactivity is slashed.");
            return Ok;
        });

    /// <summary>A destructive verb on one node: --stage/--config, --node, --local, and --yes to confirm.</summary>
    private static Command ConfirmedNodeVerb(
        CliContext context,
        string name,
        string description,
        Func<string, string> refusal,
        Func<KeyService, string, InvocationConfiguration, CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description);
        var stage = new StageOptions();
        stage.AddTo(command);
        var node = NodeOption(command);
        var yes = YesOption(command);
        var local = LocalOption(command);
        command.Action = new KeysAction(command, async (result, output, ct) =>
        {
            var config = stage.Load(result, context).Config;
            var nodeId = result.GetValue(node)!;
            if (!result.GetValue(yes))
            {
                output.Error.WriteLine(refusal(nodeId));
                return Usage;
            }

            return await run(Service(context, config, result.GetValue(local)), nodeId, output, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static string RestartReminder(string location) =>
        $"Takes effect at 'systemctl restart aztec-validator': the node fetches its keystore from {location} only at service start. "
        + "A keystore reload through the node's admin API re-reads only the file already on the host, so it does not pick up this change.";

    private static string Describe(KeystoreAccount account, string keystoreLocation) => account.Custody switch
    {
        KeyCustody.InlineKey => $"{account.Address} (key inside the keystore, {keystoreLocation})",
        KeyCustody.KeyFile => "address unknown offline (encrypted key file on the host)",
        _ => $"{account.Address} (key held by the remote signer)",
    };

    private static void WriteFindings(TextWriter error, string name, IReadOnlyCollection<KeystoreFinding> findings)
    {
        error.WriteLine($"{name}: {findings.Count} problem(s):");
        foreach (var finding in findings)
        {
            error.WriteLine($"  {finding}");
        }
    }

    private static async Task<string> ReadFileAsync(FileInfo file, CancellationToken ct) =>
        file.Exists
            ? await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false)
            : throw new UsageException($"--file {file.FullName} does not exist.");

    private static KeyService Service(CliContext context, StageConfig config, DirectoryInfo? local)
    {
        INodeSecretStore store = local is null
            ? new SsmNodeSecretStore(context.Keys.ParameterStore, config)
            : new LocalNodeSecretStore(local.FullName, config);
        return new KeyService(config, store, new ValidatorKeyGenerator(context.Keys.ProcessRunner));
    }

    private static NodeConfig NodeOf(StageConfig config, string nodeId) =>
        config.Nodes.FirstOrDefault(n => n.Id == nodeId)
        ?? throw new UsageException($"--node {nodeId} is not a node of stage {config.Stage}; nodes: {string.Join(", ", config.Nodes.Select(n => n.Id))}.");

    private static Option<string> NodeOption(Command command)
    {
        var option = new Option<string>("--node") { Description = "Node id from the stage file (nodes[].id).", Required = true };
        command.Options.Add(option);
        return option;
    }

    private static Option<FileInfo> FileOption(Command command)
    {
        var option = new Option<FileInfo>("--file") { Description = "Keystore JSON file (Aztec's keyN.json, never *_staker_output.json).", Required = true };
        command.Options.Add(option);
        return option;
    }

    private static Option<bool> ForceOption(Command command, string description)
    {
        var option = new Option<bool>("--force") { Description = description };
        command.Options.Add(option);
        return option;
    }

    private static Option<bool> YesOption(Command command)
    {
        var option = new Option<bool>("--yes") { Description = "Confirm the change." };
        command.Options.Add(option);
        return option;
    }

    private static Option<DirectoryInfo?> LocalOption(Command command)
    {
        var option = new Option<DirectoryInfo?>("--local")
        {
            Description = "Testnet hot wallet: keep the keys in files under DIR (0700 directories, 0600 files) instead of SSM. Refused for mainnet stages.",
        };
        command.Options.Add(option);
        return option;
    }

    /// <summary>A usage mistake found after parsing (exit code 2).</summary>
    private sealed class UsageException(string message) : Exception(message);

    /// <summary>
    /// Runs a verb and maps outcomes to exit codes: parse errors and usage mistakes 2, refused or failed
    /// operations 1. Known exceptions print their message only (never a stack trace that could hold values).
    /// </summary>
    private sealed class KeysAction : AsynchronousCommandLineAction
    {
        private readonly Command _command;
        private readonly Func<ParseResult, InvocationConfiguration, CancellationToken, Task<int>> _run;

        public KeysAction(Command command, Func<ParseResult, InvocationConfiguration, CancellationToken, Task<int>> run)
        {
            _command = command;
            _run = run;

            // Unknown tokens are reported by this action (exit 2, not echoed) instead of the default parse-error action (exit 1).
            command.TreatUnmatchedTokensAsErrors = false;
        }

        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var output = parseResult.InvocationConfiguration;
            if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
            {
                foreach (var error in parseResult.Errors)
                {
                    output.Error.WriteLine(error.Message);
                }

                // Only the count: an unknown token may be a secret typed where it does not belong.
                if (parseResult.UnmatchedTokens.Count > 0)
                {
                    output.Error.WriteLine($"{parseResult.UnmatchedTokens.Count} argument(s) not recognized (not echoed, in case one is a secret).");
                }

                output.Error.WriteLine($"See '{CommandPath()} --help'.");
                return Usage;
            }

            try
            {
                return await _run(parseResult, output, cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException ex)
            {
                output.Error.WriteLine(ex.Message);
                return Usage;
            }
            catch (KeyOperationException ex)
            {
                output.Error.WriteLine(ex.Message);
                return Failed;
            }
            catch (ConfigValidationException ex)
            {
                output.Error.WriteLine(ex.Message);
                return Failed;
            }
            catch (AmazonServiceException ex)
            {
                output.Error.WriteLine($"AWS refused the request ({ex.ErrorCode}): {ex.Message}");
                return Failed;
            }
            catch (AmazonClientException ex)
            {
                output.Error.WriteLine($"Could not reach AWS: {ex.Message}");
                return Failed;
            }
            catch (IOException ex)
            {
                output.Error.WriteLine(ex.Message);
                return Failed;
            }
            catch (UnauthorizedAccessException ex)
            {
                output.Error.WriteLine(ex.Message);
                return Failed;
            }
        }

        private string CommandPath() => _command.Name == "keys" ? "aztec-infra keys" : $"aztec-infra keys {_command.Name}";
    }
}
