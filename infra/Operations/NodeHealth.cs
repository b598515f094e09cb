using System.Globalization;
using System.Text.Json;

namespace AztecInfra.Operations;

/// <summary>What the health probe saw on a node.</summary>
/// <param name="Answers">GET /status answered 200.</param>
/// <param name="Synced">The world state has caught up with the node's proposed chain tip.</param>
/// <param name="Detail">What was seen, for the operator.</param>
public sealed record NodeHealth(bool Answers, bool Synced, string Detail)
{
    /// <summary>Blocks the world state may trail the proposed tip and still count as synced.</summary>
    public const int SyncToleranceBlocks = 2;

    /// <summary>
    /// The probe run on the host through the remote command seam: <c>GET /status</c>, then the JSON-RPC
    /// methods <c>node_getL2Tips</c> and <c>node_getWorldStateSyncStatus</c> on 8080 (loopback), the names the
    /// real node serves (tests/real-aztec runs this probe on it), each falling back to the <c>aztec_</c> name
    /// Aztec's docs give (<c>aztec_getChainTips</c>, <c>aztec_getWorldStateSyncStatus</c>) when it gets no result.
    /// Prints three lines: <c>status=CODE</c>, <c>tips=JSON</c>, <c>world=JSON</c>.
    /// </summary>
    public static IReadOnlyList<string> ProbeCommands { get; } =
    [
        "code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 http://127.0.0.1:8080/status || true); echo \"status=${code:-000}\"",
        "rpc() { curl -s -m 10 -H 'content-type: application/json' -d \"{\\\"jsonrpc\\\":\\\"2.0\\\",\\\"id\\\":1,\\\"method\\\":\\\"$1\\\",\\\"params\\\":[]}\" http://127.0.0.1:8080 | tr -d '\\n'; }",
        "either() { local out; out=$(rpc \"$1\"); case $out in *'\"result\"'*) echo \"$out\" ;; *) rpc \"$2\" ;; esac; }",
        "echo \"tips=$(either node_getL2Tips aztec_getChainTips)\"; echo \"world=$(either node_getWorldStateSyncStatus aztec_getWorldStateSyncStatus)\"",
    ];

    /// <summary>Reads the probe's output.</summary>
    public static NodeHealth Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        string? Value(string key) => lines.FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];

        var status = Value("status");
        if (status != "200")
        {
            return new NodeHealth(false, false, $"GET /status answered {(string.IsNullOrEmpty(status) || status == "000" ? "nothing" : status)}");
        }

        var tip = Number(Value("tips"), "proposed", "number");
        var world = Number(Value("world"), "latestBlockNumber");
        var trees = Flag(Value("world"), "treesAreSynched");
        if (tip is null || world is null)
        {
            return new NodeHealth(true, false, "answers /status; sync state not readable yet (node_getL2Tips / node_getWorldStateSyncStatus)");
        }

        var synced = trees != false && world >= tip - SyncToleranceBlocks;
        return new NodeHealth(true, synced, string.Create(CultureInfo.InvariantCulture, $"answers /status; world state at block {world}, proposed tip {tip}{(trees == false ? ", trees not synched" : string.Empty)}"));
    }

    private static JsonElement? Result(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("result", out var result) ? result.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Number(string? json, params string[] path)
    {
        if (Result(json) is not { } element)
        {
            return null;
        }

        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        // Block numbers come as JSON numbers or as decimal strings, depending on the node's serializer.
        return element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    private static bool? Flag(string? json, string name) =>
        Result(json) is { ValueKind: JsonValueKind.Object } element && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
