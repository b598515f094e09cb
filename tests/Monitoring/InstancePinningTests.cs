using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AztecInfra.Monitoring;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Monitoring;

/// <summary>
/// The rendered prometheus.yml scraping a stand-in collector on loopback whose exported <c>instance</c>
/// changes like the node's service.instance.id at a restart: the series must keep the pinned instance.
/// </summary>
public sealed class InstancePinningTests : IDisposable
{
    private readonly HttpListener _collector = new();
    private readonly string _dir = TestEnvironment.NewTempDirectory();
    private Process? _prometheus;
    private volatile string _serviceInstanceId = "3f1c-first-start";

    public void Dispose()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill(entireProcessTree: true);
            _prometheus.WaitForExit(10_000);
        }

        _prometheus?.Dispose();
        _collector.Close();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Should_KeepOneSeriesWithThePinnedInstance_When_TheNodeRestartsWithANewInstanceId()
    {
        // Given the collector stand-in and the committed prometheus.yml, scraping every second for the test
        var collectorPort = FreePort();
        _collector.Prefixes.Add($"http://127.0.0.1:{collectorPort}/");
        _collector.Start();
        _ = Task.Run(ServeAsync);
        var prometheusDir = Path.Combine(_dir, "prometheus");
        MonitoringFiles.Write(_dir);
        File.WriteAllText(Path.Combine(prometheusDir, "prometheus.yml"), File.ReadAllText(Path.Combine(prometheusDir, "prometheus.yml")).Replace("scrape_interval: 30s", "scrape_interval: 1s", StringComparison.Ordinal).Replace("scrape_timeout: 10s", "scrape_timeout: 1s", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(prometheusDir, "targets"));
        var input = MonitoringTestData.Stage("dev") with { Nodes = [new MonitoredNode("validator-1", "sequencer", "127.0.0.1", 1)] };
        var targets = MonitoringRenderer.RenderDeployment(input)["prometheus/targets/aztec-node.json"].Replace(":8889", $":{collectorPort}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(prometheusDir, "targets", "aztec-node.json"), targets);
        var url = StartPrometheus(prometheusDir);

        // When the node "restarts" with a new service.instance.id
        await WaitForAsync(url, "count(target_info{service_instance_id=\"3f1c-first-start\"})");
        _serviceInstanceId = "9a7e-after-restart";
        await WaitForAsync(url, "count(target_info{service_instance_id=\"9a7e-after-restart\"})");

        // Then the node's metric is one series, pinned to the node id, without the exported instance or job
        var series = await QueryAsync(url, "aztec_archiver_l1_block_height");
        var labels = Assert.Single(series);
        Assert.Equal("validator-1", labels["instance"]);
        Assert.Equal("aztec-node", labels["job"]);
        Assert.Equal("dev", labels["stage"]);
        Assert.False(labels.ContainsKey("exported_instance"));
        Assert.False(labels.ContainsKey("exported_job"));
        Assert.False(labels.ContainsKey("service_instance_id"));
        // and target_info keeps each start's id, which the restart alert counts
        Assert.Equal(2, (await QueryAsync(url, "count_over_time(target_info[5m])")).Count);
    }

    private async Task ServeAsync()
    {
        while (_collector.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _collector.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            // What the collector's Prometheus exporter serves: the node's resource attributes become job and
            // instance, and target_info carries them.
            var id = _serviceInstanceId;
            var body = "# TYPE target_info gauge\n" +
                $"target_info{{job=\"aztec-sequencer\",instance=\"{id}\",service_name=\"aztec-sequencer\"}} 1\n" +
                "# TYPE aztec_archiver_l1_block_height gauge\n" +
                $"aztec_archiver_l1_block_height{{job=\"aztec-sequencer\",instance=\"{id}\",aztec_node_id=\"validator-1\"}} 21000000\n";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "text/plain; version=0.0.4";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private Uri StartPrometheus(string configDir)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("prometheus") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--config.file=" + Path.Combine(configDir, "prometheus.yml"));
        info.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(_dir, "data"));
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        _prometheus = Process.Start(info)!;
        _prometheus.OutputDataReceived += (_, _) => { };
        _prometheus.ErrorDataReceived += (_, _) => { };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();
        return new Uri($"http://127.0.0.1:{port}");
    }

    private async Task WaitForAsync(Uri url, string query)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_prometheus!.HasExited, "prometheus exited (its config did not load)");
            try
            {
                if ((await QueryAsync(url, query)).Count > 0)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus still starting.
            }

            await Task.Delay(300);
        }

        throw new TimeoutException($"'{query}' returned nothing within 60 s");
    }

    private static async Task<List<Dictionary<string, string>>> QueryAsync(Uri url, string query)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, $"/api/v1/query?query={Uri.EscapeDataString(query)}&time={time}")));
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))
            .ToList();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
