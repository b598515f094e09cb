using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using AztecInfra.Monitoring;
using AztecInfra.Monitoring.Usage;

namespace AztecInfra.Cli.Monitoring;

/// <summary>
/// <c>usage</c>: measured CPU, memory, disk, IOPS and network per node from Prometheus, compared with the
/// instance, the volume and Aztec's spec, with a right-sizing line per node of the stage.
/// </summary>
internal sealed partial class UsageVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private readonly Option<string> _prometheus = new("--prometheus") { Description = "Prometheus base URL, e.g. http://127.0.0.1:9090 (through SSM port forwarding).", Required = true };
    private readonly Option<string> _since = new("--since") { Description = "Window to measure, e.g. 7d, 36h. Default: 7d.", DefaultValueFactory = _ => "7d" };
    private readonly Option<DateTimeOffset?> _until = new("--until") { Description = "End of the window (ISO 8601, UTC). Default: now." };
    private readonly Option<string> _mountpoint = new("--mountpoint") { Description = "The data filesystem's mount point. Default: /var/lib/aztec.", DefaultValueFactory = _ => "/var/lib/aztec" };

    public override string Name => "usage";

    public override string Description => "Report measured use per node (CPU, memory, disk and its growth, IOPS, network: p50/p95/max) and right-size it. With --stage/--config, compares with the provisioned instance and volume and prices the change.";

    protected override void Define(Command command)
    {
        command.Options.Add(_prometheus);
        command.Options.Add(_since);
        command.Options.Add(_until);
        command.Options.Add(_mountpoint);
        _stage.AddTo(command, required: false);
    }

    protected internal override async Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var window = ParseWindow(result.GetValue(_since)!)
            ?? throw new UsageException($"--since: '{result.GetValue(_since)}' is not allowed; use a number of hours or days from 1h to 90d, e.g. 36h or 7d");
        var text = result.GetValue(_prometheus)!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--prometheus: '{text}' is not allowed; use an http(s) URL such as http://127.0.0.1:9090");
        }

        var mount = result.GetValue(_mountpoint)!;
        if (!MountPattern().IsMatch(mount))
        {
            throw new UsageException($"--mountpoint: '{mount}' is not allowed; use an absolute path of letters, digits, '.', '_' and '-'");
        }

        IReadOnlyCollection<ProvisionedNode> provisioned = _stage.IsGiven(result)
            ? StageMonitoringAdapter.Provisioned(_stage.Load(result, context).Config)
            : [];

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            var report = await UsageAnalyzer.AnalyzeAsync(new PrometheusHttpApi(http, url), result.GetValue(_until) ?? DateTimeOffset.UtcNow, window, provisioned, mount, cancellationToken).ConfigureAwait(false);
            UsageReportWriter.Write(report, output.Out);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is PrometheusQueryException or HttpRequestException or TaskCanceledException)
        {
            throw new IOException($"--prometheus {url}: {ex.Message}", ex);
        }
    }

    private static TimeSpan? ParseWindow(string text)
    {
        var match = WindowPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = match.Groups[2].Value == "d" ? TimeSpan.FromDays(n) : TimeSpan.FromHours(n);
        return span >= TimeSpan.FromHours(1) && span <= TimeSpan.FromDays(90) ? span : null;
    }

    [GeneratedRegex("^([0-9]{1,4})([hd])$")]
    private static partial Regex WindowPattern();

    // It goes into a PromQL label matcher: no quotes or backslashes.
    [GeneratedRegex("^(/[A-Za-z0-9._-]+)+$|^/$")]
    private static partial Regex MountPattern();
}
