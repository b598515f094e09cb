using AztecInfra.Cli;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Cli;

[Collection(CdkCollection.Name)]
public sealed class MonitoringPlanTests
{
    private static readonly Lazy<(int Code, string Out, string Err)> ProdPlan = new(() => TestCli.Run(
        new CliContext { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = new Dictionary<string, string>() },
        "plan", "--stage", "prod", "--out", Path.Combine(TestEnvironment.NewTempDirectory(), "cdk.out")));

    [Theory]
    [InlineData("Monitoring host: t3.medium in us-east-1a (aztec-infra-prod-monitoring), Prometheus keeps 30 days, Grafana through SSM port forwarding only")]
    [InlineData("  inbound: none (no rule at all)")]
    [InlineData("  scrapes over private addresses: validator-us, validator-eu, validator-ap")]
    [InlineData("  scrape access: validator-us: 8889/tcp from 10.50.15.254/32, 9100/tcp from 10.50.15.254/32, validator-eu: 8889/tcp from 10.50.15.254/32, 9100/tcp from 10.50.15.254/32, validator-ap: 8889/tcp from 10.50.15.254/32, 9100/tcp from 10.50.15.254/32")]
    [InlineData("  alert receivers: sns: the stage's alarm topic")]
    [InlineData("  topic: aztec-infra-prod-alarms in us-east-1, encrypted")]
    [InlineData("  heartbeat alarm: AztecInfra/Monitoring WatchdogHeartbeat Stage=prod, missing data is breaching, notifies the stage's alarm topic")]
    [InlineData("| EC2 t3.medium (monitoring host)")]
    [InlineData("| CloudWatch alarm AztecInfra/Monitoring WatchdogHeartbeat")]
    [InlineData("5432/tcp from 10.50.15.254/32 (TCP reachability probe from the monitoring host only)")]
    public void Should_ShowOneHostItsScrapeAccessTopicAndHeartbeat_When_ProdIsPlanned(string expected)
    {
        var plan = ProdPlan.Value;
        Assert.True(plan.Code == 0, plan.Err);
        Assert.Contains(expected, plan.Out, StringComparison.Ordinal);
        Assert.Single(plan.Out.Split('\n'), l => l.StartsWith("Monitoring host:", StringComparison.Ordinal));
    }
}
