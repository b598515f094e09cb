using System.Text;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.SNS;
using AztecInfra.Bootstrap;
using AztecInfra.Constructs;
using AztecInfra.Monitoring;
using AztecInfra.Stages;
using Constructs;

namespace AztecInfra.Stacks;

/// <summary>Properties of <see cref="MonitoringStack"/>.</summary>
public sealed record MonitoringStackProps
{
    /// <summary>What the stage's stacks share.</summary>
    public required StageStackSettings Settings { get; init; }

    /// <summary>The network stack of the primary region.</summary>
    public required NetworkStack Network { get; init; }

    /// <summary>Zone of the host (the primary region's first).</summary>
    public required string AvailabilityZone { get; init; }

    /// <summary>The host's fixed private address.</summary>
    public required string PrivateAddress { get; init; }

    /// <summary>Instance type, data volume and retention.</summary>
    public required MonitoringHostConfig Host { get; init; }

    /// <summary>Pinned AMI of the primary region, or null for Canonical's current Ubuntu 24.04 (x86).</summary>
    public string? AmiId { get; init; }

    /// <summary>The stage's topic in this region (from the validators stack), or null to create one here.</summary>
    public ITopic? AlarmTopic { get; init; }

    /// <summary>Who a topic created here notifies.</summary>
    public required AlarmConfig Alarms { get; init; }

    /// <summary>What to scrape and where to page, given the topic's ARN; addresses and the ARN may be deploy-time tokens.</summary>
    public required Func<string, MonitoringInput> InputFor { get; init; }

    /// <summary>The same input with the longest literal each token can become, to size the parameter.</summary>
    public required MonitoringInput WorstCaseInput { get; init; }

    /// <summary>Receiver secret file name to SecureString parameter name.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> SecretParameters { get; init; }
}

/// <summary>The stage's monitoring host in the primary region.</summary>
public sealed class MonitoringStack : Amazon.CDK.Stack
{
    /// <summary>Standard SSM parameters hold 4 KB; advanced ones 8 KB.</summary>
    public const int StandardParameterBytes = 4096, AdvancedParameterBytes = 8192;

    /// <summary>Creates the stack.</summary>
    /// <exception cref="InvalidOperationException">The deployment would not fit an advanced parameter.</exception>
    public MonitoringStack(Construct scope, string id, MonitoringStackProps props)
        : base(scope, id, (props ?? throw new ArgumentNullException(nameof(props))).Settings.For(
            props.Network.RegionConfig.Name,
            Naming.MonitoringStackName(props.Settings.StageName),
            $"monitoring host (Prometheus, Alertmanager, Grafana) in {props.Network.RegionConfig.Name}"))
    {
        AddDependency(props.Network);
        var region = props.Network.RegionConfig.Name;
        var topic = props.AlarmTopic ?? new AlarmTopic(this, "AlarmTopic", new AlarmTopicProps
        {
            StageName = props.Settings.StageName,
            Key = props.Network.Key.Key,
            Email = props.Alarms.Email,
            Https = props.Alarms.Https,
        }).Topic;

        var worstCase = Encoding.UTF8.GetByteCount(MonitoringHostBootstrap.DeploymentParameterValue(MonitoringRenderer.RenderDeployment(props.WorstCaseInput)));
        if (worstCase > AdvancedParameterBytes)
        {
            throw new InvalidOperationException($"monitoring: the deployment files need up to {worstCase} bytes, more than an SSM parameter holds ({AdvancedParameterBytes}); fewer nodes or receivers per stage, or split the parameter.");
        }

        WorstCaseDeploymentBytes = worstCase;
        var input = props.InputFor(topic.TopicArn);
        var settings = new MonitoringHostSettings(props.Settings.StageName, region, Naming.MonitoringDeploymentParameter(props.Settings.StageName), props.Host.RetentionDays, props.SecretParameters);
        Host = new MonitoringHost(this, "MonitoringHost", new MonitoringHostProps
        {
            StageName = props.Settings.StageName,
            AvailabilityZone = props.AvailabilityZone,
            InstanceType = props.Host.Instance.Name,
            DataVolumeGiB = props.Host.DataVolumeGiB,
            MachineImage = props.AmiId is { } ami
                ? MachineImage.GenericLinux(new Dictionary<string, string> { [region] = ami })
                : MachineImage.FromSsmParameter("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", new SsmParameterImageOptions { Os = OperatingSystemType.LINUX }),
            Vpc = props.Network.Network.Vpc,
            PrivateAddress = props.PrivateAddress,
            Key = props.Network.Key.Key,
            AlarmTopic = topic,
            DeploymentParameterName = settings.DeploymentParameter,
            DeploymentParameterValue = MonitoringHostBootstrap.DeploymentParameterValue(MonitoringRenderer.RenderDeployment(input)),
            AdvancedParameter = worstCase > StandardParameterBytes,
            SecretParameters = [.. props.SecretParameters.Select(p => p.Value)],
            CloudConfig = MonitoringHostBootstrap.Render(settings, MonitoringRenderer.RenderShared()),
        });

        // Facts for the plan (every view reads them from the template): what pages, and where.
        var receivers = new List<string> { "sns: the stage's alarm topic (critical and warning; SigV4 with the host's role)" };
        receivers.AddRange(props.Host.Webhooks.Select(w => $"{w.Kind.ToString().ToLowerInvariant()} {w.Name}: secret from {w.SecretParameter}{(w.Warnings ? ", warnings too" : ", critical only")}"));
        ((Amazon.CDK.CfnResource)Host.Instance.Node.DefaultChild!).AddMetadata(MonitoringMetadataKey, new Dictionary<string, object>
        {
            ["Receivers"] = receivers.ToArray(),
            ["ScrapedNodes"] = input.Nodes.Select(n => n.Id).ToArray(),
            ["RetentionDays"] = props.Host.RetentionDays,
            ["HeartbeatAlarm"] = $"{Naming.HeartbeatNamespace} {Naming.HeartbeatMetric} Stage={props.Settings.StageName}",
        });
    }

    /// <summary>Template metadata key on the host's instance with the facts the plan shows.</summary>
    public const string MonitoringMetadataKey = "AztecInfra::Monitoring";

    /// <summary>The host.</summary>
    public MonitoringHost Host { get; }

    /// <summary>The deployment parameter's size with every token at its longest.</summary>
    public int WorstCaseDeploymentBytes { get; }
}
