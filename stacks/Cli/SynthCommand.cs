using System.CommandLine;
using System.Text.Json;
using AztecInfra.Constructs;
using AztecInfra.Stages;
using AztecInfra.Stacks;

namespace AztecInfra.Cli;

/// <summary>
/// <c>synth</c>: what <c>cdk.json</c> runs. Synthesizes one stage into the directory the CDK CLI names in
/// CDK_OUTDIR (or cdk.out). The stage comes from --stage/--config, else the CDK context value 'stage'.
/// </summary>
internal static class SynthCommand
{
    public static Command Create(CliContext context)
    {
        var stageOptions = new StageOptions();
        var command = new Command("synth", "Synthesize a stage's CloudFormation templates offline (what cdk.json runs). Without --stage, uses the CDK context value 'stage' (cdk.json: dev).");
        command.Options.Add(stageOptions.Stage);
        command.Options.Add(stageOptions.ConfigFile);
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                var loaded = result.GetValue(stageOptions.Stage) is null && result.GetValue(stageOptions.ConfigFile) is null
                    ? StageConfigLoader.LoadFile(Path.Combine(context.RepositoryRoot, "config", StageFromCdkContext(context) + ".yaml"))
                    : stageOptions.Load(result, context);
                foreach (var warning in loaded.Warnings)
                {
                    error.WriteLine(warning);
                }

                var outdir = context.Environment.TryGetValue("CDK_OUTDIR", out var dir) && dir.Length > 0
                    ? dir
                    : Path.Combine(context.RepositoryRoot, "cdk.out");
                var assembly = StageApp.Synthesize(loaded.Config, outdir);
                output.WriteLine($"Synthesized {assembly.Stacks.Length} stack(s) of stage {loaded.Config.Stage} into {assembly.OutputDirectory}");
                return 0;
            }
            catch (ConfigValidationException ex)
            {
                error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }

    private static string StageFromCdkContext(CliContext context)
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
