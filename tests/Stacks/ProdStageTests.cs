using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using AztecInfra.Constructs;
using AztecInfra.Stages;
using AztecInfra.Tests.Support;
using AztecInfra.Stacks;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed class ProdStageTests(SynthesizedStages stages)
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-southeast-1"];

    private SynthesizedStage Prod => stages.Prod;

    private IEnumerable<(string Region, JsonObject Resource)> ResourcesOfType(string type) =>
        Prod.Assembly.Stacks.SelectMany(s => Prod.Facts(s.StackName).Resources.Values
            .Where(r => (string?)r["Type"] == type)
            .Select(r => (s.Region, r)));

    [Fact]
    public void Should_DeployNetworksThenMeshAndDatabaseThenValidators_When_Ordered()
    {
        // Given the prod assembly in deploy order
        var order = Prod.Assembly.Stacks.Select(s => s.StackName).ToList();

        // Then every network precedes every mesh and the database, which precede every validator stack
        int Last(string kind) => order.FindLastIndex(n => n.Contains(kind, StringComparison.Ordinal));
        int First(string kind) => order.FindIndex(n => n.Contains(kind, StringComparison.Ordinal));
        Assert.Equal(11, order.Count);
        Assert.Equal("aztec-infra-prod-monitoring", order[^1]);
        Assert.True(Last("-network-") < First("-mesh-"));
        Assert.True(Last("-network-") < First("-ha-database"));
        foreach (var region in Regions)
        {
            var validators = order.IndexOf($"aztec-infra-prod-validators-{region}");
            Assert.True(order.IndexOf($"aztec-infra-prod-mesh-{region}") < validators);
            Assert.True(order.IndexOf("aztec-infra-prod-ha-database") < validators);
        }
    }

    [Fact]
    public void Should_PeerEveryPairOfRegionsExactlyOnce_When_MeshIsSynthesized()
    {
        // Given every peering connection of the stage, with the region requesting it
        var pairs = ResourcesOfType("AWS::EC2::VPCPeeringConnection")
            .Select(p => string.Join("|", new[] { p.Region, (string)p.Resource["Properties"]!["PeerRegion"]! }.Order(StringComparer.Ordinal)))
            .ToList();

        // Then there are n(n-1)/2 of them, one per unordered pair
        var expected = Regions.SelectMany((a, i) => Regions.Skip(i + 1).Select(b => string.Join("|", new[] { a, b }.Order(StringComparer.Ordinal))));
        Assert.Equal(expected.Order(StringComparer.Ordinal), pairs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_RouteEveryRouteTableToEveryPeerCidr_When_MeshIsSynthesized()
    {
        foreach (var region in Prod.Config.Regions)
        {
            // Given the region's route tables (exported by its network stack)
            var network = Prod.Facts($"aztec-infra-prod-network-{region.Name}");
            var tables = network.ResourceCounts["AWS::EC2::RouteTable"];
            var routes = Prod.Facts($"aztec-infra-prod-mesh-{region.Name}").PeeringRoutes;

            // Then each peer CIDR is routed from each route table, once
            foreach (var peer in Prod.Config.Regions.Where(r => r != region))
            {
                var toPeer = routes.Where(r => r.DestinationCidr == peer.VpcCidr.ToString()).Select(r => r.RouteTable).ToList();
                Assert.Equal(tables, toPeer.Count);
                Assert.Equal(tables, toPeer.Distinct(StringComparer.Ordinal).Count());
            }

            Assert.Equal(tables * (Prod.Config.Regions.Length - 1), routes.Length);
        }
    }

    [Fact]
    public void Should_ReferenceOtherRegionsWithoutLookups_When_Synthesized()
    {
        var manifest = File.ReadAllText(Path.Combine(Prod.OutputDirectory, "manifest.json"));
        Assert.DoesNotContain("\"missing\"", manifest, StringComparison.Ordinal);
        Assert.NotEmpty(ResourcesOfType("Custom::CrossRegionExportReader"));
    }

    [Fact]
    public void Should_ProtectEveryProdStackFromTermination_When_Synthesized()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Prod.OutputDirectory, "manifest.json")))!["artifacts"]!.AsObject();
        var stacks = manifest.Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack").ToList();
        Assert.Equal(11, stacks.Count);
        Assert.All(stacks, a => Assert.True(a.Value!["properties"]!["terminationProtection"]?.GetValue<bool>() == true, a.Key));
    }

    [Fact]
    public void Should_KeepTheDatabaseSafe_When_Synthesized() =>
        Prod.Template("aztec-infra-prod-ha-database").HasResource("AWS::RDS::DBInstance", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Engine"] = "postgres",
                ["EngineVersion"] = "16.4",
                ["MultiAZ"] = true,
                ["StorageEncrypted"] = true,
                ["KmsKeyId"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::ImportValue"] = Match.StringLikeRegexp("aztec-infra-prod-network-us-east-1:.*StageKey") }),
                ["PubliclyAccessible"] = false,
                ["DeletionProtection"] = true,
                ["BackupRetentionPeriod"] = 14,
            }),
            ["DeletionPolicy"] = "Snapshot",
            ["UpdateReplacePolicy"] = "Snapshot",
        });

    [Fact]
    public void Should_PlaceTheDatabaseInIsolatedSubnets_When_Synthesized()
    {
        var group = Assert.Single(ResourcesOfType("AWS::RDS::DBSubnetGroup")).Resource;
        Assert.All(group["Properties"]!["SubnetIds"]!.AsArray(), s => Assert.Contains("isolatedSubnet", s!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Should_AdmitPostgresOnlyFromValidatorSubnets_When_DatabaseSecurityGroupIsSynthesized()
    {
        // Given the database's security group / When its rules are read
        var facts = Prod.Facts("aztec-infra-prod-ha-database");
        var ingress = Assert.Single(facts.Databases).Ingress.Select(r => $"{r.PortText} {r.Source}").Order(StringComparer.Ordinal);

        // Then PostgreSQL is open only to each node's subnet, across the peering, and to the monitoring host's probe
        Assert.Equal(["5432/tcp 10.50.0.0/20", "5432/tcp 10.50.15.254/32", "5432/tcp 10.51.0.0/20", "5432/tcp 10.52.0.0/20"], ingress);
        var sg = Assert.Single(facts.Resources.Values, r => (string?)r["Type"] == "AWS::EC2::SecurityGroup");
        var egress = sg["Properties"]!["SecurityGroupEgress"]!.AsArray();
        Assert.Equal("255.255.255.255/32", (string?)Assert.Single(egress)!["CidrIp"]);
    }

    [Fact]
    public void Should_OpenOnlyP2pAndPrivateRpc_When_ProdNodesAreSynthesized()
    {
        foreach (var region in Regions)
        {
            var instance = Assert.Single(Prod.Facts($"aztec-infra-prod-validators-{region}").Instances);
            Assert.All(instance.Ingress.Where(r => r.IsPublic), r => Assert.Equal("40400", $"{r.FromPort}"));
            Assert.Equal(["10.50.0.0/16", "10.51.0.0/16", "10.52.0.0/16"], instance.Ingress.Where(r => !r.IsPublic && r.Source.EndsWith("/16", StringComparison.Ordinal)).Select(r => r.Source).Order(StringComparer.Ordinal));
            Assert.All(instance.Ingress.Where(r => !r.IsPublic && r.Source.EndsWith("/16", StringComparison.Ordinal)), r => Assert.Equal("8080/tcp", r.PortText));
            // The monitoring host's /32 reaches the metrics ports and /status, nothing else
            Assert.Equal(["8080/tcp", "8889/tcp", "9100/tcp"], instance.Ingress.Where(r => r.Source == "10.50.15.254/32").Select(r => r.PortText).Order(StringComparer.Ordinal));
            Assert.Equal(3 + 4 + 3, instance.Ingress.Length);
        }
    }

    [Fact]
    public void Should_ReplicateGeneratedCredentialsWithRegionalKeys_When_Synthesized()
    {
        var secret = Assert.Single(ResourcesOfType("AWS::SecretsManager::Secret")).Resource;
        Assert.Equal("Retain", (string?)secret["DeletionPolicy"]);
        var props = secret["Properties"]!;
        Assert.Equal("aztec-infra/prod/ha-database", (string?)props["Name"]);
        Assert.NotNull(props["GenerateSecretString"]);
        Assert.Null(props["SecretString"]);
        var replicas = props["ReplicaRegions"]!.AsArray();
        Assert.Equal(["ap-southeast-1", "eu-west-1"], replicas.Select(r => (string)r!["Region"]!).Order(StringComparer.Ordinal));
        Assert.All(replicas, r => Assert.Contains("alias/aztec-infra/prod", r!["KmsKeyId"]!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Should_ConfigureHaSigningWithDistinctNodeIds_When_NodesBoot()
    {
        // Given each prod node's settings (user data file and settings parameter)
        var settings = Prod.NodeSettings().Values.ToList();

        // Then every node signs through the HA database, each with its own node id
        Assert.Equal(3, settings.Count);
        Assert.All(settings, s => Assert.Equal("true", s["HA_SIGNING_ENABLED"]));
        Assert.All(settings, s => Assert.Equal("aztec-infra/prod/ha-database", s["HA_DATABASE_SECRET_ID"]));
        Assert.Equal(["validator-ap", "validator-eu", "validator-us"], settings.Select(s => s["NODE_ID"]).Order(StringComparer.Ordinal));
        Assert.All(settings, s => Assert.Equal("mainnet", s["AZTEC_NETWORK"]));
    }

    [Fact]
    public void Should_LetEachNodeReadOnlyItsRegionsSecretReplica_When_RoleIsSynthesized()
    {
        foreach (var region in Regions)
        {
            var policy = Assert.Single(Prod.Facts($"aztec-infra-prod-validators-{region}").Resources.Values, r => (string?)r["Type"] == "AWS::IAM::Policy");
            var statement = Assert.Single(policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), s => s!["Action"]!.ToJsonString().Contains("secretsmanager:", StringComparison.Ordinal))!;
            // CDK's GrantRead on the imported secret: read and describe, nothing else.
            Assert.Equal("[\"secretsmanager:GetSecretValue\",\"secretsmanager:DescribeSecret\"]", statement["Action"]!.ToJsonString());
            var resource = statement["Resource"]!.ToJsonString();
            Assert.Contains($"secretsmanager:{region}:", resource, StringComparison.Ordinal);
            Assert.Contains("secret:aztec-infra/prod/ha-database-??????", resource, StringComparison.Ordinal);
        }
    }
}

[Collection(CdkCollection.Name)]
public sealed class TopologyTests
{
    private static StageAssembly Synthesize(string regionsYaml, string nodesYaml, string mode = "independent")
    {
        var yaml = StageYaml.Build(regionsYaml, nodesYaml, mode, stage: "topo");
        return StageApp.Synthesize(StageConfigLoader.Parse(yaml).Config, TestEnvironment.NewTempDirectory());
    }

    private static int Count(StageAssembly assembly, string type) =>
        assembly.Stacks.Sum(s => AztecInfra.Plan.TemplateFacts.Read(File.ReadAllText(s.TemplatePath)).ResourceCounts.GetValueOrDefault(type));

    [Fact]
    public void Should_PeerTenPairs_When_StageHasFiveRegions()
    {
        // Given five regions with a node each
        string[] regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"];
        var regionsYaml = string.Join("\n", regions.Select((r, i) => $"  - name: {r}\n    availabilityZones: [{r}{(r == "ap-northeast-1" ? "a" : "a")}]\n    vpcCidr: 10.{60 + i}.0.0/16"));
        var nodesYaml = string.Join("\n", regions.Select((r, i) => $"  - id: node-{i}\n    region: {r}"));

        // When synthesized, without code changes
        var assembly = Synthesize(regionsYaml, nodesYaml);

        // Then the mesh has 5*4/2 connections and there are 5 validators and the monitoring host
        Assert.Equal(10, Count(assembly, "AWS::EC2::VPCPeeringConnection"));
        Assert.Equal(5 + 1, Count(assembly, "AWS::EC2::Instance"));
    }

    [Fact]
    public void Should_PlaceTwoNodesInOneRegionStack_When_ConfiguredSo()
    {
        // Given two nodes in us-east-1 and one in eu-west-1, sharing attesters through the HA database
        const string regions = "  - name: us-east-1\n    availabilityZones: [us-east-1a, us-east-1b]\n    vpcCidr: 10.70.0.0/16\n  - name: eu-west-1\n    availabilityZones: [eu-west-1a]\n    vpcCidr: 10.71.0.0/16";
        const string attester = "0x1111111111111111111111111111111111111111";
        var nodes = string.Join("\n", new[] { ("a", "us-east-1", "us-east-1a"), ("b", "us-east-1", "us-east-1b"), ("c", "eu-west-1", "eu-west-1a") }
            .Select((n, i) => $"  - id: node-{n.Item1}\n    region: {n.Item2}\n    availabilityZone: {n.Item3}\n    attesters: [\"{attester}\"]\n    publisher: \"0x{i + 1}{new string('a', 39)}\""));

        // When synthesized in shared-signer mode
        var assembly = Synthesize(regions, nodes + "\n", "shared-signer\n  database: {region: us-east-1}");

        // Then us-east-1's validator stack holds two instances with their own launch templates, and one peering exists
        var us = AztecInfra.Plan.TemplateFacts.Read(File.ReadAllText(assembly.Stacks.Single(s => s.StackName == "aztec-infra-topo-validators-us-east-1").TemplatePath));
        Assert.Equal(2, us.ResourceCounts["AWS::EC2::Instance"]);
        Assert.Equal(2, us.ResourceCounts["AWS::EC2::LaunchTemplate"]);
        Assert.Equal(["us-east-1a", "us-east-1b"], us.Instances.Select(i => i.AvailabilityZone).Order(StringComparer.Ordinal));
        Assert.Equal(1, Count(assembly, "AWS::EC2::VPCPeeringConnection"));
        Assert.Equal(1, Count(assembly, "AWS::RDS::DBInstance"));
    }
}
