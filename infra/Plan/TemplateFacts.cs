using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AztecInfra.Plan;

/// <summary>One inbound rule of a security group, as synthesized.</summary>
/// <param name="Protocol">tcp, udp or -1.</param>
/// <param name="FromPort">First port.</param>
/// <param name="ToPort">Last port.</param>
/// <param name="Source">CIDR, IPv6 CIDR or "security group".</param>
/// <param name="Description">Rule description.</param>
public sealed record IngressRule(string Protocol, int FromPort, int ToPort, string Source, string Description)
{
    /// <summary>True when the rule admits the whole internet.</summary>
    public bool IsPublic => Source is "0.0.0.0/0" or "::/0";

    /// <summary>Port text such as 40400/tcp.</summary>
    public string PortText => FromPort == ToPort ? $"{FromPort}/{Protocol}" : $"{FromPort}-{ToPort}/{Protocol}";
}

/// <summary>An EBS volume as synthesized (data volume or root device).</summary>
/// <param name="Kind">"data" or "root".</param>
/// <param name="VolumeType">gp3, io2, ...</param>
/// <param name="SizeGiB">Size in GiB.</param>
/// <param name="Iops">Provisioned IOPS, if any.</param>
/// <param name="ThroughputMBps">Provisioned throughput, if any.</param>
/// <param name="Encrypted">Encrypted flag.</param>
/// <param name="CustomerKey">True when a KMS key id is given (the stage key), not the AWS-managed one.</param>
/// <param name="Retained">True when the volume survives a stack delete.</param>
public sealed record VolumeFact(string Kind, string VolumeType, int SizeGiB, int? Iops, int? ThroughputMBps, bool Encrypted, bool CustomerKey, bool Retained);

/// <summary>An instance as synthesized.</summary>
/// <param name="LogicalId">Logical id in the template.</param>
/// <param name="InstanceType">EC2 instance type.</param>
/// <param name="AvailabilityZone">Zone.</param>
/// <param name="ImdsV2Required">True when the launch template requires IMDSv2 tokens.</param>
/// <param name="Volumes">Root and data volumes.</param>
/// <param name="Ingress">Inbound rules of its security groups.</param>
/// <param name="UserDataBytes">Size of the user data as EC2 counts it (after base64 decoding).</param>
/// <param name="UserDataText">The user data as cloud-init sees it (decompressed), when it is a literal.</param>
/// <param name="SignalTimeout">CreationPolicy timeout, if the instance signals.</param>
/// <param name="NodeId">The node id from the instance's <c>aztec-infra:node</c> tag, or its logical id.</param>
/// <param name="ElasticIps">Elastic IPs associated with it.</param>
/// <param name="Alarms">CloudWatch alarms on its metrics.</param>
/// <param name="Role">What the instance is: its <c>aztec-infra:role</c> tag (<c>full</c>, <c>prover-node</c>, <c>prover-broker</c>, <c>monitoring</c>), or <c>validator</c> for a sequencer, which carries no tag.</param>
public sealed record InstanceFact(string LogicalId, string InstanceType, string AvailabilityZone, bool ImdsV2Required, ImmutableArray<VolumeFact> Volumes, ImmutableArray<IngressRule> Ingress, int UserDataBytes, string? UserDataText, string? SignalTimeout, string NodeId, int ElasticIps, int Alarms, string Role = InstanceFact.ValidatorRole)
{
    /// <summary>The role of an instance without a role tag.</summary>
    public const string ValidatorRole = "validator";

    /// <summary>The role tag of the stage's monitoring host.</summary>
    public const string MonitoringRole = "monitoring";

    /// <summary>True for an Aztec node of any role (sequencer, full, prover), false for the monitoring host.</summary>
    public bool IsValidator => Role != MonitoringRole;
}

/// <summary>A CloudWatch alarm as synthesized.</summary>
/// <param name="LogicalId">Logical id.</param>
/// <param name="Namespace">Metric namespace.</param>
/// <param name="Metric">Metric name.</param>
/// <param name="TreatMissingData">What missing data means (missing, breaching, ...).</param>
/// <param name="NotifiesTopics">Topics (as references) its alarm actions notify.</param>
/// <param name="OnInstance">True when a dimension refers to an instance of the template (priced with that instance).</param>
public sealed record AlarmFact(string LogicalId, string Namespace, string Metric, string TreatMissingData, ImmutableArray<string> NotifiesTopics, bool OnInstance);

/// <summary>An SNS topic as synthesized.</summary>
/// <param name="LogicalId">Logical id.</param>
/// <param name="Name">Topic name.</param>
/// <param name="Subscriptions">Subscriptions declared in the template.</param>
/// <param name="Encrypted">Encrypted with a KMS key.</param>
public sealed record TopicFact(string LogicalId, string Name, int Subscriptions, bool Encrypted);

/// <summary>The monitoring host's facts, from its instance's <c>AztecInfra::Monitoring</c> metadata.</summary>
/// <param name="InstanceLogicalId">The host's instance.</param>
/// <param name="Receivers">Where Alertmanager sends alerts.</param>
/// <param name="ScrapedNodes">Node ids it scrapes.</param>
/// <param name="RetentionDays">Days of metrics kept.</param>
/// <param name="Heartbeat">The heartbeat metric its alarm watches.</param>
public sealed record MonitoringFact(string InstanceLogicalId, ImmutableArray<string> Receivers, ImmutableArray<string> ScrapedNodes, int RetentionDays, string Heartbeat);

/// <summary>A KMS key as synthesized.</summary>
/// <param name="LogicalId">Logical id.</param>
/// <param name="Rotation">Rotation enabled.</param>
/// <param name="Retained">Survives a stack delete.</param>
public sealed record KeyFact(string LogicalId, bool Rotation, bool Retained);

/// <summary>A VPC peering connection as synthesized.</summary>
/// <param name="LogicalId">Logical id.</param>
/// <param name="PeerRegion">Accepter region.</param>
public sealed record PeeringFact(string LogicalId, string PeerRegion);

/// <summary>A route through a peering connection.</summary>
/// <param name="DestinationCidr">Peer CIDR.</param>
/// <param name="RouteTable">Route table reference, as text.</param>
public sealed record PeeringRouteFact(string DestinationCidr, string RouteTable);

/// <summary>An RDS instance as synthesized.</summary>
/// <param name="Engine">Engine and version.</param>
/// <param name="InstanceClass">Instance class.</param>
/// <param name="MultiAz">Multi-AZ.</param>
/// <param name="EncryptedWithCustomerKey">Storage encrypted with a given KMS key.</param>
/// <param name="Public">Publicly accessible.</param>
/// <param name="DeletionProtection">Deletion protection.</param>
/// <param name="BackupRetentionDays">Automated backups kept.</param>
/// <param name="DeletionPolicy">What a stack delete does.</param>
/// <param name="Ingress">Inbound rules of its security groups.</param>
/// <param name="AllocatedStorageGiB">Allocated storage.</param>
public sealed record DatabaseFact(string Engine, string InstanceClass, bool MultiAz, bool EncryptedWithCustomerKey, bool Public, bool DeletionProtection, int BackupRetentionDays, string DeletionPolicy, ImmutableArray<IngressRule> Ingress, int AllocatedStorageGiB);

/// <summary>A Secrets Manager secret as synthesized (never its value: only where it lives).</summary>
/// <param name="Name">Secret name.</param>
/// <param name="ReplicaRegions">Regions it is replicated to.</param>
/// <param name="Retained">Survives a stack delete.</param>
public sealed record SecretFact(string Name, ImmutableArray<string> ReplicaRegions, bool Retained);

/// <summary>A launch template as synthesized (what an Auto Scaling group launches).</summary>
/// <param name="InstanceType">EC2 instance type.</param>
/// <param name="ImdsV2Required">True when IMDSv2 tokens are required.</param>
/// <param name="HopLimit">IMDS PUT response hop limit, if set.</param>
/// <param name="Volumes">Root volumes of each launched instance.</param>
/// <param name="UserDataBytes">Size of the user data as EC2 counts it.</param>
/// <param name="UserDataText">The user data as cloud-init sees it (decompressed), when it is a literal.</param>
public sealed record LaunchTemplateFact(string InstanceType, bool ImdsV2Required, int? HopLimit, ImmutableArray<VolumeFact> Volumes, int UserDataBytes, string? UserDataText);

/// <summary>An Auto Scaling group as synthesized: what the cost multiplies by its desired capacity.</summary>
/// <param name="LogicalId">Logical id.</param>
/// <param name="NodeId">The entry id from the group's <c>aztec-infra:node</c> tag, or its logical id.</param>
/// <param name="DesiredCapacity">Desired number of instances.</param>
/// <param name="MaxSize">Maximum number of instances.</param>
/// <param name="Spot">True when every instance is Spot (no on-demand share).</param>
/// <param name="CapacityRebalance">Capacity rebalancing on.</param>
/// <param name="LaunchTemplate">What each instance is.</param>
/// <param name="Ingress">Inbound rules of the launch template's security groups.</param>
public sealed record AutoScalingGroupFact(string LogicalId, string NodeId, int DesiredCapacity, int MaxSize, bool Spot, bool CapacityRebalance, LaunchTemplateFact LaunchTemplate, ImmutableArray<IngressRule> Ingress);

/// <summary>What a reviewer checks in one synthesized template.</summary>
/// <param name="ResourceCounts">Resource type to count, sorted by type.</param>
/// <param name="Instances">Instances with their volumes and ingress.</param>
/// <param name="Keys">KMS keys.</param>
/// <param name="Peerings">VPC peering connections requested here.</param>
/// <param name="PeeringRoutes">Routes through peering connections.</param>
/// <param name="Databases">RDS instances.</param>
/// <param name="Secrets">Secrets Manager secrets.</param>
/// <param name="Resources">Logical id to the resource JSON, for deeper checks.</param>
/// <param name="AutoScalingGroups">Auto Scaling groups (prover agents).</param>
/// <param name="Alarms">CloudWatch alarms.</param>
/// <param name="Topics">SNS topics.</param>
/// <param name="Monitoring">The monitoring host, when the template has it.</param>
/// <param name="AdvancedParameters">SSM parameters of the advanced tier (billed monthly).</param>
public sealed record TemplateFacts(
    ImmutableSortedDictionary<string, int> ResourceCounts,
    ImmutableArray<InstanceFact> Instances,
    ImmutableArray<KeyFact> Keys,
    ImmutableArray<PeeringFact> Peerings,
    ImmutableArray<PeeringRouteFact> PeeringRoutes,
    ImmutableArray<DatabaseFact> Databases,
    ImmutableArray<SecretFact> Secrets,
    ImmutableSortedDictionary<string, JsonObject> Resources,
    ImmutableArray<AutoScalingGroupFact> AutoScalingGroups,
    ImmutableArray<AlarmFact> Alarms,
    ImmutableArray<TopicFact> Topics,
    MonitoringFact? Monitoring,
    int AdvancedParameters)
{
    /// <summary>Reads a synthesized CloudFormation template.</summary>
    public static TemplateFacts Read(string templateJson)
    {
        var root = JsonNode.Parse(templateJson)?.AsObject() ?? throw new JsonException("Template is not a JSON object.");
        var resources = (root[nameof(Resources)]?.AsObject() ?? [])
            .ToImmutableSortedDictionary(p => p.Key, p => p.Value!.AsObject(), StringComparer.Ordinal);

        var counts = resources.Values
            .GroupBy(r => (string)r["Type"]!, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var instances = resources
            .Where(r => (string?)r.Value["Type"] == "AWS::EC2::Instance")
            .Select(r => ReadInstance(r.Key, r.Value, resources))
            .ToImmutableArray();

        var keys = resources
            .Where(r => (string?)r.Value["Type"] == "AWS::KMS::Key")
            .Select(r => new KeyFact(r.Key, r.Value["Properties"]?["EnableKeyRotation"]?.GetValue<bool>() == true, Retained(r.Value)))
            .ToImmutableArray();

        IEnumerable<KeyValuePair<string, JsonObject>> OfType(string type) => resources.Where(r => (string?)r.Value["Type"] == type);

        var peerings = OfType("AWS::EC2::VPCPeeringConnection")
            .Select(r => new PeeringFact(r.Key, (string?)r.Value["Properties"]?["PeerRegion"] ?? "(same region)"))
            .ToImmutableArray();
        var routes = OfType("AWS::EC2::Route")
            .Where(r => r.Value["Properties"]?["VpcPeeringConnectionId"] is not null)
            .Select(r => new PeeringRouteFact((string?)r.Value["Properties"]!["DestinationCidrBlock"] ?? "?", r.Value["Properties"]!["RouteTableId"]!.ToJsonString()))
            .ToImmutableArray();
        var databases = OfType("AWS::RDS::DBInstance")
            .Select(r => ReadDatabase(r.Value, resources))
            .ToImmutableArray();
        var secrets = OfType("AWS::SecretsManager::Secret")
            .Select(r => new SecretFact(
                (string?)r.Value["Properties"]?["Name"] ?? r.Key,
                (r.Value["Properties"]?["ReplicaRegions"]?.AsArray() ?? []).Select(x => (string?)x?["Region"] ?? "?").ToImmutableArray(),
                Retained(r.Value)))
            .ToImmutableArray();

        var groups = OfType("AWS::AutoScaling::AutoScalingGroup")
            .Select(r => ReadGroup(r.Key, r.Value, resources))
            .ToImmutableArray();

        var instanceIds = instances.Select(i => i.LogicalId).ToHashSet(StringComparer.Ordinal);
        var alarms = OfType("AWS::CloudWatch::Alarm")
            .Select(r =>
            {
                var p = r.Value["Properties"]!;
                return new AlarmFact(
                    r.Key,
                    (string?)p["Namespace"] ?? "?",
                    (string?)p["MetricName"] ?? "?",
                    (string?)p["TreatMissingData"] ?? "missing",
                    (p["AlarmActions"]?.AsArray() ?? []).Select(a => TopicAction(a, resources)).OfType<string>().ToImmutableArray(),
                    (p["Dimensions"]?.AsArray() ?? []).Any(d => RefTarget(d?["Value"]) is { } id && instanceIds.Contains(id)));
            })
            .ToImmutableArray();
        var topics = OfType("AWS::SNS::Topic")
            .Select(r => new TopicFact(
                r.Key,
                (string?)r.Value["Properties"]?["TopicName"] ?? r.Key,
                OfType("AWS::SNS::Subscription").Count(s => RefersTo(s.Value["Properties"]?["TopicArn"], r.Key)),
                r.Value["Properties"]?["KmsMasterKeyId"] is not null))
            .ToImmutableArray();
        var monitoring = OfType("AWS::EC2::Instance")
            .Where(r => r.Value["Metadata"]?["AztecInfra::Monitoring"] is JsonObject)
            .Select(r =>
            {
                var m = r.Value["Metadata"]!["AztecInfra::Monitoring"]!;
                return new MonitoringFact(
                    r.Key,
                    (m["Receivers"]?.AsArray() ?? []).Select(x => (string?)x ?? "?").ToImmutableArray(),
                    (m["ScrapedNodes"]?.AsArray() ?? []).Select(x => (string?)x ?? "?").ToImmutableArray(),
                    Int(m["RetentionDays"]) ?? 0,
                    (string?)m["HeartbeatAlarm"] ?? "?");
            })
            .FirstOrDefault();
        var advanced = OfType("AWS::SSM::Parameter").Count(r => (string?)r.Value["Properties"]?["Tier"] == "Advanced");

        return new TemplateFacts(counts, instances, keys, peerings, routes, databases, secrets, resources, groups, alarms, topics, monitoring, advanced);
    }

    private static AutoScalingGroupFact ReadGroup(string id, JsonObject group, ImmutableSortedDictionary<string, JsonObject> resources)
    {
        var p = group["Properties"]!;
        var mixed = p["MixedInstancesPolicy"];
        var spec = mixed?["LaunchTemplate"]?["LaunchTemplateSpecification"] ?? p["LaunchTemplate"];
        var templateId = RefTarget(spec?["LaunchTemplateId"]);
        var data = templateId is not null && resources.TryGetValue(templateId, out var lt) ? lt["Properties"]?["LaunchTemplateData"] : null;
        var volumes = (data?["BlockDeviceMappings"]?.AsArray() ?? [])
            .Select(m => m?["Ebs"])
            .OfType<JsonNode>()
            .Select(ebs => new VolumeFact("root", (string?)ebs["VolumeType"] ?? "gp2", Int(ebs["VolumeSize"]) ?? 8, Int(ebs["Iops"]), Int(ebs["Throughput"]), ebs["Encrypted"]?.GetValue<bool>() == true, ebs["KmsKeyId"] is not null, Retained: false))
            .ToImmutableArray();
        var ingress = new List<IngressRule>();
        foreach (var sg in data?["SecurityGroupIds"]?.AsArray() ?? [])
        {
            var groupId = RefTarget(sg);
            if (groupId is not null && resources.TryGetValue(groupId, out var g))
            {
                ingress.AddRange((g["Properties"]?["SecurityGroupIngress"]?.AsArray() ?? []).Select(rule => ReadRule(rule!)));
                ingress.AddRange(resources.Values
                    .Where(r => (string?)r["Type"] == "AWS::EC2::SecurityGroupIngress" && RefersTo(r["Properties"]?["GroupId"], groupId))
                    .Select(r => ReadRule(r["Properties"]!)));
            }
        }

        var distribution = mixed?["InstancesDistribution"];
        var spot = distribution is not null && (Int(distribution["OnDemandPercentageAboveBaseCapacity"]) ?? 100) == 0 && (Int(distribution["OnDemandBaseCapacity"]) ?? 0) == 0;
        var template = new LaunchTemplateFact(
            (string?)data?["InstanceType"] ?? "?",
            (string?)data?["MetadataOptions"]?["HttpTokens"] == "required",
            Int(data?["MetadataOptions"]?["HttpPutResponseHopLimit"]),
            volumes,
            UserDataLiteralBytes(data?["UserData"]),
            DecodeUserData(data?["UserData"]));
        return new AutoScalingGroupFact(
            id,
            (p["Tags"]?.AsArray() ?? []).Where(t => (string?)t?["Key"] == Naming.NodeTag).Select(t => (string?)t?["Value"]).FirstOrDefault() ?? id,
            Int(p["DesiredCapacity"]) ?? Int(p["MinSize"]) ?? 0,
            Int(p["MaxSize"]) ?? 0,
            spot,
            p["CapacityRebalance"]?.GetValue<bool>() == true,
            template,
            [.. ingress]);
    }

    private static DatabaseFact ReadDatabase(JsonObject db, ImmutableSortedDictionary<string, JsonObject> resources)
    {
        var p = db["Properties"]!;
        var ingress = new List<IngressRule>();
        foreach (var group in p["VPCSecurityGroups"]?.AsArray() ?? [])
        {
            var groupId = RefTarget(group);
            if (groupId is not null && resources.TryGetValue(groupId, out var sg))
            {
                ingress.AddRange((sg["Properties"]?["SecurityGroupIngress"]?.AsArray() ?? []).Select(rule => ReadRule(rule!)));
            }
        }

        return new DatabaseFact(
            $"{(string?)p["Engine"]} {(string?)p["EngineVersion"]}",
            (string?)p["DBInstanceClass"] ?? "?",
            p["MultiAZ"]?.GetValue<bool>() == true,
            p["StorageEncrypted"]?.GetValue<bool>() == true && p["KmsKeyId"] is not null,
            p["PubliclyAccessible"]?.GetValue<bool>() == true,
            p["DeletionProtection"]?.GetValue<bool>() == true,
            Int(p["BackupRetentionPeriod"]) ?? 0,
            (string?)db["DeletionPolicy"] ?? "Delete",
            [.. ingress],
            Int(p["AllocatedStorage"]) ?? 0);
    }

    private static InstanceFact ReadInstance(string id, JsonObject instance, ImmutableSortedDictionary<string, JsonObject> resources)
    {
        var props = instance["Properties"]!.AsObject();
        var volumes = new List<VolumeFact>();
        foreach (var mapping in props["BlockDeviceMappings"]?.AsArray() ?? [])
        {
            var ebs = mapping?["Ebs"];
            if (ebs is null)
            {
                continue;
            }

            volumes.Add(new VolumeFact(
                "root",
                (string?)ebs["VolumeType"] ?? "gp2",
                Int(ebs["VolumeSize"]) ?? 8,
                Int(ebs["Iops"]),
                Int(ebs["Throughput"]),
                ebs["Encrypted"]?.GetValue<bool>() == true,
                ebs["KmsKeyId"] is not null,
                Retained: ebs["DeleteOnTermination"]?.GetValue<bool>() == false));
        }

        foreach (var attachment in resources.Values.Where(r => (string?)r["Type"] == "AWS::EC2::VolumeAttachment" && RefersTo(r["Properties"]?["InstanceId"], id)))
        {
            var volumeId = RefTarget(attachment["Properties"]?["VolumeId"]);
            if (volumeId is null || !resources.TryGetValue(volumeId, out var volume))
            {
                continue;
            }

            var vp = volume["Properties"]!;
            volumes.Add(new VolumeFact(
                "data",
                (string?)vp["VolumeType"] ?? "gp2",
                Int(vp["Size"]) ?? 0,
                Int(vp["Iops"]),
                Int(vp["Throughput"]),
                vp["Encrypted"]?.GetValue<bool>() == true,
                vp["KmsKeyId"] is not null,
                Retained(volume)));
        }

        var ingress = new List<IngressRule>();
        foreach (var group in props["SecurityGroupIds"]?.AsArray() ?? [])
        {
            var groupId = RefTarget(group);
            if (groupId is null || !resources.TryGetValue(groupId, out var sg))
            {
                continue;
            }

            foreach (var rule in sg["Properties"]?["SecurityGroupIngress"]?.AsArray() ?? [])
            {
                ingress.Add(ReadRule(rule!));
            }

            foreach (var standalone in resources.Values.Where(r => (string?)r["Type"] == "AWS::EC2::SecurityGroupIngress" && RefersTo(r["Properties"]?["GroupId"], groupId)))
            {
                ingress.Add(ReadRule(standalone["Properties"]!));
            }
        }

        var imdsV2 = false;
        var templateId = RefTarget(props["LaunchTemplate"]?["LaunchTemplateId"]);
        if (templateId is not null && resources.TryGetValue(templateId, out var lt))
        {
            imdsV2 = (string?)lt["Properties"]?["LaunchTemplateData"]?["MetadataOptions"]?["HttpTokens"] == "required";
        }

        return new InstanceFact(
            id,
            (string?)props["InstanceType"] ?? "?",
            (string?)props["AvailabilityZone"] ?? "?",
            imdsV2,
            [.. volumes],
            [.. ingress],
            UserDataLiteralBytes(props["UserData"]),
            DecodeUserData(props["UserData"]),
            (string?)instance["CreationPolicy"]?["ResourceSignal"]?["Timeout"],
            (props["Tags"]?.AsArray() ?? []).Where(t => (string?)t?["Key"] == Naming.NodeTag).Select(t => (string?)t?["Value"]).FirstOrDefault() ?? id,
            resources.Values.Count(r => (string?)r["Type"] == "AWS::EC2::EIPAssociation" && RefersTo(r["Properties"]?["InstanceId"], id)),
            resources.Values.Count(r => (string?)r["Type"] == "AWS::CloudWatch::Alarm"
                && (r["Properties"]?["Dimensions"]?.AsArray() ?? []).Any(d => RefersTo(d?["Value"], id))),
            (props["Tags"]?.AsArray() ?? []).Where(t => (string?)t?["Key"] == Naming.RoleTag).Select(t => (string?)t?["Value"]).FirstOrDefault() ?? InstanceFact.ValidatorRole);
    }

    /// <summary>Byte size of the user data as EC2 counts it: the decoded bytes of the base64 literal.</summary>
    private static int UserDataLiteralBytes(JsonNode? userData) =>
        userData is JsonValue literal ? Convert.FromBase64String((string)literal!).Length : 0;

    /// <summary>The user data as cloud-init sees it (gzip unpacked), or null when it is not a literal.</summary>
    internal static string? DecodeUserData(JsonNode? userData)
    {
        if (userData is not JsonValue literal)
        {
            return null;
        }

        var bytes = Convert.FromBase64String((string)literal!);
        if (bytes is not [0x1f, 0x8b, ..])
        {
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static IngressRule ReadRule(JsonNode rule)
    {
        var source = (string?)rule["CidrIp"] ?? (string?)rule["CidrIpv6"] ?? (rule["SourceSecurityGroupId"] is not null ? "security group" : "?");
        return new IngressRule(
            (string?)rule["IpProtocol"] ?? "?",
            Int(rule["FromPort"]) ?? -1,
            Int(rule["ToPort"]) ?? -1,
            source,
            (string?)rule["Description"] ?? string.Empty);
    }

    private static bool Retained(JsonObject resource) =>
        (string?)resource["DeletionPolicy"] is "Retain" or "Snapshot" or "RetainExceptOnCreate";

    private static int? Int(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    // An alarm action that notifies a topic: one of this template (its logical id), or the stage's alarm
    // topic imported from the validators' stack of the same region (the export's name).
    private static string? TopicAction(JsonNode? action, ImmutableSortedDictionary<string, JsonObject> resources)
    {
        if (RefTarget(action) is { } id)
        {
            return (string?)resources.GetValueOrDefault(id)?["Type"] == "AWS::SNS::Topic" ? id : null;
        }

        return action is JsonObject o && o["Fn::ImportValue"] is JsonValue v && v.TryGetValue<string>(out var export) && export.Contains("AlarmTopic", StringComparison.Ordinal)
            ? export
            : null;
    }

    // A literal (an alarm dimension such as Stage=prod) refers to nothing.
    private static string? RefTarget(JsonNode? node) => node is JsonObject o
        ? (string?)o["Ref"] ?? (string?)o["Fn::GetAtt"]?[0]
        : null;

    private static bool RefersTo(JsonNode? node, string logicalId) => RefTarget(node) == logicalId;
}
