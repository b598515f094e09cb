using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="StageKey"/>.</summary>
public sealed record StageKeyProps
{
    /// <summary>Stage name; the alias is <c>alias/aztec-infra/{stage}</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>
    /// Lets EC2 Auto Scaling's service-linked role use the key, so the prover agents' group can launch
    /// instances with root volumes encrypted by it. Default: false (stages without agents keep the key policy
    /// they had). The role must exist before the key policy names it: see the README's deploy steps.
    /// </summary>
    public bool? AutoScalingLaunches { get; init; }
}

/// <summary>
/// The stage's customer-managed KMS key in one region: encrypts EBS volumes, key parameters, the HA
/// database, the flow logs and the alarm topic. Rotation is on and the key is retained when the stack is
/// deleted, because retained volumes and parameters stay encrypted with it. Its policy lets two services use
/// it on the stage's behalf: CloudWatch Logs for log groups of this account and region (flow logs), and
/// CloudWatch alarms to publish to the encrypted alarm topic.
/// </summary>
public sealed class StageKey : Construct
{
    /// <summary>Creates the key and its alias.</summary>
    public StageKey(Construct scope, string id, StageKeyProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Key = new Key(this, "Resource", new KeyProps
        {
            Description = $"aztec-infra {props.Stage}: validator volumes, key parameters and HA database",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            Alias = Naming.KeyAlias(props.Stage),
        });

        var stack = Amazon.CDK.Stack.Of(this);
        Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchLogsEncryptsThisAccountsLogGroups",
            Principals = [new ServicePrincipal($"logs.{stack.Region}.amazonaws.com")],
            Actions = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:logs:arn"] = stack.FormatArn(new ArnComponents
                    {
                        Service = "logs",
                        Resource = "log-group",
                        ResourceName = "*",
                        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
                    }),
                },
            },
        }));
        // An alarm publishing to an SSE-KMS topic needs the key; CloudWatch is the caller, not an IAM role.
        Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsPublishToTheEncryptedTopic",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));

        if (props.AutoScalingLaunches ?? false)
        {
            // AWS's documented key policy for Auto Scaling with a customer-managed EBS key: use the key, and
            // grant it to the EC2 instances it launches (grants only for AWS resources).
            var autoScaling = new ArnPrincipal($"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
            Key.AddToResourcePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
            {
                Sid = "AutoScalingUsesKeyForAgentVolumes",
                Principals = [autoScaling],
                Actions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resources = ["*"],
            }));
            Key.AddToResourcePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
            {
                Sid = "AutoScalingGrantsKeyToAgentVolumes",
                Principals = [autoScaling],
                Actions = ["kms:CreateGrant"],
                Resources = ["*"],
                Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = true } },
            }));
        }
    }

    /// <summary>The key.</summary>
    public IKey Key { get; }
}
