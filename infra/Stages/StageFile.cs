using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AztecInfra.Stages;

/// <summary>
/// Reads stage YAML into a <see cref="StageDocument"/>. It checks only shape: one mapping, known keys, lists
/// where lists belong, whole numbers where numbers belong, required fields present. What a value may be is
/// the validator's business.
/// </summary>
public static class StageFile
{
    /// <summary>Reads <paramref name="yaml"/>, adding a finding for every shape problem.</summary>
    /// <returns>The document, or null when the text is not one YAML mapping.</returns>
    public static StageDocument? Read(string yaml, List<ConfigIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Error, "(document)", null, "must be exactly one YAML mapping"));
                return null;
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Error, "(document)", null, $"is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}"));
            return null;
        }

        var r = new YamlNodeReader(root, string.Empty, issues);
        var document = new StageDocument(
            Stage: r.String("stage", required: true),
            Network: r.String("network", required: true),
            AztecImage: r.String("aztecImage"),
            Account: r.String("account"),
            AcceptBelowSequencerFloor: r.Bool("acceptBelowSequencerFloor"),
            AcceptBelowFloor: r.StringList("acceptBelowFloor"),
            Regions: [.. r.MappingList("regions", required: true).Select(x => Read(x, ReadRegion)!)],
            Nodes: [.. r.MappingList("nodes", required: true).Select(x => Read(x, ReadNode)!)],
            L1: Read(r.Mapping("l1", required: true), l => new L1Document(l.String("executionUrlsParameter", required: true), l.String("consensusUrlsParameter", required: true))),
            Coinbase: r.String("coinbase"),
            RpcAllowedCidrs: r.StringList("rpcAllowedCidrs"),
            Ha: Read(r.Mapping("ha"), h => new HaDocument(h.String("mode"), Read(h.Mapping("database"), ReadDatabase))),
            Monitoring: Read(r.Mapping("monitoring"), m => new MonitoringDocument(
                m.String("otelCollector"),
                m.String("nodeExporter"),
                m.String("instanceType"),
                m.Int("dataVolumeGiB"),
                m.Int("retentionDays"),
                [.. m.MappingList("webhooks").Select(x => Read(x, w => new WebhookDocument(w.String("name", required: true), w.String("kind", required: true), w.String("secretParameter", required: true), w.String("url"), w.Bool("warnings")))!)])),
            FlowLogs: Read(r.Mapping("flowLogs"), f => new FlowLogsDocument(f.Int("retentionDays"), f.String("traffic"))),
            Alarms: Read(r.Mapping("alarms"), a => new AlarmsDocument(a.StringList("email"), a.StringList("https"))),
            CostAssumptions: Read(r.Mapping("costAssumptions"), c => new CostAssumptionsDocument(
                c.Int("internetEgressGBPerNodeMonth"), c.Int("haDatabaseInterRegionGBPerNodeMonth"), c.Int("monitoringInterRegionGBPerNodeMonth"))),
            Tags: r.StringMap("tags"));
        r.RejectUnknownKeys();
        return document;
    }

    private static RegionDocument ReadRegion(YamlNodeReader x) =>
        new(x.String("name", required: true), x.StringList("availabilityZones", required: true), x.String("vpcCidr", required: true), x.String("amiId"));

    private static NodeDocument ReadNode(YamlNodeReader x) => new(
        x.String("id", required: true),
        x.String("region"),
        x.String("availabilityZone"),
        x.String("instanceType"),
        Read(x.Mapping("dataVolume"), v => new DataVolumeDocument(v.String("type"), v.Int("sizeGiB"), v.Int("iops"), v.Int("throughputMBps"))),
        x.StringList("attesters"),
        x.String("publisher"),
        x.String("role"),
        x.Int("count"),
        x.Bool("spot"),
        Read(x.Mapping("history"), h => new HistoryDocument(h.Int("historicCheckpoints"), h.Int("archivedTxLimit"))));

    private static HaDatabaseDocument ReadDatabase(YamlNodeReader d) =>
        new(d.String("region"), d.String("instanceClass"), d.String("engineVersion"), d.Int("allocatedStorageGiB"), d.Int("backupRetentionDays"));

    /// <summary>Reads one mapping with <paramref name="read"/>, then refuses the keys it did not ask for.</summary>
    private static T? Read<T>(YamlNodeReader? reader, Func<YamlNodeReader, T> read)
        where T : class
    {
        if (reader is null)
        {
            return null;
        }

        var value = read(reader);
        reader.RejectUnknownKeys();
        return value;
    }
}
