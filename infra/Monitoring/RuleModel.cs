using System.Collections.Immutable;

namespace AztecInfra.Monitoring;

/// <summary>How loud an alert is. Alertmanager routes on it.</summary>
public enum AlertSeverity
{
    /// <summary>Pages a human now: money (slashing, inactivity, funds) is at stake within the hour.</summary>
    Critical,

    /// <summary>Needs attention in working hours; sent to the notify receivers, never a page.</summary>
    Warning,

    /// <summary>Not for people: the always-firing Watchdog that feeds the dead-man switch.</summary>
    None,
}

/// <summary>A Prometheus recording rule.</summary>
/// <param name="Record">Name of the recorded series (level:metric:operations).</param>
/// <param name="Expr">PromQL.</param>
/// <param name="Why">Why it exists (kept in the code only; Prometheus rule files have no comment field).</param>
public sealed record RecordingRule(string Record, string Expr, string Why);

/// <summary>One input series of a rule unit test, in promtool's expanding notation (<c>1+1x10</c>, <c>0x5</c>, <c>_x3</c>).</summary>
/// <param name="Series">Metric selector with labels, e.g. <c>up{job="aztec-node", instance="validator-1"}</c>.</param>
/// <param name="Values">Values at each interval (1 minute).</param>
public sealed record TestSeries(string Series, string Values);

/// <summary>A promtool unit test of one alert: given these series, at this time the alert fires (or not).</summary>
/// <param name="What">What the case shows, in words.</param>
/// <param name="Fires">Whether the alert is firing at <paramref name="EvalTime"/>.</param>
/// <param name="EvalTime">When to evaluate, e.g. <c>20m</c>.</param>
/// <param name="Series">Input series.</param>
/// <param name="Labels">The firing alert's labels besides alertname and severity (empty when it does not fire).</param>
public sealed record AlertTestCase(string What, bool Fires, string EvalTime, ImmutableArray<TestSeries> Series, ImmutableSortedDictionary<string, string> Labels);

/// <summary>A Prometheus alerting rule with its runbook and its own unit tests.</summary>
/// <param name="Name">Alert name; also the README runbook heading (anchor = name in lower case).</param>
/// <param name="Severity">Routing severity.</param>
/// <param name="Expr">PromQL; fires for every series it returns.</param>
/// <param name="For">How long the condition must hold, e.g. <c>5m</c>; null fires at once.</param>
/// <param name="Summary">One line; may use <c>{{ $labels.NAME }}</c> only (tests expand it).</param>
/// <param name="Description">What it means and the first thing to check; same template rule.</param>
/// <param name="Tests">At least one firing case and (except the Watchdog) one quiet case.</param>
public sealed record AlertRule(string Name, AlertSeverity Severity, string Expr, string? For, string Summary, string Description, ImmutableArray<AlertTestCase> Tests)
{
    /// <summary>The README anchor of this alert's runbook (GitHub lower-cases heading text).</summary>
    public string RunbookAnchor => Name.ToLowerInvariant();
}

/// <summary>Helpers to write test cases compactly.</summary>
public static class RuleTests
{
    /// <summary>A case where the alert fires with <paramref name="labels"/> (pairs name, value).</summary>
    public static AlertTestCase Fires(string what, string evalTime, TestSeries[] series, params string[] labels) =>
        new(what, true, evalTime, [.. series], Pairs(labels));

    /// <summary>A case where the alert does not fire.</summary>
    public static AlertTestCase Quiet(string what, string evalTime, params TestSeries[] series) =>
        new(what, false, evalTime, [.. series], ImmutableSortedDictionary<string, string>.Empty);

    /// <summary>An input series.</summary>
    public static TestSeries S(string series, string values) => new(series, values);

    private static ImmutableSortedDictionary<string, string> Pairs(string[] labels)
    {
        if (labels.Length % 2 != 0)
        {
            throw new ArgumentException("labels come in name, value pairs", nameof(labels));
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i += 2)
        {
            builder.Add(labels[i], labels[i + 1]);
        }

        return builder.ToImmutable();
    }
}
