using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AztecInfra.Keys;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using AztecInfra.Primitives;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Stages;

/// <summary>
/// Loads a stage file into a <see cref="StageConfig"/>, applying the documented defaults and every
/// validation rule. Errors are collected and thrown together; nothing partial is ever returned.
/// </summary>
public static partial class StageConfigLoader
{
    /// <summary>Loads and validates a stage file.</summary>
    /// <exception cref="ConfigValidationException">The file is missing, not YAML, or breaks a rule.</exception>
    public static LoadedConfig LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigValidationException(path, [new ConfigIssue(IssueSeverity.Error, "file", path, "does not exist")]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates stage YAML. <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ConfigValidationException">The text is not YAML or breaks a rule.</exception>
    public static LoadedConfig Parse(string yaml, string source = "config")
    {
        var issues = new List<ConfigIssue>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                throw new ConfigValidationException(source, [new ConfigIssue(IssueSeverity.Error, "(document)", null, "must be exactly one YAML mapping")]);
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            throw new ConfigValidationException(source, [new ConfigIssue(IssueSeverity.Error, "(document)", null, $"is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}")]);
        }

        var config = Read(new YamlNodeReader(root, string.Empty, issues), issues);
        if (config is null || issues.Any(i => i.Severity == IssueSeverity.Error))
        {
            throw new ConfigValidationException(source, issues);
        }

        return new LoadedConfig(config, issues.Where(i => i.Severity == IssueSeverity.Warning).ToImmutableArray());
    }

    private static StageConfig? Read(YamlNodeReader r, List<ConfigIssue> issues)
    {
        var stage = r.String("stage", required: true);
        if (stage is not null && !StageName().IsMatch(stage))
        {
            r.Error("stage", stage, "must be 2-16 characters: a lower-case letter, then lower-case letters, digits or '-'");
        }

        var network = ReadEnum(r, "network", required: true, ("testnet", AztecNetwork.Testnet), ("mainnet", AztecNetwork.Mainnet));
        var image = ReadImage(r, "aztecImage", Defaults.AztecImage);

        var account = r.String("account");
        if (account is not null && !AccountId().IsMatch(account))
        {
            r.Error("account", account, "must be a 12-digit AWS account id (quote it in YAML), or be left out for an account-agnostic plan");
        }

        var acceptBelowFloor = r.Bool("acceptBelowSequencerFloor") ?? Defaults.AcceptBelowSequencerFloor;
        var regions = ReadRegions(r);
        var nodes = ReadNodes(r, regions);

        var l1Reader = r.Mapping("l1", required: true);
        L1Config? l1 = null;
        if (l1Reader is not null)
        {
            var execution = ReadParameterName(l1Reader, "executionUrlsParameter");
            var consensus = ReadParameterName(l1Reader, "consensusUrlsParameter");
            l1Reader.RejectUnknownKeys();
            if (execution is not null && consensus is not null)
            {
                l1 = new L1Config { ExecutionUrlsParameter = execution, ConsensusUrlsParameter = consensus };
            }
        }

        var coinbase = ReadAddress(r, "coinbase", required: false)?.ToLowerInvariant();
        var rpcCidrs = new List<IPNetwork>();
        var rpcTexts = r.StringList("rpcAllowedCidrs");
        for (var i = 0; i < rpcTexts.Count; i++)
        {
            var field = $"rpcAllowedCidrs[{i}]";
            if (!TryParseIpv4Cidr(rpcTexts[i], out var cidr))
            {
                r.Error(field, rpcTexts[i], "must be an IPv4 CIDR such as 10.0.0.0/16");
            }
            else if (!IsRfc1918(cidr))
            {
                r.Error(field, rpcTexts[i], "must be private (inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16): port 8080 is never public on a sequencer");
            }
            else
            {
                rpcCidrs.Add(cidr);
            }
        }

        var ha = ReadHa(r, regions);
        var monitoringReader = r.Mapping("monitoring");
        var monitoring = new MonitoringImages(Defaults.OtelCollector, Defaults.NodeExporter);
        if (monitoringReader is not null)
        {
            monitoring = new MonitoringImages(
                ReadImage(monitoringReader, "otelCollector", Defaults.OtelCollector),
                ReadImage(monitoringReader, "nodeExporter", Defaults.NodeExporter));
            monitoringReader.RejectUnknownKeys();
        }

        var tags = ReadTags(r);
        r.RejectUnknownKeys();

        if (stage is null || network is null || l1 is null || ha is null || regions.Count == 0 || nodes.Count == 0)
        {
            return null;
        }

        var config = new StageConfig
        {
            Stage = stage,
            Network = network.Value,
            AztecImage = image,
            Account = account,
            Regions = [.. regions],
            Nodes = [.. nodes],
            L1 = l1,
            Coinbase = coinbase,
            RpcAllowedCidrs = [.. rpcCidrs],
            AcceptBelowSequencerFloor = acceptBelowFloor,
            Ha = ha,
            Monitoring = monitoring,
            Tags = tags.Add("aztec-infra:stage", stage).Add("managed-by", "aztec-infra"),
        };

        issues.AddRange(StageRules.Check(config));
        return config;
    }

    private static List<RegionConfig> ReadRegions(YamlNodeReader r)
    {
        var result = new List<RegionConfig>();
        var readers = r.MappingList("regions", required: true);
        for (var i = 0; i < readers.Count; i++)
        {
            var rr = readers[i];
            var name = rr.String("name", required: true);
            var nameOk = name is not null && AwsRegions.IsRegion(name);
            if (name is not null && !nameOk)
            {
                rr.Error(rr.Field("name"), name, $"is not an AWS region this project knows; allowed: {string.Join(", ", AwsRegions.ZoneLetters.Keys)}");
            }

            var zones = rr.StringList("availabilityZones", required: true);
            for (var z = 0; z < zones.Count && nameOk; z++)
            {
                if (!AwsRegions.IsZoneOf(zones[z], name!))
                {
                    var letters = AwsRegions.ZoneLetters[name!];
                    rr.Error($"{rr.Field("availabilityZones")}[{z}]", zones[z], $"is not an availability zone of {name}; allowed: {string.Join(", ", letters.Select(l => name + l))}");
                }
            }

            if (zones.Distinct(StringComparer.Ordinal).Count() != zones.Count)
            {
                rr.Error(rr.Field("availabilityZones"), string.Join(",", zones), "lists a zone twice");
            }

            var cidrText = rr.String("vpcCidr", required: true);
            IPNetwork? cidr = null;
            if (cidrText is not null)
            {
                cidr = CheckVpcCidr(rr, rr.Field("vpcCidr"), cidrText);
            }

            var ami = rr.String("amiId");
            if (ami is not null && !AmiId().IsMatch(ami))
            {
                rr.Error(rr.Field("amiId"), ami, "must be an AMI id such as ami-0123456789abcdef0 (Ubuntu 24.04 for the region and the nodes' architecture)");
                ami = null;
            }

            rr.RejectUnknownKeys();
            if (name is not null && cidr is not null && zones.Count > 0)
            {
                if (result.Any(x => x.Name == name))
                {
                    rr.Error(rr.Field("name"), name, "is declared twice; each region appears once");
                }

                result.Add(new RegionConfig { Name = name, AvailabilityZones = [.. zones], VpcCidr = cidr.Value, AmiId = ami });
            }
        }

        for (var i = 0; i < result.Count; i++)
        {
            for (var j = i + 1; j < result.Count; j++)
            {
                if (Overlaps(result[i].VpcCidr, result[j].VpcCidr))
                {
                    r.Error($"regions[{j}].vpcCidr", result[j].VpcCidr.ToString(), $"overlaps {result[i].Name}'s {result[i].VpcCidr}; peered VPCs need non-overlapping CIDRs");
                }
            }
        }

        return result;
    }

    private static IPNetwork? CheckVpcCidr(YamlNodeReader r, string field, string text)
    {
        if (!TryParseIpv4Cidr(text, out var cidr))
        {
            r.Error(field, text, "must be an IPv4 CIDR such as 10.40.0.0/16 (network address, prefix /16 to /24)");
            return null;
        }

        if (!IsRfc1918(cidr))
        {
            r.Error(field, text, "must be private: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)");
            return null;
        }

        if (cidr.PrefixLength is < 16 or > 24)
        {
            r.Error(field, text, "must have a prefix from /16 to /24 (AWS VPC limits, room for a subnet per zone)");
            return null;
        }

        return cidr;
    }

    private static List<NodeConfig> ReadNodes(YamlNodeReader r, List<RegionConfig> regions)
    {
        var result = new List<NodeConfig>();
        var readers = r.MappingList("nodes", required: true);
        for (var i = 0; i < readers.Count; i++)
        {
            var nr = readers[i];
            var id = nr.String("id", required: true);
            if (id is not null && !NodeId().IsMatch(id))
            {
                nr.Error(nr.Field("id"), id, "must be 1-32 characters: a lower-case letter, then lower-case letters, digits or '-'");
            }

            var regionName = nr.String("region") ?? regions.FirstOrDefault()?.Name;
            var region = regions.FirstOrDefault(x => x.Name == regionName);
            if (regionName is not null && region is null && regions.Count > 0)
            {
                nr.Error(nr.Field("region"), regionName, $"is not one of the stage's regions; allowed: {string.Join(", ", regions.Select(x => x.Name))}");
            }

            var zone = nr.String("availabilityZone") ?? region?.AvailabilityZones[0];
            if (region is not null && zone is not null && !region.AvailabilityZones.Contains(zone))
            {
                nr.Error(nr.Field("availabilityZone"), zone, $"is not one of {region.Name}'s configured zones; allowed: {string.Join(", ", region.AvailabilityZones)}");
            }

            var typeName = nr.String("instanceType") ?? Defaults.InstanceType;
            if (!InstanceCatalog.All.TryGetValue(typeName, out var instance))
            {
                nr.Error(nr.Field("instanceType"), typeName, $"is not in the project's instance table; allowed: {string.Join(", ", InstanceCatalog.All.Keys)}");
            }

            var volume = ReadVolume(nr);
            var attesters = new List<string>();
            var attesterTexts = nr.StringList("attesters");
            for (var a = 0; a < attesterTexts.Count; a++)
            {
                if (IsAddress(attesterTexts[a]))
                {
                    attesters.Add(attesterTexts[a].ToLowerInvariant());
                }
                else
                {
                    nr.Error($"{nr.Field("attesters")}[{a}]", attesterTexts[a], "must be an address: 0x followed by 40 hex digits (never a private key)");
                }
            }

            var publisher = ReadAddress(nr, "publisher", required: false);
            nr.RejectUnknownKeys();

            if (id is not null && region is not null && zone is not null && instance is not null && volume is not null)
            {
                result.Add(new NodeConfig
                {
                    Id = id,
                    Region = region.Name,
                    AvailabilityZone = zone,
                    Instance = instance,
                    DataVolume = volume,
                    Attesters = [.. attesters],
                    Publisher = publisher?.ToLowerInvariant(),
                });
            }
        }

        return result;
    }

    private static DataVolumeConfig? ReadVolume(YamlNodeReader nr)
    {
        var vr = nr.Mapping("dataVolume");
        if (vr is null)
        {
            return new DataVolumeConfig
            {
                Type = VolumeType.Gp3,
                SizeGiB = Defaults.DataVolumeSizeGiB,
                Iops = Defaults.DataVolumeIops,
                ThroughputMBps = Defaults.DataVolumeThroughputMBps,
            };
        }

        var type = ReadEnum(vr, "type", required: false, ("gp3", VolumeType.Gp3)) ?? VolumeType.Gp3;
        var size = vr.Int("sizeGiB") ?? Defaults.DataVolumeSizeGiB;
        var iops = vr.Int("iops") ?? Defaults.DataVolumeIops;
        var throughput = vr.Int("throughputMBps") ?? Defaults.DataVolumeThroughputMBps;
        vr.RejectUnknownKeys();

        var ok = true;
        if (size is < 1 or > 16384)
        {
            vr.Error(vr.Field("sizeGiB"), Str(size), "must be from 1 to 16384 GiB (gp3 limits)");
            ok = false;
        }

        if (iops is < 3000 or > 16000)
        {
            vr.Error(vr.Field("iops"), Str(iops), "must be from 3000 to 16000 (gp3 limits; beyond that means io2 or instance-store NVMe)");
            ok = false;
        }
        else if (size is >= 1 and <= 16384 && iops > 500L * size && iops > 3000)
        {
            vr.Error(vr.Field("iops"), Str(iops), $"must be at most 500 per GiB: {500L * size} for {size} GiB");
            ok = false;
        }

        if (throughput is < 125 or > 1000)
        {
            vr.Error(vr.Field("throughputMBps"), Str(throughput), "must be from 125 to 1000 MB/s (gp3 limits)");
            ok = false;
        }
        else if (throughput > 125 && throughput > iops / 4.0)
        {
            vr.Error(vr.Field("throughputMBps"), Str(throughput), $"must be at most 0.25 MB/s per provisioned IOPS: {iops / 4} for {iops} IOPS");
            ok = false;
        }

        return ok ? new DataVolumeConfig { Type = type, SizeGiB = size, Iops = iops, ThroughputMBps = throughput } : null;
    }

    private static HaConfig? ReadHa(YamlNodeReader r, List<RegionConfig> regions)
    {
        var hr = r.Mapping("ha");
        if (hr is null)
        {
            return new HaConfig { Mode = Defaults.Mode };
        }

        var mode = ReadEnum(hr, "mode", required: false, ("independent", HaMode.Independent), ("shared-signer", HaMode.SharedSigner)) ?? Defaults.Mode;
        HaDatabaseConfig? database = null;
        var dr = hr.Mapping("database");
        if (dr is not null)
        {
            var region = dr.String("region") ?? regions.FirstOrDefault()?.Name ?? string.Empty;
            if (regions.Count > 0 && regions.All(x => x.Name != region))
            {
                dr.Error(dr.Field("region"), region, $"is not one of the stage's regions; allowed: {string.Join(", ", regions.Select(x => x.Name))}");
            }

            var instanceClass = dr.String("instanceClass") ?? Defaults.DatabaseInstanceClass;
            if (!DbInstanceClass().IsMatch(instanceClass))
            {
                dr.Error(dr.Field("instanceClass"), instanceClass, "must be an RDS instance class such as db.t4g.medium or db.m7g.large");
            }

            var engine = dr.String("engineVersion") ?? Defaults.DatabaseEngineVersion;
            var major = int.TryParse(engine.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
            if (major < 12)
            {
                dr.Error(dr.Field("engineVersion"), engine, "must be a PostgreSQL version 12 or later, such as 16.4 (Aztec's HA signing needs >= 12)");
            }

            var storage = dr.Int("allocatedStorageGiB") ?? Defaults.DatabaseStorageGiB;
            if (storage is < 20 or > 65536)
            {
                dr.Error(dr.Field("allocatedStorageGiB"), Str(storage), "must be from 20 to 65536 GiB");
            }

            var backups = dr.Int("backupRetentionDays") ?? Defaults.DatabaseBackupRetentionDays;
            if (backups is < 1 or > 35)
            {
                dr.Error(dr.Field("backupRetentionDays"), Str(backups), "must be from 1 to 35 days (automated backups stay on)");
            }

            dr.RejectUnknownKeys();
            database = new HaDatabaseConfig
            {
                Region = region,
                InstanceClass = instanceClass,
                EngineVersion = engine,
                AllocatedStorageGiB = storage,
                BackupRetentionDays = backups,
            };
        }

        hr.RejectUnknownKeys();
        return new HaConfig { Mode = mode, Database = database };
    }

    private static ImmutableSortedDictionary<string, string> ReadTags(YamlNodeReader r)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in r.StringMap("tags"))
        {
            // Validators read their own tags through instance metadata, where EC2 refuses keys with spaces or '/'.
            if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || !TagKey().IsMatch(key))
            {
                r.Error($"tags.{key}", key, "must be a tag key of 1-128 letters, digits or +-=._:@ (no spaces or '/': instance metadata tags forbid them), not starting with aws:");
            }
            else if (value.Length > 256 || !TagText().IsMatch(value))
            {
                r.Error($"tags.{key}", value, "must be a tag value of at most 256 letters, digits, spaces or _.:/=+-@");
            }
            else
            {
                builder[key] = value;
            }
        }

        return builder.ToImmutable();
    }

    private static ContainerImage ReadImage(YamlNodeReader r, string key, ContainerImage fallback)
    {
        var text = r.String(key);
        if (text is null)
        {
            return fallback;
        }

        var colon = text.LastIndexOf(':');
        var slash = text.LastIndexOf('/');
        var repository = colon > slash ? text[..colon] : text;
        var tag = colon > slash ? text[(colon + 1)..] : string.Empty;
        if (tag.Length == 0 || tag == "latest")
        {
            r.Error(r.Field(key), text, "must pin a version tag, e.g. aztecprotocol/aztec:5.2.0; 'latest' or no tag would change the node under you");
            return fallback;
        }

        if (!ImageRepository().IsMatch(repository) || !ImageTag().IsMatch(tag))
        {
            r.Error(r.Field(key), text, "must be an image reference repository:tag, e.g. aztecprotocol/aztec:5.2.0");
            return fallback;
        }

        return new ContainerImage(repository, tag);
    }

    private static string? ReadParameterName(YamlNodeReader r, string key)
    {
        var name = r.String(key, required: true);
        if (name is null)
        {
            return null;
        }

        if (!ParameterName().IsMatch(name) || name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || name.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
        {
            r.Error(r.Field(key), name, "must be an SSM parameter name: '/' then letters, digits or _.-/ (not under /aws or /ssm); the URL itself lives in the parameter, never in config");
            return null;
        }

        return name;
    }

    private static string? ReadAddress(YamlNodeReader r, string key, bool required)
    {
        var text = r.String(key, required);
        if (text is null)
        {
            return null;
        }

        if (!IsAddress(text))
        {
            r.Error(r.Field(key), text, "must be an address: 0x followed by 40 hex digits");
            return null;
        }

        return text;
    }

    private static T? ReadEnum<T>(YamlNodeReader r, string key, bool required, params (string Name, T Value)[] allowed)
        where T : struct, Enum
    {
        var text = r.String(key, required);
        if (text is null)
        {
            return null;
        }

        foreach (var (name, value) in allowed)
        {
            if (name == text)
            {
                return value;
            }
        }

        r.Error(r.Field(key), text, $"must be one of: {string.Join(", ", allowed.Select(a => a.Name))}");
        return null;
    }

    /// <summary>True for a stage name: 2-16 characters, a lower-case letter, then lower-case letters, digits or '-'.</summary>
    public static bool IsStageName(string text) => StageName().IsMatch(text);

    private static bool IsAddress(string text) => EthAddress.IsAddress(text);

    /// <summary>Parses an IPv4 CIDR whose address is the network address (10.0.0.0/16, not 10.0.0.1/16).</summary>
    public static bool TryParseIpv4Cidr(string text, out IPNetwork cidr)
    {
        ArgumentNullException.ThrowIfNull(text);
        cidr = default;
        if (!text.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || !string.Equals(parsed.ToString(), text, StringComparison.Ordinal))
        {
            return false;
        }

        cidr = parsed;
        return true;
    }

    /// <summary>True when the CIDR lies entirely inside an RFC 1918 private range.</summary>
    public static bool IsRfc1918(IPNetwork cidr) =>
        Rfc1918.Any(range => range.PrefixLength <= cidr.PrefixLength && range.Contains(cidr.BaseAddress));

    /// <summary>True when two IPv4 CIDRs share any address.</summary>
    public static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static readonly IPNetwork[] Rfc1918 =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
    ];

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z][a-z0-9-]{1,15}$")]
    private static partial Regex StageName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex NodeId();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex("^ami-[0-9a-f]{8,17}$")]
    private static partial Regex AmiId();

    [GeneratedRegex("^/[A-Za-z0-9_.\\-/]{1,1010}$")]
    private static partial Regex ParameterName();

    [GeneratedRegex("^[a-z0-9]+([._\\-/][a-z0-9]+)*$")]
    private static partial Regex ImageRepository();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}$")]
    private static partial Regex ImageTag();

    [GeneratedRegex("^db\\.[a-z0-9]+\\.[a-z0-9]+$")]
    private static partial Regex DbInstanceClass();

    [GeneratedRegex("^[\\p{L}\\p{N} _.:/=+\\-@]*$")]
    private static partial Regex TagText();

    [GeneratedRegex("^[A-Za-z0-9+\\-=._:@]+$")]
    private static partial Regex TagKey();
}
