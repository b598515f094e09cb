using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using AztecInfra.Bootstrap;
using AztecInfra.Stages;
using Constructs;
using InstanceType = Amazon.CDK.AWS.EC2.InstanceType;
using AztecInfra.Primitives;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="ValidatorNode"/>.</summary>
public sealed record ValidatorNodeProps
{
    /// <summary>The stage the node belongs to.</summary>
    public required StageConfig Stage { get; init; }

    /// <summary>The node.</summary>
    public required NodeConfig Node { get; init; }

    /// <summary>VPC to run in; the node goes to the public subnet of its zone.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The stage key of the node's region.</summary>
    public required IKey Key { get; init; }

    /// <summary>The HA signing database, in shared-signer mode. Default: none.</summary>
    public HaDatabaseEndpoint? HaDatabase { get; init; }

    /// <summary>Root volume size. Default: 30 GiB gp3 (OS, Docker images and logs; chain data lives on the data volume).</summary>
    public int? RootVolumeGiB { get; init; }
}

/// <summary>
/// One Aztec validator on EC2: instance with IMDSv2 and a least-privilege role, a separate retained data
/// volume, an Elastic IP for a stable P2P address, a security group that opens only P2P to the world, and
/// alarms that recover or reboot the instance. The instance reports success to CloudFormation only when the
/// node answers <c>GET /status</c>.
/// </summary>
public sealed class ValidatorNode : Construct
{
    /// <summary>Device name the data volume is attached as (NVMe on Nitro; the bootstrap finds it by volume id).</summary>
    public const string DataDeviceName = "/dev/sdf";

    /// <summary>How long CloudFormation waits for the node to answer /status on first boot.</summary>
    public static readonly Duration SignalTimeout = Duration.Minutes(60);

    /// <summary>Creates the node.</summary>
    public ValidatorNode(Construct scope, string id, ValidatorNodeProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stage = props.Stage;
        var node = props.Node;
        var stack = Amazon.CDK.Stack.Of(this);

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"aztec-infra {stage.Stage} {node.Id}: P2P public, RPC private, no SSH",
            AllowAllOutbound = true,
            AllowAllIpv6Outbound = true,
        });
        SecurityGroup.AddIngressRule(Peer.AnyIpv4(), Port.Tcp(Ports.P2p), "Aztec P2P (TCP)");
        SecurityGroup.AddIngressRule(Peer.AnyIpv4(), Port.Udp(Ports.P2p), "Aztec P2P (UDP)");
        SecurityGroup.AddIngressRule(Peer.AnyIpv6(), Port.Tcp(Ports.P2p), "Aztec P2P (TCP, IPv6)");
        SecurityGroup.AddIngressRule(Peer.AnyIpv6(), Port.Udp(Ports.P2p), "Aztec P2P (UDP, IPv6)");
        foreach (var cidr in stage.RpcAllowedCidrs)
        {
            SecurityGroup.AddIngressRule(Peer.Ipv4(cidr.ToString()), Port.Tcp(Ports.Rpc), "Aztec JSON-RPC from an allowed private range");
        }

        DataVolume = new Amazon.CDK.AWS.EC2.Volume(this, "DataVolume", new VolumeProps
        {
            AvailabilityZone = node.AvailabilityZone,
            Size = Size.Gibibytes(node.DataVolume.SizeGiB),
            VolumeType = EbsDeviceVolumeType.GP3,
            Iops = node.DataVolume.Iops,
            Throughput = node.DataVolume.ThroughputMBps,
            Encrypted = true,
            EncryptionKey = props.Key,
            // The volume holds the chain state and the slashing-protection database: never deleted with the stack.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        ElasticIp = new CfnEIP(this, "ElasticIp", new CfnEIPProps { Domain = "vpc" });

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = $"aztec-infra {stage.Stage} {node.Id}: SSM sessions, this node's secrets, signal its stack",
        });
        GrantNodePermissions(Role, stack, stage, node, props.Key);

        var arch = node.Instance.Architecture == CpuArchitecture.Arm64 ? "arm64" : "amd64";
        Instance = new Instance_(this, "Resource", new InstanceProps
        {
            Vpc = props.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC, AvailabilityZones = [node.AvailabilityZone] },
            AvailabilityZone = node.AvailabilityZone,
            InstanceType = new InstanceType(node.Instance.Name),
            // A pinned AMI, or Canonical's public parameter resolved by CloudFormation at deploy time: no lookup.
            MachineImage = stage.Region(node.Region).AmiId is { } ami
                ? MachineImage.GenericLinux(new Dictionary<string, string> { [node.Region] = ami })
                : MachineImage.FromSsmParameter(
                    $"/aws/service/canonical/ubuntu/server/24.04/stable/current/{arch}/hvm/ebs-gp3/ami-id",
                    new SsmParameterImageOptions { Os = OperatingSystemType.LINUX }),
            SecurityGroup = SecurityGroup,
            Role = Role,
            // IMDSv2 comes from our own launch template below: CDK's RequireImdsv2 names its template after
            // the construct id, so two nodes in one region would collide.
            RequireImdsv2 = false,
            SsmSessionPermissions = false,
            ResourceSignalTimeout = SignalTimeout,
            UserDataCausesReplacement = false,
            UserData = UserData.Custom("#cloud-config\n"),
            BlockDevices =
            [
                new BlockDevice
                {
                    DeviceName = "/dev/sda1",
                    Volume = BlockDeviceVolume.Ebs(props.RootVolumeGiB ?? 30, new EbsDeviceOptions
                    {
                        VolumeType = EbsDeviceVolumeType.GP3,
                        Encrypted = true,
                        KmsKey = props.Key,
                        DeleteOnTermination = true,
                    }),
                },
            ],
        });

        var cfnInstance = (CfnInstance)Instance.Node.DefaultChild!;
        var launchTemplate = new CfnLaunchTemplate(this, "LaunchTemplate", new CfnLaunchTemplateProps
        {
            LaunchTemplateData = new CfnLaunchTemplate.LaunchTemplateDataProperty
            {
                MetadataOptions = new CfnLaunchTemplate.MetadataOptionsProperty
                {
                    HttpEndpoint = "enabled",
                    HttpTokens = "required",
                    // One hop: containers on the Docker bridge cannot reach the instance's credentials.
                    HttpPutResponseHopLimit = 1,
                    // The bootstrap reads the data volume id and the Elastic IP from the instance's own tags.
                    InstanceMetadataTags = "enabled",
                },
            },
        });
        cfnInstance.LaunchTemplate = new CfnInstance.LaunchTemplateSpecificationProperty
        {
            LaunchTemplateId = launchTemplate.Ref,
            Version = launchTemplate.AttrLatestVersionNumber,
        };
        // Deploy-time values travel as instance tags (read through IMDSv2), so the user data is static text
        // that compresses under EC2's 16 KB limit however the bootstrap script grows.
        Tags.Of(Instance).Add(NodeSettings.VolumeIdTag, DataVolume.VolumeId);
        Tags.Of(Instance).Add(NodeSettings.P2pIpTag, ElasticIp.Ref);
        var logicalId = (string)stack.Resolve(stack.GetLogicalId(cfnInstance));
        var settings = NodeSettings.For(stage, node, new NodeRuntimeValues
        {
            EbsVolumeId = NodeSettings.FromInstanceTag,
            P2pIp = NodeSettings.FromInstanceTag,
            SignalStackName = stack.StackName,
            SignalLogicalId = logicalId,
            HaDatabase = props.HaDatabase,
        });
        UserDataText = CloudConfig.Render(NodeSettings.Render(settings));
        cfnInstance.UserData = CloudConfig.GzipBase64(UserDataText);

        new CfnEIPAssociation(this, "ElasticIpAssociation", new CfnEIPAssociationProps
        {
            AllocationId = ElasticIp.AttrAllocationId,
            InstanceId = Instance.InstanceId,
        });
        new CfnVolumeAttachment(this, "DataVolumeAttachment", new CfnVolumeAttachmentProps
        {
            Device = DataDeviceName,
            InstanceId = Instance.InstanceId,
            VolumeId = DataVolume.VolumeId,
        });

        RecoveryAlarm = StatusAlarm("SystemRecoveryAlarm", "StatusCheckFailed_System", "recovers the instance on new hardware when the host fails", new Ec2Action(Ec2InstanceAction.RECOVER));
        RebootAlarm = StatusAlarm("InstanceRebootAlarm", "StatusCheckFailed_Instance", "reboots the instance when its OS stops answering", new Ec2Action(Ec2InstanceAction.REBOOT));
    }

    /// <summary>The EC2 instance.</summary>
    public Instance_ Instance { get; }

    /// <summary>The node's security group.</summary>
    public SecurityGroup SecurityGroup { get; }

    /// <summary>The retained, encrypted data volume.</summary>
    public Amazon.CDK.AWS.EC2.Volume DataVolume { get; }

    /// <summary>The Elastic IP peers reach the node on.</summary>
    public CfnEIP ElasticIp { get; }

    /// <summary>The instance role.</summary>
    public Role Role { get; }

    /// <summary>Alarm that recovers the instance on a failed system status check.</summary>
    public Alarm RecoveryAlarm { get; }

    /// <summary>Alarm that reboots the instance on a failed instance status check.</summary>
    public Alarm RebootAlarm { get; }

    /// <summary>The cloud-config user data before compression.</summary>
    public string UserDataText { get; }

    private Alarm StatusAlarm(string id, string metric, string what, IAlarmAction action)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            AlarmDescription = $"{Node.Path}: {what}",
            Metric = new Metric(new MetricProps
            {
                Namespace = "AWS/EC2",
                MetricName = metric,
                DimensionsMap = new Dictionary<string, string> { ["InstanceId"] = Instance.InstanceId },
                Statistic = "Maximum",
                Period = Duration.Minutes(1),
            }),
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 2,
            TreatMissingData = TreatMissingData.MISSING,
        });
        alarm.AddAlarmAction(action);
        return alarm;
    }

    private static void GrantNodePermissions(Role role, Amazon.CDK.Stack stack, StageConfig stage, NodeConfig node, IKey key)
    {
        // The SSM agent's own calls (what AmazonSSMManagedInstanceCore grants, minus its ssm:GetParameter(s)
        // on every parameter, which would let one node read another node's keystore). These APIs have no
        // resource-level permissions, hence the '*' resource with named actions.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SsmAgentCore",
            Actions =
            [
                "ssm:UpdateInstanceInformation", "ssm:ListInstanceAssociations", "ssm:DescribeAssociation",
                "ssm:UpdateInstanceAssociationStatus", "ssm:GetDocument", "ssm:DescribeDocument",
                "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
                "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
                "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
            ],
            Resources = ["*"],
        }));

        string ParameterArn(string name) => stack.FormatArn(new ArnComponents
        {
            Service = "ssm",
            Resource = "parameter",
            ResourceName = name.TrimStart('/'),
            ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
        });

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadThisNodesSecrets",
            Actions = ["ssm:GetParameter"],
            Resources =
            [
                ParameterArn(Naming.KeystoreParameter(stage.Stage, node.Id)),
                ParameterArn(stage.L1.ExecutionUrlsParameter),
                ParameterArn(stage.L1.ConsensusUrlsParameter),
            ],
        }));

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DecryptWithStageKeyThroughSsm",
            Actions = ["kms:Decrypt"],
            Resources = [key.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["kms:ViaService"] = new[] { $"ssm.{node.Region}.amazonaws.com", $"secretsmanager.{node.Region}.amazonaws.com" },
                },
            },
        }));

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SignalOwnStack",
            Actions = ["cloudformation:SignalResource"],
            Resources = [stack.StackId],
        }));
    }
}
