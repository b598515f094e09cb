using System.Collections.Immutable;

namespace AztecInfra.Stages;

/// <summary>How serious a configuration finding is.</summary>
public enum IssueSeverity
{
    /// <summary>The stage cannot be planned or deployed.</summary>
    Error,

    /// <summary>The stage is allowed but a reviewer should see this.</summary>
    Warning,
}

/// <summary>One finding about a configuration: the field, the value received, and what is allowed.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Field">Path of the field, e.g. <c>nodes[0].dataVolume.iops</c>.</param>
/// <param name="Value">The value received (never a secret: config holds only references and addresses).</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record ConfigIssue(IssueSeverity Severity, string Field, string? Value, string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var label = Severity == IssueSeverity.Error ? "error" : "warning";
        return Value is null ? $"{label}: {Field}: {Message}" : $"{label}: {Field}: {Message} (got '{Value}')";
    }
}

/// <summary>Thrown when a configuration has one or more errors; carries every finding, not just the first.</summary>
public sealed class ConfigValidationException : Exception
{
    /// <summary>Creates the exception from the findings.</summary>
    public ConfigValidationException(string source, IEnumerable<ConfigIssue> issues)
        : base(Format(source, issues))
    {
        Source = source;
        Issues = issues.ToImmutableArray();
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public ConfigValidationException()
        : this("config", [])
    {
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public ConfigValidationException(string message)
        : base(message)
    {
        Issues = [];
    }

    /// <summary>Creates an exception with a plain message and inner exception.</summary>
    public ConfigValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Issues = [];
    }

    /// <summary>All findings, errors and warnings.</summary>
    public ImmutableArray<ConfigIssue> Issues { get; }

    private static string Format(string source, IEnumerable<ConfigIssue> issues)
    {
        var errors = issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
        return $"{source}: {errors.Count} configuration error(s):{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}

/// <summary>A configuration that passed validation, with the warnings a reviewer should still see.</summary>
/// <param name="Config">The validated stage.</param>
/// <param name="Warnings">Findings that do not block planning.</param>
public sealed record LoadedConfig(StageConfig Config, ImmutableArray<ConfigIssue> Warnings);
