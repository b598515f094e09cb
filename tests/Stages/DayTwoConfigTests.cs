using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stages;

public sealed class DayTwoConfigTests
{
    [Fact]
    public void Should_KeepRejectedTrafficForThirtyDaysAndNotifyNobody_When_FlowLogsAndAlarmsAreLeftOut()
    {
        // Given a stage without flowLogs or alarms / When loaded
        var config = StageConfigLoader.Parse(StageYaml.Valid).Config;

        // Then the documented defaults apply
        Assert.Equal(Defaults.FlowLogRetentionDays, config.FlowLogs.RetentionDays);
        Assert.Equal(FlowLogTraffic.Reject, config.FlowLogs.Traffic);
        Assert.True(config.Alarms.IsEmpty);
    }

    [Fact]
    public void Should_ReadRetentionTrafficAndSubscriptions_When_Given()
    {
        // Given flow log and alarm settings
        var yaml = StageYaml.Valid + "\nflowLogs:\n  retentionDays: 90\n  traffic: ALL\nalarms:\n  email: [ops@example.com]\n  https: [https://hooks.example.com/aztec]\n";

        // When loaded
        var config = StageConfigLoader.Parse(yaml).Config;

        // Then they are kept
        Assert.Equal(90, config.FlowLogs.RetentionDays);
        Assert.Equal(FlowLogTraffic.All, config.FlowLogs.Traffic);
        Assert.Equal("ops@example.com", Assert.Single(config.Alarms.Email));
        Assert.Equal("https://hooks.example.com/aztec", Assert.Single(config.Alarms.Https));
    }

    [Fact]
    public void Should_NameTheFieldAndTheAllowedValues_When_RetentionIsNotACloudWatchPeriod() =>
        StageYaml.SingleError(StageYaml.Valid + "\nflowLogs:\n  retentionDays: 31\n", "flowLogs.retentionDays", "1, 3, 5, 7, 14, 30");

    [Fact]
    public void Should_NameTheField_When_TrafficIsUnknown() =>
        StageYaml.SingleError(StageYaml.Valid + "\nflowLogs:\n  traffic: DROPPED\n", "flowLogs.traffic", "REJECT, ACCEPT, ALL");

    [Fact]
    public void Should_NameTheEntry_When_AnEmailIsMalformed() =>
        StageYaml.SingleError(StageYaml.Valid + "\nalarms:\n  email: [ops.example.com]\n", "alarms.email[0]", "e-mail address");

    [Fact]
    public void Should_RefuseAPlainHttpEndpoint_When_Subscribed() =>
        StageYaml.SingleError(StageYaml.Valid + "\nalarms:\n  https: [http://hooks.example.com/x]\n", "alarms.https[0]", "https://");

    [Fact]
    public void Should_RefuseAndNotEchoCredentials_When_AnEndpointCarriesThem()
    {
        // Given an endpoint with a password and a token in its query
        var yaml = StageYaml.Valid + "\nalarms:\n  https: [\"https://user:hunter2@hooks.example.com/x?token=s3cret\"]\n";

        // Then it is refused, and the message repeats neither secret
        var error = StageYaml.SingleError(yaml, "alarms.https[0]", "must not hold a secret");
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_WarnThatNobodyIsNotified_When_AMainnetStageHasNoSubscription()
    {
        // Given the shipped prod stage, which subscribes nobody / When loaded
        var prod = StageConfigLoader.LoadFile(TestEnvironment.RepoPath("config", "prod.yaml"));

        // Then a warning names the alarms field
        Assert.Contains(prod.Warnings, w => w.Field == "alarms" && w.Message.Contains("notifies nobody", StringComparison.Ordinal));
    }
}
