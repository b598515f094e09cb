namespace AztecInfra.Stages.Rules;

/// <summary>
/// How roles combine safely in one stage. A stage has at most one prover set (one operator's prover nodes
/// would compete for the same epoch proofs): exactly one <c>prover-node</c>, exactly one <c>prover-broker</c>
/// and at least one <c>prover-agent</c> entry, all in one region so the broker is reachable by security-group
/// reference. Only sequencers sign: no attesters on full or prover nodes, and a publisher only where one
/// publishes (sequencers and the prover node). The prover publisher's distinctness is a slashing rule
/// (<see cref="SlashingRules"/>).
/// </summary>
public static class RoleRules
{
    /// <summary>Returns every finding about roles; field paths in the stage file's style.</summary>
    public static IReadOnlyList<ConfigIssue> Check(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var issues = new List<ConfigIssue>();
        var nodes = config.Nodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var role = NodeRoles.Name(node.Role);
            if (node.Role != NodeRole.Sequencer && node.Attesters.Length > 0)
            {
                issues.Add(Error($"nodes[{i}].attesters", node.Attesters[0], $"must be empty for role {role}: only sequencers sign for attesters; an attester here would sign beside its sequencer and double-sign"));
            }

            if (node.Role is NodeRole.Full or NodeRole.ProverBroker or NodeRole.ProverAgent && node.Publisher is not null)
            {
                issues.Add(Error($"nodes[{i}].publisher", node.Publisher, $"is not used by role {role}: only sequencers and the prover node publish to L1"));
            }
        }

        var provers = nodes.Select((n, i) => (Node: n, Index: i)).Where(x => NodeRoles.IsProver(x.Node.Role)).ToList();
        if (provers.Count == 0)
        {
            return issues;
        }

        ExactlyOne(issues, provers, NodeRole.ProverNode, "proves and publishes the epoch; a second prover node would compete with the first for the same proofs");
        ExactlyOne(issues, provers, NodeRole.ProverBroker, "is the one job queue the prover node and the agents share");
        if (provers.All(x => x.Node.Role != NodeRole.ProverAgent))
        {
            var at = provers[0].Index;
            issues.Add(Error($"nodes[{at}].role", NodeRoles.Name(provers[0].Node.Role), "belongs to a prover set without agents; add a node with role: prover-agent (count: 1 or more): without agents nothing is proven"));
        }

        var region = provers[0].Node.Region;
        foreach (var (node, index) in provers.Where(x => x.Node.Region != region))
        {
            issues.Add(Error($"nodes[{index}].region", node.Region, $"must be {region}, the region of nodes[{provers[0].Index}]: the prover node, broker and agents of a prover set share one VPC (the broker admits only their security groups)"));
        }

        var proverNode = provers.FirstOrDefault(x => x.Node.Role == NodeRole.ProverNode);
        if (proverNode.Node is { Publisher: null } && config.Network == AztecNetwork.Mainnet)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Warning, $"nodes[{proverNode.Index}].publisher", null, $"is not recorded for prover node {proverNode.Node.Id}; run 'aztec-infra keys publisher --node {proverNode.Node.Id}' and record the address here, so the stage checks it is distinct from every sequencer's publisher and attesters"));
        }

        return issues;
    }

    private static void ExactlyOne(List<ConfigIssue> issues, List<(NodeConfig Node, int Index)> provers, NodeRole role, string why)
    {
        var name = NodeRoles.Name(role);
        var matching = provers.Where(x => x.Node.Role == role).ToList();
        if (matching.Count == 0)
        {
            issues.Add(Error($"nodes[{provers[0].Index}].role", NodeRoles.Name(provers[0].Node.Role), $"belongs to a prover set without a {name}; add exactly one node with role: {name} (it {why})"));
        }

        foreach (var (node, index) in matching.Skip(1))
        {
            issues.Add(Error($"nodes[{index}].role", name, $"is the second {name} of the stage (the first is nodes[{matching[0].Index}], {matching[0].Node.Id}); a prover set has exactly one: it {why}"));
        }
    }

    private static ConfigIssue Error(string field, string? value, string message) => new(IssueSeverity.Error, field, value, message);
}
