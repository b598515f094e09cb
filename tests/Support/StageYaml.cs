using AztecInfra.Stages;

namespace AztecInfra.Tests.Support;

/// <summary>A small valid stage, as text, for tests that change one thing at a time.</summary>
internal static class StageYaml
{
    /// <summary>us-east-1 with two zones, as a <c>regions:</c> entry.</summary>
    public const string UsEast1 = "  - name: us-east-1\n    availabilityZones: [us-east-1a, us-east-1b]\n    vpcCidr: 10.40.0.0/16";

    public static readonly string Valid = Build(UsEast1, "  - id: validator-1\n    instanceType: c6i.4xlarge");

    /// <summary>
    /// A testnet stage from its <c>regions:</c> and <c>nodes:</c> entries; <paramref name="ha"/> (the mode,
    /// optionally followed by more <c>ha:</c> lines) adds an <c>ha:</c> block.
    /// </summary>
    public static string Build(string regions, string nodes, string? ha = null, string stage = "qa")
    {
        var text = $"stage: {stage}\nnetwork: testnet\nregions:\n{regions}\nnodes:\n{nodes}\nl1:\n"
            + $"  executionUrlsParameter: /aztec-infra/{stage}/l1-execution-urls\n"
            + $"  consensusUrlsParameter: /aztec-infra/{stage}/l1-consensus-urls";
        return ha is null ? text : text + $"\nha:\n  mode: {ha}\n";
    }

    /// <summary>Parses and returns the errors; fails the test if the YAML was accepted.</summary>
    public static IReadOnlyList<ConfigIssue> Errors(string yaml)
    {
        var ex = Assert.Throws<ConfigValidationException>(() => StageConfigLoader.Parse(yaml, "test.yaml"));
        return ex.Issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
    }

    /// <summary>Asserts exactly one error on <paramref name="field"/> whose message contains <paramref name="text"/>.</summary>
    public static ConfigIssue SingleError(string yaml, string field, string text)
    {
        var errors = Errors(yaml);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.ToString(), StringComparison.Ordinal);
        return error;
    }

    public static string Replace(string from, string to)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        return Valid.Replace(from, to, StringComparison.Ordinal);
    }
}
