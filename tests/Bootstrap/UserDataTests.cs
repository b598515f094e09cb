using System.Text;
using System.Text.Json.Nodes;
using AztecInfra.Bootstrap;
using AztecInfra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace AztecInfra.Tests.Bootstrap;

[Collection(CdkCollection.Name)]
public sealed class UserDataTests(SynthesizedStages stages)
{
    private const string Validators = "aztec-infra-dev-validators-us-east-1";

    private string DevUserData() => Assert.Single(stages.Dev.Facts(Validators).Instances).UserDataText!;

    private YamlMappingNode Document()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(DevUserData()));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private YamlMappingNode WrittenFile(string path) =>
        ((YamlSequenceNode)Document()["write_files"]).Children.Cast<YamlMappingNode>().Single(f => f["path"].ToString() == path);

    [Fact]
    public void Should_PassCloudInitSchema_When_SynthesizedUserDataIsValidated()
    {
        // Given the user data as EC2 would receive it
        var file = Path.Combine(TestEnvironment.NewTempDirectory(), "user-data.yaml");
        File.WriteAllText(file, DevUserData());

        // When the real cloud-init validates it
        var (exit, output) = TestEnvironment.Run("cloud-init", "schema", "--config-file", file);

        // Then it is a valid cloud-config
        Assert.True(exit == 0, output);
        Assert.Contains("Valid cloud-config", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_StayUnderEc2Limit_When_Rendered()
    {
        // EC2 counts the decoded (here: compressed) bytes.
        var bytes = Assert.Single(stages.Dev.Facts(Validators).Instances).UserDataBytes;
        Assert.InRange(bytes, 1, CloudConfig.UserDataLimitBytes - 1);
    }

    [Fact]
    public void Should_CarryTheRepositoryScript_When_Decoded()
    {
        // Given the script entry of the user data / When decoded
        var entry = WrittenFile(Naming.HostScriptPath);
        var script = entry["content"].ToString();

        // Then it is the repository's bootstrap script without its comment lines (the same program, see
        // ShellScriptTests), byte for byte, root-only
        Assert.Equal(ShellScript.StripComments(File.ReadAllText(TestEnvironment.RepoPath("scripts", "setup-validator.sh"))), script);
        Assert.Equal("0700", entry["permissions"].ToString());
    }

    [Fact]
    public void Should_RunInstallWithSignal_When_InstanceFirstBoots()
    {
        var command = ((YamlSequenceNode)((YamlSequenceNode)Document()["runcmd"]).Children[0]).Children.Select(c => c.ToString());
        Assert.Equal(["bash", Naming.HostScriptPath, "install", "--settings", Naming.HostSettingsFile, "--signal"], command);
    }

    [Fact]
    public void Should_ReferenceSecretsByNameOnly_When_SettingsAreWritten()
    {
        // Given the node's settings: the file cloud-init writes plus the settings parameter
        var settings = stages.Dev.NodeSettings()["validator-1"];

        // Then they point at parameters, the data volume by id and the Elastic IP, and hold no secret value
        Assert.Equal("/aztec-infra/dev/nodes/validator-1/keystore", settings["SSM_KEYSTORE_PARAMETER"]);
        Assert.Equal("/aztec-infra/dev/l1-execution-urls", settings["SSM_L1_EXECUTION_PARAMETER"]);
        Assert.Equal("from-instance-tag", settings["EBS_VOLUME_ID"]);
        Assert.Equal("from-instance-tag", settings["P2P_IP"]);
        Assert.Equal("testnet", settings["AZTEC_NETWORK"]);
        Assert.Equal("aztecprotocol/aztec:5.2.0", settings["AZTEC_IMAGE"]);
        Assert.Equal("aztec-infra-dev-validators-us-east-1", settings["CFN_STACK_NAME"]);
        Assert.StartsWith("Nodevalidator1", settings["CFN_LOGICAL_ID"], StringComparison.Ordinal);
        Assert.DoesNotContain(settings.Keys, k => k is "ETHEREUM_HOSTS" or "L1_CONSENSUS_HOST_URLS" or "VALIDATOR_PRIVATE_KEYS");
    }

    [Fact]
    public void Should_KeepOnlyWhereTheSettingsAreInUserData_When_Rendered()
    {
        // Given the settings file cloud-init writes
        var keys = WrittenFile(Naming.HostSettingsFile)["content"].ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)[0])
            .ToList();

        // Then it names the settings parameter, its region and the first-boot signal, and nothing that changes with config
        Assert.Equal(["SSM_SETTINGS_PARAMETER", "AWS_REGION", "CFN_STACK_NAME", "CFN_LOGICAL_ID", "HEALTH_TIMEOUT_SECONDS"], keys);
        Assert.Contains("SSM_SETTINGS_PARAMETER=/aztec-infra/dev/nodes/validator-1/settings\n", DevUserData(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_TagInstanceWithVolumeIdAndAddress_When_Synthesized()
    {
        // Given the instance / When its tags are read / Then they reference the data volume and the Elastic IP
        var instance = stages.Dev.Facts(Validators).Resources.Values.Single(r => (string?)r["Type"] == "AWS::EC2::Instance");
        var tags = instance["Properties"]!["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => t!["Value"]!.ToJsonString());
        Assert.Contains("DataVolume", tags[NodeSettings.VolumeIdTag], StringComparison.Ordinal);
        Assert.Contains("ElasticIp", tags[NodeSettings.P2pIpTag], StringComparison.Ordinal);
        stages.Dev.Template(Validators).HasResourceProperties("AWS::EC2::LaunchTemplate", new Dictionary<string, object>
        {
            ["LaunchTemplateData"] = new Dictionary<string, object>
            {
                ["MetadataOptions"] = Amazon.CDK.Assertions.Match.ObjectLike(new Dictionary<string, object> { ["InstanceMetadataTags"] = "enabled" }),
            },
        });
    }

    [Fact]
    public void Should_SignalTheInstancesOwnLogicalId_When_Rendered()
    {
        var instanceId = stages.Dev.Facts(Validators).Resources.Single(r => (string?)r.Value["Type"] == "AWS::EC2::Instance").Key;
        Assert.Contains($"CFN_LOGICAL_ID={instanceId}\n", DevUserData(), StringComparison.Ordinal);
    }
}
