using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stages;

public sealed class StageRulesTests
{
    private const string A1 = "0x1111111111111111111111111111111111111111";
    private const string A2 = "0x2222222222222222222222222222222222222222";
    private const string P1 = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string P2 = "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static string TwoNodes(string mode, string node1, string node2, string extra = "") => StageYaml.Build(
        StageYaml.UsEast1,
        $"  - id: validator-1\n    {node1}\n  - id: validator-2\n    availabilityZone: us-east-1b\n    {node2}",
        extra.Length == 0 ? mode : $"{mode}\n{extra}");

    private const string Database = "  database: {region: us-east-1}";

    [Fact]
    public void Should_WarnNotFail_When_TestnetNodeIsBelowSequencerFloor()
    {
        // Given a testnet node on 8 vCPU
        var yaml = StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.2xlarge");

        // When loaded
        var loaded = StageConfigLoader.Parse(yaml);

        // Then it is accepted with a warning that names the field
        var warning = Assert.Single(loaded.Warnings);
        Assert.Equal("nodes[0].instanceType", warning.Field);
        Assert.Contains("below Aztec's sequencer floor", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Fail_When_MainnetNodeIsBelowSequencerFloor() =>
        StageYaml.SingleError(
            StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.2xlarge").Replace("network: testnet", "network: mainnet"),
            "nodes[0].instanceType",
            "acceptBelowSequencerFloor");

    [Fact]
    public void Should_Warn_When_MainnetExplicitlyAcceptsBelowFloor()
    {
        var yaml = StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.2xlarge").Replace("network: testnet", "network: mainnet") + "\nacceptBelowSequencerFloor: true\n";
        var warning = Assert.Single(StageConfigLoader.Parse(yaml).Warnings, w => w.Field == "nodes[0].instanceType");
        Assert.Contains("accepted by acceptBelowSequencerFloor", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseAttesterOnTwoNodes_When_Independent()
    {
        // Given one attester on two nodes without the HA database
        var yaml = TwoNodes("independent", $"attesters: [\"{A1}\"]", $"attesters: [\"{A1}\"]");

        // When loaded / Then refused, naming the attester and both nodes
        var error = StageYaml.SingleError(yaml, "nodes[1].attesters[0]", "double-sign");
        Assert.Equal(A1, error.Value);
        Assert.Contains("validator-1 and validator-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseAttester_When_ListedTwiceOnOneNode() =>
        StageYaml.SingleError(TwoNodes("independent", $"attesters: [\"{A1}\", \"{A1.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}\"]", $"attesters: [\"{A2}\"]"), "nodes[0].attesters[1]", "listed twice");

    [Fact]
    public void Should_RefuseSharedSigner_When_OnlyOneNode() =>
        Assert.Contains(
            StageYaml.Errors(StageYaml.Valid + "\nha:\n  mode: shared-signer\n  database: {region: us-east-1}\n"),
            e => e.Field == "ha.mode" && e.Message.Contains("at least two nodes", StringComparison.Ordinal));

    [Fact]
    public void Should_RefuseSharedSigner_When_NoDatabase() =>
        StageYaml.SingleError(TwoNodes("shared-signer", $"attesters: [\"{A1}\"]\n    publisher: \"{P1}\"", $"attesters: [\"{A1}\"]\n    publisher: \"{P2}\""), "ha.database", "double-sign");

    [Fact]
    public void Should_RefuseDatabaseRegion_When_ItHasOneZone()
    {
        var yaml = TwoNodes("shared-signer", $"attesters: [\"{A1}\"]\n    publisher: \"{P1}\"", $"attesters: [\"{A1}\"]\n    publisher: \"{P2}\"", Database)
            .Replace("[us-east-1a, us-east-1b]", "[us-east-1a]", StringComparison.Ordinal)
            .Replace("    availabilityZone: us-east-1b\n", string.Empty, StringComparison.Ordinal);
        StageYaml.SingleError(yaml, "ha.database.region", "at least two availability zones");
    }

    [Fact]
    public void Should_RefuseDatabase_When_Independent() =>
        StageYaml.SingleError(TwoNodes("independent", $"attesters: [\"{A1}\"]", $"attesters: [\"{A2}\"]", Database), "ha.database", "only used with ha.mode: shared-signer");

    [Fact]
    public void Should_RefuseNodes_When_TheyShareAnId()
    {
        var yaml = TwoNodes("independent", "instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge").Replace("id: validator-2", "id: validator-1", StringComparison.Ordinal);
        StageYaml.SingleError(yaml, "nodes[1].id", "must be unique");
    }

    [Fact]
    public void Should_RefuseNodes_When_TheyShareAPublisher()
    {
        var yaml = TwoNodes("shared-signer", $"attesters: [\"{A1}\"]\n    publisher: \"{P1}\"", $"attesters: [\"{A1}\"]\n    publisher: \"{P1}\"", Database);
        var error = StageYaml.SingleError(yaml, "nodes[1].publisher", "own publisher key");
        Assert.Contains("both validator-1 and validator-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AcceptSharedAttesters_When_SharedSignerHasDatabaseAndDistinctPublishers()
    {
        var yaml = TwoNodes("shared-signer", $"attesters: [\"{A1}\"]\n    publisher: \"{P1}\"", $"attesters: [\"{A1}\"]\n    publisher: \"{P2}\"", Database);
        var loaded = StageConfigLoader.Parse(yaml);
        Assert.All(loaded.Config.Nodes, n => Assert.Equal(A1, Assert.Single(n.Attesters)));
    }

    [Fact]
    public void Should_NeverAcceptAnAttesterOnTwoUncoordinatedNodes_When_AssignmentsAreGenerated()
    {
        // Given many random assignments of 3 attesters over 3 nodes, in both modes, with and without a database
        var random = new Random(20261123);
        var attesters = new[] { A1, A2, "0x3333333333333333333333333333333333333333" };
        var accepted = 0;
        for (var round = 0; round < 300; round++)
        {
            var mode = random.Next(2) == 0 ? "independent" : "shared-signer";
            var withDb = random.Next(2) == 0;
            var nodes = Enumerable.Range(1, 3).Select(i =>
            {
                var mine = attesters.Where(_ => random.Next(3) == 0).ToList();
                var publisher = random.Next(4) == 0 ? string.Empty : $"\n    publisher: \"0x{i}{new string('c', 39)}\"";
                return $"  - id: validator-{i}\n    attesters: [{string.Join(", ", mine.Select(a => $"\"{a}\""))}]{publisher}";
            });
            var yaml = StageYaml.Build(
                "  - name: us-east-1\n    availabilityZones: [us-east-1a]\n    vpcCidr: 10.40.0.0/16",
                string.Join("\n", nodes),
                withDb ? $"{mode}\n{Database}" : mode);

            // When loaded
            StageConfig config;
            try
            {
                config = StageConfigLoader.Parse(yaml).Config;
            }
            catch (ConfigValidationException)
            {
                continue;
            }

            // Then an accepted config shares an attester only under shared-signer with the database
            accepted++;
            var shared = config.Nodes.SelectMany(n => n.Attesters).GroupBy(a => a).Any(g => g.Count() > 1);
            if (shared)
            {
                Assert.Equal(HaMode.SharedSigner, config.Ha.Mode);
                Assert.NotNull(config.Ha.Database);
            }
        }

        Assert.InRange(accepted, 30, 300);
    }
    [Theory]
    [InlineData("attesters: [\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\"]", "nodes[0].attesters[0]")]
    [InlineData("publisher: \"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"", "nodes[0].publisher")]
    public void Should_RefuseNamingTheField_When_MixedCaseAddressHasWrongChecksum(string line, string field)
    {
        // Given a node address with a mistyped EIP-55 checksum
        var yaml = StageYaml.Build(StageYaml.UsEast1, $"  - id: validator-1\n    instanceType: c6i.4xlarge\n    {line}");

        // When loaded, then the field is named with the checksum as the reason
        StageYaml.SingleError(yaml, field, "EIP-55 checksum");
    }

    [Fact]
    public void Should_RefuseNamingTheField_When_CoinbaseChecksumIsWrong() =>
        StageYaml.SingleError(StageYaml.Valid + "\ncoinbase: \"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\"\n", "coinbase", "EIP-55 checksum");

    [Fact]
    public void Should_Accept_When_MixedCaseAddressHasCorrectChecksum()
    {
        // Given the EIP-55 test vector as coinbase
        var yaml = StageYaml.Valid + "\ncoinbase: \"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"\n";

        // When loaded
        var loaded = StageConfigLoader.Parse(yaml);

        // Then it is accepted
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", loaded.Config.Coinbase, ignoreCase: true);
    }
    [Theory]
    [InlineData("internetEgressGBPerNodeMonth: -1", "costAssumptions.internetEgressGBPerNodeMonth", "whole number")]
    [InlineData("internetEgressGBPerNodeMonth: 1.5", "costAssumptions.internetEgressGBPerNodeMonth", "whole number")]
    [InlineData("haDatabaseInterRegionGBPerNodeMonth: 2000000", "costAssumptions.haDatabaseInterRegionGBPerNodeMonth", "GB per node-month from 0 to 1000000")]
    public void Should_RefuseNamingTheField_When_ACostAssumptionIsOutOfRange(string line, string field, string text) =>
        StageYaml.SingleError(StageYaml.Valid + $"\ncostAssumptions:\n  {line}\n", field, text);

    [Fact]
    public void Should_UseTheGivenAssumptionsAndDefaultTheRest_When_CostAssumptionsArePartial()
    {
        // Given only the egress assumption / When loaded
        var config = StageConfigLoader.Parse(StageYaml.Valid + "\ncostAssumptions:\n  internetEgressGBPerNodeMonth: 2000\n").Config;

        // Then it is used and the others take their documented defaults
        Assert.Equal(new CostAssumptions(2000, Defaults.HaDatabaseInterRegionGBPerNodeMonth, Defaults.MonitoringInterRegionGBPerNodeMonth), config.CostAssumptions);
    }
}
