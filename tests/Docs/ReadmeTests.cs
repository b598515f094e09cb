using System.Globalization;
using AztecInfra.Stages;
using AztecInfra.Cost;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Docs;

[Collection(CdkCollection.Name)]
public sealed class ReadmeTests(SynthesizedStages stages)
{
    private static readonly string Readme = File.ReadAllText(TestEnvironment.RepoPath("README.md"));

    private static string Row(string field) =>
        Readme.Split('\n').Single(l => l.StartsWith($"| `{field}` |", StringComparison.Ordinal));

    [Fact]
    public void Should_StartWithThePlanAndTestCommands_When_ANewcomerOpensIt()
    {
        // The first code block holds the two commands, in that order, and .ci/run calls the same test command.
        var block = Readme[Readme.IndexOf("```bash", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("```\n", 7, StringComparison.Ordinal)];
        var lines = block.Split('\n').Skip(1).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("dotnet run --project stacks -- plan --stage dev", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("bash scripts/test.sh", lines[1], StringComparison.Ordinal);
        Assert.Contains("scripts/test.sh", File.ReadAllText(TestEnvironment.RepoPath(".ci", "run")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aztecImage")]
    [InlineData("nodes[].instanceType")]
    [InlineData("nodes[].dataVolume.sizeGiB")]
    [InlineData("nodes[].dataVolume.iops")]
    [InlineData("nodes[].dataVolume.throughputMBps")]
    [InlineData("ha.mode")]
    [InlineData("ha.database.instanceClass")]
    [InlineData("ha.database.engineVersion")]
    [InlineData("ha.database.allocatedStorageGiB")]
    [InlineData("ha.database.backupRetentionDays")]
    [InlineData("monitoring.otelCollector")]
    [InlineData("monitoring.nodeExporter")]
    [InlineData("monitoring.instanceType")]
    [InlineData("monitoring.dataVolumeGiB")]
    [InlineData("monitoring.retentionDays")]
    [InlineData("acceptBelowSequencerFloor")]
    [InlineData("flowLogs.retentionDays")]
    [InlineData("flowLogs.traffic")]
    [InlineData("acceptBelowFloor")]
    [InlineData("nodes[].role")]
    [InlineData("nodes[].count")]
    [InlineData("nodes[].spot")]
    [InlineData("nodes[].history.historicCheckpoints")]
    [InlineData("nodes[].history.archivedTxLimit")]
    [InlineData("costAssumptions.internetEgressGBPerNodeMonth")]
    [InlineData("costAssumptions.haDatabaseInterRegionGBPerNodeMonth")]
    [InlineData("costAssumptions.monitoringInterRegionGBPerNodeMonth")]
    public void Should_DocumentTheDefaultTheCodeApplies_When_FieldHasADefault(string field)
    {
        var expected = field switch
        {
            "aztecImage" => Defaults.AztecImage.ToString(),
            "nodes[].instanceType" => Defaults.InstanceType,
            "nodes[].dataVolume.sizeGiB" => Defaults.DataVolumeSizeGiB.ToString(CultureInfo.InvariantCulture),
            "nodes[].dataVolume.iops" => Defaults.DataVolumeIops.ToString(CultureInfo.InvariantCulture),
            "nodes[].dataVolume.throughputMBps" => Defaults.DataVolumeThroughputMBps.ToString(CultureInfo.InvariantCulture),
            "ha.mode" => "independent",
            "ha.database.instanceClass" => Defaults.DatabaseInstanceClass,
            "ha.database.engineVersion" => Defaults.DatabaseEngineVersion,
            "ha.database.allocatedStorageGiB" => Defaults.DatabaseStorageGiB.ToString(CultureInfo.InvariantCulture),
            "ha.database.backupRetentionDays" => Defaults.DatabaseBackupRetentionDays.ToString(CultureInfo.InvariantCulture),
            "monitoring.otelCollector" => Defaults.OtelCollector.ToString(),
            "monitoring.nodeExporter" => Defaults.NodeExporter.ToString(),
            "monitoring.instanceType" => Defaults.MonitoringInstanceType,
            "monitoring.dataVolumeGiB" => Defaults.MonitoringDataVolumeGiB.ToString(CultureInfo.InvariantCulture),
            "monitoring.retentionDays" => Defaults.MonitoringRetentionDays.ToString(CultureInfo.InvariantCulture),
            "acceptBelowSequencerFloor" => "false",
            "flowLogs.retentionDays" => Defaults.FlowLogRetentionDays.ToString(CultureInfo.InvariantCulture),
            "flowLogs.traffic" => Defaults.FlowLogTraffic.ToString().ToUpperInvariant(),
            "acceptBelowFloor" => "[]",
            "nodes[].role" => NodeRoles.Name(Defaults.Role),
            "nodes[].count" => Defaults.ProverAgentCount.ToString(CultureInfo.InvariantCulture),
            "nodes[].spot" => Defaults.ProverAgentSpot ? "true" : "false",
            "nodes[].history.historicCheckpoints" => Defaults.HistoricCheckpoints.ToString(CultureInfo.InvariantCulture),
            "nodes[].history.archivedTxLimit" => Defaults.ArchivedTxLimit.ToString(CultureInfo.InvariantCulture),
            "costAssumptions.internetEgressGBPerNodeMonth" => Defaults.InternetEgressGBPerNodeMonth.ToString(CultureInfo.InvariantCulture),
            "costAssumptions.haDatabaseInterRegionGBPerNodeMonth" => Defaults.HaDatabaseInterRegionGBPerNodeMonth.ToString(CultureInfo.InvariantCulture),
            "costAssumptions.monitoringInterRegionGBPerNodeMonth" => Defaults.MonitoringInterRegionGBPerNodeMonth.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        Assert.EndsWith($"| `{expected}` |", Row(field).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_QuoteTheCostThePlanComputes_When_StagesArePriced()
    {
        var dev = stages.Dev.Cost();
        var prod = stages.Prod.Cost();
        Assert.Contains($"| dev | **${dev.TotalUsd.ToString("#,0.00", CultureInfo.InvariantCulture)}** |", Readme, StringComparison.Ordinal);
        Assert.Contains($"| prod | **${prod.TotalUsd.ToString("#,0.00", CultureInfo.InvariantCulture)}** + unpriced |", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ShowTheGuideComparisonThePlanComputes_When_DevIsPriced()
    {
        var guide = GuideComparison.For(stages.Dev.Cost(), "validator-1", "c6i.2xlarge")!;
        foreach (var line in guide.Lines)
        {
            Assert.Contains($"| {line.What} | ${line.GuideUsd:0.00} | ${line.PlanUsd:0.00} |", Readme, StringComparison.Ordinal);
        }
    }
}
