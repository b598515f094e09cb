using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>
/// What every instance this project runs shares, written once: the encrypted root volume, IMDSv2 with one
/// hop, the SSM agent's own permissions, and the status-check alarms that recover or reboot it.
/// </summary>
public static class HostHardening
{
    /// <summary>The root volume: gp3, encrypted with <paramref name="key"/>, deleted with the instance.</summary>
    public static BlockDevice RootVolume(int sizeGiB, IKey key) => new()
    {
        DeviceName = "/dev/sda1",
        Volume = BlockDeviceVolume.Ebs(sizeGiB, new EbsDeviceOptions
        {
            VolumeType = EbsDeviceVolumeType.GP3,
            Encrypted = true,
            KmsKey = key,
            DeleteOnTermination = true,
        }),
    };

    /// <summary>
    /// Requires IMDSv2 through a launch template of our own, child <c>LaunchTemplate</c> of
    /// <paramref name="scope"/> (CDK's RequireImdsv2 names its template after the construct id, so two
    /// instances in one stack would collide). One hop: containers cannot reach the instance's credentials;
    /// instance tags are readable, since deploy-time values travel as tags.
    /// </summary>
    public static void RequireImdsV2(Construct scope, CfnInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var launchTemplate = new CfnLaunchTemplate(scope, "LaunchTemplate", new CfnLaunchTemplateProps
        {
            LaunchTemplateData = new CfnLaunchTemplate.LaunchTemplateDataProperty
            {
                MetadataOptions = new CfnLaunchTemplate.MetadataOptionsProperty
                {
                    HttpEndpoint = "enabled",
                    HttpTokens = "required",
                    HttpPutResponseHopLimit = 1,
                    InstanceMetadataTags = "enabled",
                },
            },
        });
        instance.LaunchTemplate = new CfnInstance.LaunchTemplateSpecificationProperty
        {
            LaunchTemplateId = launchTemplate.Ref,
            Version = launchTemplate.AttrLatestVersionNumber,
        };
    }

    /// <summary>
    /// The SSM agent's own calls (what AmazonSSMManagedInstanceCore grants, minus its ssm:GetParameter(s) on
    /// every parameter, which would let one host read another's secrets). These APIs have no resource-level
    /// permissions, hence the '*' resource with named actions.
    /// </summary>
    public static void GrantSsmAgentCore(IRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
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
    }

    /// <summary>
    /// An alarm on an EC2 status check of <paramref name="instance"/> (two failed minutes) that runs
    /// <paramref name="action"/> (recover or reboot) and tells <paramref name="notify"/> when it fires and clears.
    /// </summary>
    public static Alarm StatusAlarm(Construct scope, string id, Instance_ instance, string metric, string what, IAlarmAction action, IAlarmAction notify)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(instance);
        var alarm = new Alarm(scope, id, new AlarmProps
        {
            AlarmDescription = $"{scope.Node.Path}: {what}",
            Metric = new Metric(new MetricProps
            {
                Namespace = "AWS/EC2",
                MetricName = metric,
                DimensionsMap = new Dictionary<string, string> { ["InstanceId"] = instance.InstanceId },
                Statistic = "Maximum",
                Period = Duration.Minutes(1),
            }),
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 2,
            TreatMissingData = TreatMissingData.MISSING,
        });
        alarm.AddAlarmAction(action, notify);
        alarm.AddOkAction(notify);
        return alarm;
    }
}
