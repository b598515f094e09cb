using System.Collections.Immutable;
using AztecInfra.Stages;

namespace AztecInfra.Plan.Diagram;

/// <summary>
/// The picture of a stage, from what its templates declare: regions, VPCs with their CIDRs, peering,
/// validators with role and instance type, the HA database, the monitoring that runs on each node, and
/// every port open to the internet.
/// </summary>
public static class StageDiagram
{
    private static readonly ImmutableSortedDictionary<string, string> Box = Attrs(("shape", "box"), ("style", "rounded"));

    /// <summary>Builds the graph of a synthesized stage.</summary>
    public static DotGraph Build(StageConfig config, IEnumerable<(string StackName, string Region, TemplateFacts Facts)> stacks)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(stacks);
        var all = stacks.ToList();
        var edges = new List<DotEdge>();
        var clusters = new List<DotCluster>();
        var internet = new DotNode("internet", "internet\n0.0.0.0/0, ::/0", Attrs(("shape", "ellipse")));
        var databaseId = (string?)null;

        foreach (var region in all.Select(s => s.Region).Distinct(StringComparer.Ordinal))
        {
            var facts = all.Where(s => s.Region == region).Select(s => s.Facts).ToList();
            var nodes = new List<DotNode>();
            var cidr = facts.SelectMany(f => f.Resources.Values)
                .Where(r => (string?)r["Type"] == "AWS::EC2::VPC")
                .Select(r => (string?)r["Properties"]?["CidrBlock"])
                .FirstOrDefault() ?? "?";
            var vpcId = $"vpc:{region}";
            nodes.Add(new DotNode(vpcId, $"VPC {cidr}", Attrs(("shape", "box3d"))));

            foreach (var instance in facts.SelectMany(f => f.Instances))
            {
                var node = config.Nodes.FirstOrDefault(n => n.Id == instance.NodeId);
                var role = config.SharedSigner ? $"sequencer, HA node id {instance.NodeId}" : "sequencer";
                var spec = node is null ? instance.InstanceType : $"{instance.InstanceType} ({node.Instance.VCpus} vCPU, {node.Instance.MemoryGiB} GiB)";
                var data = instance.Volumes.FirstOrDefault(v => v.Kind == "data");
                var volume = data is null ? string.Empty : $"\ndata: {data.VolumeType} {data.SizeGiB} GiB";
                var monitoring = $"\nmonitoring on the node: {config.Monitoring.OtelCollector.Repository}, {config.Monitoring.NodeExporter.Repository}";
                var id = $"node:{instance.NodeId}";
                nodes.Add(new DotNode(id, $"{instance.NodeId}\n{role}\n{spec}{volume}{monitoring}", Box));
                edges.Add(new DotEdge(vpcId, id, string.Empty, Attrs(("style", "dotted"), ("arrowhead", "none"))));
                var open = instance.Ingress.Where(r => r.IsPublic).Select(r => r.PortText).Distinct(StringComparer.Ordinal).ToList();
                if (open.Count > 0)
                {
                    edges.Add(new DotEdge(internet.Id, id, "public: " + string.Join(", ", open), Attrs(("color", "firebrick"))));
                }
            }

            foreach (var db in facts.SelectMany(f => f.Databases))
            {
                databaseId = $"db:{region}";
                nodes.Add(new DotNode(databaseId, $"HA signing database\n{db.Engine}, {db.InstanceClass}\n{(db.MultiAz ? "Multi-AZ" : "single-AZ")}, {(db.Public ? "PUBLIC" : "private")}", Attrs(("shape", "cylinder"))));
            }

            clusters.Add(new DotCluster(region, region, [], [new DotCluster($"vpc-{region}", $"{region}: VPC {cidr}", [.. nodes], [])]));
        }

        foreach (var (_, region, facts) in all)
        {
            foreach (var peering in facts.Peerings)
            {
                edges.Add(new DotEdge($"vpc:{region}", $"vpc:{peering.PeerRegion}", "VPC peering", Attrs(("dir", "both"), ("color", "steelblue"))));
            }
        }

        if (databaseId is not null)
        {
            foreach (var (_, _, facts) in all)
            {
                foreach (var instance in facts.Instances)
                {
                    edges.Add(new DotEdge($"node:{instance.NodeId}", databaseId, "5432/tcp (HA signing)", Attrs(("style", "dashed"))));
                }
            }
        }

        var title = $"aztec-infra stage '{config.Stage}' ({config.Network.ToString().ToLowerInvariant()}, {config.AztecImage})";
        return new DotGraph(title, [internet], [.. clusters], [.. edges]);
    }

    private static ImmutableSortedDictionary<string, string> Attrs(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
