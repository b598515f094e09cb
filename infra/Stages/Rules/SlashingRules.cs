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

    /// <summary>
    /// The prover publishes from an account a sequencer signs or publishes with (a sequencer without a
    /// publisher sends from its attester account): proof submissions and block proposals collide on nonces.
    /// </summary>
    ProverPublisherIsAttester,
}

/// <summary>The signing identities of one node, from config or from its stored keystore.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Attesters">Attester addresses, in order.</param>
/// <param name="Publishers">Publisher addresses, in order.</param>
/// <param name="Prover">True for the prover node: it publishes proofs and must share no account with a sequencer.</param>
public sealed record NodeSigners(string NodeId, IReadOnlyList<string> Attesters, IReadOnlyList<string> Publishers, bool Prover = false);

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
        SlashingRisk.AttesterOnTwoNodes => $"is also on {OtherNode}: {OtherNode} and {NodeId} would sign for it uncoordinated in independent mode, double-sign and be slashed 5,000 AZTEC per duplicate; give it to one node, or use ha.mode: shared-signer",
        SlashingRisk.ProverPublisherIsAttester => $"is the prover publisher of {NodeId} and an attester of {OtherNode}: a sequencer without a publisher sends from its attester account, so proof submissions and block proposals would collide on nonces; give the prover its own key ('aztec-infra keys publisher --node {NodeId}')",
        _ => $"is the publisher of both {OtherNode} and {NodeId}: every node needs its own publisher key, or their L1 transactions collide on nonces",
    };
}

/// <summary>A broken rule about the HA mode itself, with the config field it names.</summary>
/// <param name="Field">Config field.</param>
/// <param name="Value">Value received, if any.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record ModeFinding(string Field, string? Value, string Message);

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
        var all = nodes.ToList();
        var findings = new List<SlashingFinding>();
        var attesterNode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var publisherNode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in all)
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

        // The prover's publisher against every attester, wherever the nodes are listed (after the loop, so order does not matter).
        foreach (var prover in all.Where(n => n.Prover))
        {
            for (var i = 0; i < prover.Publishers.Count; i++)
            {
                if (attesterNode.TryGetValue(prover.Publishers[i], out var sequencer) && sequencer != prover.NodeId)
                {
                    findings.Add(new SlashingFinding(SlashingRisk.ProverPublisherIsAttester, prover.NodeId, i, prover.Publishers[i], sequencer));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// The rules of the HA mode: shared signing needs at least two nodes and the one signing database, and a
    /// database without shared signing is a mistake. Applied to the stage file and to what Kubernetes renders.
    /// </summary>
    /// <param name="sharedSigner">True in shared-signer mode.</param>
    /// <param name="nodes">How many nodes (or replicas) sign.</param>
    /// <param name="database">The database's name or region when one is configured, else null.</param>
    public static IReadOnlyList<ModeFinding> CheckMode(bool sharedSigner, int nodes, string? database)
    {
        var findings = new List<ModeFinding>();
        if (!sharedSigner)
        {
            if (database is not null)
            {
                findings.Add(new ModeFinding("ha.database", database, "is only used with ha.mode: shared-signer; remove it or switch the mode"));
            }

            return findings;
        }

        if (nodes < 2)
        {
            findings.Add(new ModeFinding("ha.mode", "shared-signer", $"needs at least two nodes; this stage has {nodes}"));
        }

        if (database is null)
        {
            findings.Add(new ModeFinding("ha.database", null, "is required with ha.mode: shared-signer: without the one primary signing database, shared attesters double-sign"));
        }

        return findings;
    }
}
