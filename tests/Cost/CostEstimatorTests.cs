using System.Text.Json.Nodes;
using AztecInfra.Cost;
using AztecInfra.Plan;
using AztecInfra.Stacks;
using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Cost;

[Collection(CdkCollection.Name)]
public sealed class CostEstimatorTests(SynthesizedStages stages)
{
    private const string DevValidators = "aztec-infra-dev-validators-us-east-1";

    private static decimal Line(CostEstimate estimate, string component) =>
        estimate.Lines.Single(l => l.Component.StartsWith(component, StringComparison.Ordinal)).MonthlyUsd!.Value;

    [Fact]
    public void Should_PriceTheDevNodeFromItsParts_When_Estimated()
    {
        // Given the dev stage's templates / When estimated
        var estimate = stages.Dev.Cost();

        // Then each part is quantity × list price, and the node sums them
        Assert.Equal(248.20m, Line(estimate, "EC2 c6i.2xlarge"));
        Assert.Equal(80.00m, Line(estimate, "EBS gp3 data 1000 GiB"));
        Assert.Equal(15.00m, Line(estimate, "EBS gp3 IOPS above 3000"));
        Assert.Equal(5.00m, Line(estimate, "EBS gp3 throughput above 125"));
        Assert.Equal(2.40m, Line(estimate, "EBS gp3 root 30 GiB"));
        Assert.Equal(49.50m, Line(estimate, "Internet egress (validator-1)"));
        Assert.Equal(403.95m, estimate.NodeUsd("validator-1"));
        // And the stage adds its monitoring host (t3.medium, 50 + 20 GiB, address, three alarms)
        Assert.Equal(404.95m + 39.918m, estimate.TotalUsd);
        Assert.False(estimate.HasUnpriced);
    }

    [Fact]
    public void Should_TakeTheFreeTierOnceAndPriceAssumedEgress_When_AssumptionsAreGiven()
    {
        // Given the dev templates and 2,100 GB of egress per node-month
        var facts = new StackFacts("us-east-1", TemplateFacts.Read(stages.Dev.TemplateJson(DevValidators)));

        // When priced
        var estimate = CostEstimator.Estimate([facts], new CostAssumptions(2100, 5, 0));

        // Then 100 GB are free and the other 2,000 GB cost $0.09 each
        var line = estimate.Lines.Single(l => l.Category == CostCategory.DataTransfer);
        Assert.Equal(180.00m, line.MonthlyUsd);
        Assert.Contains("100 GB free tier", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_CompareLikeWithLike_When_NodeIsOfTheGuidesType()
    {
        // Given the dev stage (c6i.2xlarge, the guide's type) / When compared with the guide
        var comparison = GuideComparison.For(stages.Dev.Cost(), "validator-1", "c6i.2xlarge")!;

        // Then compute, storage and transfer are set against $245 / $80 / $50, their total against $375
        Assert.Equal([245m, 80m, 50m, 375m], comparison.Lines.Select(l => l.GuideUsd));
        Assert.Equal([248.20m, 80.00m, 49.50m, 377.70m], comparison.Lines.Select(l => l.PlanUsd!.Value));

        // And what the guide leaves out (IOPS, throughput, root, address, alarms) is apart
        Assert.Equal(26.25m, comparison.BeyondGuideUsd);
    }

    [Fact]
    public void Should_NotCompareWithTheGuide_When_NodeIsOfAnotherType()
    {
        // Given prod's c6i.4xlarge nodes / When compared / Then there is no comparison
        var estimate = stages.Prod.Cost();
        Assert.All(new[] { "validator-us", "validator-eu", "validator-ap" }, id => Assert.Null(GuideComparison.For(estimate, id, "c6i.4xlarge")));
    }

    [Theory]
    [InlineData("InstanceType", "c6i.4xlarge", "EC2 c6i.4xlarge (validator-1)", 496.40)]
    [InlineData("Iops", "8000", "EBS gp3 IOPS above 3000 (validator-1)", 25.00)]
    public void Should_MoveThePrice_When_ATemplateFactChanges(string property, string value, string component, double expected)
    {
        // Given the dev validators template with one declared fact changed, as a deploy of it would have it
        var template = JsonNode.Parse(stages.Dev.TemplateJson(DevValidators))!.AsObject();
        var type = property == "Iops" ? "AWS::EC2::Volume" : "AWS::EC2::Instance";
        var resource = template["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == type).Value!;
        resource["Properties"]![property] = property == "Iops" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value;

        // When priced
        var estimate = CostEstimator.Estimate([new StackFacts("us-east-1", TemplateFacts.Read(template.ToJsonString()))]);

        // Then the price follows the template, not the stage file
        Assert.Equal((decimal)expected, Line(estimate, component));
        Assert.NotEqual(stages.Dev.Cost().NodeUsd("validator-1"), estimate.NodeUsd("validator-1"));
    }

    [Fact]
    public void Should_ReportUnpricedInsteadOfGuessing_When_RegionIsMissingFromTable()
    {
        // Given a node in a region the price table lacks
        var yaml = StageYaml.Valid.Replace("us-east-1", "sa-east-1", StringComparison.Ordinal);
        var assembly = StageApp.Synthesize(StageConfigLoader.Parse(yaml).Config, TestEnvironment.NewTempDirectory());
        var estimate = CostEstimator.Estimate(assembly.Stacks.Select(s => new StackFacts(s.Region, TemplateFacts.Read(File.ReadAllText(s.TemplatePath)))));

        // Then its instance and volumes are unpriced, not priced at another region's rate
        Assert.True(estimate.HasUnpriced);
        Assert.All(estimate.Lines.Where(l => l.Component.StartsWith("EC2", StringComparison.Ordinal)), l => Assert.Null(l.MonthlyUsd));
        Assert.All(estimate.Lines.Where(l => l.Component.StartsWith("EBS gp3 data", StringComparison.Ordinal)), l => Assert.Null(l.MonthlyUsd));
        Assert.Equal(2, estimate.Lines.Count(l => l.Component.StartsWith("EC2", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_PriceDatabaseAndSecretReplicas_When_StageIsSharedSigner()
    {
        var estimate = stages.Prod.Cost();
        Assert.Equal(94.17m, Line(estimate, "RDS PostgreSQL db.t4g.medium Multi-AZ"));
        Assert.Equal(11.50m, Line(estimate, "RDS storage 50 GiB Multi-AZ"));
        Assert.Equal(1.20m, Line(estimate, "Secrets Manager"));
        Assert.Equal(0.10m, Line(estimate, "Inter-region to the HA database (validator-eu)"));

        // Asia Pacific egress has no dated price here: it stays unpriced, never guessed
        Assert.Null(estimate.Lines.Single(l => l.Component == "Internet egress (validator-ap)").MonthlyUsd);
        Assert.True(estimate.HasUnpriced);
        Assert.Equal(2455.16m + 39.97m, Math.Round(estimate.TotalUsd, 2));
    }
}
