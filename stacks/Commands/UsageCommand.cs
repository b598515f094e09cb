using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using AztecInfra.Config;
using AztecInfra.Monitoring;
using AztecInfra.Monitoring.Usage;

namespace AztecInfra.Cli.Commands;

/// <summary>
/// <c>usage</c>: measured CPU, memory, disk, IOPS and network per node from Prometheus, compared with the
/// instance, the volume and Aztec's spec, with a right-sizing line per node of the stage.
/// </summary>
internal static partial class UsageCommand
{
    public static Command Create(CliContext context)
    {
        var stageOptions = new StageOptions();
        var prometheus = new Option<string>("--prometheus") { Description = "Prometheus base URL, e.g. http://127.0.0.1:9090 (through SSM port forwarding).", Required = true };
        var since = new Option<string>("--since") { Description = "Window to measure, e.g. 7d, 36h. Default: 7d.", DefaultValueFactory = _ => "7d" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "End of the window (ISO 8601, UTC). Default: now." };
        var mountpoint = new Option<string>("--mountpoint") { Description = "The data filesystem's mount point. Default: /var/lib/aztec.", DefaultValueFactory = _ => "/var/lib/aztec" };
        var command = new Command("usage", "Report measured use per node (CPU, memory, disk and its growth, IOPS, network: p50/p95/max) and right-size it. With --stage/--config, compares with the provisioned instance and volume and prices the change.");
        command.Options.Add(prometheus);
        command.Options.Add(since);
        command.Options.Add(until);
        command.Options.Add(mountpoint);
        command.Options.Add(stageOptions.Stage);
        command.Options.Add(stageOptions.ConfigFile);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (ParseWindow(result.GetValue(since)!) is not { } window)
            {
                error.WriteLine($"--since: '{result.GetValue(since)}' is not allowed; use a number of hours or days from 1h to 90d, e.g. 36h or 7d");
                return 2;
            }

            var text = result.GetValue(prometheus)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                error.WriteLine($"--prometheus: '{text}' is not allowed; use an http(s) URL such as http://127.0.0.1:9090");
                return 2;
            }

            if (!MountPattern().IsMatch(result.GetValue(mountpoint)!))
            {
                error.WriteLine($"--mountpoint: '{result.GetValue(mountpoint)}' is not allowed; use an absolute path of letters, digits, '.', '_' and '-'");
                return 2;
            }

            IReadOnlyCollection<ProvisionedNode> provisioned = [];
            try
            {
                if (result.GetValue(stageOptions.Stage) is not null || result.GetValue(stageOptions.ConfigFile) is not null)
                {
                    provisioned = StageMonitoringAdapter.Provisioned(stageOptions.Load(result, context).Config);
                }
            }
            catch (ConfigValidationException ex)
            {
                error.WriteLine(ex.Message);
                return 1;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            try
            {
                var report = await UsageAnalyzer.AnalyzeAsync(new PrometheusHttpApi(http, url), result.GetValue(until) ?? DateTimeOffset.UtcNow, window, provisioned, result.GetValue(mountpoint)!, cancellationToken);
                UsageReportWriter.Write(report, result.InvocationConfiguration.Output);
                return 0;
            }
            catch (Exception ex) when (ex is PrometheusQueryException or HttpRequestException or TaskCanceledException)
            {
                error.WriteLine($"--prometheus {url}: {ex.Message}");
                return 1;
            }
        });
        return command;
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
