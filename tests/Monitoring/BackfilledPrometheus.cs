using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AztecInfra.Monitoring;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Monitoring;

/// <summary>
/// A real Prometheus on 127.0.0.1 (a free port) over <see cref="SyntheticMetrics"/> backfilled with
/// <c>promtool tsdb create-blocks-from openmetrics</c>, plus the recording rules backfilled with
/// <c>promtool tsdb create-blocks-from rules</c>. Killed when the test collection ends, or the process exits.
/// </summary>
public sealed class BackfilledPrometheus : IDisposable
{
    private readonly string _dir;
    private Process? _process;

    public BackfilledPrometheus()
    {
        // Whole minutes, a little in the past: queries at End see the last samples, 'usage' (which ends at now) too.
        var now = DateTimeOffset.UtcNow;
        End = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero) - TimeSpan.FromMinutes(2);
        _dir = TestEnvironment.NewTempDirectory();
        var data = Path.Combine(_dir, "data");
        var input = Path.Combine(_dir, "metrics.om");
        File.WriteAllText(input, SyntheticMetrics.OpenMetrics(End));
        Check(TestEnvironment.Run("promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", input, data), "backfill");
        File.Delete(input);
        File.WriteAllText(Path.Combine(_dir, "prometheus.yml"), "global:\n  scrape_interval: 1m\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        // Recording rules only exist from the time Prometheus evaluates them; backfill the last 12 hours of
        // them from the raw data through the running server, then restart so it loads the new blocks.
        // promtool evaluates each rule on what the server already has, so a rule built on another recorded
        // series (hours left = balance / burn) needs a second pass once the first pass's blocks are loaded.
        for (var pass = 1; pass <= 2; pass++)
        {
            Start(data);
            var rules = Path.Combine(_dir, "rules-" + pass);
            Check(TestEnvironment.Run("promtool", "tsdb", "create-blocks-from", "rules",
                "--start=" + (End - TimeSpan.FromHours(12)).ToUnixTimeSeconds(), "--end=" + End.ToUnixTimeSeconds(),
                "--url=" + Url, "--output-dir=" + rules, "--eval-interval=1m",
                TestEnvironment.RepoPath(MonitoringFiles.Folder, "prometheus", "rules", "aztec-recording.yml")), "rule backfill");
            Stop();
            foreach (var block in Directory.GetDirectories(rules))
            {
                Directory.Move(block, Path.Combine(data, Path.GetFileName(block)));
            }
        }

        Start(data);
    }

    /// <summary>Time of the last samples.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Base URL, e.g. http://127.0.0.1:40123.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1:9");

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; the server is already gone.
        }
    }

    private void Start(string data)
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("prometheus") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--config.file=" + Path.Combine(_dir, "prometheus.yml"), "--storage.tsdb.path=" + data,
            "--storage.tsdb.retention.time=30d", $"--web.listen-address=127.0.0.1:{port}",
        })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start; scripts/test.sh installs it");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}");
            }

            try
            {
                if (http.GetAsync(new Uri(Url, "/-/ready")).Result.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (AggregateException)
            {
                // Not listening yet.
            }

            Thread.Sleep(200);
        }

        Stop();
        throw new TimeoutException("prometheus was not ready within 60 s");
    }

    private void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed: {result.Output}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BackfilledPrometheusCollection : ICollectionFixture<BackfilledPrometheus>
{
    public const string Name = "backfilled prometheus";
}
