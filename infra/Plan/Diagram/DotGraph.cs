using System.Collections.Immutable;
using System.Text;

namespace AztecInfra.Plan.Diagram;

/// <summary>A Graphviz node: id, label and attributes.</summary>
/// <param name="Id">Node id (any text; always quoted).</param>
/// <param name="Label">Label; line breaks become centred lines.</param>
/// <param name="Attributes">More attributes (shape, style...).</param>
public sealed record DotNode(string Id, string Label, ImmutableSortedDictionary<string, string> Attributes);

/// <summary>A Graphviz edge.</summary>
/// <param name="From">Tail node id.</param>
/// <param name="To">Head node id.</param>
/// <param name="Label">Edge label, or empty.</param>
/// <param name="Attributes">More attributes.</param>
public sealed record DotEdge(string From, string To, string Label, ImmutableSortedDictionary<string, string> Attributes);

/// <summary>A cluster (boxed subgraph) holding nodes and nested clusters.</summary>
/// <param name="Id">Cluster id.</param>
/// <param name="Label">Label shown on the box.</param>
/// <param name="Nodes">Nodes inside.</param>
/// <param name="Clusters">Clusters inside.</param>
public sealed record DotCluster(string Id, string Label, ImmutableArray<DotNode> Nodes, ImmutableArray<DotCluster> Clusters);

/// <summary>
/// A typed Graphviz digraph and its one rendering to DOT text. Every id and label is written as a quoted
/// string with <c>\</c>, <c>"</c> and line breaks escaped, so no value from a stage file can end a string
/// or inject a statement.
/// </summary>
/// <param name="Label">Graph title.</param>
/// <param name="Nodes">Top-level nodes.</param>
/// <param name="Clusters">Top-level clusters.</param>
/// <param name="Edges">Edges.</param>
public sealed record DotGraph(string Label, ImmutableArray<DotNode> Nodes, ImmutableArray<DotCluster> Clusters, ImmutableArray<DotEdge> Edges)
{
    /// <summary>The DOT text.</summary>
    public string ToDot()
    {
        var dot = new StringBuilder();
        dot.Append("digraph stage {\n");
        dot.Append($"  graph [label={Quote(Label)}, labelloc=t, fontname=Helvetica, rankdir=LR, compound=true];\n");
        dot.Append("  node [fontname=Helvetica, fontsize=11];\n  edge [fontname=Helvetica, fontsize=10];\n");
        foreach (var node in Nodes)
        {
            Node(dot, node, "  ");
        }

        foreach (var cluster in Clusters)
        {
            Cluster(dot, cluster, "  ");
        }

        foreach (var edge in Edges)
        {
            dot.Append($"  {Quote(edge.From)} -> {Quote(edge.To)} [{Attributes(edge.Attributes.SetItem("label", edge.Label))}];\n");
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>A DOT quoted string: backslash, double quote and line breaks escaped (a break becomes a centred line).</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => string.Empty,
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }

        return escaped.Append('"').ToString();
    }

    private static void Node(StringBuilder dot, DotNode node, string indent) =>
        dot.Append($"{indent}{Quote(node.Id)} [{Attributes(node.Attributes.SetItem("label", node.Label))}];\n");

    private static void Cluster(StringBuilder dot, DotCluster cluster, string indent)
    {
        dot.Append($"{indent}subgraph {Quote("cluster_" + cluster.Id)} {{\n{indent}  label={Quote(cluster.Label)};\n");
        foreach (var node in cluster.Nodes)
        {
            Node(dot, node, indent + "  ");
        }

        foreach (var inner in cluster.Clusters)
        {
            Cluster(dot, inner, indent + "  ");
        }

        dot.Append($"{indent}}}\n");
    }

    private static string Attributes(ImmutableSortedDictionary<string, string> attributes) =>
        string.Join(", ", attributes.Select(a => $"{a.Key}={Quote(a.Value)}"));
}
