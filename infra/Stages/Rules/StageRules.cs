using System.Globalization;

namespace AztecInfra.Stages.Rules;

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
        CheckAlarms(config, issues);
        return issues;
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
        var signers = config.Nodes.Select(n => new NodeSigners(n.Id, n.Attesters, n.Publisher is null ? [] : [n.Publisher]));
        foreach (var finding in SlashingRules.Check(signers, config.SharedSigner))
        {
            var index = config.Nodes.IndexOf(config.Nodes.Last(n => n.Id == finding.NodeId));
            var field = finding.Risk == SlashingRisk.PublisherShared ? $"nodes[{index}].publisher" : $"nodes[{index}].attesters[{finding.Index}]";
            issues.Add(new ConfigIssue(IssueSeverity.Error, field, finding.Address, finding.Message));
        }

        issues.AddRange(SlashingRules.CheckMode(config.SharedSigner, config.Nodes.Length, config.Ha.Database?.Region)
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

        foreach (var (node, index) in config.Nodes.Select((n, i) => (n, i)))
        {
            if (node.Publisher is null)
            {
                issues.Add(new ConfigIssue(IssueSeverity.Warning, $"nodes[{index}].publisher", null, $"is not recorded for node {node.Id}; in shared-signer mode each node must publish with its own key (run 'aztec-infra keys publisher', then record the address here); 'keys verify' refuses stored keystores without distinct publishers"));
            }
        }
    }
}
