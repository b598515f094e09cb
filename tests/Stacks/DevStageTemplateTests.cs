using Amazon.CDK.Assertions;
using AztecInfra.Tests.Support;
using AztecInfra.Constructs;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class DevStageTemplateTests(SynthesizedStages stages)
{
    private const string Validators = "aztec-infra-dev-validators-us-east-1";
    private const string Network = "aztec-infra-dev-network-us-east-1";

    private SynthesizedStage Dev => stages.Dev;

    [Fact]
    public void Should_DeclareNetworkThenValidators_When_DevIsSynthesized()
    {
        // Given the dev stage / When synthesized / Then three stacks in deploy order, in us-east-1: the
        // monitoring host comes last, since it scrapes the validators' private addresses
        Assert.Equal([Network, Validators, "aztec-infra-dev-monitoring"], Dev.Assembly.Stacks.Select(s => s.StackName));
        Assert.All(Dev.Assembly.Stacks, s => Assert.Equal("us-east-1", s.Region));
        Assert.Equal([Network], Dev.Assembly.Stacks[1].Dependencies.ToArray());
    }

    [Fact]
    public void Should_RunC6i2xlarge_When_DevIsSynthesized() =>
        Dev.Template(Validators).HasResourceProperties("AWS::EC2::Instance", new Dictionary<string, object>
        {
            ["InstanceType"] = "c6i.2xlarge",
            ["AvailabilityZone"] = "us-east-1a",
        });

    [Fact]
    public void Should_RequireImdsV2WithOneHop_When_InstanceLaunches() =>
        Dev.Template(Validators).HasResourceProperties("AWS::EC2::LaunchTemplate", new Dictionary<string, object>
        {
            ["LaunchTemplateData"] = new Dictionary<string, object>
            {
                ["MetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 1 },
            },
        });

    [Fact]
    public void Should_OpenExactlyP2pPubliclyAndRpcPrivately_When_SecurityGroupIsSynthesized()
    {
        // Given the synthesized node / When its ingress is read back
        var ingress = Assert.Single(Dev.Facts(Validators).Instances).Ingress
            .Select(r => $"{r.Protocol} {r.FromPort}-{r.ToPort} {r.Source}")
            .Order(StringComparer.Ordinal);

        // Then it is exactly P2P from anywhere (v4, v6), RPC from the configured range, and metrics and /status
        // from the monitoring host's /32 only; no SSH, no admin
        Assert.Equal(
            [
                "tcp 40400-40400 0.0.0.0/0",
                "tcp 40400-40400 ::/0",
                "tcp 8080-8080 10.40.0.0/16",
                "tcp 8080-8080 10.40.15.254/32",
                "tcp 8889-8889 10.40.15.254/32",
                "tcp 9100-9100 10.40.15.254/32",
                "udp 40400-40400 0.0.0.0/0",
                "udp 40400-40400 ::/0",
            ],
            ingress);
        Dev.Template(Validators).ResourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
    }

    [Fact]
    public void Should_EncryptEveryVolumeWithTheStageKey_When_Synthesized()
    {
        var instance = Assert.Single(Dev.Facts(Validators).Instances);
        Assert.Equal(2, instance.Volumes.Length);
        Assert.All(instance.Volumes, v => Assert.True(v.Encrypted && v.CustomerKey, $"{v.Kind} volume must use the stage key"));
        var keyExport = Match.ObjectLike(new Dictionary<string, object> { ["Fn::ImportValue"] = Match.StringLikeRegexp("StageKey") });
        Dev.Template(Validators).HasResourceProperties("AWS::EC2::Volume", new Dictionary<string, object>
        {
            ["Encrypted"] = true,
            ["KmsKeyId"] = keyExport,
        });
    }

    [Fact]
    public void Should_ProvisionConfiguredGp3DataVolume_When_Synthesized() =>
        Dev.Template(Validators).HasResource("AWS::EC2::Volume", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Size"] = 1000,
                ["VolumeType"] = "gp3",
                ["Iops"] = 6000,
                ["Throughput"] = 250,
                ["AvailabilityZone"] = "us-east-1a",
            }),
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
        });

    [Fact]
    public void Should_RetainKeyAndRotateIt_When_NetworkIsSynthesized()
    {
        Dev.Template(Network).HasResource("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object> { ["EnableKeyRotation"] = true }),
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
        });
        Dev.Template(Network).HasResourceProperties("AWS::KMS::Alias", new Dictionary<string, object> { ["AliasName"] = "alias/aztec-infra/dev" });
    }

    [Fact]
    public void Should_AttachAnElasticIp_When_Synthesized()
    {
        Dev.Template(Validators).ResourceCountIs("AWS::EC2::EIP", 1);
        Dev.Template(Validators).HasResourceProperties("AWS::EC2::EIPAssociation", new Dictionary<string, object>
        {
            ["AllocationId"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::GetAtt"] = Match.ArrayWith([Match.StringLikeRegexp("ElasticIp")]) }),
        });
    }

    [Fact]
    public void Should_RecoverOnSystemCheckFailure_When_Synthesized() =>
        Dev.Template(Validators).HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["MetricName"] = "StatusCheckFailed_System",
            ["AlarmActions"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
            {
                ["Fn::Join"] = Match.ArrayWith([Match.ArrayWith([Match.StringLikeRegexp("ec2:recover")])]),
            })]),
        });

    [Fact]
    public void Should_WaitForHealthSignal_When_InstanceIsCreated() =>
        Dev.Template(Validators).HasResource("AWS::EC2::Instance", new Dictionary<string, object>
        {
            ["CreationPolicy"] = new Dictionary<string, object> { ["ResourceSignal"] = new Dictionary<string, object> { ["Timeout"] = "PT1H" } },
        });

    [Fact]
    public void Should_BuildVpcWithPublicSubnetsAndNoNat_When_NetworkIsSynthesized()
    {
        var network = Dev.Template(Network);
        network.HasResourceProperties("AWS::EC2::VPC", new Dictionary<string, object> { ["CidrBlock"] = "10.40.0.0/16" });
        network.ResourceCountIs("AWS::EC2::Subnet", 2);
        network.ResourceCountIs("AWS::EC2::NatGateway", 0);
        network.HasResourceProperties("AWS::EC2::Subnet", new Dictionary<string, object> { ["AvailabilityZone"] = "us-east-1a", ["CidrBlock"] = "10.40.0.0/20" });
        network.HasResourceProperties("AWS::EC2::Subnet", new Dictionary<string, object> { ["AvailabilityZone"] = "us-east-1b", ["CidrBlock"] = "10.40.16.0/20" });
    }

    [Fact]
    public void Should_UseDeployTimeUbuntuParameter_When_ChoosingTheImage()
    {
        var json = Dev.TemplateJson(Validators);
        Assert.Contains("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", json, StringComparison.Ordinal);
        Assert.Contains("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NeedNoContextLookups_When_Synthesized()
    {
        // Given a synthesized assembly / When its manifest is read / Then no provider lookup is pending
        var manifest = File.ReadAllText(Path.Combine(Dev.OutputDirectory, "manifest.json"));
        Assert.DoesNotContain("missing", manifest, StringComparison.Ordinal);
    }
}
