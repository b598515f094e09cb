using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stages;

public sealed class MonitoringHostConfigTests
{
    [Fact]
    public void Should_ApplyTheDocumentedDefaults_When_MonitoringIsLeftOut()
    {
        var host = StageConfigLoader.Parse(StageYaml.Valid).Config.MonitoringHost;
        Assert.Equal(Defaults.MonitoringInstanceType, host.Instance.Name);
        Assert.Equal(Defaults.MonitoringDataVolumeGiB, host.DataVolumeGiB);
        Assert.Equal(Defaults.MonitoringRetentionDays, host.RetentionDays);
        Assert.Empty(host.Webhooks);
    }

    [Fact]
    public void Should_ReadTheHostAndItsReceivers_When_Given()
    {
        var yaml = StageYaml.Valid + "\nmonitoring:\n  instanceType: t3.large\n  dataVolumeGiB: 100\n  retentionDays: 90\n  webhooks:\n"
            + "    - {name: ops-slack, kind: slack, secretParameter: /aztec-infra/qa/monitoring/slack-url, warnings: true}\n"
            + "    - {name: hc, kind: webhook, secretParameter: /aztec-infra/qa/monitoring/hc-token, url: https://hc.example.com/ping}\n";
        var host = StageConfigLoader.Parse(yaml).Config.MonitoringHost;
        Assert.Equal("t3.large", host.Instance.Name);
        Assert.Equal(100, host.DataVolumeGiB);
        Assert.Equal(90, host.RetentionDays);
        Assert.Equal(new MonitoringWebhook("ops-slack", WebhookReceiverKind.Slack, "/aztec-infra/qa/monitoring/slack-url", null, true), host.Webhooks[0]);
        Assert.Equal("https://hc.example.com/ping", host.Webhooks[1].Url);
    }

    [Theory]
    [InlineData("instanceType: c6i.4xlarge", "monitoring.instanceType", "t3.medium")]
    [InlineData("dataVolumeGiB: 5", "monitoring.dataVolumeGiB", "10 to 16384")]
    [InlineData("retentionDays: 0", "monitoring.retentionDays", "1 to 3650")]
    [InlineData("webhooks:\n    - {name: sns, kind: slack, secretParameter: /a/b}", "monitoring.webhooks[0].name", "not sns")]
    [InlineData("webhooks:\n    - {name: ops, kind: email, secretParameter: /a/b}", "monitoring.webhooks[0].kind", "slack")]
    [InlineData("webhooks:\n    - {name: ops, kind: slack, secretParameter: plain-text}", "monitoring.webhooks[0].secretParameter", "SecureString")]
    [InlineData("webhooks:\n    - {name: ops, kind: webhook, secretParameter: /a/b, url: http://x.example.com}", "monitoring.webhooks[0].url", "https")]
    [InlineData("webhooks:\n    - {name: ops, kind: slack, secretParameter: /a/b, url: https://hooks.slack.com/x}", "monitoring.webhooks[0].url", "secretParameter")]
    public void Should_NameTheFieldAndWhatIsAllowed_When_MonitoringIsWrong(string entry, string field, string allowed) =>
        StageYaml.SingleError(StageYaml.Valid + "\nmonitoring:\n  " + entry + "\n", field, allowed);
}
