using System.Collections.Immutable;
using System.Globalization;
using AztecInfra.Cli;
using AztecInfra.Stages;
using AztecInfra.Monitoring.Usage;
using AztecInfra.Tests.Support;
using Xunit.Abstractions;

namespace AztecInfra.Tests.Monitoring;

/// <summary><c>aztec-infra usage</c> against a real Prometheus over backfilled data, and its sizing rules.</summary>
[Collection(BackfilledPrometheusCollection.Name)]
public sealed class UsageTests(BackfilledPrometheus prometheus, ITestOutputHelper log)
{
    private static readonly CliContext Context = new() { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = new Dictionary<string, string>() };

    private (int Code, string Out, string Err) Usage(params string[] extra) =>
        TestCli.Run(Context, ["usage", "--prometheus", prometheus.Url.ToString(), "--until", prometheus.End.ToString("O", CultureInfo.InvariantCulture), .. extra]);

    [Fact]
    public void Should_PrintARightSizingLine_When_UsageRunsOnBackfilledData()
    {
        // Given validator-1 (dev: c6i.2xlarge, 1000 GiB) 75-95 % busy on 8 CPUs, its disk growing 2 GiB a day
        var (code, output, error) = Usage("--since", "7d", "--stage", "dev");
        log.WriteLine(output);

        // Then p95 CPU needs 13 vCPU at a 60 % target (c6i.4xlarge), 180 days of growth need 1400 GiB,
        // costing (0.68 - 0.34) x 730 + 400 x 0.08 more a month
        Assert.True(code == 0, error);
        Assert.Contains("right-sizing validator-1: c6i.2xlarge -> c6i.4xlarge (16 vCPU, 32 GiB); data volume 1000 -> 1400 GiB; +$280.20 per month (2025-06 AWS public list prices). Why: p95 CPU and peak memory need 13 vCPU / 15 GiB at 60 % / 70 % target, c6i.2xlarge has 8 / 16; 180 days of growth at 2 GiB/day need 1400 GiB under 80 % full; p95 IOPS 4500 of 6000 provisioned.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_MeasureDiskGrowthAndDaysUntilFull_When_UsageRunsOnBackfilledData()
    {
        var (code, output, error) = Usage("--since", "7d");

        Assert.True(code == 0, error);
        Assert.Contains("disk used     716.0 of 1000.0 GiB, growth 2.00 GiB/day, full in 142.0 days", output, StringComparison.Ordinal);
        Assert.Contains("of 8 vCPU", output, StringComparison.Ordinal);
        Assert.Contains("disk IOPS     p50 4500, p95 4500, max 4500", output, StringComparison.Ordinal);
        Assert.Contains("network       p50 24, p95 24, max 24 Mbit/s", output, StringComparison.Ordinal);
        Assert.Contains("validator-2", output, StringComparison.Ordinal);
        Assert.Contains("No right-sizing: give --stage or --config", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30m")]
    [InlineData("7w")]
    [InlineData("91d")]
    public void Should_RefuseTheWindow_When_SinceIsOutOfRange(string since)
    {
        var (code, _, error) = Usage("--since", since);

        Assert.Equal(2, code);
        Assert.Contains($"--since: '{since}' is not allowed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseTheMountpoint_When_ItCouldBreakTheQuery()
    {
        var (code, _, error) = Usage("--mountpoint", "/data\"} or vector(1) #");

        Assert.Equal(2, code);
        Assert.Contains("--mountpoint: '/data\"} or vector(1) #' is not allowed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitOneNamingTheUrl_When_PrometheusDoesNotAnswer()
    {
        var (code, _, error) = TestCli.Run(Context, "usage", "--prometheus", "http://127.0.0.1:9", "--since", "1d");

        Assert.Equal(1, code);
        Assert.Contains("--prometheus http://127.0.0.1:9/", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_KeepTheSequencerFloor_When_AMainnetNodeIsIdle()
    {
        var node = new ProvisionedNode("validator-us", "us-east-1", InstanceCatalog.All["c6i.4xlarge"], 1000, 16000, Mainnet: true);
        var idle = new NodeUsage("validator-us", 16, new Spread(0.05, 0.1, 0.2), 32 * SyntheticMetrics.GiB, new Spread(4 * SyntheticMetrics.GiB, 5 * SyntheticMetrics.GiB, 6 * SyntheticMetrics.GiB), 1000 * SyntheticMetrics.GiB, 300 * SyntheticMetrics.GiB, 0.5 * SyntheticMetrics.GiB, null, null);

        var recommendation = UsageAnalyzer.Recommend(idle, node);

        Assert.Equal("c6i.4xlarge", recommendation.Instance.Name);
        Assert.Equal(1000, recommendation.VolumeGiB);
        Assert.Equal(0m, recommendation.MonthlyDeltaUsd);
    }

    [Fact]
    public void Should_RecommendASmallerInstance_When_ATestnetNodeIsIdle()
    {
        var node = new ProvisionedNode("validator-1", "eu-west-1", InstanceCatalog.All["c6i.4xlarge"], 1000, 6000, Mainnet: false);
        var idle = new NodeUsage("validator-1", 16, new Spread(0.05, 0.1, 0.2), 32 * SyntheticMetrics.GiB, new Spread(4 * SyntheticMetrics.GiB, 5 * SyntheticMetrics.GiB, 6 * SyntheticMetrics.GiB), 1000 * SyntheticMetrics.GiB, 300 * SyntheticMetrics.GiB, 0, null, null);

        var recommendation = UsageAnalyzer.Recommend(idle, node);

        // 0.1 x 16 / 0.6 -> 3 vCPU, 6 / 0.7 -> 9 GiB: the cheapest amd64 type is c6i.2xlarge, half the price.
        Assert.Equal("c6i.2xlarge", recommendation.Instance.Name);
        Assert.Equal(Math.Round((0.34m - 0.68m) * 1.118m * 730m, 2), recommendation.MonthlyDeltaUsd);
    }

    [Fact]
    public void Should_TakeNearestRankPercentiles_When_SpreadIsComputed()
    {
        var spread = Spread.Of(Enumerable.Range(1, 100).Select(i => (double)i))!;

        Assert.Equal(new Spread(50, 95, 100), spread);
        Assert.Null(Spread.Of(ImmutableArray<double>.Empty));
    }
}
