namespace AztecInfra.Stages.Rules;

/// <summary>What would get a stage slashed or its L1 transactions stuck.</summary>
public enum SlashingRisk
{
    /// <summary>An attester listed twice for one node.</summary>
    AttesterTwiceOnNode,

    /// <summary>One attester on two nodes without Aztec's HA signing database: a double-sign.</summary>
    AttesterOnTwoNodes,

    /// <summary>Two nodes publishing with one key: their L1 transactions collide on nonces.</summary>
    PublisherShared,
}

/// <summary>The signing identities of one node, from config or from its stored keystore.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Attesters">Attester addresses, in order.</param>
/// <param name="Publishers">Publisher addresses, in order.</param>
public sealed record NodeSigners(string NodeId, IReadOnlyList<string> Attesters, IReadOnlyList<string> Publishers);

/// <summary>One broken slashing rule.</summary>
/// <param name="Risk">Which rule.</param>
/// <param name="NodeId">The node the finding is about (the later of two, for cross-node rules).</param>
/// <param name="Index">Position of the address in that node's attesters or publishers.</param>
/// <param name="Address">The attester or publisher address (public).</param>
/// <param name="OtherNode">The node it collides with, for cross-node rules.</param>
public sealed record SlashingFinding(SlashingRisk Risk, string NodeId, int Index, string Address, string? OtherNode)
{
    /// <summary>What is wrong, to follow the field and the address.</summary>
    public string Message => Risk switch
    {
        SlashingRisk.AttesterTwiceOnNode => "is listed twice on the same node; an attester may appear only once per node",
        SlashingRisk.AttesterOnTwoNodes => $"is also on {OtherNode}: {OtherNode} and {NodeId} would sign for it uncoordinated, double-sign and be slashed 5,000 AZTEC per duplicate; give it to one node, or use ha.mode: shared-signer",
        _ => $"is the publisher of both {OtherNode} and {NodeId}: every node needs its own publisher key, or their L1 transactions collide on nonces",
    };
}

/// <summary>
/// The slashing rules, written once. The stage validator applies them to the attesters in config, and
/// <c>keys import</c> and <c>keys verify</c> to the keystores actually stored, so a rule cannot disagree
/// with itself across those paths.
/// </summary>
public static class SlashingRules
{
    /// <summary>Checks the nodes of one stage; <paramref name="sharedSigner"/> is true when Aztec's HA signing coordinates them.</summary>
    public static IReadOnlyList<SlashingFinding> Check(IEnumerable<NodeSigners> nodes, bool sharedSigner)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var findings = new List<SlashingFinding>();
        var attesterNode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var publisherNode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in nodes)
        {
            var onThisNode = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < node.Attesters.Count; i++)
            {
                var attester = node.Attesters[i];
                if (!onThisNode.Add(attester))
                {
                    findings.Add(new SlashingFinding(SlashingRisk.AttesterTwiceOnNode, node.NodeId, i, attester, null));
                }
                else if (attesterNode.TryGetValue(attester, out var other) && !sharedSigner)
                {
                    findings.Add(new SlashingFinding(SlashingRisk.AttesterOnTwoNodes, node.NodeId, i, attester, other));
                }
                else
                {
                    attesterNode.TryAdd(attester, node.NodeId);
                }
            }

            var publishers = node.Publishers.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            for (var i = 0; i < publishers.Count; i++)
            {
                if (publisherNode.TryGetValue(publishers[i], out var other))
                {
                    findings.Add(new SlashingFinding(SlashingRisk.PublisherShared, node.NodeId, i, publishers[i], other));
                }
                else
                {
                    publisherNode.Add(publishers[i], node.NodeId);
                }
            }
        }

        return findings;
    }
}
