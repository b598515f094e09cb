using System.Collections.Immutable;
using System.Globalization;
using AztecInfra.Stages;

namespace AztecInfra.Keys;

/// <summary>How Aztec's key generator is run.</summary>
public enum GeneratorMode
{
    /// <summary><c>docker run</c> of the stage's pinned Aztec image.</summary>
    Docker,

    /// <summary>An <c>aztec</c> CLI installed on this machine.</summary>
    AztecCli,
}

/// <summary>What to generate.</summary>
public sealed record GeneratorRequest
{
    /// <summary>Number of attesters (validator entries).</summary>
    public required int Count { get; init; }

    /// <summary>GSE contract address (public), needed for the staker output's proof of possession.</summary>
    public required string GseAddress { get; init; }

    /// <summary>L1 execution RPC URLs, comma-separated. Secret: reaches the generator only through its environment.</summary>
    public required string L1RpcUrls { get; init; }

    /// <summary>The stage's network; decides the L1 chain id.</summary>
    public required AztecNetwork Network { get; init; }

    /// <summary>Aztec image, pinned (used in <see cref="GeneratorMode.Docker"/>).</summary>
    public required ContainerImage Image { get; init; }

    /// <summary>How to run the generator.</summary>
    public GeneratorMode Mode { get; init; } = GeneratorMode.Docker;

    /// <summary>Leaves the secret out.</summary>
    public override string ToString() => $"{Count} attester(s), GSE {GseAddress}, {Network}, {Mode} {Image}";
}

/// <summary>What Aztec's generator wrote.</summary>
/// <param name="KeystoreJson">The secret keystore (<c>key1.json</c>).</param>
/// <param name="StakerOutputJson">The public staking data (<c>key1_staker_output.json</c>).</param>
public sealed record GeneratedKeys(string KeystoreJson, string StakerOutputJson)
{
    /// <summary>Leaves the keystore out.</summary>
    public override string ToString() => $"keystore ({KeystoreJson.Length} chars) and staker output";
}

/// <summary>
/// Runs Aztec's own <c>aztec validator-keys new … --staker-output</c> (BLS key generation is never
/// re-implemented here) in a fresh 0700 temporary directory that is deleted afterwards, whatever happens.
/// </summary>
/// <remarks>
/// The generator has no environment variable for <c>--l1-rpc-urls</c>, so the URL must end up in its argv.
/// It is handed over through the environment (<c>docker run -e NAME</c> without a value, then a fixed
/// <c>sh -c</c> that expands it inside the container), which keeps it out of this tool's arguments, the docker
/// client's arguments and shell history; it is still visible in the generator's own process arguments on the
/// host for the seconds the generation takes. The generator also prints a fresh mnemonic to its standard
/// output: that output is captured and never shown.
/// </remarks>
public sealed class ValidatorKeyGenerator
{
    /// <summary>Environment variable that carries the L1 RPC URLs into the generator.</summary>
    public const string RpcEnvironmentVariable = "AZTEC_INFRA_L1_RPC_URLS";

    /// <summary>Where the Aztec image keeps its CLI entry point (the image's own entrypoint runs it).</summary>
    public const string ImageEntryPoint = "/usr/src/yarn-project/aztec/dest/bin/index.js";

    /// <summary>Fee recipient Aztec expects today: the zero Aztec address.</summary>
    public static readonly string ZeroFeeRecipient = "0x" + new string('0', 64);

    private const string ContainerDirectory = "/keys";
    private const string KeystoreFile = "key1.json";
    private const string StakerOutputFile = "key1_staker_output.json";

    private readonly IProcessRunner _runner;

    /// <summary>Creates the generator over <paramref name="runner"/>.</summary>
    public ValidatorKeyGenerator(IProcessRunner runner)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
    }

    /// <summary>L1 chain id of a network: Ethereum mainnet for mainnet, Sepolia for testnet.</summary>
    public static int L1ChainId(AztecNetwork network) => network == AztecNetwork.Mainnet ? 1 : 11155111;

    /// <summary>Builds the process that generates into <paramref name="directory"/>.</summary>
    public static ProcessSpec BuildSpec(GeneratorRequest request, string directory, string? userAndGroup)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generatorArgs = ImmutableArray.Create(
            "--fee-recipient", ZeroFeeRecipient,
            "--staker-output",
            "--gse-address", request.GseAddress,
            "--l1-chain-id", L1ChainId(request.Network).ToString(CultureInfo.InvariantCulture),
            "--count", request.Count.ToString(CultureInfo.InvariantCulture),
            "--data-dir", request.Mode == GeneratorMode.Docker ? ContainerDirectory : directory,
            "--file", KeystoreFile);
        var environment = ImmutableDictionary<string, string>.Empty.Add(RpcEnvironmentVariable, request.L1RpcUrls);

        // A fixed script: "$@" are the public arguments above, the secret is expanded from the environment.
        var script = request.Mode == GeneratorMode.Docker
            ? $"exec node --no-warnings {ImageEntryPoint} validator-keys new \"$@\" --l1-rpc-urls \"${RpcEnvironmentVariable}\""
            : $"exec aztec validator-keys new \"$@\" --l1-rpc-urls \"${RpcEnvironmentVariable}\"";

        if (request.Mode == GeneratorMode.AztecCli)
        {
            return new ProcessSpec
            {
                FileName = "/bin/sh",
                Arguments = ["-c", script, "sh", .. generatorArgs],
                Environment = environment,
                WorkingDirectory = directory,
            };
        }

        var docker = ImmutableArray.CreateBuilder<string>();
        docker.AddRange("run", "--rm");
        if (userAndGroup is not null)
        {
            // Files must belong to us so the finally block can delete them.
            docker.AddRange("--user", userAndGroup, "-e", "HOME=/tmp");
        }

        docker.AddRange(
            "-v", $"{directory}:{ContainerDirectory}",
            "-e", RpcEnvironmentVariable,
            "--entrypoint", "/bin/sh",
            request.Image.ToString(),
            "-c", script, "sh");
        docker.AddRange(generatorArgs);
        return new ProcessSpec { FileName = "docker", Arguments = docker.ToImmutable(), Environment = environment, WorkingDirectory = directory };
    }

    /// <summary>Generates <see cref="GeneratorRequest.Count"/> attesters; nothing is left on disk afterwards.</summary>
    /// <exception cref="KeyOperationException">The generator failed or did not write its files.</exception>
    public async Task<GeneratedKeys> GenerateAsync(GeneratorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = Directory.CreateTempSubdirectory("aztec-infra-keys-").FullName;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var result = await _runner.RunAsync(BuildSpec(request, directory, CurrentUserAndGroup()), cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new KeyOperationException(
                    $"Aztec's generator failed (exit code {result.ExitCode}). Its output is not shown because it can contain key material. "
                    + $"Check that {(request.Mode == GeneratorMode.Docker ? "docker can run " + request.Image : "'aztec' is installed")}, that the L1 RPC answers and that the GSE address is right.");
            }

            var keystore = Path.Combine(directory, KeystoreFile);
            var staker = Path.Combine(directory, StakerOutputFile);
            if (!File.Exists(keystore) || !File.Exists(staker))
            {
                throw new KeyOperationException($"Aztec's generator exited normally but did not write {KeystoreFile} and {StakerOutputFile}; is the image a version with 'validator-keys new --staker-output'?");
            }

            return new GeneratedKeys(await File.ReadAllTextAsync(keystore, cancellationToken).ConfigureAwait(false), await File.ReadAllTextAsync(staker, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string? CurrentUserAndGroup()
    {
        // Linux only (the tool's home): /proc/self/status has "Uid: real effective ..." and "Gid: ...".
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        string? uid = null, gid = null;
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2];
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gid = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2];
            }
        }

        return uid is not null && gid is not null ? $"{uid}:{gid}" : null;
    }
}
