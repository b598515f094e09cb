using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AztecInfra.Monitoring;

/// <summary>
/// Everything the monitoring renderer needs about one deployment, and nothing more: which nodes to scrape,
/// how much ETH each publisher should keep, where pages go. Engine-neutral: the CDK monitoring host, the
/// bare-metal script and a Kubernetes wrapper all build one of these.
/// </summary>
public sealed record MonitoringInput
{
    /// <summary>Stage name; every scraped series carries it as the <c>stage</c> label.</summary>
    public required string Stage { get; init; }

    /// <summary>Aztec network, <c>testnet</c> or <c>mainnet</c>; the <c>network</c> label.</summary>
    public required string Network { get; init; }

    /// <summary>The validator nodes to scrape, in declaration order.</summary>
    public required ImmutableArray<MonitoredNode> Nodes { get; init; }

    /// <summary>ETH a publisher should hold per attester it publishes for. Default: 0.1 ETH (Aztec's guidance).</summary>
    public decimal PublisherBalanceEthPerAttester { get; init; } = DefaultPublisherBalanceEthPerAttester;

    /// <summary>Days of metrics Prometheus keeps. Default: 30.</summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>
    /// host:port of the HA signing database, probed over TCP from the monitoring host; null when the stage
    /// has none (independent mode).
    /// </summary>
    public string? HaDatabaseEndpoint { get; init; }

    /// <summary>Where alerts go.</summary>
    public required PagingConfig Paging { get; init; }

    /// <summary>Aztec's guidance: about 0.1 ETH per attester on the publisher account.</summary>
    public const decimal DefaultPublisherBalanceEthPerAttester = 0.1m;
}

/// <summary>One node to scrape.</summary>
/// <param name="Id">Node id; becomes the pinned <c>instance</c> label of every series from the node.</param>
/// <param name="Role">Role label, e.g. <c>sequencer</c>.</param>
/// <param name="Address">
/// Host name or IP the monitoring host reaches the node on (a private address). The collector is scraped on
/// 8889, node_exporter on 9100 and <c>GET /status</c> probed on 8080. May be a deploy-time token in CDK.
/// </param>
/// <param name="Attesters">Attesters the node's publisher pays for (at least 1 for the balance threshold).</param>
public sealed record MonitoredNode(string Id, string Role, string Address, int Attesters);

/// <summary>The kinds of extra receivers, each reading its secret from a file Alertmanager opens itself.</summary>
public enum WebhookKind
{
    /// <summary>Slack (or Slack-compatible, e.g. Mattermost) incoming webhook: the URL is the secret (<c>api_url_file</c>).</summary>
    Slack,

    /// <summary>PagerDuty Events v2: the routing key is the secret (<c>routing_key_file</c>).</summary>
    PagerDuty,

    /// <summary>
    /// Generic webhook: a non-secret URL with a bearer token read from a file (<c>credentials_file</c>).
    /// A URL that is itself a secret needs <c>url_file</c>, which Alertmanager has only from 0.26.
    /// </summary>
    Webhook,
}

/// <summary>An optional extra receiver. Its secret is a file on tmpfs written at service start; never a value here.</summary>
/// <param name="Name">Receiver name (letters, digits, '-').</param>
/// <param name="Kind">What it talks to.</param>
/// <param name="SecretFile">Absolute path of the file holding the secret (URL, routing key or token).</param>
/// <param name="Url">The URL for <see cref="WebhookKind.Webhook"/>; null for the others.</param>
/// <param name="Warnings">Also send warnings here (critical alerts always go to every receiver).</param>
public sealed record WebhookReceiver(string Name, WebhookKind Kind, string SecretFile, string? Url = null, bool Warnings = false);

/// <summary>Alert destinations.</summary>
public sealed record PagingConfig
{
    /// <summary>ARN of the stage's SNS topic (critical pages; warnings too when no webhook takes them). May be a CDK token.</summary>
    public string? SnsTopicArn { get; init; }

    /// <summary>Region of the topic, for SigV4 signing. Required with <see cref="SnsTopicArn"/>.</summary>
    public string? SnsRegion { get; init; }

    /// <summary>Extra receivers.</summary>
    public ImmutableArray<WebhookReceiver> Webhooks { get; init; } = [];

    /// <summary>
    /// Dead-man switch fed by the always-firing Watchdog every minute (for example a healthchecks.io check
    /// as a <see cref="WebhookKind.Webhook"/> with a token). Null: Watchdog goes to a receiver with no
    /// integrations and the host's own heartbeat must watch Alertmanager's API instead.
    /// </summary>
    public WebhookReceiver? DeadMan { get; init; }
}

/// <summary>Checks a <see cref="MonitoringInput"/>; every message names the field, the value and what is allowed.</summary>
public static partial class MonitoringInputRules
{
    /// <summary>Returns the problems with <paramref name="input"/>; empty when it can be rendered.</summary>
    public static ImmutableArray<string> Check(MonitoringInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<string>();
        if (!NamePattern().IsMatch(input.Stage))
        {
            errors.Add($"stage: '{input.Stage}' is not allowed; use 2-32 lower-case letters, digits or '-'");
        }

        if (input.Network is not ("testnet" or "mainnet"))
        {
            errors.Add($"network: '{input.Network}' is not allowed; use testnet or mainnet");
        }

        if (input.Nodes.IsDefaultOrEmpty)
        {
            errors.Add("nodes: empty; give at least one node to scrape");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (input.Nodes.IsDefault ? 0 : input.Nodes.Length); i++)
        {
            var node = input.Nodes[i];
            if (!NodeIdPattern().IsMatch(node.Id))
            {
                errors.Add($"nodes[{i}].id: '{node.Id}' is not allowed; use letters, digits, '_', '.', '-' (max 63)");
            }
            else if (!seen.Add(node.Id))
            {
                errors.Add($"nodes[{i}].id: '{node.Id}' is listed twice; node ids are the pinned instance label and must be unique");
            }

            if (!NamePattern().IsMatch(node.Role))
            {
                errors.Add($"nodes[{i}].role: '{node.Role}' is not allowed; use lower-case letters, digits or '-'");
            }

            if (string.IsNullOrWhiteSpace(node.Address) || node.Address.Contains(':', StringComparison.Ordinal) || node.Address.Any(char.IsWhiteSpace))
            {
                errors.Add($"nodes[{i}].address: '{node.Address}' is not allowed; give a host name or IPv4 address without a port");
            }

            if (node.Attesters < 1)
            {
                errors.Add($"nodes[{i}].attesters: '{node.Attesters.ToString(CultureInfo.InvariantCulture)}' is not allowed; use 1 or more (the publisher pays for at least one attester)");
            }
        }

        if (input.PublisherBalanceEthPerAttester is <= 0 or > 100)
        {
            errors.Add($"publisherBalanceEthPerAttester: '{input.PublisherBalanceEthPerAttester.ToString(CultureInfo.InvariantCulture)}' is not allowed; use more than 0 and at most 100 ETH");
        }

        if (input.RetentionDays is < 1 or > 3650)
        {
            errors.Add($"retentionDays: '{input.RetentionDays.ToString(CultureInfo.InvariantCulture)}' is not allowed; use 1-3650");
        }

        if (input.HaDatabaseEndpoint is { } db && !EndpointPattern().IsMatch(db))
        {
            errors.Add($"haDatabaseEndpoint: '{db}' is not allowed; use host:port");
        }

        CheckPaging(input.Paging, errors);
        return [.. errors];
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem when the input cannot be rendered.</summary>
    public static void Require(MonitoringInput input)
    {
        var errors = Check(input);
        if (!errors.IsEmpty)
        {
            throw new ArgumentException("monitoring input is not valid:\n  " + string.Join("\n  ", errors), nameof(input));
        }
    }

    private static void CheckPaging(PagingConfig paging, List<string> errors)
    {
        if (paging.SnsTopicArn is null && paging.Webhooks.IsDefaultOrEmpty)
        {
            errors.Add("paging: no receiver; give paging.snsTopicArn or at least one paging.webhooks entry, or nobody is paged");
        }

        if (paging.SnsTopicArn is { } arn && !IsToken(arn) && !TopicArnPattern().IsMatch(arn))
        {
            errors.Add($"paging.snsTopicArn: '{arn}' is not allowed; use arn:aws:sns:REGION:ACCOUNT:NAME");
        }

        if (paging.SnsTopicArn is not null && (paging.SnsRegion is null || !RegionPattern().IsMatch(paging.SnsRegion)))
        {
            errors.Add($"paging.snsRegion: '{paging.SnsRegion}' is not allowed; give the topic's region, e.g. us-east-1 (SigV4 signs for it)");
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { "sns", "critical", "warning", "deadman" };
        var hooks = paging.Webhooks.IsDefault ? [] : paging.Webhooks;
        for (var i = 0; i < hooks.Length; i++)
        {
            CheckWebhook(hooks[i], $"paging.webhooks[{i}]", names, errors);
        }

        if (paging.DeadMan is { } deadMan)
        {
            CheckWebhook(deadMan, "paging.deadMan", names, errors);
        }
    }

    private static void CheckWebhook(WebhookReceiver hook, string field, HashSet<string> names, List<string> errors)
    {
        if (!NamePattern().IsMatch(hook.Name))
        {
            errors.Add($"{field}.name: '{hook.Name}' is not allowed; use lower-case letters, digits or '-'");
        }
        else if (!names.Add(hook.Name))
        {
            errors.Add($"{field}.name: '{hook.Name}' is taken; receiver names must be unique and not sns, critical, warning or deadman");
        }

        if (!SecretPathPattern().IsMatch(hook.SecretFile) || hook.SecretFile.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{field}.secretFile: '{hook.SecretFile}' is not allowed; use an absolute path under /run (tmpfs, written at service start)");
        }

        if (hook.Kind == WebhookKind.Webhook && (hook.Url is null || !Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            errors.Add($"{field}.url: '{hook.Url}' is not allowed; a webhook needs an https URL without credentials or query (the token goes in secretFile)");
        }

        if (hook.Kind != WebhookKind.Webhook && hook.Url is not null)
        {
            errors.Add($"{field}.url: '{hook.Url}' is not allowed for {hook.Kind}; its URL or key is the secret and is read from secretFile");
        }
    }

    // CDK tokens look like ${Token[TOKEN.123]}; CloudFormation resolves them at deploy time.
    private static bool IsToken(string value) => value.Contains("${Token[", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,31}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex NodeIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\$\{Token\[[A-Za-z0-9._]+\]\}(:[0-9]{1,5})?$")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex TopicArnPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^/run/[A-Za-z0-9_./-]+$")]
    private static partial Regex SecretPathPattern();
}
