using System.CommandLine;
using AztecInfra.Plan;
using AztecInfra.Stages;

namespace AztecInfra.Cli.Plan;

/// <summary>
/// <c>plan</c>: validates a stage, synthesizes it offline into cdk.out and prints what a reviewer checks,
/// read back from the synthesized templates, with the monthly cost. Needs no AWS credentials.
/// </summary>
internal sealed class PlanVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();

    private readonly Option<DirectoryInfo?> _out = new("--out")
    {
        Description = "Cloud assembly directory. Default: cdk.out in the repository.",
    };

    private readonly Option<DirectoryInfo?> _baseline = new("--baseline")
    {
        Description = "A cloud assembly written by an earlier plan (e.g. of the main branch): also show what this change adds, removes, changes and costs against it.",
    };

    public override string Name => "plan";

    public override string Description => "Validate a stage, synthesize it offline and print the resources, the facts a reviewer checks, warnings and the monthly cost. No AWS credentials needed.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        command.Options.Add(_out);
        command.Options.Add(_baseline);
    }

    protected internal override Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        // Nothing is synthesized or written when the config or a path is wrong.
        var loaded = _stage.Load(result, context);
        var outdir = result.GetValue(_out)?.FullName ?? Path.Combine(context.RepositoryRoot, "cdk.out");
        if (File.Exists(outdir))
        {
            throw new UsageException($"--out: '{outdir}' is a file; give a directory for the cloud assembly (it is created if missing).");
        }

        PlanSnapshot? baseline = null;
        var baselineDir = result.GetValue(_baseline)?.FullName;
        if (baselineDir is not null)
        {
            // Read before synthesizing: the baseline may be the directory this plan writes to.
            var file = Path.Combine(baselineDir, PlanSnapshot.FileName);
            if (!File.Exists(file))
            {
                throw new UsageException($"--baseline: '{baselineDir}' has no {PlanSnapshot.FileName}; give a directory an earlier 'plan --out DIR' wrote.");
            }

            baseline = PlanSnapshot.FromJson(File.ReadAllText(file));
            // What EBS cannot do (shrink a volume) is refused before anything is synthesized or written.
            var refused = NodeDiff.CheckAgainstBaseline(loaded.Config, baseline);
            if (refused.Count > 0)
            {
                throw new ConfigValidationException($"{loaded.Config.Stage} against the baseline in {baselineDir}", refused);
            }
        }

        var plan = StagePlanner.Plan(loaded, outdir, baseline);
        var shown = Path.GetRelativePath(context.RepositoryRoot, outdir);
        PlanTextView.Render(plan, output, shown.StartsWith("..", StringComparison.Ordinal) ? outdir : shown, baselineDir);
        return Task.FromResult(ExitCodes.Ok);
    }
}
