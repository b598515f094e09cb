using AztecInfra.Config;

namespace AztecInfra.Tests.Support;

/// <summary>A small valid stage, as text, for tests that change one thing at a time.</summary>
internal static class StageYaml
{
    public const string Valid = """
        stage: qa
        network: testnet
        regions:
          - name: us-east-1
            availabilityZones: [us-east-1a, us-east-1b]
            vpcCidr: 10.40.0.0/16
        nodes:
          - id: validator-1
            instanceType: c6i.4xlarge
        l1:
          executionUrlsParameter: /aztec-infra/qa/l1-execution-urls
          consensusUrlsParameter: /aztec-infra/qa/l1-consensus-urls
        """;

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
