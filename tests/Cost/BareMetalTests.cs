using AztecInfra.Stages;
using AztecInfra.Cli;
using AztecInfra.Cost;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Cost;

[Collection(CdkCollection.Name)]
public sealed class BareMetalTests(SynthesizedStages stages)
{
    private static BareMetalOffer Offer(int cores, int threads, int memory, int nvme, decimal? monthly, decimal? setup) =>
        new("Test", "box", cores, threads, memory, nvme, monthly, setup, "2026-01", "https://example.invalid/price", "test data");

    [Fact]
    public void Should_ComputeBreakEven_When_OfferMeetsFloorAndIsPriced()
    {
        // Given the dev node ($403.95 a month on AWS) and an offer at 100 EUR with 200 EUR setup, at 1 USD per EUR
        var rows = BareMetalComparison.Compare(stages.Dev.Cost(), [("validator-1", "c6i.2xlarge", NodeRole.Sequencer)], [Offer(8, 16, 64, 1920, 100m, 200m)], 1m);

        // Then the setup fee is paid back by the monthly saving in 200 / 303.95 months
        var row = Assert.Single(rows);
        Assert.True(row.MeetsFloor);
        Assert.Equal(403.95m, row.AwsMonthlyUsd);
        Assert.Equal(0.7m, row.BreakEvenMonths);
    }

    [Fact]
    public void Should_NotCompare_When_OfferIsBelowTheRoleFloor()
    {
        // Given an offer with 6 cores (the sequencer floor is 8)
        var row = Assert.Single(BareMetalComparison.Compare(stages.Dev.Cost(), [("validator-1", "c6i.2xlarge", NodeRole.Sequencer)], [Offer(6, 12, 64, 1920, 10m, 0m)], 1m));

        // Then it is marked below the floor and not priced against AWS
        Assert.False(row.MeetsFloor);
        Assert.Null(row.OfferMonthlyUsd);
        Assert.Null(row.BreakEvenMonths);
    }

    [Fact]
    public void Should_StayUnpriced_When_SourceStatesNoPrice()
    {
        // Given the shipped table's offers without a citable price
        var rows = BareMetalComparison.Compare(stages.Dev.Cost(), [("validator-1", "c6i.2xlarge", NodeRole.Sequencer)], BareMetalPrices.Offers, BareMetalPrices.UsdPerEur);

        // Then they stay unpriced (never guessed), and every offer names a dated source
        Assert.All(rows.Where(r => r.Offer.MonthlyEur is null), r => Assert.Null(r.OfferMonthlyUsd));
        Assert.All(BareMetalPrices.Offers, o => Assert.StartsWith("https://", o.Source, StringComparison.Ordinal));
        Assert.All(BareMetalPrices.Offers, o => Assert.Matches("^20[0-9]{2}", o.AsOf));
        Assert.Contains(rows, r => r.Offer.Provider == "Hetzner");
        Assert.Contains(rows, r => r.Offer.Provider == "Latitude.sh");
    }

    [Fact]
    public void Should_PrintDatedSourcedRows_When_CostCompareRuns()
    {
        // Given the dev stage / When 'cost --compare' runs
        var (code, output, error) = TestCli.Run(new CliContext { RepositoryRoot = TestEnvironment.RepositoryRoot, Environment = new Dictionary<string, string>() }, "cost", "--compare", "--stage", "dev");

        // Then it prints the AWS figure per node, each offer with a footnote, and the footnotes with date and URL
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("| validator-1 (sequencer, c6i.2xlarge) | $403.95 |", output, StringComparison.Ordinal);
        Assert.Contains("[1] Hetzner, 2026-02: https://", output, StringComparison.Ordinal);
        Assert.Contains("Latitude.sh, 2026: https://", output, StringComparison.Ordinal);
        Assert.Contains("savings plan is not shown", output, StringComparison.Ordinal);
    }
}
