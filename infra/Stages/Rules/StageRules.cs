using System.Globalization;

namespace AztecInfra.Stages.Rules;

/// <summary>
/// Rules that look across fields of an already-typed stage: the hardware floor of each role (one table,
/// <see cref="HardwareFloors"/>), the rules that make it impossible to configure one attester on two nodes
/// without Aztec's HA signing database, and how roles combine (<see cref="RoleRules"/>).
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
        CheckAlarms(config, issues);
        issues.AddRange(RoleRules.Check(config));
        return issues;
    }

    private static void CheckHardware(StageConfig config, List<ConfigIssue> issues)
    {
        for (var i = 0; i < config.Nodes.Length; i++)
        {
            var node = config.Nodes[i];
            var floor = HardwareFloors.For(node.Role);
            var role = NodeRoles.Name(node.Role);
            var spec = node.Instance;
            if (!HardwareFloors.Meets(spec, floor))
            {
                issues.Add(BelowFloor(config, node.Role, $"nodes[{i}].instanceType", spec.Name, string.Create(
                    CultureInfo.InvariantCulture,
                    $"is below Aztec's {role} floor ({floor.VCpus} vCPU, {floor.MemoryGiB} GiB): {spec.Name} has {spec.VCpus} vCPU, {spec.MemoryGiB} GiB")));
            }

            if (node.DataVolume is { } volume && volume.SizeGiB < floor.DiskGiB)
            {
                issues.Add(BelowFloor(config, node.Role, $"nodes[{i}].dataVolume.sizeGiB", volume.SizeGiB.ToString(CultureInfo.InvariantCulture), string.Create(
                    CultureInfo.InvariantCulture,
                    $"is below Aztec's {role} disk floor of {floor.DiskGiB} GiB")));
            }
        }
    }

    /// <summary>
    /// Below a floor: a warning on testnet; on mainnet an error unless the role is accepted explicitly. The
    /// sequencer keeps its older wording and flag (<c>acceptBelowSequencerFloor</c>), which still works.
    /// </summary>
    private static ConfigIssue BelowFloor(StageConfig config, NodeRole role, string field, string value, string text)
    {
        var name = NodeRoles.Name(role);
        var flag = role == NodeRole.Sequencer ? "acceptBelowSequencerFloor: true (or acceptBelowFloor: [sequencer])" : $"acceptBelowFloor: [{name}]";
        var risk = role switch
        {
            NodeRole.Sequencer => "missed duties",
            NodeRole.Full => "an RPC node that falls behind the chain",
            _ => "proofs that miss the epoch's deadline",
        };
        if (config.Network == AztecNetwork.Mainnet && !config.AcceptBelowFloor.Contains(role))
        {
            return new ConfigIssue(IssueSeverity.Error, field, value, $"{text}; choose a larger one or set {flag} to accept the risk of {risk}");
        }

        return config.Network == AztecNetwork.Mainnet
            ? new ConfigIssue(IssueSeverity.Warning, field, value, $"{text}; accepted by {(role == NodeRole.Sequencer ? "acceptBelowSequencerFloor" : "acceptBelowFloor")}: expect {risk} under load")
            : new ConfigIssue(IssueSeverity.Warning, field, value, $"{text}; acceptable for a testnet bootstrap, expect slower sync and {risk} under load");
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

    private static void CheckAlarms(StageConfig config, List<ConfigIssue> issues)
    {
        if (config.Network == AztecNetwork.Mainnet && config.Alarms.IsEmpty)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Warning, "alarms", null, "has no subscription: when AWS recovers or reboots a validator, the stage's alarm topic notifies nobody; add alarms.email or alarms.https"));
        }
    }

    private static void CheckNodeIdentity(StageConfig config, List<ConfigIssue> issues)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < config.Nodes.Length; i++)
        {
            if (!firstIndex.TryAdd(config.Nodes[i].Id, i))
            {
                issues.Add(new ConfigIssue(IssueSeverity.Error, $"nodes[{i}].id", config.Nodes[i].Id, $"is also the id of nodes[{firstIndex[config.Nodes[i].Id]}]; node ids must be unique (they are the HA node id and the key parameter path)"));
            }
        }
    }

    private static void CheckSlashingSafety(StageConfig config, List<ConfigIssue> issues)
    {
        // Every node that signs or publishes: sequencers, and the prover node with its own publisher.
        var signers = config.Nodes
            .Where(n => n.Role is NodeRole.Sequencer or NodeRole.ProverNode)
            .Select(n => new NodeSigners(n.Id, n.Attesters, n.Publisher is null ? [] : [n.Publisher], n.Role == NodeRole.ProverNode));
        foreach (var finding in SlashingRules.Check(signers, config.SharedSigner))
        {
            var index = config.Nodes.IndexOf(config.Nodes.Last(n => n.Id == finding.NodeId));
            var field = finding.Risk is SlashingRisk.PublisherShared or SlashingRisk.ProverPublisherIsAttester ? $"nodes[{index}].publisher" : $"nodes[{index}].attesters[{finding.Index}]";
            issues.Add(new ConfigIssue(IssueSeverity.Error, field, finding.Address, finding.Message));
        }

        issues.AddRange(SlashingRules.CheckMode(config.SharedSigner, config.Sequencers.Length, config.Ha.Database?.Region)
            .Select(f => new ConfigIssue(IssueSeverity.Error, f.Field, f.Value, f.Message)));
        if (!config.SharedSigner)
        {
            return;
        }

        if (config.Ha.Database is { } database
            && config.Regions.FirstOrDefault(r => r.Name == database.Region) is { } dbRegion
            && dbRegion.AvailabilityZones.Length < 2)
        {
            issues.Add(new ConfigIssue(IssueSeverity.Error, "ha.database.region", database.Region, $"needs at least two availability zones in regions[{config.Regions.IndexOf(dbRegion)}].availabilityZones for a Multi-AZ database; it has {dbRegion.AvailabilityZones.Length}"));
        }

        foreach (var (node, index) in config.Nodes.Select((n, i) => (n, i)).Where(x => x.n.Role == NodeRole.Sequencer))
        {
            if (node.Publisher is null)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Warning, $"nodes[{index}].publisher", null, $"is not recorded for node {node.Id}; in shared-signer mode each node must publish with its own key (run 'aztec-infra keys publisher', then record the address here); 'keys verify' refuses stored keystores without distinct publishers"));
            }
        }
    }
}
