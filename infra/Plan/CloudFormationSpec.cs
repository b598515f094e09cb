using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AztecInfra.Plan;

/// <summary>
/// Which property changes make CloudFormation replace a resource, as CloudFormation's own resource
/// specification says (<c>causesReplacement: yes</c>). The facts come from the service-spec database that the
/// pinned aws-cdk CLI ships (<c>node_modules/aws-cdk/db.json.gz</c>, the one <c>cdk diff</c> uses), extracted
/// for the resource types this project deploys into the embedded <c>cfn-replacement.json</c>; a test fails
/// when the extract and the database drift apart.
/// </summary>
public static class CloudFormationSpec
{
    /// <summary>The resource types whose replacement facts are extracted.</summary>
    public static ImmutableArray<string> Types { get; } =
    [
        "AWS::CloudWatch::Alarm", "AWS::EC2::EIP", "AWS::EC2::EIPAssociation", "AWS::EC2::Instance", "AWS::EC2::InternetGateway",
        "AWS::EC2::LaunchTemplate", "AWS::EC2::Route", "AWS::EC2::RouteTable", "AWS::EC2::SecurityGroup", "AWS::EC2::Subnet",
        "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::VPC", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::VPCPeeringConnection",
        "AWS::EC2::Volume", "AWS::EC2::VolumeAttachment", "AWS::IAM::InstanceProfile", "AWS::IAM::Policy", "AWS::IAM::Role",
        "AWS::KMS::Alias", "AWS::KMS::Key", "AWS::RDS::DBInstance", "AWS::RDS::DBSubnetGroup", "AWS::SecretsManager::Secret",
        "AWS::SecretsManager::SecretTargetAttachment",
    ];

    /// <summary>Resource type to the properties whose change replaces it.</summary>
    public static ImmutableSortedDictionary<string, ImmutableSortedSet<string>> ReplacingProperties { get; } = Load();

    /// <summary>Extracts the replacement facts for <see cref="Types"/> from the gzip'd service-spec database.</summary>
    public static ImmutableSortedDictionary<string, ImmutableSortedSet<string>> Extract(Stream databaseGz)
    {
        using var gzip = new GZipStream(databaseGz, CompressionMode.Decompress);
        var root = JsonNode.Parse(gzip)!;
        var wanted = Types.ToHashSet(StringComparer.Ordinal);
        return (root["schema"]!["resource"]!["entities"]!.AsArray())
            .Where(e => wanted.Contains((string)e!["cloudFormationType"]!))
            .ToImmutableSortedDictionary(
                e => (string)e!["cloudFormationType"]!,
                e => (e!["properties"]?.AsObject() ?? [])
                    .Where(p => (string?)p.Value?["causesReplacement"] == "yes")
                    .Select(p => p.Key)
                    .ToImmutableSortedSet(StringComparer.Ordinal),
                StringComparer.Ordinal);
    }

    /// <summary>Serializes facts the way the embedded file holds them.</summary>
    public static string ToJson(ImmutableSortedDictionary<string, ImmutableSortedSet<string>> facts) =>
        JsonSerializer.Serialize(facts, Indented) + "\n";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static ImmutableSortedDictionary<string, ImmutableSortedSet<string>> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AztecInfra.cfn-replacement.json")
            ?? throw new InvalidOperationException("cfn-replacement.json is not embedded in the AztecInfra assembly.");
        var parsed = JsonSerializer.Deserialize<Dictionary<string, string[]>>(stream)!;
        return parsed.ToImmutableSortedDictionary(p => p.Key, p => p.Value.ToImmutableSortedSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }
}
