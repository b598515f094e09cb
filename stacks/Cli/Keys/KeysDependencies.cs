using AztecInfra.Keys;

namespace AztecInfra.Cli.Keys;

/// <summary>The outside world of the <c>keys</c> verbs: AWS, processes, standard input. Tests swap in fakes.</summary>
public sealed record KeysDependencies
{
    /// <summary>SSM access (the real one creates its clients lazily, so offline verbs need no credentials).</summary>
    public required IParameterStore ParameterStore { get; init; }

    /// <summary>Runs Aztec's key generator.</summary>
    public required IProcessRunner ProcessRunner { get; init; }

    /// <summary>Standard input, for secrets given with <c>--l1-rpc-stdin</c>.</summary>
    public required TextReader StandardInput { get; init; }

    /// <summary>The real, AWS-backed dependencies.</summary>
    public static KeysDependencies Real() => new()
    {
        ParameterStore = new SsmParameterStore(),
        ProcessRunner = new ProcessRunner(),
        StandardInput = Console.In,
    };
}
