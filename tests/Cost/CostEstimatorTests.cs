using AztecInfra.Stages;
using AztecInfra.Cost;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Cost;

public sealed class CostEstimatorTests
{
    [Fact]
    public void Should_PriceTheDevNodeFromItsParts_When_Estimated()
    {
        // Given the dev stage / When estimated
        var estimate = CostEstimator.Estimate(StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "dev.yaml")).Config);

        // Then each part is quantity × list price, and the node sums them
        decimal Line(string component) => estimate.Lines.Single(l => l.Component.StartsWith(component, StringComparison.Ordinal)).MonthlyUsd!.Value;
        Assert.Equal(248.20m, Line("EC2 c6i.2xlarge"));
        Assert.Equal(80.00m, Line("EBS gp3 data 1000 GiB"));
        Assert.Equal(15.00m, Line("EBS gp3 IOPS above 3000"));
        Assert.Equal(5.00m, Line("EBS gp3 throughput above 125"));
        Assert.Equal(354.45m, estimate.NodeUsd("validator-1"));
        Assert.Equal(355.45m, estimate.TotalUsd);
        Assert.False(estimate.HasUnpriced);
    }

    [Fact]
    public void Should_ReportUnpricedInsteadOfGuessing_When_RegionIsMissingFromTable()
    {
        // Given a node in a region the price table lacks
        var yaml = StageYaml.Valid.Replace("us-east-1", "sa-east-1", StringComparison.Ordinal);
        var estimate = CostEstimator.Estimate(StageConfigLoader.Parse(yaml).Config);

        // Then its instance and volumes are unpriced, not priced at another region's rate
        Assert.True(estimate.HasUnpriced);
        Assert.Null(estimate.Lines.Single(l => l.Component.StartsWith("EC2", StringComparison.Ordinal)).MonthlyUsd);
    }

    [Fact]
    public void Should_PriceDatabaseAndSecretReplicas_When_StageIsSharedSigner()
    {
        var estimate = CostEstimator.Estimate(StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "prod.yaml")).Config);
        Assert.Equal(94.17m, estimate.Lines.Single(l => l.Component.StartsWith("RDS PostgreSQL", StringComparison.Ordinal)).MonthlyUsd);
        Assert.Equal(1.20m, estimate.Lines.Single(l => l.Component.StartsWith("Secrets Manager", StringComparison.Ordinal)).MonthlyUsd);
    }
}
