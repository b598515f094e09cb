using System.CommandLine;
using System.Text.Json;
using AztecInfra.Plan;
using AztecInfra.Plan.Diagram;
using AztecInfra.Stages;

namespace AztecInfra.Cli.Plan;

/// <summary>
/// <c>plan</c>: validates a stage, synthesizes it offline into cdk.out and prints what a reviewer checks,
/// read back from the synthesized templates, with the monthly cost. Needs no AWS credentials. Parses and
/// checks every path first; <see cref="StagePlanner"/> computes; one view renders.
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

    private readonly Option<string> _format = new("--format")
    {
        Description = "text (terminal, the default), markdown (a pull-request comment, at most 120 columns) or json (for machines).",
        DefaultValueFactory = _ => "text",
    };

    private readonly Option<FileInfo?> _diagram = new("--diagram")
    {
        Description = "Also render the stage (regions, VPCs and CIDRs, peering, nodes, database, public ports) to this SVG file with Graphviz dot.",
    };

    private readonly Option<string?> _diagramLink = new("--diagram-link")
    {
        Description = "With --format markdown: where readers find the diagram (e.g. the CI run's artifacts URL). Default: the --diagram file name.",
    };

    public override string Name => "plan";

    public override string Description => "Validate a stage, synthesize it offline and print the resources, the facts a reviewer checks, warnings and the monthly cost. No AWS credentials needed.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _format.AcceptOnlyFromAmong("text", "markdown", "json");
        command.Options.Add(_out);
        command.Options.Add(_baseline);
        command.Options.Add(_format);
        command.Options.Add(_diagram);
        command.Options.Add(_diagramLink);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        // Nothing is synthesized or written when the config or a path is wrong.
        var loaded = _stage.Load(result, context);
        var outdir = CheckOut(result.GetValue(_out)?.FullName ?? Path.Combine(context.RepositoryRoot, "cdk.out"));
        var baselineDir = result.GetValue(_baseline)?.FullName;
        var baseline = baselineDir is null ? null : ReadBaseline(baselineDir);
        if (baseline is not null)
        {
            // What EBS cannot do (shrink a volume) is refused before anything is synthesized or written.
            var refused = NodeDiff.CheckAgainstBaseline(loaded.Config, baseline);
            if (refused.Count > 0)
            {
                throw new ConfigValidationException($"{loaded.Config.Stage} against the baseline in {baselineDir}", refused);
            }
        }

        var diagram = result.GetValue(_diagram) is { } file ? DiagramWriter.Check(file) : null;
        var format = result.GetValue(_format)!;

        var plan = StagePlanner.Plan(loaded, outdir, baseline);
        if (diagram is not null)
        {
            var graph = StageDiagram.Build(loaded.Config, plan.Assembly.Stacks.Select(s => (s.StackName, s.Region, plan.Facts[s.StackName])));
            await DiagramWriter.WriteAsync(graph, diagram, context.Keys.ProcessRunner, cancellationToken).ConfigureAwait(false);
            output.Message($"Diagram written to {diagram}");
        }

        var shown = Path.GetRelativePath(context.RepositoryRoot, outdir);
        switch (format)
        {
            case "markdown":
                PlanMarkdownView.Render(plan, output, baselineDir, result.GetValue(_diagramLink) ?? (diagram is null ? null : Path.GetFileName(diagram)));
                break;
            case "json":
                PlanJsonView.Render(plan, output, diagram);
                break;
            default:
                PlanTextView.Render(plan, output, shown.StartsWith("..", StringComparison.Ordinal) ? outdir : shown, baselineDir);
                break;
        }

        return ExitCodes.Ok;
    }

    private static string CheckOut(string outdir)
    {
        if (File.Exists(outdir))
        {
            throw new UsageException($"--out: '{outdir}' is a file; give a directory for the cloud assembly (it is created if missing).");
        }

        // The nearest existing ancestor must be a directory: a file on the way would fail deep inside synthesis.
        for (var dir = Path.GetDirectoryName(outdir); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                throw new UsageException($"--out: '{dir}' on the way to '{outdir}' is a file; give a directory path.");
            }

            if (Directory.Exists(dir))
            {
                break;
            }
        }

        return outdir;
    }

    private static PlanSnapshot ReadBaseline(string baselineDir)
    {
        // Read before synthesizing: the baseline may be the directory this plan writes to.
        if (File.Exists(baselineDir))
        {
            throw new UsageException($"--baseline: '{baselineDir}' is a file; give the directory an earlier 'plan --out DIR' wrote.");
        }

        var file = Path.Combine(baselineDir, PlanSnapshot.FileName);
        if (!File.Exists(file))
        {
            throw new UsageException($"--baseline: '{baselineDir}' has no {PlanSnapshot.FileName}; give a directory an earlier 'plan --out DIR' wrote.");
        }

        try
        {
            return PlanSnapshot.FromJson(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--baseline: {file} is not a plan snapshot (JSON error at line {(ex.LineNumber ?? 0) + 1}); plan the base again with 'plan --out DIR'.");
        }
    }
}
