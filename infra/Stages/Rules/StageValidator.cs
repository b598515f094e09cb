using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AztecInfra.Primitives;

namespace AztecInfra.Stages.Rules;

/// <summary>
/// The one validator of a stage: every field rule and every cross-field rule, with one field-path style
/// (<c>nodes[0].dataVolume.iops</c>). It applies the documented <see cref="Defaults"/> once and returns a
/// typed <see cref="StageConfig"/> only when no rule reports an error.
/// </summary>
public static partial class StageValidator
{
    /// <summary>Validates a document; adds every finding to <paramref name="issues"/>.</summary>
    /// <returns>The typed stage, or null when any error was found.</returns>
    public static StageConfig? Validate(StageDocument document, List<ConfigIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(issues);
        var r = new Findings(issues);

        var stage = document.Stage;
        if (stage is not null && !IsStageName(stage))
        {
            r.Error("stage", stage, "must be 2-16 characters: a lower-case letter, then lower-case letters, digits or '-'");
        }

        var network = Enum(r, "network", document.Network, ("testnet", AztecNetwork.Testnet), ("mainnet", AztecNetwork.Mainnet));
        var image = Image(r, "aztecImage", document.AztecImage, Defaults.AztecImage);
        if (document.AztecImage is { } aztecImage && AztecRelease.FromTag(image.Tag) is { } release && release < AztecRelease.Minimum)
        {
            r.Error("aztecImage", aztecImage, $"is release {release}, older than {AztecRelease.Minimum}: its node exports none of the metrics the slashing, HA-signer and healthy-peer alerts read, so they could never fire; use {AztecRelease.Minimum} or newer");
        }

        if (document.Account is { } account && !AccountId().IsMatch(account))
        {
            r.Error("account", account, "must be a 12-digit AWS account id (quote it in YAML), or be left out for an account-agnostic plan");
        }

        var regions = Regions(r, document.Regions);
        var nodes = Nodes(r, document.Nodes, regions);
        var l1 = L1(r, document.L1);
        var coinbase = Address(r, "coinbase", document.Coinbase);
        var rpcCidrs = new List<IPNetwork>();
        for (var i = 0; i < document.RpcAllowedCidrs.Count; i++)
        {
            var text = document.RpcAllowedCidrs[i];
            var field = $"rpcAllowedCidrs[{i}]";
            if (!Cidr.TryParseIpv4(text, out var cidr))
            {
                r.Error(field, text, "must be an IPv4 CIDR such as 10.0.0.0/16");
            }
            else if (!Cidr.IsRfc1918(cidr))
            {
                r.Error(field, text, "must be private (inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16): port 8080 is never public on a sequencer");
            }
            else
            {
                rpcCidrs.Add(cidr);
            }
        }

        var ha = Ha(r, document.Ha, regions);
        var monitoring = new MonitoringImages(
            Image(r, "monitoring.otelCollector", document.Monitoring?.OtelCollector, Defaults.OtelCollector),
            Image(r, "monitoring.nodeExporter", document.Monitoring?.NodeExporter, Defaults.NodeExporter));
        var monitoringHost = MonitoringHost(r, document.Monitoring);
        var tags = Tags(r, document.Tags);
        var flowLogs = FlowLogs(r, document.FlowLogs);
        var alarms = Alarms(r, document.Alarms);
        var costAssumptions = new CostAssumptions(
            GBPerNodeMonth(r, "costAssumptions.internetEgressGBPerNodeMonth", document.CostAssumptions?.InternetEgressGBPerNodeMonth, Defaults.InternetEgressGBPerNodeMonth),
            GBPerNodeMonth(r, "costAssumptions.haDatabaseInterRegionGBPerNodeMonth", document.CostAssumptions?.HaDatabaseInterRegionGBPerNodeMonth, Defaults.HaDatabaseInterRegionGBPerNodeMonth),
            GBPerNodeMonth(r, "costAssumptions.monitoringInterRegionGBPerNodeMonth", document.CostAssumptions?.MonitoringInterRegionGBPerNodeMonth, Defaults.MonitoringInterRegionGBPerNodeMonth));

        if (stage is null || network is null || l1 is null || regions.Count == 0 || nodes.Count == 0)
        {
            return null;
        }

        var config = new StageConfig
        {
            Stage = stage,
            Network = network.Value,
            AztecImage = image,
            Account = document.Account,
            Regions = [.. regions],
            Nodes = [.. nodes],
            L1 = l1,
            Coinbase = coinbase?.ToLowerInvariant(),
            RpcAllowedCidrs = [.. rpcCidrs],
            AcceptBelowFloor = AcceptBelowFloor(r, document),
            Ha = ha,
            Monitoring = monitoring,
            MonitoringHost = monitoringHost,
            FlowLogs = flowLogs,
            Alarms = alarms,
            CostAssumptions = costAssumptions,
            Tags = tags.Add("aztec-infra:stage", stage).Add("managed-by", "aztec-infra"),
        };

        issues.AddRange(StageRules.Check(config));
        return issues.Any(i => i.Severity == IssueSeverity.Error) ? null : config;
    }

    /// <summary>Most agent instances one prover-agent entry may ask for (a guard against a typo, not an AWS limit).</summary>
    public const int MaxProverAgents = 64;

    private static ImmutableArray<NodeRole> AcceptBelowFloor(Findings r, StageDocument document)
    {
        var roles = new List<NodeRole>();
        for (var i = 0; i < document.AcceptBelowFloor.Count; i++)
        {
            if (Enum(r, $"acceptBelowFloor[{i}]", document.AcceptBelowFloor[i], [.. NodeRoles.All]) is { } role && !roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        // The older flag stays valid: true accepts the sequencer role, exactly as before roles existed.
        if ((document.AcceptBelowSequencerFloor ?? Defaults.AcceptBelowSequencerFloor) && !roles.Contains(NodeRole.Sequencer))
        {
            roles.Add(NodeRole.Sequencer);
        }

        return [.. roles];
    }

    private static void OnlyFor(Findings r, string field, string? value, string role, string allowedRole)
    {
        if (value is not null)
        {
            r.Error(field, value, $"only applies to role {allowedRole}; this node's role is {role}");
        }
    }

    /// <summary>True for a stage name: 2-16 characters, a lower-case letter, then lower-case letters, digits or '-'.</summary>
    public static bool IsStageName(string text) => StageName().IsMatch(text);

    private static List<RegionConfig> Regions(Findings r, IReadOnlyList<RegionDocument> documents)
    {
        var result = new List<RegionConfig>();
        for (var i = 0; i < documents.Count; i++)
        {
            var d = documents[i];
            var at = $"regions[{i}]";
            var name = d.Name;
            var nameOk = name is not null && AwsRegions.IsRegion(name);
            if (name is not null && !nameOk)
            {
                r.Error($"{at}.name", name, $"is not an AWS region this project knows; allowed: {string.Join(", ", AwsRegions.ZoneLetters.Keys)}");
            }

            for (var z = 0; z < d.AvailabilityZones.Count && nameOk; z++)
            {
                if (!AwsRegions.IsZoneOf(d.AvailabilityZones[z], name!))
                {
                    var letters = AwsRegions.ZoneLetters[name!];
                    r.Error($"{at}.availabilityZones[{z}]", d.AvailabilityZones[z], $"is not an availability zone of {name}; allowed: {string.Join(", ", letters.Select(l => name + l))}");
                }
            }

            if (d.AvailabilityZones.Distinct(StringComparer.Ordinal).Count() != d.AvailabilityZones.Count)
            {
                r.Error($"{at}.availabilityZones", string.Join(",", d.AvailabilityZones), "lists a zone twice");
            }

            var cidr = d.VpcCidr is null ? null : VpcCidr(r, $"{at}.vpcCidr", d.VpcCidr);
            var ami = d.AmiId;
            if (ami is not null && !AmiId().IsMatch(ami))
            {
                r.Error($"{at}.amiId", ami, "must be an AMI id such as ami-0123456789abcdef0 (Ubuntu 24.04 for the region and the nodes' architecture)");
                ami = null;
            }

            if (name is not null && cidr is not null && d.AvailabilityZones.Count > 0)
            {
                if (result.Any(x => x.Name == name))
                {
                    r.Error($"{at}.name", name, "is declared twice; each region appears once");
                }

                result.Add(new RegionConfig { Name = name, AvailabilityZones = [.. d.AvailabilityZones], VpcCidr = cidr.Value, AmiId = ami });
            }
        }

        for (var i = 0; i < result.Count; i++)
        {
            for (var j = i + 1; j < result.Count; j++)
            {
                if (Cidr.Overlaps(result[i].VpcCidr, result[j].VpcCidr))
                {
                    r.Error($"regions[{j}].vpcCidr", result[j].VpcCidr.ToString(), $"overlaps {result[i].Name}'s {result[i].VpcCidr}; peered VPCs need non-overlapping CIDRs");
                }
            }
        }

        return result;
    }

    private static IPNetwork? VpcCidr(Findings r, string field, string text)
    {
        if (!Cidr.TryParseIpv4(text, out var cidr))
        {
            r.Error(field, text, "must be an IPv4 CIDR such as 10.40.0.0/16 (network address, prefix /16 to /24)");
            return null;
        }

        if (!Cidr.IsRfc1918(cidr))
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

    private static List<NodeConfig> Nodes(Findings r, IReadOnlyList<NodeDocument> documents, List<RegionConfig> regions)
    {
        var result = new List<NodeConfig>();
        for (var i = 0; i < documents.Count; i++)
        {
            var d = documents[i];
            var at = $"nodes[{i}]";
            var id = d.Id;
            if (id is not null && !NodeId().IsMatch(id))
            {
                r.Error($"{at}.id", id, "must be 1-32 characters: a lower-case letter, then lower-case letters, digits or '-'");
            }

            var regionName = d.Region ?? regions.FirstOrDefault()?.Name;
            var region = regions.FirstOrDefault(x => x.Name == regionName);
            if (regionName is not null && region is null && regions.Count > 0)
            {
                r.Error($"{at}.region", regionName, $"is not one of the stage's regions; allowed: {string.Join(", ", regions.Select(x => x.Name))}");
            }

            var role = d.Role is null ? Defaults.Role : Enum(r, $"{at}.role", d.Role, [.. NodeRoles.All]) ?? Defaults.Role;
            var roleName = NodeRoles.Name(role);
            var defaults = Defaults.ForRole[role];
            if (role == NodeRole.ProverAgent && d.AvailabilityZone is not null)
            {
                r.Error($"{at}.availabilityZone", d.AvailabilityZone, "is not used by role prover-agent: agents spread over every zone of the region (more Spot capacity pools); remove it");
            }

            var zone = d.AvailabilityZone ?? region?.AvailabilityZones[0];
            if (region is not null && zone is not null && !region.AvailabilityZones.Contains(zone))
            {
                r.Error($"{at}.availabilityZone", zone, $"is not one of {region.Name}'s configured zones; allowed: {string.Join(", ", region.AvailabilityZones)}");
            }

            var typeName = d.InstanceType ?? defaults.InstanceType;
            if (!InstanceCatalog.All.TryGetValue(typeName, out var instance))
            {
                r.Error($"{at}.instanceType", typeName, $"is not in the project's instance table; allowed: {string.Join(", ", InstanceCatalog.All.Keys)}");
            }

            DataVolumeConfig? volume = null;
            var volumeOk = true;
            if (defaults.DataVolume is null)
            {
                if (d.DataVolume is not null)
                {
                    r.Error($"{at}.dataVolume", null, $"is not used by role {roleName}: agents are stateless and keep nothing but the root volume; remove it");
                }
            }
            else
            {
                volume = Volume(r, $"{at}.dataVolume", d.DataVolume, defaults.DataVolume);
                volumeOk = volume is not null;
            }

            AgentPoolConfig? agents = null;
            if (role == NodeRole.ProverAgent)
            {
                var count = d.Count ?? Defaults.ProverAgentCount;
                if (count is < 1 or > MaxProverAgents)
                {
                    r.Error($"{at}.count", Str(count), $"must be from 1 to {MaxProverAgents} agent instances: a prover set needs at least one agent");
                }

                agents = new AgentPoolConfig(count, d.Spot ?? Defaults.ProverAgentSpot);
            }
            else
            {
                OnlyFor(r, $"{at}.count", d.Count?.ToString(CultureInfo.InvariantCulture), roleName, "prover-agent");
                OnlyFor(r, $"{at}.spot", d.Spot?.ToString(), roleName, "prover-agent");
            }

            HistoryConfig? history = null;
            if (role == NodeRole.Full)
            {
                // Whole numbers only (the reader refuses negatives): 0 checkpoints keeps everything.
                var checkpoints = d.History?.HistoricCheckpoints ?? Defaults.HistoricCheckpoints;
                var archived = d.History?.ArchivedTxLimit ?? Defaults.ArchivedTxLimit;
                history = new HistoryConfig(checkpoints, archived);
            }
            else
            {
                OnlyFor(r, $"{at}.history", d.History is null ? null : "(mapping)", roleName, "full");
            }
            var attesters = new List<string>();
            for (var a = 0; a < d.Attesters.Count; a++)
            {
                if (EthAddress.Problem(d.Attesters[a]) is { } problem)
                {
                    // A value of a private key's shape is never echoed: it may be one, typed where an address belongs.
                    var shown = EthAddress.IsPrivateKeyShape(d.Attesters[a]) ? null : d.Attesters[a];
                    r.Error($"{at}.attesters[{a}]", shown, problem + " (never a private key)");
                }
                else
                {
                    attesters.Add(d.Attesters[a].ToLowerInvariant());
                }
            }

            var publisher = Address(r, $"{at}.publisher", d.Publisher);
            if (id is not null && region is not null && zone is not null && instance is not null && volumeOk)
            {
                result.Add(new NodeConfig
                {
                    Id = id,
                    Region = region.Name,
                    AvailabilityZone = zone,
                    Instance = instance,
                    Role = role,
                    DataVolume = volume,
                    Agents = agents,
                    History = history,
                    Attesters = [.. attesters],
                    Publisher = publisher?.ToLowerInvariant(),
                });
            }
        }

        return result;
    }

    private static DataVolumeConfig? Volume(Findings r, string at, DataVolumeDocument? d, VolumeDefaults defaults)
    {
        var type = d?.Type is null ? VolumeType.Gp3 : Enum(r, $"{at}.type", d.Type, ("gp3", VolumeType.Gp3)) ?? VolumeType.Gp3;
        var size = d?.SizeGiB ?? defaults.SizeGiB;
        var iops = d?.Iops ?? defaults.Iops;
        var throughput = d?.ThroughputMBps ?? defaults.ThroughputMBps;
        var limits = Gp3.Limits;
        var ok = true;
        if (size < limits.MinSizeGiB || size > limits.MaxSizeGiB)
        {
            r.Error($"{at}.sizeGiB", Str(size), $"must be from {limits.MinSizeGiB} to {limits.MaxSizeGiB} GiB (gp3 limits)");
            ok = false;
        }

        if (iops < Gp3.BaselineIops || iops > limits.MaxIops)
        {
            r.Error($"{at}.iops", Str(iops), $"must be from {Gp3.BaselineIops} to {limits.MaxIops} (gp3 limits; beyond that means io2 or instance-store NVMe)");
            ok = false;
        }
        else if (ok && iops > Gp3.BaselineIops && iops > (long)limits.MaxIopsPerGiB * size)
        {
            r.Error($"{at}.iops", Str(iops), $"must be at most {limits.MaxIopsPerGiB} per GiB: {(long)limits.MaxIopsPerGiB * size} for {size} GiB");
            ok = false;
        }

        if (throughput < Gp3.BaselineThroughputMBps || throughput > limits.MaxThroughputMBps)
        {
            r.Error($"{at}.throughputMBps", Str(throughput), $"must be from {Gp3.BaselineThroughputMBps} to {limits.MaxThroughputMBps} MB/s (gp3 limits)");
            ok = false;
        }
        else if (throughput > Gp3.BaselineThroughputMBps && throughput > iops * limits.MaxThroughputPerIops)
        {
            r.Error($"{at}.throughputMBps", Str(throughput), $"must be at most {limits.MaxThroughputPerIops} MB/s per provisioned IOPS: {(int)(iops * limits.MaxThroughputPerIops)} for {iops} IOPS");
            ok = false;
        }

        return ok ? new DataVolumeConfig { Type = type, SizeGiB = size, Iops = iops, ThroughputMBps = throughput } : null;
    }

    private static L1Config? L1(Findings r, L1Document? d)
    {
        if (d is null)
        {
            return null;
        }

        var execution = ParameterName(r, "l1.executionUrlsParameter", d.ExecutionUrlsParameter);
        var consensus = ParameterName(r, "l1.consensusUrlsParameter", d.ConsensusUrlsParameter);
        return execution is null || consensus is null ? null : new L1Config { ExecutionUrlsParameter = execution, ConsensusUrlsParameter = consensus };
    }

    private static HaConfig Ha(Findings r, HaDocument? d, List<RegionConfig> regions)
    {
        var mode = d?.Mode is null ? Defaults.Mode : Enum(r, "ha.mode", d.Mode, ("independent", HaMode.Independent), ("shared-signer", HaMode.SharedSigner)) ?? Defaults.Mode;
        if (d?.Database is not { } db)
        {
            return new HaConfig { Mode = mode };
        }

        var region = db.Region ?? regions.FirstOrDefault()?.Name ?? string.Empty;
        if (regions.Count > 0 && regions.All(x => x.Name != region))
        {
            r.Error("ha.database.region", region, $"is not one of the stage's regions; allowed: {string.Join(", ", regions.Select(x => x.Name))}");
        }

        var instanceClass = db.InstanceClass ?? Defaults.DatabaseInstanceClass;
        if (!DbInstanceClass().IsMatch(instanceClass))
        {
            r.Error("ha.database.instanceClass", instanceClass, "must be an RDS instance class such as db.t4g.medium or db.m7g.large");
        }

        var engine = db.EngineVersion ?? Defaults.DatabaseEngineVersion;
        var major = int.TryParse(engine.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        if (major < 12)
        {
            r.Error("ha.database.engineVersion", engine, "must be a PostgreSQL version 12 or later, such as 16.4 (Aztec's HA signing needs >= 12)");
        }

        var storage = db.AllocatedStorageGiB ?? Defaults.DatabaseStorageGiB;
        if (storage is < 20 or > 65536)
        {
            r.Error("ha.database.allocatedStorageGiB", Str(storage), "must be from 20 to 65536 GiB");
        }

        var backups = db.BackupRetentionDays ?? Defaults.DatabaseBackupRetentionDays;
        if (backups is < 1 or > 35)
        {
            r.Error("ha.database.backupRetentionDays", Str(backups), "must be from 1 to 35 days (automated backups stay on)");
        }

        return new HaConfig
        {
            Mode = mode,
            Database = new HaDatabaseConfig
            {
                Region = region,
                InstanceClass = instanceClass,
                EngineVersion = engine,
                AllocatedStorageGiB = storage,
                BackupRetentionDays = backups,
            },
        };
    }

    /// <summary>The retention periods CloudWatch Logs accepts, in days.</summary>
    public static IReadOnlyList<int> LogRetentionDays { get; } = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private static FlowLogConfig FlowLogs(Findings r, FlowLogsDocument? d)
    {
        var retention = d?.RetentionDays ?? Defaults.FlowLogRetentionDays;
        if (!LogRetentionDays.Contains(retention))
        {
            r.Error("flowLogs.retentionDays", Str(retention), $"must be a retention CloudWatch Logs accepts: {string.Join(", ", LogRetentionDays)} days");
            retention = Defaults.FlowLogRetentionDays;
        }

        var traffic = d?.Traffic is null
            ? Defaults.FlowLogTraffic
            : Enum(r, "flowLogs.traffic", d.Traffic, ("REJECT", FlowLogTraffic.Reject), ("ACCEPT", FlowLogTraffic.Accept), ("ALL", FlowLogTraffic.All)) ?? Defaults.FlowLogTraffic;
        return new FlowLogConfig { RetentionDays = retention, Traffic = traffic };
    }

    private static MonitoringHostConfig MonitoringHost(Findings r, MonitoringDocument? d)
    {
        var typeName = d?.InstanceType ?? Defaults.MonitoringInstanceType;
        if (!InstanceCatalog.MonitoringHosts.TryGetValue(typeName, out var instance))
        {
            r.Error("monitoring.instanceType", typeName, $"is not a monitoring host type this project can plan and price; allowed: {string.Join(", ", InstanceCatalog.MonitoringHosts.Keys)}");
            instance = InstanceCatalog.MonitoringHosts[Defaults.MonitoringInstanceType];
        }

        var size = d?.DataVolumeGiB ?? Defaults.MonitoringDataVolumeGiB;
        if (size is < 10 or > 16384)
        {
            r.Error("monitoring.dataVolumeGiB", Str(size), "must be from 10 to 16384 GiB");
        }

        var retention = d?.RetentionDays ?? Defaults.MonitoringRetentionDays;
        if (retention is < 1 or > 3650)
        {
            r.Error("monitoring.retentionDays", Str(retention), "must be from 1 to 3650 days");
        }

        var hooks = new List<MonitoringWebhook>();
        var names = new HashSet<string>(StringComparer.Ordinal) { "sns", "critical", "warning", "deadman" };
        for (var i = 0; i < (d?.Webhooks.Count ?? 0); i++)
        {
            var w = d!.Webhooks[i];
            var at = $"monitoring.webhooks[{i}]";
            var ok = true;
            if (w.Name is null || !ReceiverName().IsMatch(w.Name) || !names.Add(w.Name))
            {
                r.Error($"{at}.name", w.Name, "must be 2-32 lower-case letters, digits or '-', unique, and not sns, critical, warning or deadman");
                ok = false;
            }

            var kind = Enum(r, $"{at}.kind", w.Kind, ("slack", WebhookReceiverKind.Slack), ("pagerduty", WebhookReceiverKind.PagerDuty), ("webhook", WebhookReceiverKind.Webhook));
            ok &= kind is not null;
            if (w.SecretParameter is null || !ParameterNamePattern().IsMatch(w.SecretParameter) || w.SecretParameter.Contains("..", StringComparison.Ordinal))
            {
                r.Error($"{at}.secretParameter", w.SecretParameter, "must be the name of an SSM SecureString such as /aztec-infra/prod/monitoring/slack-url (the secret itself never goes into config)");
                ok = false;
            }

            if (kind == WebhookReceiverKind.Webhook)
            {
                if (w.Url is null || !Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0 || uri.Query.Length > 0)
                {
                    // Echo nothing that could be a credential.
                    r.Error($"{at}.url", w.Url is null || w.Url.Contains('@', StringComparison.Ordinal) || w.Url.Contains('?', StringComparison.Ordinal) ? null : w.Url, "a webhook needs an https URL without user, password or query string (its token goes in secretParameter)");
                    ok = false;
                }
            }
            else if (kind is not null && w.Url is not null)
            {
                r.Error($"{at}.url", null, $"is not allowed for {w.Kind}: its URL or key is the secret, kept in secretParameter");
                ok = false;
            }

            if (ok)
            {
                hooks.Add(new MonitoringWebhook(w.Name!, kind!.Value, w.SecretParameter!, w.Url, w.Warnings ?? false));
            }
        }

        return new MonitoringHostConfig(instance, size, retention, [.. hooks]);
    }

    private static AlarmConfig Alarms(Findings r, AlarmsDocument? d)
    {
        var email = new List<string>();
        var https = new List<string>();
        for (var i = 0; i < (d?.Email.Count ?? 0); i++)
        {
            var address = d!.Email[i];
            if (EmailAddress().IsMatch(address))
            {
                email.Add(address);
            }
            else
            {
                r.Error($"alarms.email[{i}]", address, "must be an e-mail address such as ops@example.com");
            }
        }

        for (var i = 0; i < (d?.Https.Count ?? 0); i++)
        {
            var text = d!.Https[i];
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
            {
                // Echo nothing that could be a credential (user info or a query string).
                r.Error($"alarms.https[{i}]", text.Contains('@', StringComparison.Ordinal) || text.Contains('?', StringComparison.Ordinal) ? null : text, "must be an absolute https:// URL");
            }
            else if (uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            {
                // The endpoint is written into the template, which is not a place for credentials.
                r.Error($"alarms.https[{i}]", $"{uri.Scheme}://{uri.Host}/…", "must carry no user name, password or query string: the URL is written into the templates, so it must not hold a secret");
            }
            else
            {
                https.Add(text);
            }
        }

        if (email.Distinct(StringComparer.OrdinalIgnoreCase).Count() != email.Count || https.Distinct(StringComparer.Ordinal).Count() != https.Count)
        {
            r.Error("alarms", null, "lists an endpoint twice; each subscription appears once");
        }

        return new AlarmConfig { Email = [.. email], Https = [.. https] };
    }

    private static ImmutableSortedDictionary<string, string> Tags(Findings r, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
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

    private static ContainerImage Image(Findings r, string field, string? text, ContainerImage fallback)
    {
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
            r.Error(field, text, "must pin a version tag, e.g. aztecprotocol/aztec:5.2.0; 'latest' or no tag would change the node under you");
            return fallback;
        }

        if (!ImageRepository().IsMatch(repository) || !ImageTag().IsMatch(tag))
        {
            r.Error(field, text, "must be an image reference repository:tag, e.g. aztecprotocol/aztec:5.2.0");
            return fallback;
        }

        return new ContainerImage(repository, tag);
    }

    private static string? ParameterName(Findings r, string field, string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (!ParameterNamePattern().IsMatch(name) || name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || name.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
        {
            r.Error(field, name, "must be an SSM parameter name: '/' then letters, digits or _.-/ (not under /aws or /ssm); the URL itself lives in the parameter, never in config");
            return null;
        }

        return name;
    }

    private static int GBPerNodeMonth(Findings r, string field, int? value, int fallback)
    {
        if (value is { } gb && gb is < 0 or > CostAssumptions.MaxGBPerNodeMonth)
        {
            r.Error(field, gb.ToString(CultureInfo.InvariantCulture), $"must be a whole number of GB per node-month from 0 to {CostAssumptions.MaxGBPerNodeMonth}");
            return fallback;
        }

        return value ?? fallback;
    }

    private static string? Address(Findings r, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (EthAddress.Problem(text) is { } problem)
        {
            r.Error(field, EthAddress.IsPrivateKeyShape(text) ? null : text, problem);
            return null;
        }

        return text;
    }

    private static T? Enum<T>(Findings r, string field, string? text, params (string Name, T Value)[] allowed)
        where T : struct, Enum
    {
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

        r.Error(field, text, $"must be one of: {string.Join(", ", allowed.Select(a => a.Name))}");
        return null;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Findings(List<ConfigIssue> issues)
    {
        public void Error(string field, string? value, string message) =>
            issues.Add(new ConfigIssue(IssueSeverity.Error, field, value, message));
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,15}$")]
    private static partial Regex StageName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex NodeId();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,31}$")]
    private static partial Regex ReceiverName();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex("^ami-[0-9a-f]{8,17}$")]
    private static partial Regex AmiId();

    [GeneratedRegex("^/[A-Za-z0-9_.\\-/]{1,1010}$")]
    private static partial Regex ParameterNamePattern();

    [GeneratedRegex("^[a-z0-9]+([._\\-/][a-z0-9]+)*$")]
    private static partial Regex ImageRepository();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}$")]
    private static partial Regex ImageTag();

    [GeneratedRegex("^db\\.[a-z0-9]+\\.[a-z0-9]+$")]
    private static partial Regex DbInstanceClass();

    [GeneratedRegex("^[\\p{L}\\p{N} _.:/=+\\-@]*$")]
    private static partial Regex TagText();

    [GeneratedRegex("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$")]
    private static partial Regex EmailAddress();

    [GeneratedRegex("^[A-Za-z0-9+\\-=._:@]+$")]
    private static partial Regex TagKey();
}
