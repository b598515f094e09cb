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
        var document = new StageDocument
        {
            Stage = r.String("stage", required: true),
            Network = r.String("network", required: true),
            AztecImage = r.String("aztecImage"),
            Account = r.String("account"),
            AcceptBelowSequencerFloor = r.Bool("acceptBelowSequencerFloor"),
            Regions = r.MappingList("regions", required: true).Select(ReadRegion).ToList(),
            Nodes = r.MappingList("nodes", required: true).Select(ReadNode).ToList(),
            L1 = Read(r.Mapping("l1", required: true), l => new L1Document
            {
                ExecutionUrlsParameter = l.String("executionUrlsParameter", required: true),
                ConsensusUrlsParameter = l.String("consensusUrlsParameter", required: true),
            }),
            Coinbase = r.String("coinbase"),
            RpcAllowedCidrs = r.StringList("rpcAllowedCidrs"),
            Ha = Read(r.Mapping("ha"), h => new HaDocument
            {
                Mode = h.String("mode"),
                Database = Read(h.Mapping("database"), d => new HaDatabaseDocument
                {
                    Region = d.String("region"),
                    InstanceClass = d.String("instanceClass"),
                    EngineVersion = d.String("engineVersion"),
                    AllocatedStorageGiB = d.Int("allocatedStorageGiB"),
                    BackupRetentionDays = d.Int("backupRetentionDays"),
                }),
            }),
            Monitoring = Read(r.Mapping("monitoring"), m => new MonitoringDocument
            {
                OtelCollector = m.String("otelCollector"),
                NodeExporter = m.String("nodeExporter"),
            }),
            CostAssumptions = Read(r.Mapping("costAssumptions"), c => new CostAssumptionsDocument
            {
                InternetEgressGBPerNodeMonth = c.Int("internetEgressGBPerNodeMonth"),
                HaDatabaseInterRegionGBPerNodeMonth = c.Int("haDatabaseInterRegionGBPerNodeMonth"),
                MonitoringInterRegionGBPerNodeMonth = c.Int("monitoringInterRegionGBPerNodeMonth"),
            }),
            Tags = r.StringMap("tags"),
        };
        r.RejectUnknownKeys();
        return document;
    }

    private static RegionDocument ReadRegion(YamlNodeReader r) => Read(r, x => new RegionDocument
    {
        Name = x.String("name", required: true),
        AvailabilityZones = x.StringList("availabilityZones", required: true),
        VpcCidr = x.String("vpcCidr", required: true),
        AmiId = x.String("amiId"),
    })!;

    private static NodeDocument ReadNode(YamlNodeReader r) => Read(r, x => new NodeDocument
    {
        Id = x.String("id", required: true),
        Region = x.String("region"),
        AvailabilityZone = x.String("availabilityZone"),
        InstanceType = x.String("instanceType"),
        DataVolume = Read(x.Mapping("dataVolume"), v => new DataVolumeDocument
        {
            Type = v.String("type"),
            SizeGiB = v.Int("sizeGiB"),
            Iops = v.Int("iops"),
            ThroughputMBps = v.Int("throughputMBps"),
        }),
        Attesters = x.StringList("attesters"),
        Publisher = x.String("publisher"),
    })!;

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
