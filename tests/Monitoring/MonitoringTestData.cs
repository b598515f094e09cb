using System.Collections.Immutable;
using AztecInfra.Monitoring;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Monitoring;

/// <summary>Inputs and an install tree shaped like the monitoring host's /etc/aztec-monitoring.</summary>
internal static class MonitoringTestData
{
    public const string TopicArn = "arn:aws:sns:us-east-1:123456789012:aztec-infra-prod-alerts";

    public static PagingConfig Paging { get; } = new()
    {
        SnsTopicArn = TopicArn,
        SnsRegion = "us-east-1",
        Webhooks =
        [
            new WebhookReceiver("ops-slack", WebhookKind.Slack, "/run/aztec-monitoring/secrets/ops-slack", Warnings: true),
            new WebhookReceiver("oncall", WebhookKind.PagerDuty, "/run/aztec-monitoring/secrets/oncall"),
        ],
        DeadMan = new WebhookReceiver("deadman-ping", WebhookKind.Webhook, "/run/aztec-monitoring/secrets/deadman-ping", "https://hc-ping.example.org/aztec-infra-prod"),
    };

    /// <summary>The dev or prod stage file mapped through the adapter, nodes at made-up private addresses.</summary>
    public static MonitoringInput Stage(string stage)
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["validator-1"] = "10.40.0.10",
            ["validator-us"] = "10.50.0.10",
            ["validator-eu"] = "10.51.0.10",
            ["validator-ap"] = "10.52.0.10",
        };
        return StageMonitoringAdapter.FromStageFile(TestEnvironment.RepoPath("config", stage + ".yaml"), id => addresses[id], Paging, stage == "prod" ? "aztec-ha.cluster-abc.us-east-1.rds.amazonaws.com:5432" : null);
    }

    /// <summary>Writes the shared bundle (without its tests) and a deployment's files as a host installs them.</summary>
    public static string InstallTree(MonitoringInput input)
    {
        var root = TestEnvironment.NewTempDirectory();
        var shared = MonitoringRenderer.RenderShared().Where(f => !f.Key.StartsWith(MonitoringRenderer.TestsFolder, StringComparison.Ordinal));
        MonitoringFiles.Write(root, shared.ToImmutableSortedDictionary(StringComparer.Ordinal));
        MonitoringFiles.Write(root, MonitoringRenderer.RenderDeployment(input));
        return root;
    }
}
