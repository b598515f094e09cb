using System.CommandLine;
using AztecInfra.Cli.Keys;
using AztecInfra.Cli.Kubernetes;
using AztecInfra.Cli.Monitoring;
using AztecInfra.Cli.Operations;
using AztecInfra.Cli.Plan;

namespace AztecInfra.Cli;

/// <summary>Everything the commands need from the outside world, so tests can run them in memory.</summary>
public sealed record CliContext
{
    /// <summary>Repository root: where <c>config/</c> and <c>cdk.out/</c> live.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Environment variables the commands may read (CDK_OUTDIR, AWS_REGION, ...).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>What the <c>keys</c> verbs use to reach AWS, run Aztec's generator and read standard input.</summary>
    public KeysDependencies Keys { get; init; } = KeysDependencies.Real();

    /// <summary>What <c>rollout</c> uses to reach the hosts.</summary>
    public RolloutDependencies Rollout { get; init; } = RolloutDependencies.Real();

    /// <summary>The context of this process: repository found from the working directory upwards.</summary>
    public static CliContext ForProcess()
    {
        var env = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        return new CliContext { RepositoryRoot = FindRepositoryRoot(Directory.GetCurrentDirectory()), Environment = env };
    }

    private static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AztecInfra.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }
}

/// <summary>The <c>aztec-infra</c> command line: one class per verb, one writer, one exit-code mapping.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("aztec-infra: plan, synthesize and operate Aztec validator infrastructure on AWS.");
        root.Subcommands.Add(new PlanVerb(context).Build());
        root.Subcommands.Add(new SynthVerb(context).Build());
        root.Subcommands.Add(KeysVerbs.Build(context));
        root.Subcommands.Add(K8sRenderVerb.Group(context));
        root.Subcommands.Add(MonitoringRenderVerb.Group(context));
        root.Subcommands.Add(new UsageVerb(context).Build());
        root.Subcommands.Add(new RolloutVerb(context).Build());
        root.Action = new Verb.VerbAction(null, root);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CliContext context)
    {
        var root = BuildRoot(context);
        var result = root.Parse(args);
        return Verb.VerbAction.ReportParseProblems(result, new CliOutput(output, error))
            ?? result.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
