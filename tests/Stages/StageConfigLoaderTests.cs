using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stages;

public sealed class StageConfigLoaderTests
{
    [Fact]
    public void Should_ApplyDocumentedDefaults_When_FieldsAreLeftOut()
    {
        // Given a stage with only the required fields
        // When it is loaded
        var config = StageConfigLoader.Parse(StageYaml.Valid).Config;

        // Then every default is the documented one
        var node = Assert.Single(config.Nodes);
        Assert.Equal(Defaults.AztecImage, config.AztecImage);
        Assert.Equal("us-east-1a", node.AvailabilityZone);
        Assert.Equal(Defaults.DataVolumeSizeGiB, node.DataVolume!.SizeGiB);
        Assert.Equal(Defaults.DataVolumeIops, node.DataVolume.Iops);
        Assert.Equal(Defaults.DataVolumeThroughputMBps, node.DataVolume.ThroughputMBps);
        Assert.Equal(HaMode.Independent, config.Ha.Mode);
        Assert.Null(config.Coinbase);
        Assert.Null(config.Account);
        Assert.Empty(config.RpcAllowedCidrs);
        Assert.Equal("qa", config.Tags["aztec-infra:stage"]);
    }

    [Fact]
    public void Should_LoadBothShippedStages_When_ReadFromConfigFolder()
    {
        // Given the stage files in the repository / When loaded / Then they are valid
        var dev = StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "dev.yaml"));
        var prod = StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "prod.yaml"));
        Assert.Equal("c6i.2xlarge", Assert.Single(dev.Config.Nodes).Instance.Name);
        Assert.Equal(3, prod.Config.Regions.Length);
        Assert.Equal(HaMode.SharedSigner, prod.Config.Ha.Mode);
    }

    [Fact]
    public void Should_ReportEveryError_When_SeveralFieldsAreWrong()
    {
        // Given two independent mistakes
        var yaml = StageYaml.Valid.Replace("network: testnet", "network: devnet").Replace("10.40.0.0/16", "8.8.0.0/16");

        // When loaded / Then both are reported, not just the first
        var fields = StageYaml.Errors(yaml).Select(e => e.Field).ToList();
        Assert.Contains("network", fields);
        Assert.Contains("regions[0].vpcCidr", fields);
    }

    [Fact]
    public void Should_RejectUnknownKey_When_TopLevelHasTypo()
    {
        var error = StageYaml.SingleError(StageYaml.Valid + "\nnetwrok: mainnet\n", "netwrok", "is not a known field");
        Assert.Contains("network", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RejectUnknownKey_When_NestedInNode() =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge\n    sshKey: mine"), "nodes[0].sshKey", "is not a known field");

    [Fact]
    public void Should_RejectDocument_When_NotYaml() =>
        StageYaml.SingleError("stage: [unclosed", "(document)", "is not valid YAML");

    [Fact]
    public void Should_RequireStage_When_Missing() =>
        StageYaml.SingleError(StageYaml.Replace("stage: qa\n", string.Empty), "stage", "is required");

    [Fact]
    public void Should_RejectStageName_When_NotLowerCase() =>
        StageYaml.SingleError(StageYaml.Replace("stage: qa", "stage: QA"), "stage", "lower-case");

    [Fact]
    public void Should_RejectNetwork_When_NotTestnetOrMainnet()
    {
        var error = StageYaml.SingleError(StageYaml.Replace("network: testnet", "network: devnet"), "network", "must be one of: testnet, mainnet");
        Assert.Equal("devnet", error.Value);
    }

    [Fact]
    public void Should_RejectRegion_When_NotAnAwsRegion() =>
        StageYaml.SingleError(StageYaml.Replace("- name: us-east-1", "- name: us-east-9").Replace("[us-east-1a, us-east-1b]", "[us-east-9a]"), "regions[0].name", "is not an AWS region");

    [Fact]
    public void Should_RejectZone_When_OutsideRegion() =>
        StageYaml.SingleError(StageYaml.Replace("[us-east-1a, us-east-1b]", "[us-east-1a, eu-west-1b]"), "regions[0].availabilityZones[1]", "is not an availability zone of us-east-1");

    [Fact]
    public void Should_RejectZone_When_RegionLacksThatLetter() =>
        StageYaml.SingleError(StageYaml.Replace("[us-east-1a, us-east-1b]", "[us-east-1a, us-east-1z]"), "regions[0].availabilityZones[1]", "is not an availability zone");

    [Theory]
    [InlineData("10.40.0/16")]
    [InlineData("10.40.0.1/16")]
    [InlineData("banana")]
    public void Should_RejectVpcCidr_When_ItDoesNotParse(string cidr) =>
        StageYaml.SingleError(StageYaml.Replace("vpcCidr: 10.40.0.0/16", $"vpcCidr: {cidr}"), "regions[0].vpcCidr", "must be an IPv4 CIDR");

    [Fact]
    public void Should_RejectVpcCidr_When_NotPrivate() =>
        StageYaml.SingleError(StageYaml.Replace("vpcCidr: 10.40.0.0/16", "vpcCidr: 8.8.0.0/16"), "regions[0].vpcCidr", "RFC 1918");

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.40.0.0/25")]
    public void Should_RejectVpcCidr_When_PrefixOutside16To24(string cidr) =>
        StageYaml.SingleError(StageYaml.Replace("vpcCidr: 10.40.0.0/16", $"vpcCidr: {cidr}"), "regions[0].vpcCidr", "/16 to /24");

    [Theory]
    [InlineData("sizeGiB: 0", "sizeGiB", "1 to 16384")]
    [InlineData("sizeGiB: 20000", "sizeGiB", "1 to 16384")]
    [InlineData("iops: 2000", "iops", "3000 to 16000")]
    [InlineData("iops: 17000", "iops", "3000 to 16000")]
    [InlineData("throughputMBps: 100", "throughputMBps", "125 to 1000")]
    [InlineData("throughputMBps: 1001", "throughputMBps", "125 to 1000")]
    public void Should_RejectGp3Value_When_OutsideAwsLimits(string setting, string field, string text) =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", $"instanceType: c6i.4xlarge\n    dataVolume: {{{setting}}}"), $"nodes[0].dataVolume.{field}", text);

    [Fact]
    public void Should_RejectIops_When_AboveFiveHundredPerGiB() =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge\n    dataVolume: {sizeGiB: 10, iops: 6000}"), "nodes[0].dataVolume.iops", "at most 500 per GiB");

    [Fact]
    public void Should_RejectThroughput_When_AboveQuarterMBPerIops() =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge\n    dataVolume: {iops: 3000, throughputMBps: 1000}"), "nodes[0].dataVolume.throughputMBps", "0.25 MB/s per provisioned IOPS");

    [Fact]
    public void Should_RejectVolumeType_When_NotGp3() =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge\n    dataVolume: {type: io2}"), "nodes[0].dataVolume.type", "must be one of: gp3");

    [Fact]
    public void Should_RejectInstanceType_When_NotInInstanceTable()
    {
        var error = StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: t3.nano"), "nodes[0].instanceType", "is not in the project's instance table");
        Assert.Contains("c6i.2xlarge", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aztecprotocol/aztec:latest")]
    [InlineData("aztecprotocol/aztec")]
    [InlineData("aztecprotocol/aztec:")]
    public void Should_RejectAztecImage_When_NotPinned(string image) =>
        StageYaml.SingleError(StageYaml.Valid + $"\naztecImage: \"{image}\"\n", "aztecImage", "must pin a version tag");

    [Theory]
    [InlineData("aztecprotocol/aztec:4.1.2", "4.1.2")]
    [InlineData("aztecprotocol/aztec:v5.1.9", "5.1.9")]
    [InlineData("registry.example/mirror/aztec:5.1.0-rc.3", "5.1.0")]
    public void Should_RejectAztecImage_When_OlderThanTheRelease(string image, string version) =>
        StageYaml.SingleError(StageYaml.Valid + $"\naztecImage: \"{image}\"\n", "aztecImage", $"is release {version}, older than 5.2.0");

    [Theory]
    [InlineData("aztecprotocol/aztec:5.2.0")]
    [InlineData("aztecprotocol/aztec:6.0.0-rc.1")]
    [InlineData("aztecprotocol/aztec:nightly-20261201")]
    public void Should_AcceptAztecImage_When_AtOrAboveTheReleaseOrNotAVersion(string image) =>
        Assert.Equal(image, StageConfigLoader.Parse(StageYaml.Valid + $"\naztecImage: \"{image}\"\n", "test.yaml").Config.AztecImage.ToString());

    [Fact]
    public void Should_RejectAztecImage_When_Empty() =>
        StageYaml.SingleError(StageYaml.Valid + "\naztecImage: \"\"\n", "aztecImage", "must pin a version tag");

    [Theory]
    [InlineData("0x1234")]
    [InlineData("1234567890123456789012345678901234567890")]
    [InlineData("0xZZ34567890123456789012345678901234567890")]
    public void Should_RejectCoinbase_When_NotAnAddress(string value) =>
        StageYaml.SingleError(StageYaml.Valid + $"\ncoinbase: \"{value}\"\n", "coinbase", "0x followed by 40 hex digits");

    [Fact]
    public void Should_RejectAttester_When_ItLooksLikeAPrivateKey()
    {
        var key = "0x" + new string('a', 64);
        var error = StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", $"instanceType: c6i.4xlarge\n    attesters: [\"{key}\"]"), "nodes[0].attesters[0]", "never a private key");

        // A value of a private key's shape is not echoed: it may be one, pasted where an address belongs
        Assert.Null(error.Value);
        Assert.DoesNotContain(key[2..], error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RejectAccount_When_NotTwelveDigits() =>
        StageYaml.SingleError(StageYaml.Valid + "\naccount: \"12345\"\n", "account", "12-digit AWS account id");

    [Fact]
    public void Should_RejectRpcCidr_When_Public() =>
        StageYaml.SingleError(StageYaml.Valid + "\nrpcAllowedCidrs: [0.0.0.0/0]\n", "rpcAllowedCidrs[0]", "never public");

    [Fact]
    public void Should_RejectL1Parameter_When_ItIsAUrl() =>
        StageYaml.SingleError(StageYaml.Replace("executionUrlsParameter: /aztec-infra/qa/l1-execution-urls", "executionUrlsParameter: https://mainnet.example/v3/key"), "l1.executionUrlsParameter", "SSM parameter name");

    [Fact]
    public void Should_RequireL1_When_Missing() =>
        StageYaml.SingleError(StageYaml.Valid[..StageYaml.Valid.IndexOf("l1:", StringComparison.Ordinal)], "l1", "is required");

    [Fact]
    public void Should_RejectNodeRegion_When_NotAStageRegion() =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge\n    region: eu-west-1"), "nodes[0].region", "is not one of the stage's regions");

    [Fact]
    public void Should_RejectNodeZone_When_NotConfiguredForRegion() =>
        StageYaml.SingleError(StageYaml.Replace("instanceType: c6i.4xlarge", "instanceType: c6i.4xlarge\n    availabilityZone: us-east-1c"), "nodes[0].availabilityZone", "is not one of us-east-1's configured zones");

    [Fact]
    public void Should_RejectRegions_When_VpcCidrsOverlap()
    {
        var yaml = StageYaml.Replace(
            "    vpcCidr: 10.40.0.0/16\n",
            "    vpcCidr: 10.40.0.0/16\n  - name: eu-west-1\n    availabilityZones: [eu-west-1a]\n    vpcCidr: 10.40.128.0/20\n");
        StageYaml.SingleError(yaml, "regions[1].vpcCidr", "overlaps us-east-1's 10.40.0.0/16");
    }

    [Fact]
    public void Should_RejectAmiId_When_NotAnAmiId() =>
        StageYaml.SingleError(StageYaml.Replace("    vpcCidr: 10.40.0.0/16\n", "    vpcCidr: 10.40.0.0/16\n    amiId: ubuntu-noble\n"), "regions[0].amiId", "must be an AMI id");

    [Fact]
    public void Should_WarnOnMainnet_When_AmiIsNotPinned()
    {
        var yaml = StageYaml.Replace("network: testnet", "network: mainnet");
        Assert.Contains(StageConfigLoader.Parse(yaml).Warnings, w => w.Field == "regions[0].amiId" && w.Message.Contains("replaces the validator", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_NotWarn_When_MainnetAmiIsPinned()
    {
        var yaml = StageYaml.Replace("network: testnet", "network: mainnet").Replace("    vpcCidr: 10.40.0.0/16\n", "    vpcCidr: 10.40.0.0/16\n    amiId: ami-0123456789abcdef0\n", StringComparison.Ordinal);
        Assert.DoesNotContain(StageConfigLoader.Parse(yaml).Warnings, w => w.Field == "regions[0].amiId");
    }

    [Fact]
    public void Should_RejectTag_When_KeyUsesAwsPrefix() =>
        StageYaml.SingleError(StageYaml.Valid + "\ntags:\n  aws:owner: me\n", "tags.aws:owner", "not starting with aws:");

    [Theory]
    [InlineData("cost center")]
    [InlineData("team/owner")]
    public void Should_RejectTagKey_When_InstanceMetadataWouldRefuseIt(string key) =>
        StageYaml.SingleError(StageYaml.Valid + $"\ntags:\n  \"{key}\": x\n", $"tags.{key}", "instance metadata tags forbid them");

    [Fact]
    public void Should_RejectHaDatabaseEngine_When_OlderThan12() =>
        Assert.Contains(
            StageYaml.Errors(StageYaml.Valid + "\nha:\n  mode: shared-signer\n  database: {engineVersion: \"11.22\"}\n"),
            e => e.Field == "ha.database.engineVersion" && e.Message.Contains(">= 12", StringComparison.Ordinal));
}
