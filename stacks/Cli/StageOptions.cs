using System.CommandLine;
using AztecInfra.Stages;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Cli;

/// <summary>The <c>--stage</c> / <c>--config</c> pair every stage-aware verb takes (exactly one of them).</summary>
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

    /// <summary>Adds both options; <paramref name="required"/> makes the verb refuse to run without one.</summary>
    public void AddTo(Command command, bool required = true)
    {
        command.Options.Add(Stage);
        command.Options.Add(ConfigFile);
        command.Validators.Add(result =>
        {
            var stage = result.GetValue(Stage);
            var file = result.GetValue(ConfigFile);
            if (stage is not null && file is not null)
            {
                // Which one would win is a guess either way: a reviewer must not plan prod thinking it is dev.
                result.AddError("Give --stage NAME or --config FILE, not both.");
            }
            else if (required && stage is null && file is null)
            {
                result.AddError("Give --stage NAME (config/NAME.yaml) or --config FILE.");
            }
        });
    }

    /// <summary>True when either option was given.</summary>
    public bool IsGiven(ParseResult result) => result.GetValue(Stage) is not null || result.GetValue(ConfigFile) is not null;

    /// <summary>Resolves the stage file and loads it; throws <see cref="ConfigValidationException"/> on any problem.</summary>
    public LoadedConfig Load(ParseResult result, CliContext context)
    {
        var file = result.GetValue(ConfigFile);
        if (file is not null)
        {
            return StageConfigLoader.LoadFile(file.FullName);
        }

        return LoadStage(result.GetValue(Stage)!, context);
    }

    /// <summary>Loads <c>config/NAME.yaml</c> after checking the name.</summary>
    public static LoadedConfig LoadStage(string stage, CliContext context)
    {
        if (!StageValidator.IsStageName(stage))
        {
            throw new ConfigValidationException("--stage", [new ConfigIssue(IssueSeverity.Error, "--stage", stage, "must be a stage name such as dev or prod")]);
        }

        return StageConfigLoader.LoadFile(Path.Combine(context.RepositoryRoot, "config", stage + ".yaml"));
    }
}
