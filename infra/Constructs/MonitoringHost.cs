using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SSM;
using AztecInfra.Bootstrap;
using Constructs;
using InstanceType = Amazon.CDK.AWS.EC2.InstanceType;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="MonitoringHost"/>.</summary>
public sealed record MonitoringHostProps
{
    /// <summary>Stage name: descriptions and the heartbeat's <c>Stage</c> dimension.</summary>
    public required string StageName { get; init; }

    /// <summary>Availability zone of the host and its data volume.</summary>
    public required string AvailabilityZone { get; init; }

    /// <summary>EC2 instance type name.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Size of the gp3 data volume holding Prometheus's TSDB, Alertmanager's and Grafana's state.</summary>
    public required int DataVolumeGiB { get; init; }

    /// <summary>The image to boot (x86 Ubuntu 24.04).</summary>
    public required IMachineImage MachineImage { get; init; }

    /// <summary>VPC to run in; the host goes to the public subnet of its zone (no NAT) with no inbound rule.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>
    /// The host's fixed private address in that subnet. Fixed, so validators in every region can admit it
    /// (a /32) without a reference back to this stack.
    /// </summary>
    public required string PrivateAddress { get; init; }

    /// <summary>Key that encrypts the volumes and may decrypt the host's parameters (through SSM only).</summary>
    public required IKey Key { get; init; }

    /// <summary>Topic Alertmanager publishes to (SigV4) and the host's alarms notify.</summary>
    public required ITopic AlarmTopic { get; init; }

    /// <summary>Name of the String parameter with the deployment files.</summary>
    public required string DeploymentParameterName { get; init; }

    /// <summary>The deployment parameter's value (may hold deploy-time tokens).</summary>
    public required string DeploymentParameterValue { get; init; }

    /// <summary>True when the value may exceed 4 KB: the parameter is then advanced-tier (up to 8 KB, billed monthly).</summary>
    public required bool AdvancedParameter { get; init; }

    /// <summary>SecureStrings with receiver secrets the host reads at every start, and no others.</summary>
    public required IReadOnlyList<string> SecretParameters { get; init; }

    /// <summary>The host's cloud-config (static text; compressed here).</summary>
    public required string CloudConfig { get; init; }

    /// <summary>Root volume size. Default: 20 GiB gp3 (OS and four container images).</summary>
    public int RootVolumeGiB { get; init; } = 20;
}

/// <summary>
/// The stage's monitoring host: Prometheus, Alertmanager, the blackbox exporter and Grafana, hardened like a
/// validator (IMDSv2 with one hop, SSM Session Manager only, no inbound rule at all, volumes encrypted with the
/// stage key, a retained data volume, a least-privilege role). Its heartbeat alarm pages through the stage's
/// topic when the host, Prometheus or Alertmanager stops.
/// </summary>
public sealed class MonitoringHost : Construct
{
    /// <summary>Device name the data volume is attached as (the script finds it by volume id).</summary>
    public const string DataDeviceName = "/dev/sdf";

    /// <summary>Minutes without a heartbeat before the alarm pages.</summary>
    public const int HeartbeatMissingMinutes = 5;

    private readonly CfnInstance _cfnInstance;

    /// <summary>Creates the host.</summary>
    public MonitoringHost(Construct scope, string id, MonitoringHostProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Amazon.CDK.Stack.Of(this);
        var label = $"aztec-infra {props.StageName} monitoring";

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"{label}: no inbound at all (SSM port forwarding for Grafana); scrapes out",
            AllowAllOutbound = true,
        });

        DataVolume = new Amazon.CDK.AWS.EC2.Volume(this, "DataVolume", new VolumeProps
        {
            AvailabilityZone = props.AvailabilityZone,
            Size = Size.Gibibytes(props.DataVolumeGiB),
            VolumeType = EbsDeviceVolumeType.GP3,
            Encrypted = true,
            EncryptionKey = props.Key,
            // Metrics history and Grafana's state outlive the stack.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        DeploymentParameter = new StringParameter(this, "Deployment", new StringParameterProps
        {
            ParameterName = props.DeploymentParameterName,
            StringValue = props.DeploymentParameterValue,
            Description = $"{label}: scrape targets, publisher thresholds and alertmanager.yml (no secrets), read at every boot",
            Tier = props.AdvancedParameter ? ParameterTier.ADVANCED : ParameterTier.STANDARD,
        });

        var elasticIp = new CfnEIP(this, "ElasticIp", new CfnEIPProps { Domain = "vpc" });
        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = $"{label}: SSM sessions, its own parameters, publish to the alarm topic, heartbeat metric",
        });
        GrantHostPermissions(Role, stack, props);

        Instance = new Instance_(this, "Resource", new InstanceProps
        {
            Vpc = props.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC, AvailabilityZones = [props.AvailabilityZone] },
            AvailabilityZone = props.AvailabilityZone,
            InstanceType = new InstanceType(props.InstanceType),
            MachineImage = props.MachineImage,
            SecurityGroup = SecurityGroup,
            Role = Role,
            PrivateIpAddress = props.PrivateAddress,
            RequireImdsv2 = false,
            SsmSessionPermissions = false,
            UserDataCausesReplacement = false,
            UserData = UserData.Custom("#cloud-config\n"),
            BlockDevices = [HostHardening.RootVolume(props.RootVolumeGiB, props.Key)],
        });
        _cfnInstance = (CfnInstance)Instance.Node.DefaultChild!;
        // Termination protection, like the validators: the host is the stage's only pager. No stop
        // protection: CloudFormation stops it to change its type or user data.
        _cfnInstance.DisableApiTermination = true;
        HostHardening.RequireImdsV2(this, _cfnInstance);
        _cfnInstance.AddDependency((CfnResource)DeploymentParameter.Node.DefaultChild!);
        UserDataText = props.CloudConfig;
        _cfnInstance.UserData = Bootstrap.CloudConfig.GzipBase64(props.CloudConfig);
        Tags.Of(Instance).Add(NodeSettings.VolumeIdTag, DataVolume.VolumeId);
        Tags.Of(Instance).Add(Naming.RoleTag, Plan.InstanceFact.MonitoringRole);
        Tags.Of(Instance).Add("Name", label);

        // A public address for outbound only (image pulls, SSM, SNS, CloudWatch: the VPC has no NAT gateway);
        // the security group admits nothing.
        new CfnEIPAssociation(this, "ElasticIpAssociation", new CfnEIPAssociationProps
        {
            AllocationId = elasticIp.AttrAllocationId,
            InstanceId = Instance.InstanceId,
        });
        new CfnVolumeAttachment(this, "DataVolumeAttachment", new CfnVolumeAttachmentProps
        {
            Device = DataDeviceName,
            InstanceId = Instance.InstanceId,
            VolumeId = DataVolume.VolumeId,
        });

        var notify = new SnsAction(props.AlarmTopic);
        HostHardening.StatusAlarm(this, "SystemRecoveryAlarm", Instance, "StatusCheckFailed_System", "recovers the monitoring host on new hardware when its host fails", new Ec2Action(Ec2InstanceAction.RECOVER), notify);
        HostHardening.StatusAlarm(this, "InstanceRebootAlarm", Instance, "StatusCheckFailed_Instance", "reboots the monitoring host when its OS stops answering", new Ec2Action(Ec2InstanceAction.REBOOT), notify);

        // Who watches the watcher: the host puts this metric every minute only while Alertmanager holds the
        // always-firing Watchdog. No data means the host, Prometheus or Alertmanager is gone: page.
        HeartbeatAlarm = new Alarm(this, "HeartbeatAlarm", new AlarmProps
        {
            AlarmName = $"aztec-infra-{props.StageName}-monitoring-heartbeat",
            AlarmDescription = $"{label}: no Watchdog heartbeat for {HeartbeatMissingMinutes} minutes; Prometheus, Alertmanager or the host is down, so nothing else pages. Runbook: README.md#monitoring-heartbeat-missing",
            Metric = new Metric(new MetricProps
            {
                Namespace = Naming.HeartbeatNamespace,
                MetricName = Naming.HeartbeatMetric,
                DimensionsMap = new Dictionary<string, string> { ["Stage"] = props.StageName },
                Statistic = "SampleCount",
                Period = Duration.Minutes(1),
            }),
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.LESS_THAN_THRESHOLD,
            EvaluationPeriods = HeartbeatMissingMinutes,
            DatapointsToAlarm = HeartbeatMissingMinutes,
            TreatMissingData = TreatMissingData.BREACHING,
        });
        HeartbeatAlarm.AddAlarmAction(notify);
        HeartbeatAlarm.AddOkAction(notify);
    }

    /// <summary>The EC2 instance.</summary>
    public Instance_ Instance { get; }

    /// <summary>The host's security group (no inbound rule).</summary>
    public SecurityGroup SecurityGroup { get; }

    /// <summary>The retained, encrypted data volume.</summary>
    public Amazon.CDK.AWS.EC2.Volume DataVolume { get; }

    /// <summary>The parameter with the deployment files.</summary>
    public StringParameter DeploymentParameter { get; }

    /// <summary>The instance role.</summary>
    public Role Role { get; }

    /// <summary>The alarm that pages when the heartbeat stops.</summary>
    public Alarm HeartbeatAlarm { get; }

    /// <summary>The cloud-config before compression.</summary>
    public string UserDataText { get; }

    private static void GrantHostPermissions(Role role, Amazon.CDK.Stack stack, MonitoringHostProps props)
    {
        // The SSM agent's own calls, without AmazonSSMManagedInstanceCore's ssm:GetParameter(s) on every parameter.
        HostHardening.GrantSsmAgentCore(role);

        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadOwnParameters",
            Actions = ["ssm:GetParameter"],
            Resources = [.. new[] { props.DeploymentParameterName }.Concat(props.SecretParameters).Select(name => stack.FormatArn(new ArnComponents
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
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"ssm.{stack.Region}.amazonaws.com" },
            },
        }));

        // Alertmanager's SNS receiver (SigV4): this topic only. The topic is encrypted with the stage key, so
        // publishing needs GenerateDataKey/Decrypt on it through SNS.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PublishToStageTopic",
            Actions = ["sns:Publish"],
            Resources = [props.AlarmTopic.TopicArn],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EncryptForStageTopicThroughSns",
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = [props.Key.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"sns.{stack.Region}.amazonaws.com" },
            },
        }));

        // The heartbeat. PutMetricData has no resource-level permissions; the namespace condition scopes it.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PutHeartbeatMetric",
            Actions = ["cloudwatch:PutMetricData"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["cloudwatch:namespace"] = Naming.HeartbeatNamespace },
            },
        }));
    }
}
