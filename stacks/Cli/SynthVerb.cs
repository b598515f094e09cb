using System.CommandLine;
using System.Text.Json;
using AztecInfra.Stacks;

namespace AztecInfra.Cli;

/// <summary>
/// <c>synth</c>: what <c>cdk.json</c> runs. Synthesizes one stage into the directory the CDK CLI names in
/// CDK_OUTDIR (or cdk.out). The stage comes from --stage/--config, else the CDK context value 'stage'.
/// </summary>
internal sealed class SynthVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();

    public override string Name => "synth";

    public override string Description => "Synthesize a stage's CloudFormation templates offline (what cdk.json runs). Without --stage, uses the CDK context value 'stage' (cdk.json: dev).";

    protected override void Define(Command command) => _stage.AddTo(command, required: false);

    protected internal override Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var loaded = _stage.IsGiven(result) ? _stage.Load(result, context) : StageOptions.LoadStage(StageFromCdkContext(), context);
        foreach (var warning in loaded.Warnings)
        {
            output.Message(warning.ToString());
        }

        var outdir = context.Environment.TryGetValue("CDK_OUTDIR", out var dir) && dir.Length > 0
            ? dir
            : Path.Combine(context.RepositoryRoot, "cdk.out");
        var assembly = StageApp.Synthesize(loaded.Config, outdir);
        // Standard error: the CDK CLI reads the assembly from CDK_OUTDIR, and 'cdk synth STACK > t.yaml' must get the template only.
        output.Message($"Synthesized {assembly.Stacks.Length} stack(s) of stage {loaded.Config.Stage} into {assembly.OutputDirectory}");
        return Task.FromResult(ExitCodes.Ok);
    }

    private string StageFromCdkContext()
    {
        if (context.Environment.TryGetValue("CDK_CONTEXT_JSON", out var json) && json.Length > 0)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("stage", out var stage) && stage.ValueKind == JsonValueKind.String)
            {
                return stage.GetString()!;
            }
        }

        return "dev";
    }
}
