using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="AlarmTopic"/>.</summary>
public sealed record AlarmTopicProps
{
    /// <summary>Stage name; the topic is <c>aztec-infra-{stage}-alarms</c> in its region.</summary>
    public required string StageName { get; init; }

    /// <summary>Key the topic is encrypted with (its policy must let CloudWatch alarms use it).</summary>
    public required IKey Key { get; init; }

    /// <summary>E-mail addresses to notify. Default: none.</summary>
    public IReadOnlyList<string>? Email { get; init; }

    /// <summary>HTTPS endpoints to notify. Default: none.</summary>
    public IReadOnlyList<string>? Https { get; init; }
}

/// <summary>
/// The SNS topic every alarm of a stage in one region notifies: encrypted with the stage key, reachable
/// only over TLS, with the stage's e-mail and HTTPS subscriptions (each confirms once). Its policy lets
/// CloudWatch publish for this account's alarms only (a topic policy replaces SNS's default one).
/// </summary>
public sealed class AlarmTopic : Construct
{
    /// <summary>Creates the topic and its subscriptions.</summary>
    public AlarmTopic(Construct scope, string id, AlarmTopicProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Topic = new Topic(this, "Resource", new TopicProps
        {
            TopicName = $"aztec-infra-{props.StageName}-alarms",
            DisplayName = $"aztec-infra {props.StageName} alarms",
            MasterKey = props.Key,
            EnforceSSL = true,
        });
        var stack = Amazon.CDK.Stack.Of(this);
        Topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsOfThisAccountPublish",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [Topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["aws:SourceArn"] = stack.FormatArn(new ArnComponents { Service = "cloudwatch", Resource = "alarm", ResourceName = "*", ArnFormat = ArnFormat.COLON_RESOURCE_NAME }),
                },
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
            },
        }));
        foreach (var address in props.Email ?? [])
        {
            Topic.AddSubscription(new EmailSubscription(address));
        }

        foreach (var url in props.Https ?? [])
        {
            Topic.AddSubscription(new UrlSubscription(url, new UrlSubscriptionProps { Protocol = SubscriptionProtocol.HTTPS }));
        }
    }

    /// <summary>The topic.</summary>
    public ITopic Topic { get; }
}
