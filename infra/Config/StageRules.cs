using System.Collections.Immutable;
using System.Globalization;

namespace AztecInfra.Config;

/// <summary>
/// Rules that look across fields of an already-typed stage: the hardware floor and the rules that make it
/// impossible to configure one attester on two nodes without Aztec's HA signing database.
/// </summary>
public static class StageRules
{
    /// <summary>Returns every finding for the stage; an empty list means it may be planned.</summary>
    public static IReadOnlyList<ConfigIssue> Check(StageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var issues = new List<ConfigIssue>();
        CheckHardware(config, issues);
        CheckImages(config, issues);
        CheckNodeIdentity(config, issues);
        CheckSlashingSafety(config, issues);
        return issues;
    }

    /// <summary>
    /// The attesters that more than one node signs for (case-insensitive), with those nodes in order. The one
    /// definition of "shared attester" that the config loader and the Kubernetes renderer both apply.
    /// </summary>
    public static IReadOnlyList<SharedAttester> SharedAttesters(IEnumerable<(string Node, IEnumerable<string> Attesters)> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes
            .SelectMany(n => n.Attesters.Distinct(StringComparer.OrdinalIgnoreCase).Select(a => (Attester: a, n.Node)))
            .GroupBy(x => x.Attester, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => new SharedAttester(g.Key, g.Select(x => x.Node).ToImmutableArray()))
            .ToList();
    }

    private static void CheckHardware(StageConfig config, List<ConfigIssue> issues)
    {
        for (var i = 0; i < config.Nodes.Length; i++)
        {
            var spec = config.Nodes[i].Instance;
            if (InstanceCatalog.MeetsSequencerFloor(spec))
            {
                continue;
            }

            var text = string.Create(
                CultureInfo.InvariantCulture,
                $"is below Aztec's sequencer floor ({InstanceCatalog.SequencerFloorVCpus} vCPU, {InstanceCatalog.SequencerFloorMemoryGiB} GiB): {spec.Name} has {spec.VCpus} vCPU, {spec.MemoryGiB} GiB");
            if (config.Network == AztecNetwork.Mainnet && !config.AcceptBelowSequencerFloor)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Error, $"nodes[{i}].instanceType", spec.Name, text + "; choose a larger type or set acceptBelowSequencerFloor: true to accept the risk of missed duties"));
            }
            else if (config.Network == AztecNetwork.Mainnet)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Warning, $"nodes[{i}].instanceType", spec.Name, text + "; accepted by acceptBelowSequencerFloor: expect missed duties under load"));
            }
            else
            {
                issues.Add(new ConfigIssue(IssueSeverity.Warning, $"nodes[{i}].instanceType", spec.Name, text + "; acceptable for a testnet bootstrap, expect slower sync and missed duties under load"));
            }
        }
    }

    private static void CheckImages(StageConfig config, List<ConfigIssue> issues)
    {
        if (config.Network != AztecNetwork.Mainnet)
        {
            return;
        }

        for (var i = 0; i < config.Regions.Length; i++)
        {
            if (config.Regions[i].AmiId is null && config.Nodes.Any(n => n.Region == config.Regions[i].Name))
            {
                issues.Add(new ConfigIssue(IssueSeverity.Warning, $"regions[{i}].amiId", null, "is not pinned: the instance follows Canonical's current Ubuntu image, so the first deploy after a new image replaces the validator (the new instance cannot take the data volume while the old one holds it, so the deploy fails and rolls back); pin amiId to choose when the OS changes"));
            }
        }
    }

    private static void CheckNodeIdentity(StageConfig config, List<ConfigIssue> issues)
    {
        foreach (var group in config.Nodes.Select((n, i) => (n, i)).GroupBy(x => x.n.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var indexes = string.Join(", ", group.Select(x => $"nodes[{x.i}]"));
            issues.Add(new ConfigIssue(IssueSeverity.Error, "nodes[].id", group.Key, $"is used by {indexes}; node ids must be unique (they are the HA node id and the key parameter path)"));
        }

        var publishers = config.Nodes.Where(n => n.Publisher is not null).GroupBy(n => n.Publisher!, StringComparer.OrdinalIgnoreCase);
        foreach (var group in publishers.Where(g => g.Count() > 1))
        {
            issues.Add(new ConfigIssue(IssueSeverity.Error, "nodes[].publisher", group.Key, $"is the publisher of nodes {string.Join(", ", group.Select(n => n.Id))}; every node needs its own publisher key, or their L1 transactions collide on nonces"));
        }
    }

    private static void CheckSlashingSafety(StageConfig config, List<ConfigIssue> issues)
    {
        foreach (var node in config.Nodes)
        {
            foreach (var twice in node.Attesters.GroupBy(a => a, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                issues.Add(new ConfigIssue(IssueSeverity.Error, $"nodes[{node.Id}].attesters", twice.Key, "is listed twice on the same node; an attester may appear only once per node"));
            }
        }

        if (config.Ha.Mode == HaMode.Independent)
        {
            foreach (var shared in SharedAttesters(config.Nodes.Select(n => (n.Id, (IEnumerable<string>)n.Attesters))))
            {
                var nodes = string.Join(", ", shared.Nodes);
                issues.Add(new ConfigIssue(IssueSeverity.Error, "nodes[].attesters", shared.Address, $"is assigned to nodes {nodes} in independent mode: two uncoordinated nodes with one attester key double-sign and are slashed 5,000 AZTEC per duplicate; give it to one node, or use ha.mode: shared-signer"));
            }

            if (config.Ha.Database is not null)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Error, "ha.database", config.Ha.Database.Region, "is only used with ha.mode: shared-signer; remove it or switch the mode"));
            }

            return;
        }

        if (config.Nodes.Length < 2)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Error, "ha.mode", "shared-signer", $"needs at least two nodes; this stage has {config.Nodes.Length}"));
        }

        if (config.Ha.Database is { } database
            && config.Regions.FirstOrDefault(r => r.Name == database.Region) is { } dbRegion
            && dbRegion.AvailabilityZones.Length < 2)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Error, "ha.database.region", database.Region, $"needs at least two availability zones in regions[{config.Regions.IndexOf(dbRegion)}].availabilityZones for a Multi-AZ database; it has {dbRegion.AvailabilityZones.Length}"));
        }

        if (config.Ha.Database is null)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Error, "ha.database", null, "is required with ha.mode: shared-signer: without the one primary signing database, shared attesters double-sign"));
        }

        foreach (var (node, index) in config.Nodes.Select((n, i) => (n, i)))
        {
            if (node.Publisher is null)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Warning, $"nodes[{index}].publisher", null, $"is not recorded for node {node.Id}; in shared-signer mode each node must publish with its own key (run 'aztec-infra keys publisher', then record the address here); 'keys verify' refuses stored keystores without distinct publishers"));
            }
        }
    }
}

/// <summary>An attester address and the nodes that sign for it.</summary>
/// <param name="Address">Attester address as first written.</param>
/// <param name="Nodes">Ids of the nodes listing it, in declaration order.</param>
public sealed record SharedAttester(string Address, ImmutableArray<string> Nodes);
