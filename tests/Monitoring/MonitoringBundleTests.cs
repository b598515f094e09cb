using System.Text.RegularExpressions;
using AztecInfra.Monitoring;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Monitoring;

/// <summary>The rendered bundle: committed copy, promtool unit tests, and the real tools' config checks.</summary>
public sealed class MonitoringBundleTests
{
    private static readonly string Committed = TestEnvironment.RepoPath(MonitoringFiles.Folder);

    [Fact]
    public void Should_MatchAFreshRender_When_TheCommittedBundleIsRead()
    {
        // Given the committed monitoring/ folder, When compared with a render of the definition
        var differences = MonitoringFiles.Differences(Committed);

        // Then nothing differs (re-render: dotnet run --project stacks -- monitoring render)
        Assert.True(differences.IsEmpty, "monitoring/ is stale; run 'dotnet run --project stacks -- monitoring render':\n" + string.Join("\n", differences));
    }

    [Fact]
    public void Should_ReportAStaleFile_When_ACommittedFileWasEditedByHand()
    {
        var dir = TestEnvironment.NewTempDirectory();
        MonitoringFiles.Write(dir);
        File.AppendAllText(Path.Combine(dir, "prometheus", "rules", "aztec-alerts.yml"), "# hand edit\n");
        File.WriteAllText(Path.Combine(dir, "prometheus", "rules", "extra.yml"), "groups: []\n");

        var differences = MonitoringFiles.Differences(dir);

        Assert.Equal("prometheus/rules/aztec-alerts.yml: differs from the render\nprometheus/rules/extra.yml: not produced by the render (remove it)", string.Join("\n", differences));
    }

    [Fact]
    public void Should_HaveAFiringAndAQuietCase_When_AnAlertIsDefined()
    {
        foreach (var alert in AztecRules.Alerts)
        {
            Assert.Contains(alert.Tests, t => t.Fires);
            if (alert.Name != "Watchdog")
            {
                Assert.Contains(alert.Tests, t => !t.Fires);
            }
        }

        Assert.Equal(AztecRules.Alerts.Length, AztecRules.Alerts.Select(a => a.Name).Distinct().Count());
    }

    [Fact]
    public void Should_PassEveryUnitTest_When_PromtoolRunsTheCommittedRuleTests()
    {
        var (code, output) = TestEnvironment.Run("promtool", "test", "rules", Path.Combine(Committed, "prometheus", "tests", "aztec-rules.test.yml"));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_FailEveryFiringCase_When_NoAlertCanFire()
    {
        // Given rules whose expressions return nothing, the firing cases must all fail: they can fail.
        var failed = FailedCases(expr => "vector(1) == 0");

        var firing = AztecRules.Alerts.SelectMany(a => a.Tests.Where(t => t.Fires).Select(t => $"{a.Name} fires: {t.What}")).ToList();
        Assert.All(firing, name => Assert.Contains(name, failed));
    }

    [Fact]
    public void Should_FailEveryQuietCase_When_EveryAlertAlwaysFires()
    {
        var failed = FailedCases(expr => "vector(1)");

        var quiet = AztecRules.Alerts.SelectMany(a => a.Tests.Where(t => !t.Fires).Select(t => $"{a.Name} stays quiet: {t.What}")).ToList();
        Assert.NotEmpty(quiet);
        Assert.All(quiet, name => Assert.Contains(name, failed));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Should_PassPromtoolCheckConfig_When_AStageIsInstalled(string stage)
    {
        // Given the tree a host installs, with rule globs and file_sd paths relative to prometheus.yml
        var root = MonitoringTestData.InstallTree(MonitoringTestData.Stage(stage));

        var (code, output) = TestEnvironment.Run("promtool", "check", "config", Path.Combine(root, "prometheus", "prometheus.yml"));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 3 rule files found", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Should_PassAmtoolCheckConfig_When_AStageIsRendered(string stage)
    {
        var root = MonitoringTestData.InstallTree(MonitoringTestData.Stage(stage));

        var (code, output) = TestEnvironment.Run("amtool", "check-config", Path.Combine(root, "alertmanager", "alertmanager.yml"));

        Assert.True(code == 0, output);
        Assert.Contains("3 receivers", output, StringComparison.Ordinal);
        Assert.Contains("5 inhibit rules", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_PassTheBlackboxExportersCheck_When_ItsConfigIsRendered()
    {
        var (code, output) = TestEnvironment.Run("prometheus-blackbox-exporter", "--config.check", "--config.file=" + Path.Combine(Committed, "blackbox", "blackbox.yml"));

        Assert.True(code == 0, output);
    }

    [Fact]
    public void Should_MatchTheRender_When_TheBareMetalFixtureIsRead()
    {
        // The bats suite of setup-monitoring.sh installs this deployment; it must be what the renderer makes.
        // Re-render it with AZTEC_INFRA_RENDER_FIXTURES=1 dotnet test --filter ~BareMetalFixture.
        var dir = TestEnvironment.RepoPath("scripts", "tests", "fixtures", "monitoring-deployment");
        var files = MonitoringRenderer.RenderDeployment(MonitoringTestData.Stage("prod"));
        if (Environment.GetEnvironmentVariable("AZTEC_INFRA_RENDER_FIXTURES") == "1")
        {
            MonitoringFiles.Write(dir, files);
        }

        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllText(Path.Combine(dir, f.Key))));
        Assert.Equal(files.Count, Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Should_ReadEverySecretFromAFile_When_WebhooksAreConfigured()
    {
        var config = MonitoringRenderer.RenderDeployment(MonitoringTestData.Stage("prod"))["alertmanager/alertmanager.yml"];

        Assert.Contains("api_url_file: /run/aztec-monitoring/secrets/ops-slack", config, StringComparison.Ordinal);
        Assert.Contains("routing_key_file: /run/aztec-monitoring/secrets/oncall", config, StringComparison.Ordinal);
        Assert.Contains("credentials_file: /run/aztec-monitoring/secrets/deadman-ping", config, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"^\s*(api_url|routing_key|service_key|credentials|password):", RegexOptions.Multiline), config);
        Assert.Contains("topic_arn: " + MonitoringTestData.TopicArn, config, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SendWarningsToTheTopic_When_NoWebhookTakesWarnings()
    {
        var input = MonitoringTestData.Stage("dev") with { Paging = new PagingConfig { SnsTopicArn = MonitoringTestData.TopicArn, SnsRegion = "us-east-1" } };

        var config = MonitoringRenderer.RenderDeployment(input)["alertmanager/alertmanager.yml"];

        Assert.Equal(2, Regex.Matches(config, "topic_arn:").Count);
        Assert.Contains("- name: deadman\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SetEachNodesThresholdFromItsAttesters_When_RenderingADeployment()
    {
        var input = MonitoringTestData.Stage("dev") with { Nodes = [new MonitoredNode("validator-1", "sequencer", "10.40.0.10", 3)], PublisherBalanceEthPerAttester = 0.15m };

        var rules = MonitoringRenderer.RenderDeployment(input)["prometheus/rules/publisher-thresholds.yml"];

        Assert.Contains("expr: vector(0.45)", rules, StringComparison.Ordinal);
        Assert.Contains("instance: validator-1", rules, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stage", "Dev!")]
    [InlineData("network", "devnet")]
    [InlineData("nodes[0].address", "10.0.0.1:8080")]
    [InlineData("nodes[0].attesters", "0")]
    [InlineData("nodes[1].id", "validator-1")]
    [InlineData("publisherBalanceEthPerAttester", "0")]
    [InlineData("retentionDays", "0")]
    [InlineData("haDatabaseEndpoint", "db.internal")]
    [InlineData("paging.snsTopicArn", "arn:aws:sqs:us-east-1:123456789012:q")]
    [InlineData("paging.snsRegion", "")]
    [InlineData("paging.webhooks[0].secretFile", "/etc/hook")]
    [InlineData("paging.webhooks[0].url", "http://hooks.example.org/x?token=1")]
    [InlineData("paging", "")]
    public void Should_RefuseTheInputNamingTheField_When_AFieldIsInvalid(string field, string value)
    {
        var valid = MonitoringTestData.Stage("dev");
        var node = valid.Nodes[0];
        var input = field switch
        {
            "stage" => valid with { Stage = value },
            "network" => valid with { Network = value },
            "nodes[0].address" => valid with { Nodes = [node with { Address = value }] },
            "nodes[0].attesters" => valid with { Nodes = [node with { Attesters = int.Parse(value) }] },
            "nodes[1].id" => valid with { Nodes = [node, node with { Id = value }] },
            "publisherBalanceEthPerAttester" => valid with { PublisherBalanceEthPerAttester = decimal.Parse(value) },
            "retentionDays" => valid with { RetentionDays = int.Parse(value) },
            "haDatabaseEndpoint" => valid with { HaDatabaseEndpoint = value },
            "paging.snsTopicArn" => valid with { Paging = valid.Paging with { SnsTopicArn = value } },
            "paging.snsRegion" => valid with { Paging = valid.Paging with { SnsRegion = null } },
            "paging.webhooks[0].secretFile" => valid with { Paging = valid.Paging with { Webhooks = [valid.Paging.Webhooks[0] with { SecretFile = value }] } },
            "paging.webhooks[0].url" => valid with { Paging = valid.Paging with { Webhooks = [new WebhookReceiver("hook", WebhookKind.Webhook, "/run/x/hook", value)] } },
            "paging" => valid with { Paging = new PagingConfig() },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var ex = Assert.Throws<ArgumentException>(() => MonitoringRenderer.RenderDeployment(input));

        Assert.Contains(field + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains(field == "paging" ? "nobody is paged" : $"'{value}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_LinkEveryAlertToARunbookHeading_When_TheReadmeIsRead()
    {
        // GitHub turns "#### TargetDown" into the anchor #targetdown.
        var headings = File.ReadAllLines(TestEnvironment.RepoPath("README.md"))
            .Where(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim().ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

        var missing = AztecRules.Alerts.Where(a => !headings.Contains(a.RunbookAnchor)).Select(a => a.Name).ToList();

        Assert.True(missing.Count == 0, "README.md lacks runbook headings for: " + string.Join(", ", missing));
        Assert.All(AztecRules.Alerts, a => Assert.Equal("README.md#" + a.RunbookAnchor, MonitoringRenderer.RunbookUrl(a)));
    }

    [Fact]
    public void Should_KeepCdkTokensIntact_When_AddressesTopicAndDatabaseAreDeployTimeValues()
    {
        // The CDK host renders at synthesis, when private IPs, the topic ARN and the RDS endpoint are tokens.
        var input = MonitoringTestData.Stage("prod") with
        {
            Nodes = [new MonitoredNode("validator-us", "sequencer", "${Token[TOKEN.101]}", 1)],
            HaDatabaseEndpoint = "${Token[TOKEN.102]}:5432",
            Paging = new PagingConfig { SnsTopicArn = "${Token[TOKEN.103]}", SnsRegion = "us-east-1" },
        };

        var files = MonitoringRenderer.RenderDeployment(input);

        Assert.Contains("\"${Token[TOKEN.101]}:8889\"", files["prometheus/targets/aztec-node.json"], StringComparison.Ordinal);
        Assert.Contains("\"${Token[TOKEN.102]}:5432\"", files["prometheus/targets/ha-database.json"], StringComparison.Ordinal);
        Assert.Contains("${Token[TOKEN.103]}", files["alertmanager/alertmanager.yml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NameTheImagesTheScriptPins_When_TheReadmeListsThem()
    {
        var script = File.ReadAllText(TestEnvironment.RepoPath("scripts", "setup-monitoring.sh"));
        var readme = File.ReadAllText(TestEnvironment.RepoPath("README.md"));

        var images = Regex.Matches(script, @"^readonly [A-Z]+_IMAGE=(\S+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(4, images.Count);
        Assert.All(images, image => Assert.Contains($"`{image}`", readme, StringComparison.Ordinal));
    }

    // Renders the alerts with every expression replaced, runs the committed unit tests against them and
    // returns the names of the failing test groups.
    private static string FailedCases(Func<string, string> replace)
    {
        var dir = TestEnvironment.NewTempDirectory();
        MonitoringFiles.Write(dir);
        var alerts = Path.Combine(dir, "prometheus", "rules", "aztec-alerts.yml");
        var text = Regex.Replace(File.ReadAllText(alerts), @"^(    expr: ).*$", m => m.Groups[1].Value + replace(m.Value), RegexOptions.Multiline);
        File.WriteAllText(alerts, text);

        var (code, output) = TestEnvironment.Run("promtool", "test", "rules", Path.Combine(dir, "prometheus", "tests", "aztec-rules.test.yml"));

        Assert.NotEqual(0, code);
        return output;
    }
}
