using System.Net;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SNS;
using AztecInfra.Bootstrap;
using AztecInfra.Primitives;
using AztecInfra.Stages;
using Constructs;
using InstanceType = Amazon.CDK.AWS.EC2.InstanceType;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="ValidatorNode"/>.</summary>
public sealed record ValidatorNodeProps
{
    /// <summary>Node id: names the node in descriptions and in the <see cref="Naming.NodeTag"/> tag.</summary>
    public required string NodeId { get; init; }

    /// <summary>Stage name, for descriptions.</summary>
    public required string StageName { get; init; }

    /// <summary>Availability zone of the instance and its data volume.</summary>
    public required string AvailabilityZone { get; init; }

    /// <summary>Instance type.</summary>
    public required InstanceSpec Instance { get; init; }

    /// <summary>The data volume that holds the node's state.</summary>
    public required DataVolumeConfig DataVolume { get; init; }

    /// <summary>The image to boot.</summary>
    public required IMachineImage MachineImage { get; init; }

    /// <summary>VPC to run in; the node goes to the public subnet of its zone.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>Key that encrypts the volumes and may decrypt the node's secrets (through SSM or Secrets Manager only).</summary>
    public required IKey Key { get; init; }

    /// <summary>Private ranges allowed to reach JSON-RPC on 8080. Default: none.</summary>
    public IReadOnlyList<IPNetwork>? RpcAllowedCidrs { get; init; }

    /// <summary>Names of the SSM parameters the node reads at service start (secrets and its settings), and no others.</summary>
    public required IReadOnlyList<string> SecretParameters { get; init; }

    /// <summary>The HA signing database secret the node reads, in shared-signer mode. Default: none.</summary>
    public string? HaDatabaseSecretName { get; init; }

    /// <summary>The topic every alarm of the node notifies (alarm and back to OK).</summary>
    public required ITopic AlarmTopic { get; init; }

    /// <summary>
    /// Private IPv4 address of the stage's monitoring host: the only source admitted to the metrics ports
    /// (8889, 9100) and to /status on 8080. A literal /32, since security groups cannot be referenced across
    /// regions. Default: none (nothing scrapes the node).
    /// </summary>
    public string? MonitoringHostAddress { get; init; }

    /// <summary>Root volume size. Default: <see cref="ValidatorNode.DefaultRootVolumeGiB"/> GiB gp3.</summary>
    public int? RootVolumeGiB { get; init; }

    /// <summary>
    /// Whether the node speaks Aztec P2P: 40400 open to the world and an Elastic IP for a stable address.
    /// Default: true. False for the prover broker, which has no public port at all.
    /// </summary>
    public bool? P2p { get; init; }

    /// <summary>More tags for the instance (the role tag, the broker's address). Default: none.</summary>
    public IReadOnlyDictionary<string, string>? InstanceTags { get; init; }
}

/// <summary>Where a node reports its health to CloudFormation: the stack and the instance's logical id.</summary>
/// <param name="StackName">Stack name.</param>
/// <param name="LogicalId">Logical id of the instance.</param>
public sealed record SignalTarget(string StackName, string LogicalId);

/// <summary>
/// One Aztec node on EC2 (a validator, and in the same hardened shape a full node, the prover node or the
/// prover broker): instance with IMDSv2 and a least-privilege role, a separate retained data
/// volume, an Elastic IP for a stable P2P address, a security group that opens only P2P to the world, and
/// alarms that recover or reboot the instance. The instance reports success to CloudFormation only when the
/// node answers <c>GET /status</c>. The caller renders the bootstrap and hands it over with
/// <see cref="UseUserData"/>.
/// </summary>
public sealed class ValidatorNode : Construct
{
    /// <summary>Device name the data volume is attached as (NVMe on Nitro; the bootstrap finds it by volume id).</summary>
    public const string DataDeviceName = "/dev/sdf";

    /// <summary>Root volume: OS, Docker images and logs; chain data lives on the data volume.</summary>
    public const int DefaultRootVolumeGiB = 30;

    /// <summary>How long CloudFormation waits for the node to answer /status on first boot.</summary>
    public static readonly Duration SignalTimeout = Duration.Minutes(60);

    private readonly CfnInstance _cfnInstance;
    private readonly CfnEIP? _elasticIp;

    /// <summary>Creates the node.</summary>
    public ValidatorNode(Construct scope, string id, ValidatorNodeProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Amazon.CDK.Stack.Of(this);
        NodeId = props.NodeId;
        var label = $"aztec-infra {props.StageName} {props.NodeId}";
        var rootGiB = props.RootVolumeGiB ?? DefaultRootVolumeGiB;
        if (rootGiB is < 8 or > 16384)
        {
            throw new ArgumentException($"RootVolumeGiB: {rootGiB} is not allowed; use 8 to 16384 GiB.", nameof(props));
        }

        var p2p = props.P2p ?? true;
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = p2p ? $"{label}: P2P public, RPC private, no SSH" : $"{label}: no public port, RPC private, no SSH",
            AllowAllOutbound = true,
            AllowAllIpv6Outbound = true,
        });
        if (p2p)
        {
            SecurityGroup.AddIngressRule(Peer.AnyIpv4(), Port.Tcp(Ports.P2p), "Aztec P2P (TCP)");
            SecurityGroup.AddIngressRule(Peer.AnyIpv4(), Port.Udp(Ports.P2p), "Aztec P2P (UDP)");
            SecurityGroup.AddIngressRule(Peer.AnyIpv6(), Port.Tcp(Ports.P2p), "Aztec P2P (TCP, IPv6)");
            SecurityGroup.AddIngressRule(Peer.AnyIpv6(), Port.Udp(Ports.P2p), "Aztec P2P (UDP, IPv6)");
        }

        foreach (var cidr in props.RpcAllowedCidrs ?? [])
        {
            SecurityGroup.AddIngressRule(Peer.Ipv4(cidr.ToString()), Port.Tcp(Ports.Rpc), "Aztec JSON-RPC from an allowed private range");
        }

        if (props.MonitoringHostAddress is { } monitoring)
        {
            var host = Peer.Ipv4($"{monitoring}/32");
            SecurityGroup.AddIngressRule(host, Port.Tcp(Ports.CollectorMetrics), "Node metrics (collector) from the monitoring host only");
            SecurityGroup.AddIngressRule(host, Port.Tcp(Ports.NodeExporter), "Host metrics (node_exporter) from the monitoring host only");
            SecurityGroup.AddIngressRule(host, Port.Tcp(Ports.Rpc), "GET /status probe from the monitoring host only");
        }

        DataVolume = new Amazon.CDK.AWS.EC2.Volume(this, "DataVolume", new VolumeProps
        {
            AvailabilityZone = props.AvailabilityZone,
            Size = Size.Gibibytes(props.DataVolume.SizeGiB),
            VolumeType = EbsDeviceVolumeType.GP3,
            Iops = props.DataVolume.Iops,
            Throughput = props.DataVolume.ThroughputMBps,
            Encrypted = true,
            EncryptionKey = props.Key,
            // The volume holds the chain state and the slashing-protection database: never deleted with the stack.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        _elasticIp = p2p ? new CfnEIP(this, "ElasticIp", new CfnEIPProps { Domain = "vpc" }) : null;

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = $"{label}: SSM sessions, this node's secrets, signal its stack",
        });
        GrantNodePermissions(Role, stack, props);

        Instance = new Instance_(this, "Resource", new InstanceProps
        {
            Vpc = props.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC, AvailabilityZones = [props.AvailabilityZone] },
            AvailabilityZone = props.AvailabilityZone,
            InstanceType = new InstanceType(props.Instance.Name),
            MachineImage = props.MachineImage,
            SecurityGroup = SecurityGroup,
            Role = Role,
            // IMDSv2 comes from our own launch template below: CDK's RequireImdsv2 names its template after
            // the construct id, so two nodes in one region would collide.
            RequireImdsv2 = false,
            SsmSessionPermissions = false,
            ResourceSignalTimeout = SignalTimeout,
            UserDataCausesReplacement = false,
            UserData = UserData.Custom("#cloud-config\n"),
            BlockDevices = [HostHardening.RootVolume(rootGiB, props.Key)],
        });

        _cfnInstance = (CfnInstance)Instance.Node.DefaultChild!;
        // Termination protection: the instance holds a validator's identity; ending it takes a deliberate
        // step. No stop protection: CloudFormation stops the instance to change its type or user data.
        _cfnInstance.DisableApiTermination = true;
        HostHardening.RequireImdsV2(this, _cfnInstance);
        // Deploy-time values travel as instance tags (read through IMDSv2), so the user data is static text
        // that compresses under EC2's 16 KB limit however the bootstrap script grows.
        Tags.Of(Instance).Add(NodeSettings.VolumeIdTag, DataVolume.VolumeId);
        if (_elasticIp is not null)
        {
            Tags.Of(Instance).Add(NodeSettings.P2pIpTag, _elasticIp.Ref);
        }

        Tags.Of(Instance).Add(Naming.NodeTag, props.NodeId);
        foreach (var (key, value) in props.InstanceTags ?? new Dictionary<string, string>())
        {
            Tags.Of(Instance).Add(key, value);
        }

        SignalTarget = new SignalTarget(stack.StackName, (string)stack.Resolve(stack.GetLogicalId(_cfnInstance)));

        if (_elasticIp is not null)
        {
            new CfnEIPAssociation(this, "ElasticIpAssociation", new CfnEIPAssociationProps
            {
                AllocationId = _elasticIp.AttrAllocationId,
                InstanceId = Instance.InstanceId,
            });
        }

        new CfnVolumeAttachment(this, "DataVolumeAttachment", new CfnVolumeAttachmentProps
        {
            Device = DataDeviceName,
            InstanceId = Instance.InstanceId,
            VolumeId = DataVolume.VolumeId,
        });

        var notify = new SnsAction(props.AlarmTopic);
        RecoveryAlarm = HostHardening.StatusAlarm(this, "SystemRecoveryAlarm", Instance, "StatusCheckFailed_System", "recovers the instance on new hardware when the host fails", new Ec2Action(Ec2InstanceAction.RECOVER), notify);
        RebootAlarm = HostHardening.StatusAlarm(this, "InstanceRebootAlarm", Instance, "StatusCheckFailed_Instance", "reboots the instance when its OS stops answering", new Ec2Action(Ec2InstanceAction.REBOOT), notify);
        Node.AddValidation(new UserDataGiven(this));
    }

    /// <summary>The node id.</summary>
    public string NodeId { get; }

    /// <summary>The EC2 instance.</summary>
    public Instance_ Instance { get; }

    /// <summary>The node's security group.</summary>
    public SecurityGroup SecurityGroup { get; }

    /// <summary>The retained, encrypted data volume.</summary>
    public Amazon.CDK.AWS.EC2.Volume DataVolume { get; }

    /// <summary>The public IPv4 address peers reach the node on (the Elastic IP), or null without P2P.</summary>
    public string? PublicIp => _elasticIp?.Ref;

    /// <summary>The instance role.</summary>
    public Role Role { get; }

    /// <summary>Where the bootstrap signals CloudFormation.</summary>
    public SignalTarget SignalTarget { get; }

    /// <summary>Alarm that recovers the instance on a failed system status check.</summary>
    public Alarm RecoveryAlarm { get; }

    /// <summary>Alarm that reboots the instance on a failed instance status check.</summary>
    public Alarm RebootAlarm { get; }

    /// <summary>The cloud-config user data before compression, once given.</summary>
    public string? UserDataText { get; private set; }

    /// <summary>The parameter holding the node's settings, once given.</summary>
    public Amazon.CDK.AWS.SSM.StringParameter? SettingsParameter { get; private set; }

    /// <summary>
    /// Creates the String parameter with the node's settings, which the host reads at every service start.
    /// The instance waits for it on first boot. A change to it reaches the node at its next start or rollout
    /// and never stops the instance.
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings were already given.</exception>
    public void UseSettingsParameter(string name, string settingsText)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(settingsText);
        if (SettingsParameter is not null)
        {
            throw new InvalidOperationException($"{Node.Path}: the settings parameter was already given.");
        }

        SettingsParameter = new Amazon.CDK.AWS.SSM.StringParameter(this, "Settings", new Amazon.CDK.AWS.SSM.StringParameterProps
        {
            ParameterName = name,
            StringValue = settingsText,
            Description = $"{Node.Path}: non-secret bootstrap settings (secrets are referenced by name)",
            Tier = Amazon.CDK.AWS.SSM.ParameterTier.STANDARD,
        });
        _cfnInstance.AddDependency((CfnResource)SettingsParameter.Node.DefaultChild!);
    }

    /// <summary>Sets the instance's user data: a cloud-config, stored gzip-compressed.</summary>
    /// <exception cref="InvalidOperationException">User data was already given.</exception>
    public void UseUserData(string cloudConfig)
    {
        ArgumentNullException.ThrowIfNull(cloudConfig);
        if (UserDataText is not null)
        {
            throw new InvalidOperationException($"{Node.Path}: user data was already given.");
        }

        UserDataText = cloudConfig;
        _cfnInstance.UserData = CloudConfig.GzipBase64(cloudConfig);
    }

    private void GrantNodePermissions(Role role, Amazon.CDK.Stack stack, ValidatorNodeProps props)
    {
        // The SSM agent's own calls (what AmazonSSMManagedInstanceCore grants, minus its ssm:GetParameter(s)
        // on every parameter, which would let one node read another node's keystore). These APIs have no
        // resource-level permissions, hence the '*' resource with named actions.
        HostHardening.GrantSsmAgentCore(role);

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadThisNodesSecrets",
            Actions = ["ssm:GetParameter"],
            Resources = [.. props.SecretParameters.Select(name => stack.FormatArn(new ArnComponents
            {
                Service = "ssm",
                Resource = "parameter",
                ResourceName = name.TrimStart('/'),
                ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
            }))],
        }));

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DecryptWithStageKeyThroughSsm",
            Actions = ["kms:Decrypt"],
            Resources = [props.Key.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["kms:ViaService"] = new[] { $"ssm.{stack.Region}.amazonaws.com", $"secretsmanager.{stack.Region}.amazonaws.com" },
                },
            },
        }));

        // The bootstrap waits for EBS to finish modifying the data volume before it grows the filesystem.
        // The action has no resource-level permissions.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SeeDataVolumeModifications",
            Actions = ["ec2:DescribeVolumesModifications"],
            Resources = ["*"],
        }));

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SignalOwnStack",
            Actions = ["cloudformation:SignalResource"],
            Resources = [stack.StackId],
        }));

        if (props.HaDatabaseSecretName is { } secretName)
        {
            // The replica of the database secret in this region; CDK's grant knows the name's random suffix.
            Secret.FromSecretNameV2(this, "HaDatabaseSecret", secretName).GrantRead(role);
        }
    }

    /// <summary>Fails synthesis when the caller never gave the node its bootstrap.</summary>
    private sealed class UserDataGiven(ValidatorNode node) : Amazon.JSII.Runtime.Deputy.DeputyBase, IValidation
    {
        public string[] Validate() => node.UserDataText is null ? [$"{node.Node.Path}: no user data; call UseUserData with the rendered bootstrap."] : [];
    }
}
