using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace AztecInfra.Monitoring;

/// <summary>
/// Renders the monitoring definition to the plain files Prometheus, Alertmanager, the blackbox exporter and
/// Grafana read. Paths are relative to the install root (<c>/etc/aztec-monitoring</c> on a host): the shared
/// part is the same for every deployment and committed under <c>monitoring/</c>; the deployment part
/// (targets, publisher thresholds, Alertmanager receivers) comes from a <see cref="MonitoringInput"/>.
/// </summary>
public static class MonitoringRenderer
{
    /// <summary>Where the README's runbooks live; each alert links to its own heading there.</summary>
    public const string RunbookBase = "README.md";

    /// <summary>Prometheus listens here (loopback only: reached through SSM port forwarding or Grafana).</summary>
    public const string PrometheusAddress = "127.0.0.1:9090";

    /// <summary>Alertmanager's address.</summary>
    public const string AlertmanagerAddress = "127.0.0.1:9093";

    /// <summary>The blackbox exporter's address.</summary>
    public const string BlackboxAddress = "127.0.0.1:9115";

    /// <summary>Ports scraped on every node (fixed by the validator bootstrap).</summary>
    public const int CollectorPort = 8889, NodeExporterPort = 9100, StatusPort = 8080;

    /// <summary>Files of the shared bundle that a host does not install (they are run by promtool in tests).</summary>
    public const string TestsFolder = "prometheus/tests/";

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Files, not HTML: keep PromQL's quotes and '+' readable instead of \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The deployment-independent bundle: relative path to file content.</summary>
    public static ImmutableSortedDictionary<string, string> RenderShared()
    {
        var files = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        files.Add("prometheus/prometheus.yml", ToYaml(PrometheusConfig()));
        files.Add("prometheus/rules/aztec-recording.yml", ToYaml(Groups(M(("name", "aztec-infra-recording"), ("rules", AztecRules.Recording.Select(Recording).ToList())))));
        files.Add("prometheus/rules/aztec-alerts.yml", ToYaml(Groups(M(("name", "aztec-infra-alerts"), ("rules", AztecRules.Alerts.Select(Alert).ToList())))));
        files.Add(TestsFolder + "aztec-rules.test.yml", ToYaml(RuleTestFile()));
        files.Add("blackbox/blackbox.yml", ToYaml(BlackboxConfig()));
        files.Add("grafana/provisioning/datasources/prometheus.yml", ToYaml(M(
            ("apiVersion", 1),
            ("datasources", L(M(("name", "Prometheus"), ("type", "prometheus"), ("uid", "prometheus"), ("access", "proxy"), ("url", "http://" + PrometheusAddress), ("isDefault", true), ("editable", false)))))));
        files.Add("grafana/provisioning/dashboards/aztec.yml", ToYaml(M(
            ("apiVersion", 1),
            ("providers", L(M(("name", "aztec-infra"), ("type", "file"), ("disableDeletion", true), ("allowUiUpdates", false), ("options", M(("path", "/etc/grafana/dashboards")))))))));
        foreach (var dashboard in AztecDashboards.All)
        {
            files.Add("grafana/dashboards/" + dashboard.File, DashboardJson(dashboard));
        }

        return files.ToImmutable();
    }

    /// <summary>The deployment's own files: scrape targets, publisher thresholds and Alertmanager's routing.</summary>
    /// <exception cref="ArgumentException">The input breaks a rule of <see cref="MonitoringInputRules"/>.</exception>
    public static ImmutableSortedDictionary<string, string> RenderDeployment(MonitoringInput input)
    {
        MonitoringInputRules.Require(input);
        var files = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        files.Add("prometheus/targets/aztec-node.json", Targets(input, n => $"{n.Address}:{CollectorPort}"));
        files.Add("prometheus/targets/node-exporter.json", Targets(input, n => $"{n.Address}:{NodeExporterPort}"));
        files.Add("prometheus/targets/aztec-status.json", Targets(input, n => $"http://{n.Address}:{StatusPort}/status"));
        var database = new JsonArray();
        if (input.HaDatabaseEndpoint is { } endpoint)
        {
            database.Add(TargetGroup(endpoint, M(("instance", "ha-database"), ("stage", input.Stage), ("network", input.Network))));
        }

        files.Add("prometheus/targets/ha-database.json", database.ToJsonString(JsonOptions) + "\n");
        files.Add("prometheus/rules/publisher-thresholds.yml", ToYaml(Groups(M(
            ("name", "aztec-infra-publisher-thresholds"),
            ("rules", input.Nodes.Select(n => M(
                ("record", AztecRules.ThresholdRecord),
                ("expr", $"vector({Number(input.PublisherBalanceEthPerAttester * n.Attesters)})"),
                ("labels", M(("instance", n.Id))))).ToList())))));
        files.Add("alertmanager/alertmanager.yml", ToYaml(AlertmanagerConfig(input.Paging)));
        return files.ToImmutable();
    }

    /// <summary>Prometheus's command line for this deployment (retention is a flag, not a config key).</summary>
    public static ImmutableArray<string> PrometheusArguments(MonitoringInput input, string configDirectory = "/etc/prometheus", string dataDirectory = "/prometheus")
    {
        ArgumentNullException.ThrowIfNull(input);
        return
        [
            $"--config.file={configDirectory}/prometheus.yml",
            $"--storage.tsdb.path={dataDirectory}",
            $"--storage.tsdb.retention.time={input.RetentionDays.ToString(CultureInfo.InvariantCulture)}d",
            $"--web.listen-address={PrometheusAddress}",
        ];
    }

    /// <summary>The severity label value of an alert.</summary>
    public static string SeverityLabel(AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>The runbook link of an alert.</summary>
    public static string RunbookUrl(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return $"{RunbookBase}#{rule.RunbookAnchor}";
    }

    private static OrderedDictionary<string, object> PrometheusConfig()
    {
        var scrape = new List<object>
        {
            M(
                ("job_name", AztecRules.NodeJob),
                ("file_sd_configs", L(M(("files", L("targets/aztec-node.json"))))),
                ("metric_relabel_configs", L(
                    // The collector turns the node's service.instance.id (new at every restart) into an
                    // 'instance' label, which Prometheus renames exported_instance because the target's own
                    // pinned instance wins. Keep it only on target_info, to count restarts; drop it elsewhere
                    // so a restart does not start new series.
                    M(("source_labels", L("__name__", "exported_instance")), ("regex", "target_info;(.+)"), ("target_label", "service_instance_id"), ("replacement", "$1")),
                    M(("action", "labeldrop"), ("regex", "exported_instance|exported_job"))))),
            M(("job_name", AztecRules.HostJob), ("file_sd_configs", L(M(("files", L("targets/node-exporter.json")))))),
            Probe(AztecRules.StatusJob, "http_2xx", "targets/aztec-status.json"),
            Probe(AztecRules.HaDatabaseJob, "tcp_connect", "targets/ha-database.json"),
        };
        foreach (var (job, address) in new[] { ("prometheus", PrometheusAddress), ("alertmanager", AlertmanagerAddress), ("blackbox", BlackboxAddress), ("grafana", "127.0.0.1:3000") })
        {
            scrape.Add(M(("job_name", job), ("static_configs", L(M(("targets", L(address)), ("labels", M(("instance", "monitoring"))))))));
        }

        return M(
            ("global", M(("scrape_interval", "30s"), ("scrape_timeout", "10s"), ("evaluation_interval", "30s"))),
            ("alerting", M(("alertmanagers", L(M(("static_configs", L(M(("targets", L(AlertmanagerAddress)))))))))),
            ("rule_files", L("rules/*.yml")),
            ("scrape_configs", scrape));
    }

    private static OrderedDictionary<string, object> Probe(string job, string module, string file) => M(
        ("job_name", job),
        ("metrics_path", "/probe"),
        ("params", M(("module", L(module)))),
        ("file_sd_configs", L(M(("files", L(file))))),
        ("relabel_configs", L(
            M(("source_labels", L("__address__")), ("target_label", "__param_target")),
            M(("target_label", "__address__"), ("replacement", BlackboxAddress)))));

    private static OrderedDictionary<string, object> BlackboxConfig() => M(("modules", M(
        ("http_2xx", M(("prober", "http"), ("timeout", "5s"), ("http", M(("valid_status_codes", L(200)), ("preferred_ip_protocol", "ip4"))))),
        ("tcp_connect", M(("prober", "tcp"), ("timeout", "5s"), ("tcp", M(("preferred_ip_protocol", "ip4"))))))));

    private static OrderedDictionary<string, object> Recording(RecordingRule rule) => M(("record", rule.Record), ("expr", rule.Expr));

    private static OrderedDictionary<string, object> Alert(AlertRule rule)
    {
        var alert = M(("alert", rule.Name), ("expr", rule.Expr));
        if (rule.For is { } duration)
        {
            alert.Add("for", duration);
        }

        alert.Add("labels", M(("severity", SeverityLabel(rule.Severity))));
        alert.Add("annotations", Annotations(rule, null));
        return alert;
    }

    private static OrderedDictionary<string, object> Annotations(AlertRule rule, IReadOnlyDictionary<string, string>? expand) => M(
        ("summary", Expand(rule.Summary, expand)),
        ("description", Expand(rule.Description, expand)),
        ("runbook_url", RunbookUrl(rule)));

    // Tests give the firing alert's labels; promtool compares annotations after templating, so expand the
    // only template form the rules use ({{ $labels.NAME }}) the same way.
    private static string Expand(string text, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return text;
        }

        foreach (var (name, value) in labels)
        {
            text = text.Replace("{{ $labels." + name + " }}", value, StringComparison.Ordinal);
        }

        if (text.Contains("{{", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"annotation '{text}' uses a template the tests cannot expand; use {{{{ $labels.NAME }}}} with NAME among the expected labels");
        }

        return text;
    }

    private static OrderedDictionary<string, object> RuleTestFile()
    {
        var tests = new List<object>();
        foreach (var rule in AztecRules.Alerts)
        {
            foreach (var test in rule.Tests)
            {
                var expected = new List<object>();
                if (test.Fires)
                {
                    var labels = new SortedDictionary<string, string>(test.Labels, StringComparer.Ordinal) { ["severity"] = SeverityLabel(rule.Severity) };
                    expected.Add(M(("exp_labels", M([.. labels.Select(kv => (kv.Key, (object)kv.Value))])), ("exp_annotations", Annotations(rule, labels))));
                }

                tests.Add(M(
                    ("name", $"{rule.Name} {(test.Fires ? "fires" : "stays quiet")}: {test.What}"),
                    ("interval", "1m"),
                    ("input_series", test.Series.Select(s => M(("series", s.Series), ("values", s.Values))).ToList()),
                    ("alert_rule_test", L(M(("eval_time", test.EvalTime), ("alertname", rule.Name), ("exp_alerts", expected))))));
            }
        }

        return M(
            ("rule_files", L("../rules/aztec-recording.yml", "../rules/aztec-alerts.yml")),
            ("evaluation_interval", "1m"),
            ("tests", tests));
    }

    private static OrderedDictionary<string, object> AlertmanagerConfig(PagingConfig paging)
    {
        var hooks = paging.Webhooks.IsDefault ? [] : paging.Webhooks;
        var warningHooks = hooks.Where(h => h.Warnings).ToList();
        var critical = Receiver("critical", paging.SnsTopicArn is null ? null : paging, hooks);
        var warning = warningHooks.Count > 0 || paging.SnsTopicArn is null
            ? Receiver("warning", null, warningHooks.Count > 0 ? warningHooks : hooks)
            : Receiver("warning", paging, []);
        var deadMan = paging.DeadMan is { } d ? Receiver("deadman", null, [d]) : M(("name", "deadman"));

        // Whatever is down or cut off explains the alerts that follow from it; page for the cause only.
        var downstream = "AztecNodeNotReporting|AztecNoNewProposedBlock|AztecL1HeightStalled|AztecBehindChainTip|AztecHealthyPeersLow|AztecNoPeers";
        return M(
            ("global", M(("resolve_timeout", "5m"))),
            ("route", M(
                ("receiver", "critical"),
                ("group_by", L("alertname", "instance")),
                ("group_wait", "30s"),
                ("group_interval", "5m"),
                ("repeat_interval", "4h"),
                ("routes", L(
                    M(("receiver", "deadman"), ("matchers", L("alertname=\"Watchdog\"")), ("group_wait", "0s"), ("group_interval", "1m"), ("repeat_interval", "1m")),
                    M(("receiver", "critical"), ("matchers", L("severity=\"critical\"")), ("repeat_interval", "1h")),
                    M(("receiver", "warning"), ("matchers", L("severity=\"warning\"")), ("repeat_interval", "12h")))))),
            ("inhibit_rules", L(
                M(("source_matchers", L("alertname=\"TargetDown\"", $"job=\"{AztecRules.NodeJob}\"")), ("target_matchers", L($"alertname=~\"{downstream}\"")), ("equal", L("instance"))),
                M(("source_matchers", L("alertname=\"AztecStatusFailing\"")), ("target_matchers", L($"alertname=~\"{downstream}\"")), ("equal", L("instance"))),
                M(("source_matchers", L("alertname=\"AztecNoPeers\"")), ("target_matchers", L("alertname=\"AztecHealthyPeersLow\"")), ("equal", L("instance"))),
                M(("source_matchers", L("alertname=\"AztecPublisherBalanceLow\"")), ("target_matchers", L("alertname=\"AztecPublisherBalanceRunningOut\"")), ("equal", L("instance"))),
                M(("source_matchers", L("alertname=\"HostDiskAlmostFull\"")), ("target_matchers", L("alertname=\"HostDiskFullIn7Days\"")), ("equal", L("instance", "mountpoint"))))),
            ("receivers", L(critical, warning, deadMan)));
    }

    private static OrderedDictionary<string, object> Receiver(string name, PagingConfig? sns, IEnumerable<WebhookReceiver> hooks)
    {
        var receiver = M(("name", name));
        if (sns is { SnsTopicArn: { } arn, SnsRegion: { } region })
        {
            receiver.Add("sns_configs", L(M(
                ("topic_arn", arn),
                ("sigv4", M(("region", region))),
                ("subject", "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.instance }}"),
                ("attributes", M(("severity", "{{ .CommonLabels.severity }}"))),
                ("send_resolved", true))));
        }

        var list = hooks.ToList();
        AddConfigs(receiver, "slack_configs", list.Where(h => h.Kind == WebhookKind.Slack).Select(h => M(("api_url_file", h.SecretFile), ("send_resolved", true))));
        AddConfigs(receiver, "pagerduty_configs", list.Where(h => h.Kind == WebhookKind.PagerDuty).Select(h => M(("routing_key_file", h.SecretFile), ("severity", "{{ .CommonLabels.severity }}"), ("send_resolved", true))));
        AddConfigs(receiver, "webhook_configs", list.Where(h => h.Kind == WebhookKind.Webhook).Select(h => M(
            ("url", h.Url!),
            ("http_config", M(("authorization", M(("type", "Bearer"), ("credentials_file", h.SecretFile))))),
            ("send_resolved", name != "deadman"))));
        return receiver;
    }

    private static void AddConfigs(OrderedDictionary<string, object> receiver, string key, IEnumerable<OrderedDictionary<string, object>> configs)
    {
        var list = configs.Cast<object>().ToList();
        if (list.Count > 0)
        {
            receiver.Add(key, list);
        }
    }

    private static string Targets(MonitoringInput input, Func<MonitoredNode, string> address)
    {
        var groups = new JsonArray();
        foreach (var node in input.Nodes)
        {
            groups.Add(TargetGroup(address(node), M(("instance", node.Id), ("stage", input.Stage), ("network", input.Network), ("role", node.Role))));
        }

        return groups.ToJsonString(JsonOptions) + "\n";
    }

    private static JsonObject TargetGroup(string target, OrderedDictionary<string, object> labels)
    {
        var labelObject = new JsonObject();
        foreach (var (key, value) in labels)
        {
            labelObject.Add(key, (string)value);
        }

        return new JsonObject { ["targets"] = new JsonArray(target), ["labels"] = labelObject };
    }

    private static string DashboardJson(Dashboard dashboard)
    {
        var panels = new JsonArray();
        for (var i = 0; i < dashboard.Panels.Length; i++)
        {
            var panel = dashboard.Panels[i];
            var targets = new JsonArray();
            for (var q = 0; q < panel.Queries.Length; q++)
            {
                targets.Add(new JsonObject
                {
                    ["refId"] = ((char)('A' + q)).ToString(),
                    ["datasource"] = Datasource(),
                    ["expr"] = panel.Queries[q].Expr,
                    ["legendFormat"] = panel.Queries[q].Legend,
                });
            }

            panels.Add(new JsonObject
            {
                ["id"] = i + 1,
                ["type"] = "timeseries",
                ["title"] = panel.Title,
                ["datasource"] = Datasource(),
                ["gridPos"] = new JsonObject { ["h"] = 8, ["w"] = 12, ["x"] = i % 2 * 12, ["y"] = i / 2 * 8 },
                ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = panel.Unit }, ["overrides"] = new JsonArray() },
                ["targets"] = targets,
            });
        }

        var root = new JsonObject
        {
            ["uid"] = dashboard.Uid,
            ["title"] = dashboard.Title,
            ["tags"] = new JsonArray("aztec-infra"),
            ["timezone"] = "utc",
            ["schemaVersion"] = 39,
            ["version"] = 1,
            ["editable"] = false,
            ["refresh"] = "1m",
            ["time"] = new JsonObject { ["from"] = "now-24h", ["to"] = "now" },
            ["templating"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["name"] = "instance",
                    ["label"] = "Node",
                    ["type"] = "query",
                    ["datasource"] = Datasource(),
                    ["query"] = new JsonObject { ["query"] = "label_values(up{job=\"" + AztecRules.HostJob + "\"}, instance)", ["refId"] = "instance" },
                    ["refresh"] = 2,
                    ["includeAll"] = true,
                    ["multi"] = true,
                    ["allValue"] = ".+",
                    ["current"] = new JsonObject { ["text"] = "All", ["value"] = "$__all" },
                }),
            },
            ["panels"] = panels,
        };
        return root.ToJsonString(JsonOptions) + "\n";
    }

    private static JsonObject Datasource() => new() { ["type"] = "prometheus", ["uid"] = "prometheus" };

    private static OrderedDictionary<string, object> Groups(OrderedDictionary<string, object> group) => M(("groups", L(group)));

    private static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static string ToYaml(object value) => Yaml.Serialize(value);

    private static OrderedDictionary<string, object> M(params (string Key, object Value)[] entries)
    {
        var map = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            map.Add(key, value);
        }

        return map;
    }

    private static List<object> L(params object[] items) => [.. items];
}
