using System.Collections.Immutable;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Stages;

/// <summary>
/// Loads a stage: <see cref="StageFile"/> reads the YAML into a <see cref="StageDocument"/>, then
/// <see cref="StageValidator"/> applies the defaults and every rule. Errors are collected and thrown together;
/// nothing partial is ever returned.
/// </summary>
public static class StageConfigLoader
{
    /// <summary>Loads and validates a stage file.</summary>
    /// <exception cref="ConfigValidationException">The file is missing, not YAML, or breaks a rule.</exception>
    public static LoadedConfig LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigValidationException(path, [new ConfigIssue(IssueSeverity.Error, "file", path, "does not exist")]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates stage YAML. <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ConfigValidationException">The text is not YAML or breaks a rule.</exception>
    public static LoadedConfig Parse(string yaml, string source = "config")
    {
        var issues = new List<ConfigIssue>();
        var document = StageFile.Read(yaml, issues);
        var config = document is null ? null : StageValidator.Validate(document, issues);
        if (config is null || issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            throw new ConfigValidationException(source, issues);
        }

        return new LoadedConfig(config, issues.Where(i => i.Severity == IssueSeverity.Warning).ToImmutableArray());
    }
}
