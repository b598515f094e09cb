using System.Collections.Immutable;
using System.Globalization;
using AztecInfra.Bootstrap;
using AztecInfra.Cost;
using AztecInfra.Plan;
using AztecInfra.Primitives;
using AztecInfra.Stacks;
using AztecInfra.Stages;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AztecInfra.Cli.Plan;

/// <summary>The plan as text for a terminal or a CI log.</summary>
internal static class PlanTextView
{
    public static void Render(StagePlan plan, CliOutput output, string outdir, string? baselineDir)
    {
        if (plan.Diff is not null)
        {
            RenderDiff(output, plan, baselineDir!);
        }

        RenderPlan(output, plan, outdir);
    }

    /// <summary>"Size: 1000 → 2000", or for a setting line inside a text value, "Value AZTEC_IMAGE: aztecprotocol/aztec 5.2.0 → 5.3.0".</summary>
    internal static string Describe(ValueChange value)
    {
        if (value.Line is null)
        {
            return $"{value.Property}: {new SettingChange(value.Property, value.Old, value.New).Text}";
        }

        string? Strip(string? line) => line is null ? null : line[(line.IndexOfAny(['=', ':']) + 1)..].Trim();
        return $"{value.Property} {value.Line}: {new SettingChange(value.Line, Strip(value.Old), Strip(value.New)).Text}";
    }

    private static void RenderDiff(CliOutput w, StagePlan plan, string baselineDir)
    {
        var diff = plan.Diff!;
        var delta = diff.MonthlyUsdAfter - diff.MonthlyUsdBefore;
        w.Line($"Changes against the baseline in {baselineDir}:");
        w.Line($"  monthly cost {Money(diff.MonthlyUsdBefore)} -> {Money(diff.MonthlyUsdAfter)} ({(delta >= 0 ? "+" : "-")}{Money(Math.Abs(delta))})");
        foreach (var (component, before, after) in diff.CostChanges)
        {
            w.Line($"    {component}: {Money(before)} -> {Money(after)}");
        }

        foreach (var stack in diff.AddedStacks)
        {
            w.Line($"  + stack {stack}");
        }

        foreach (var stack in diff.RemovedStacks)
        {
            w.Line($"  - stack {stack}");
        }

        RenderNodes(w, plan);
        if (diff.Changes.IsEmpty)
        {
            w.Line("  no resource changes");
        }

        foreach (var change in diff.Changes)
        {
            var mark = change.Kind switch { ChangeKind.Added => "+", ChangeKind.Removed => "-", _ => "~" };
            var detail = change.Properties.IsEmpty ? string.Empty : $" ({string.Join(", ", change.Properties)})";
            w.Line($"  {mark} {change.Stack}/{change.LogicalId} {change.Type}{detail}");
            foreach (var value in change.Values)
            {
                w.Line($"      {Describe(value)}");
            }

            if (!change.Replaces.IsEmpty)
            {
                w.Line($"      ! REPLACEMENT of a stateful resource: {string.Join(", ", change.Replaces)} cannot change in place");
            }
            else if (change.Kind == ChangeKind.Removed && change.TouchesState)
            {
                w.Line("      ! removes a stateful resource (retained ones stay in the account, detached from the stack)");
            }

            if (!change.Interrupts.IsEmpty)
            {
                w.Line($"      ! stops and starts the instance ({string.Join(", ", change.Interrupts)}): the validator misses duties meanwhile");
            }
        }

        w.Line();
    }

    private static void RenderNodes(CliOutput w, StagePlan plan)
    {
        var nodes = plan.Nodes!;
        foreach (var node in nodes.Nodes)
        {
            w.Line($"  node {node.NodeId} ({node.Stack}):");
            foreach (var setting in node.Settings)
            {
                w.Line($"      {setting.Name}: {setting.Text}");
            }

            foreach (var field in node.DataVolume)
            {
                w.Line($"      dataVolume.{field.Name}: {field.Text}");
            }

            w.Line($"      {node.Restart}");
        }

        if (nodes.Nodes.Any(n => !n.Settings.IsEmpty || !n.DataVolume.IsEmpty))
        {
            w.Line($"  apply on the hosts after the deploy, one node at a time: aztec-infra rollout --stage {plan.Loaded.Config.Stage}");
        }

        foreach (var warning in nodes.Warnings)
        {
            w.Line($"  ! {warning}");
        }
    }

    private static void RenderPlan(CliOutput w, StagePlan plan, string outdir)
    {
        var (loaded, assembly, facts, cost) = (plan.Loaded, plan.Assembly, plan.Facts, plan.Cost);
        var config = loaded.Config;
        w.Line($"Plan for stage '{config.Stage}': Aztec {Lower(config.Network)}, image {config.AztecImage}, HA mode {(config.SharedSigner ? "shared-signer" : "independent")}");
        w.Line($"Synthesized offline into {outdir}: {assembly.Stacks.Length} stack(s), no AWS calls. Bootstrap script sha256 {CloudConfig.BootstrapScriptSha256[..16]}…");
        w.Line();

        w.Line("Deploy order (npx aws-cdk deploy --all follows it):");
        for (var i = 0; i < assembly.Stacks.Length; i++)
        {
            var s = assembly.Stacks[i];
            var after = s.Dependencies.IsEmpty ? string.Empty : $"  after {string.Join(", ", s.Dependencies)}";
            w.Line($"  {i + 1}. {s.StackName} ({s.Region}){after}");
        }

        w.Line();
        foreach (var stack in assembly.Stacks)
        {
            w.Line($"{stack.StackName} ({stack.Region})");
            var table = new Table { Border = TableBorder.Ascii };
            table.AddColumn("Resource type");
            table.AddColumn(new TableColumn("Count").RightAligned());
            foreach (var (type, count) in facts[stack.StackName].ResourceCounts)
            {
                table.AddRow(Markup.Escape(type), count.ToString(CultureInfo.InvariantCulture));
            }

            w.Write(table);
            foreach (var key in facts[stack.StackName].Keys)
            {
                w.Line($"  KMS key {key.LogicalId}: rotation {(key.Rotation ? "on" : "OFF")}, {(key.Retained ? "retained on stack delete" : "DELETED with the stack")}");
            }

            w.Line();
        }

        RenderValidators(w, config, assembly, facts);
        RenderMesh(w, config, assembly, facts);
        RenderDatabase(w, facts.Values);
        RenderMonitoring(w, assembly, facts);
        RenderWarnings(w, loaded);
        RenderCost(w, config, cost);
    }

    private static void RenderValidators(CliOutput w, StageConfig config, StageAssembly assembly, ImmutableSortedDictionary<string, TemplateFacts> facts)
    {
        var table = new Table { Border = TableBorder.Ascii, Title = new TableTitle("Nodes") };
        foreach (var column in new[] { "Node (HA node id)", "Region / zone", "Instance", "Floor (role)", "Data volume", "Role", "Signs for attesters" })
        {
            table.AddColumn(column);
        }

        foreach (var node in config.Nodes)
        {
            var attesters = node.Role != NodeRole.Sequencer ? "(none: only sequencers sign)"
                : node.Attesters.IsEmpty ? "(from its stored keystore; none listed in config)" : string.Join("\n", node.Attesters);
            var floor = HardwareFloors.For(node.Role);
            var meets = HardwareFloors.Meets(node.Instance, floor) && (node.DataVolume is null || node.DataVolume.SizeGiB >= floor.DiskGiB);
            var volume = node.DataVolume is { } v ? $"gp3 {v.SizeGiB} GiB, {v.Iops} IOPS, {v.ThroughputMBps} MB/s" : "none (stateless; root volume only)";
            var instance = $"{node.Instance.Name} ({node.Instance.VCpus} vCPU, {node.Instance.MemoryGiB} GiB, {Lower(node.Instance.Architecture)})";
            if (node.Agents is { } agents)
            {
                instance = $"{agents.Count} × {instance}, {(agents.Spot ? "Spot with capacity rebalancing" : "on-demand")}";
            }

            table.AddRow(
                Markup.Escape(node.Id),
                Markup.Escape(node.Role == NodeRole.ProverAgent ? $"{node.Region} / every zone" : $"{node.Region} / {node.AvailabilityZone}"),
                Markup.Escape(instance),
                Markup.Escape($"{floor}: {(meets ? "meets" : "BELOW")}"),
                Markup.Escape(volume),
                Markup.Escape(RoleText(config, node)),
                Markup.Escape(attesters));
        }

        w.Write(table);
        foreach (var stack in assembly.Stacks)
        {
            foreach (var instance in facts[stack.StackName].Instances)
            {
                w.Line($"  {stack.StackName}/{instance.LogicalId}: {instance.InstanceType} in {instance.AvailabilityZone}, IMDSv2 {(instance.ImdsV2Required ? "required" : "NOT required")}, healthy signal within {instance.SignalTimeout ?? "(no signal)"}, user data {instance.UserDataBytes} of {CloudConfig.UserDataLimitBytes} bytes");
                var open = instance.Ingress.Where(r => r.IsPublic).Select(r => $"{r.PortText} from {r.Source}");
                var restricted = instance.Ingress.Where(r => !r.IsPublic).Select(r => $"{r.PortText} from {r.Source}");
                w.Line($"    public inbound:  {Join(open)}");
                w.Line($"    private inbound: {Join(restricted)}");
                foreach (var volume in instance.Volumes)
                {
                    var iops = volume.Iops is null ? string.Empty : $", {volume.Iops} IOPS, {volume.ThroughputMBps} MB/s";
                    var encryption = !volume.Encrypted ? "NOT encrypted" : volume.CustomerKey ? "encrypted with the stage key" : "encrypted with the AWS-managed key";
                    w.Line($"    {volume.Kind} volume: {volume.VolumeType} {volume.SizeGiB} GiB{iops}, {encryption}, {(volume.Retained ? "retained on stack delete" : "deleted with the instance")}");
                }
            }
        }

        foreach (var stack in assembly.Stacks)
        {
            foreach (var group in facts[stack.StackName].AutoScalingGroups)
            {
                var template = group.LaunchTemplate;
                w.Line($"  {stack.StackName}/{group.LogicalId}: Auto Scaling group {group.NodeId}, {group.DesiredCapacity} × {template.InstanceType} ({(group.Spot ? "Spot, capacity rebalancing " + (group.CapacityRebalance ? "on" : "OFF") : "on-demand")}), IMDSv2 {(template.ImdsV2Required ? "required" : "NOT required")} with hop limit {template.HopLimit?.ToString(CultureInfo.InvariantCulture) ?? "default"}, user data {template.UserDataBytes} of {CloudConfig.UserDataLimitBytes} bytes");
                w.Line($"    inbound: {Join(group.Ingress.Select(r => $"{r.PortText} from {r.Source}"))}");
                foreach (var volume in template.Volumes)
                {
                    w.Line($"    {volume.Kind} volume: {volume.VolumeType} {volume.SizeGiB} GiB, {(volume.CustomerKey ? "encrypted with the stage key" : volume.Encrypted ? "encrypted with the AWS-managed key" : "NOT encrypted")}, deleted with the instance");
                }
            }
        }

        w.Line();
    }

    private static string RoleText(StageConfig config, NodeConfig node) => node.Role switch
    {
        NodeRole.Sequencer => config.SharedSigner ? $"sequencer, HA signing as node id {node.Id}" : "sequencer",
        NodeRole.Full => $"full (RPC), keeps {(node.History!.HistoricCheckpoints == 0 ? "every" : node.History.HistoricCheckpoints.ToString(CultureInfo.InvariantCulture))} checkpoint(s), {node.History.ArchivedTxLimit.ToString(CultureInfo.InvariantCulture)} archived tx",
        NodeRole.ProverNode => "prover node (own publisher key)",
        NodeRole.ProverBroker => "prover broker (8080 from prover node and agents only)",
        _ => "prover agents (stateless)",
    };

    private static void RenderMesh(CliOutput w, StageConfig config, StageAssembly assembly, ImmutableSortedDictionary<string, TemplateFacts> facts)
    {
        if (config.Regions.Length < 2)
        {
            return;
        }

        var connections = assembly.Stacks.SelectMany(s => facts[s.StackName].Peerings.Select(p => $"{s.Region} <-> {p.PeerRegion}")).ToList();
        w.Line($"VPC peering: {connections.Count} connection(s), full mesh of {config.Regions.Length} regions needs {config.Regions.Length * (config.Regions.Length - 1) / 2}");
        foreach (var connection in connections)
        {
            w.Line($"  {connection}");
        }

        foreach (var stack in assembly.Stacks.Where(s => !facts[s.StackName].PeeringRoutes.IsEmpty))
        {
            var routes = facts[stack.StackName].PeeringRoutes;
            var byCidr = routes.GroupBy(r => r.DestinationCidr, StringComparer.Ordinal).Select(g => $"{g.Key} in {g.Count()} route table(s)");
            w.Line($"  routes in {stack.Region}: {string.Join(", ", byCidr)}");
        }

        w.Line();
    }

    private static void RenderDatabase(CliOutput w, IEnumerable<TemplateFacts> all)
    {
        var list = all.ToList();
        foreach (var db in list.SelectMany(f => f.Databases))
        {
            w.Line($"HA signing database: {db.Engine} on {db.InstanceClass}, {(db.MultiAz ? "Multi-AZ" : "SINGLE-AZ")}, {(db.EncryptedWithCustomerKey ? "encrypted with the stage key" : "NOT encrypted with the stage key")}, {(db.Public ? "PUBLICLY ACCESSIBLE" : "not public")}");
            w.Line($"  deletion protection {(db.DeletionProtection ? "on" : "OFF")}, automated backups {db.BackupRetentionDays} day(s), on stack delete: {db.DeletionPolicy}");
            w.Line($"  inbound: {Join(db.Ingress.Select(r => $"{r.PortText} from {r.Source} ({r.Description})"))}");
        }

        foreach (var secret in list.SelectMany(f => f.Secrets))
        {
            w.Line($"  credentials: generated by AWS into secret {secret.Name}, replicated to {Join(secret.ReplicaRegions)}, {(secret.Retained ? "retained on stack delete" : "deleted with the stack")}");
        }

        if (list.Any(f => !f.Databases.IsEmpty))
        {
            w.Line();
        }
    }

    private static void RenderMonitoring(CliOutput w, StageAssembly assembly, ImmutableSortedDictionary<string, TemplateFacts> facts)
    {
        foreach (var stack in assembly.Stacks.Where(s => facts[s.StackName].Monitoring is not null))
        {
            var f = facts[stack.StackName];
            var m = f.Monitoring!;
            var host = f.Instances.Single(i => i.LogicalId == m.InstanceLogicalId);
            w.Line($"Monitoring host: {host.InstanceType} in {host.AvailabilityZone} ({stack.StackName}), Prometheus keeps {m.RetentionDays} days, Grafana through SSM port forwarding only");
            w.Line($"  inbound: {(host.Ingress.IsEmpty ? "none (no rule at all)" : Join(host.Ingress.Select(r => $"{r.PortText} from {r.Source}")))}");
            w.Line($"  scrapes over private addresses: {Join(m.ScrapedNodes)}");
            var admits = assembly.Stacks
                .SelectMany(s => facts[s.StackName].Instances.Where(i => i.IsValidator).Select(i => (i.NodeId, Rules: i.Ingress.Where(r => r.FromPort is Ports.CollectorMetrics or Ports.NodeExporter).ToList())))
                .Select(x => $"{x.NodeId}: {(x.Rules.Count == 0 ? "metrics ports CLOSED" : string.Join(", ", x.Rules.Select(r => $"{r.PortText} from {r.Source}")))}");
            w.Line($"  scrape access: {Join(admits)}");
            w.Line($"  alert receivers: {Join(m.Receivers)}");
            foreach (var topic in assembly.Stacks.SelectMany(s => facts[s.StackName].Topics.Select(t => (s.Region, t))))
            {
                w.Line($"  topic: {topic.t.Name} in {topic.Region}, {(topic.t.Encrypted ? "encrypted" : "NOT encrypted")}, {topic.t.Subscriptions} subscription(s)");
            }

            foreach (var alarm in f.Alarms.Where(a => !a.OnInstance))
            {
                w.Line($"  heartbeat alarm: {m.Heartbeat}, missing data is {alarm.TreatMissingData}, {(alarm.NotifiesTopics.IsEmpty ? "notifies NO topic" : "notifies the stage's alarm topic")}");
            }

            w.Line();
        }
    }

    private static void RenderWarnings(CliOutput w, LoadedConfig loaded)
    {
        if (loaded.Warnings.IsEmpty)
        {
            w.Line("Warnings: none");
        }
        else
        {
            w.Line($"Warnings ({loaded.Warnings.Length}):");
            foreach (var warning in loaded.Warnings)
            {
                w.Line($"  ! {warning}");
            }
        }

        w.Line();
    }

    /// <summary>The monthly cost table, each node's total, the like-for-like guide comparison and the notes.</summary>
    internal static void RenderCost(CliOutput w, StageConfig config, CostEstimate estimate)
    {
        var table = new Table { Border = TableBorder.Ascii, Title = new TableTitle("Monthly cost estimate (USD)") };
        table.AddColumn("Component");
        table.AddColumn("Region");
        table.AddColumn("Quantity × price");
        table.AddColumn(new TableColumn("Per month").RightAligned());
        foreach (var line in estimate.Lines)
        {
            table.AddRow(Markup.Escape(line.Component), Markup.Escape(line.Region), Markup.Escape(line.Detail), line.MonthlyUsd is { } usd ? Money(usd) : "unpriced");
        }

        table.AddRow(new IRenderable[] { new Text("Total"), new Text(string.Empty), new Text(string.Empty), new Text(Money(estimate.TotalUsd) + (estimate.HasUnpriced ? " + unpriced" : string.Empty)) });
        w.Write(table);
        foreach (var node in config.Nodes)
        {
            var unpriced = estimate.Lines.Any(l => l.NodeId == node.Id && l.MonthlyUsd is null) ? " + unpriced" : string.Empty;
            w.Line($"  {node.Id}: {Money(estimate.NodeUsd(node.Id))}{unpriced} per node-month ({node.Instance.Name}, all its lines)");
            if (GuideComparison.For(estimate, node.Id, node.Instance.Name) is { } guide)
            {
                w.Line($"    against the guide's c6i.2xlarge estimate, like for like:");
                foreach (var line in guide.Lines)
                {
                    w.Line($"      {line.What,-36} guide {Money(line.GuideUsd),9}   this plan {(line.PlanUsd is { } usd ? Money(usd) : "unpriced"),9}");
                }

                w.Line($"      not in the guide's lines: {Money(guide.BeyondGuideUsd)} (gp3 IOPS/throughput above baseline, root volume, Elastic IP, alarms)");
            }
        }

        foreach (var note in estimate.Notes)
        {
            w.Line($"  {note}");
        }
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    internal static string Money(decimal usd) => "$" + usd.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
