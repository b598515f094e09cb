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
    }

    /// <summary>The key.</summary>
    public IKey Key { get; }
}
