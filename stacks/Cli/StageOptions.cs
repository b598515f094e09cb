using System.CommandLine;
using AztecInfra.Stages;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Cli;

/// <summary>The <c>--stage</c> / <c>--config</c> pair every stage-aware verb takes.</summary>
internal sealed class StageOptions
{
    public Option<string?> Stage { get; } = new("--stage")
    {
        Description = "Stage name; loads config/<stage>.yaml from the repository.",
    };

    public Option<FileInfo?> ConfigFile { get; } = new("--config")
    {
        Description = "Stage file to use instead of config/<stage>.yaml.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Stage);
        command.Options.Add(ConfigFile);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Stage) is null && result.GetValue(ConfigFile) is null)
            {
                result.AddError("Give --stage NAME (config/NAME.yaml) or --config FILE.");
            }
        });
    }

    /// <summary>Resolves the stage file and loads it; throws <see cref="ConfigValidationException"/> on any problem.</summary>
    public LoadedConfig Load(ParseResult result, CliContext context)
    {
        var file = result.GetValue(ConfigFile);
        if (file is not null)
        {
            return StageConfigLoader.LoadFile(file.FullName);
        }

        var stage = result.GetValue(Stage)!;
        if (!StageValidator.IsStageName(stage))
        {
            throw new ConfigValidationException("--stage", [new ConfigIssue(IssueSeverity.Error, "--stage", stage, "must be a stage name such as dev or prod")]);
        }

        return StageConfigLoader.LoadFile(Path.Combine(context.RepositoryRoot, "config", stage + ".yaml"));
    }
}
