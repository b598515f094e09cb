using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using AztecInfra.Bootstrap;
using AztecInfra.Stages;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="ProverAgentPool"/>.</summary>
public sealed record ProverAgentPoolProps
{
    /// <summary>The agents' entry id: names the pool in descriptions and in the <see cref="Naming.NodeTag"/> tag.</summary>
    public required string PoolId { get; init; }

    /// <summary>Stage name, for descriptions.</summary>
    public required string StageName { get; init; }

    /// <summary>Instance type of every agent.</summary>
    public required InstanceSpec Instance { get; init; }

    /// <summary>Desired (and maximum) number of agent instances.</summary>
    public required int Count { get; init; }

    /// <summary>Run on Spot capacity, capacity-optimized, with capacity rebalancing. Default: false (on-demand).</summary>
    public bool? Spot { get; init; }

    /// <summary>The image to boot.</summary>
    public required IMachineImage MachineImage { get; init; }

    /// <summary>VPC; agents go to its public subnets in <see cref="AvailabilityZones"/> (outbound only: no inbound rule).</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>Zones to spread over (more zones, more Spot capacity pools).</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>Key that encrypts the root volumes.</summary>
    public required IKey Key { get; init; }

    /// <summary>The cloud-config user data (no secrets: agents read none).</summary>
    public required string UserData { get; init; }

    /// <summary>More tags for the group and, at launch, its instances (the role, the broker's address). Default: none.</summary>
    public IReadOnlyDictionary<string, string>? InstanceTags { get; init; }

    /// <summary>Root volume size. Default: <see cref="ValidatorNode.DefaultRootVolumeGiB"/> GiB gp3.</summary>
    public int? RootVolumeGiB { get; init; }
}

/// <summary>
/// Aztec proving agents: stateless workers in an Auto Scaling group. A launch template requires IMDSv2 with
/// one hop (containers cannot reach the instance role) and exposes instance tags to the bootstrap; root
/// volumes are encrypted with the stage key; the security group admits nothing (agents pull jobs from the
/// broker). With <see cref="ProverAgentPoolProps.Spot"/> the group runs entirely on Spot, capacity-optimized,
/// and replaces instances at risk of interruption before they go (capacity rebalancing): an interrupted agent
/// loses one job, which the broker hands to another agent.
/// </summary>
public sealed class ProverAgentPool : Construct
{
    /// <summary>Creates the pool.</summary>
    public ProverAgentPool(Construct scope, string id, ProverAgentPoolProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.Count < 1)
        {
            throw new ArgumentException($"Count: {props.Count} is not allowed; a prover set needs at least one agent.", nameof(props));
        }

        var rootGiB = props.RootVolumeGiB ?? ValidatorNode.DefaultRootVolumeGiB;
        var label = $"aztec-infra {props.StageName} {props.PoolId}";
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"{label}: proving agents, no inbound port",
            AllowAllOutbound = true,
            AllowAllIpv6Outbound = true,
        });

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = $"{label}: SSM sessions only (agents read no secrets)",
        });
        // The SSM agent's own calls, as on the validators; agents read no parameter and no secret.
        HostHardening.GrantSsmAgentCore(Role);
        var profile = new CfnInstanceProfile(this, "InstanceProfile", new CfnInstanceProfileProps { Roles = [Role.RoleName] });

        LaunchTemplate = new CfnLaunchTemplate(this, "LaunchTemplate", new CfnLaunchTemplateProps
        {
            LaunchTemplateData = new CfnLaunchTemplate.LaunchTemplateDataProperty
            {
                ImageId = props.MachineImage.GetImage(this).ImageId,
                InstanceType = props.Instance.Name,
                IamInstanceProfile = new CfnLaunchTemplate.IamInstanceProfileProperty { Arn = profile.AttrArn },
                SecurityGroupIds = new[] { SecurityGroup.SecurityGroupId },
                UserData = CloudConfig.GzipBase64(props.UserData),
                MetadataOptions = new CfnLaunchTemplate.MetadataOptionsProperty
                {
                    HttpEndpoint = "enabled",
                    HttpTokens = "required",
                    // One hop: containers on the Docker bridge cannot reach the instance's credentials.
                    HttpPutResponseHopLimit = 1,
                    // The bootstrap reads the broker's address from the instance's own tags.
                    InstanceMetadataTags = "enabled",
                },
                BlockDeviceMappings = new object[]
                {
                    new CfnLaunchTemplate.BlockDeviceMappingProperty
                    {
                        DeviceName = "/dev/sda1",
                        Ebs = new CfnLaunchTemplate.EbsProperty
                        {
                            VolumeType = "gp3",
                            VolumeSize = rootGiB,
                            Encrypted = true,
                            KmsKeyId = props.Key.KeyArn,
                            DeleteOnTermination = true,
                        },
                    },
                },
            },
        });

        var subnets = props.Vpc.SelectSubnets(new SubnetSelection { SubnetType = SubnetType.PUBLIC, AvailabilityZones = [.. props.AvailabilityZones] });
        var template = new CfnAutoScalingGroup.LaunchTemplateSpecificationProperty
        {
            LaunchTemplateId = LaunchTemplate.Ref,
            Version = LaunchTemplate.AttrLatestVersionNumber,
        };
        var spot = props.Spot ?? false;
        var tags = new List<CfnAutoScalingGroup.TagPropertyProperty>
        {
            new() { Key = Naming.NodeTag, Value = props.PoolId, PropagateAtLaunch = true },
        };
        tags.AddRange((props.InstanceTags ?? new Dictionary<string, string>()).Select(t => new CfnAutoScalingGroup.TagPropertyProperty { Key = t.Key, Value = t.Value, PropagateAtLaunch = true }));
        Group = new CfnAutoScalingGroup(this, "Resource", new CfnAutoScalingGroupProps
        {
            MinSize = "0",
            MaxSize = props.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DesiredCapacity = props.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            VpcZoneIdentifier = subnets.SubnetIds,
            LaunchTemplate = spot ? null : template,
            MixedInstancesPolicy = spot
                ? new CfnAutoScalingGroup.MixedInstancesPolicyProperty
                {
                    LaunchTemplate = new CfnAutoScalingGroup.LaunchTemplateProperty { LaunchTemplateSpecification = template },
                    InstancesDistribution = new CfnAutoScalingGroup.InstancesDistributionProperty
                    {
                        OnDemandBaseCapacity = 0,
                        OnDemandPercentageAboveBaseCapacity = 0,
                        SpotAllocationStrategy = "capacity-optimized",
                    },
                }
                : null,
            CapacityRebalance = spot ? true : null,
            HealthCheckType = "EC2",
            Tags = tags.ToArray(),
        });
    }

    /// <summary>The agents' security group (no inbound rule): the broker admits it on 8080.</summary>
    public SecurityGroup SecurityGroup { get; }

    /// <summary>The agents' instance role.</summary>
    public Role Role { get; }

    /// <summary>The launch template.</summary>
    public CfnLaunchTemplate LaunchTemplate { get; }

    /// <summary>The Auto Scaling group.</summary>
    public CfnAutoScalingGroup Group { get; }
}
