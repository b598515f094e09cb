using System.Globalization;
using System.Text.Json;
using AztecInfra.Monitoring;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Monitoring;

/// <summary>Every dashboard query, parsed by promtool and run on a real Prometheus over backfilled data.</summary>
[Collection(BackfilledPrometheusCollection.Name)]
public sealed class DashboardQueryTests(BackfilledPrometheus prometheus)
{
    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        foreach (var dashboard in AztecDashboards.All)
        {
            foreach (var panel in dashboard.Panels)
            {
                foreach (var query in panel.Queries)
                {
                    data.Add($"{dashboard.Uid} / {panel.Title} / {query.Legend}", AztecDashboards.Expand(query.Expr));
                }
            }
        }

        return data;
    }

    [Fact]
    public void Should_ParseEveryExpression_When_PromtoolChecksTheDashboards()
    {
        var queries = Queries().Select(row => (string)row[1]).ToList();

        var (code, output) = CheckAsRules(queries);

        Assert.True(code == 0, output);
        Assert.Contains($"SUCCESS: {queries.Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_FailTheParse_When_AnExpressionIsBroken()
    {
        var (code, output) = CheckAsRules(["sum by (instance (up)"]);

        Assert.NotEqual(0, code);
        Assert.Contains("parse error", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Should_ReturnSeries_When_TheQueryRunsOnBackfilledData(string panel, string expr)
    {
        using var http = new HttpClient();
        var uri = new Uri(prometheus.Url, $"/api/v1/query?query={Uri.EscapeDataString(expr)}&time={prometheus.End.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");

        using var document = JsonDocument.Parse(await http.GetStringAsync(uri));

        Assert.Equal("success", document.RootElement.GetProperty("status").GetString());
        Assert.True(document.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0, $"{panel}: '{expr}' returned no series");
    }

    private static (int Code, string Output) CheckAsRules(IReadOnlyList<string> expressions)
    {
        // promtool parses PromQL when it checks rules; each expression becomes one recording rule.
        var dir = TestEnvironment.NewTempDirectory();
        var file = Path.Combine(dir, "dashboards.yml");
        var rules = expressions.Select((e, i) => new Dictionary<string, string> { ["record"] = $"dashboard:query_{i}", ["expr"] = e }).ToList();
        var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["groups"] = new[] { new Dictionary<string, object> { ["name"] = "dashboards", ["rules"] = rules } } });
        File.WriteAllText(file, yaml);
        return TestEnvironment.Run("promtool", "check", "rules", file);
    }
}
