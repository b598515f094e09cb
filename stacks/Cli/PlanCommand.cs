using System.CommandLine;
using System.Globalization;
using AztecInfra.Bootstrap;
using AztecInfra.Constructs;
using AztecInfra.Stages;
using AztecInfra.Cost;
using AztecInfra.Plan;
using Spectre.Console;
using Spectre.Console.Rendering;
using AztecInfra.Stacks;

namespace AztecInfra.Cli;

/// <summary>
/// <c>plan</c>: validates a stage, synthesizes it offline into cdk.out and prints what a reviewer checks,
/// read back from the synthesized templates, with the monthly cost. Needs no AWS credentials.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var stageOptions = new StageOptions();
        var outOption = new Option<DirectoryInfo?>("--out")
        {
            Description = "Cloud assembly directory. Default: cdk.out in the repository.",
        };
        var baselineOption = new Option<DirectoryInfo?>("--baseline")
        {
            Description = "A cloud assembly written by an earlier plan (e.g. of the main branch): also show what this change adds, removes, changes and costs against it.",
        };
        var command = new Command("plan", "Validate a stage, synthesize it offline and print the resources, the facts a reviewer checks, warnings and the monthly cost. No AWS credentials needed.");
        stageOptions.AddTo(command);
        command.Options.Add(outOption);
        command.Options.Add(baselineOption);
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            LoadedConfig loaded;
            try
            {
                loaded = stageOptions.Load(result, context);
            }
            catch (ConfigValidationException ex)
            {
                // Nothing is synthesized or written when the config is wrong.
                error.WriteLine(ex.Message);
                return 1;
            }

            PlanSnapshot? baseline = null;
            if (result.GetValue(baselineOption) is { } baselineDir)
            {
                // Read before synthesizing: the baseline may be the directory this plan writes to.
                var file = Path.Combine(baselineDir.FullName, PlanSnapshot.FileName);
                if (!File.Exists(file))
                {
                    error.WriteLine($"--baseline: '{baselineDir.FullName}' has no {PlanSnapshot.FileName}; give a directory an earlier 'plan --out DIR' wrote.");
                    return 1;
                }

                baseline = PlanSnapshot.FromJson(File.ReadAllText(file));
            }

            var outdir = result.GetValue(outOption)?.FullName ?? Path.Combine(context.RepositoryRoot, "cdk.out");
            var assembly = StageApp.Synthesize(loaded.Config, outdir);
            var facts = assembly.Stacks.ToDictionary(s => s.StackName, s => TemplateFacts.Read(File.ReadAllText(s.TemplatePath)), StringComparer.Ordinal);
            var snapshot = PlanSnapshot.Create(loaded.Config.Stage, assembly.Stacks.Select(s => (s.StackName, s.Region, facts[s.StackName])), CostEstimator.Estimate(loaded.Config));
            File.WriteAllText(Path.Combine(outdir, PlanSnapshot.FileName), snapshot.ToJson());

            var console = PlainConsole(output);
            if (baseline is not null)
            {
                RenderDiff(output, PlanDiff.Compare(baseline, snapshot), result.GetValue(baselineOption)!.FullName);
            }

            var shown = Path.GetRelativePath(context.RepositoryRoot, outdir);
            Render(console, output, loaded, assembly, facts, shown.StartsWith("..", StringComparison.Ordinal) ? outdir : shown);
            return 0;
        });
        return command;
    }

    internal static IAnsiConsole PlainConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // Wide enough that no fact is wrapped mid-value; plans are read in PRs and CI logs, not 80-column terminals.
        console.Profile.Width = 220;
        return console;
    }

    private static void RenderDiff(TextWriter w, PlanDiff diff, string baselineDir)
    {
        var delta = diff.MonthlyUsdAfter - diff.MonthlyUsdBefore;
        w.WriteLine($"Changes against the baseline in {baselineDir}:");
        w.WriteLine($"  monthly cost {Money(diff.MonthlyUsdBefore)} -> {Money(diff.MonthlyUsdAfter)} ({(delta >= 0 ? "+" : "-")}{Money(Math.Abs(delta))})");
        foreach (var (component, before, after) in diff.CostChanges)
        {
            w.WriteLine($"    {component}: {Money(before)} -> {Money(after)}");
        }

        foreach (var stack in diff.AddedStacks)
        {
            w.WriteLine($"  + stack {stack}");
        }

        foreach (var stack in diff.RemovedStacks)
        {
            w.WriteLine($"  - stack {stack}");
        }

        if (diff.Changes.IsEmpty)
        {
            w.WriteLine("  no resource changes");
        }

        foreach (var change in diff.Changes)
        {
            var mark = change.Kind switch { ChangeKind.Added => "+", ChangeKind.Removed => "-", _ => "~" };
            var detail = change.Properties.IsEmpty ? string.Empty : $" ({string.Join(", ", change.Properties)})";
            w.WriteLine($"  {mark} {change.Stack}/{change.LogicalId} {change.Type}{detail}");
            if (!change.Replaces.IsEmpty)
            {
                w.WriteLine($"      ! REPLACEMENT of a stateful resource: {string.Join(", ", change.Replaces)} cannot change in place");
            }
            else if (change.Kind == ChangeKind.Removed && change.TouchesState)
            {
                w.WriteLine("      ! removes a stateful resource (retained ones stay in the account, detached from the stack)");
            }

            if (!change.Interrupts.IsEmpty)
            {
                w.WriteLine($"      ! stops and starts the instance ({string.Join(", ", change.Interrupts)}): the validator misses duties meanwhile");
            }
        }

        w.WriteLine();
    }

    private static void Render(IAnsiConsole console, TextWriter w, LoadedConfig loaded, StageAssembly assembly, Dictionary<string, TemplateFacts> facts, string outdir)
    {
        var config = loaded.Config;
        w.WriteLine($"Plan for stage '{config.Stage}': Aztec {Lower(config.Network)}, image {config.AztecImage}, HA mode {HaModeText(config.Ha.Mode)}");
        w.WriteLine($"Synthesized offline into {outdir}: {assembly.Stacks.Length} stack(s), no AWS calls. Bootstrap script sha256 {CloudConfig.BootstrapScriptSha256[..16]}…");
        w.WriteLine();

        w.WriteLine("Deploy order (npx aws-cdk deploy --all follows it):");
        for (var i = 0; i < assembly.Stacks.Length; i++)
        {
            var s = assembly.Stacks[i];
            var after = s.Dependencies.IsEmpty ? string.Empty : $"  after {string.Join(", ", s.Dependencies)}";
            w.WriteLine($"  {i + 1}. {s.StackName} ({s.Region}){after}");
        }

        w.WriteLine();
        foreach (var stack in assembly.Stacks)
        {
            w.WriteLine($"{stack.StackName} ({stack.Region})");
            var table = new Table { Border = TableBorder.Ascii };
            table.AddColumn("Resource type");
            table.AddColumn(new TableColumn("Count").RightAligned());
            foreach (var (type, count) in facts[stack.StackName].ResourceCounts)
            {
                table.AddRow(Markup.Escape(type), count.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(table);
            foreach (var key in facts[stack.StackName].Keys)
            {
                w.WriteLine($"  KMS key {key.LogicalId}: rotation {(key.Rotation ? "on" : "OFF")}, {(key.Retained ? "retained on stack delete" : "DELETED with the stack")}");
            }

            w.WriteLine();
        }

        RenderValidators(console, w, config, assembly, facts);
        RenderMesh(w, config, assembly, facts);
        RenderDatabase(w, facts.Values);
        RenderWarnings(w, loaded);
        RenderCost(console, w, config);
    }

    private static void RenderValidators(IAnsiConsole console, TextWriter w, StageConfig config, StageAssembly assembly, Dictionary<string, TemplateFacts> facts)
    {
        var table = new Table { Border = TableBorder.Ascii, Title = new TableTitle("Validators") };
        foreach (var column in new[] { "Node (HA node id)", "Region / zone", "Instance", "Data volume", "Role", "Signs for attesters" })
        {
            table.AddColumn(column);
        }

        foreach (var node in config.Nodes)
        {
            var attesters = node.Attesters.IsEmpty ? "(from its stored keystore; none listed in config)" : string.Join("\n", node.Attesters);
            var v = node.DataVolume;
            table.AddRow(
                Markup.Escape(node.Id),
                Markup.Escape($"{node.Region} / {node.AvailabilityZone}"),
                Markup.Escape($"{node.Instance.Name} ({node.Instance.VCpus} vCPU, {node.Instance.MemoryGiB} GiB, {Lower(node.Instance.Architecture)})"),
                Markup.Escape($"gp3 {v.SizeGiB} GiB, {v.Iops} IOPS, {v.ThroughputMBps} MB/s"),
                Markup.Escape(config.Ha.Mode == HaMode.SharedSigner ? $"sequencer, HA signing as node id {node.Id}" : "sequencer"),
                Markup.Escape(attesters));
        }

        console.Write(table);
        foreach (var stack in assembly.Stacks)
        {
            foreach (var instance in facts[stack.StackName].Instances)
            {
                w.WriteLine($"  {stack.StackName}/{instance.LogicalId}: {instance.InstanceType} in {instance.AvailabilityZone}, IMDSv2 {(instance.ImdsV2Required ? "required" : "NOT required")}, healthy signal within {instance.SignalTimeout ?? "(no signal)"}, user data {instance.UserDataBytes} of {CloudConfig.UserDataLimitBytes} bytes");
                var open = instance.Ingress.Where(r => r.IsPublic).Select(r => $"{r.PortText} from {r.Source}");
                var restricted = instance.Ingress.Where(r => !r.IsPublic).Select(r => $"{r.PortText} from {r.Source}");
                w.WriteLine($"    public inbound:  {Join(open)}");
                w.WriteLine($"    private inbound: {Join(restricted)}");
                foreach (var volume in instance.Volumes)
                {
                    var iops = volume.Iops is null ? string.Empty : $", {volume.Iops} IOPS, {volume.ThroughputMBps} MB/s";
                    var encryption = !volume.Encrypted ? "NOT encrypted" : volume.CustomerKey ? "encrypted with the stage key" : "encrypted with the AWS-managed key";
                    w.WriteLine($"    {volume.Kind} volume: {volume.VolumeType} {volume.SizeGiB} GiB{iops}, {encryption}, {(volume.Retained ? "retained on stack delete" : "deleted with the instance")}");
                }
            }
        }

        w.WriteLine();
    }

    private static void RenderMesh(TextWriter w, StageConfig config, StageAssembly assembly, Dictionary<string, TemplateFacts> facts)
    {
        if (config.Regions.Length < 2)
        {
            return;
        }

        var connections = assembly.Stacks.SelectMany(s => facts[s.StackName].Peerings.Select(p => $"{s.Region} <-> {p.PeerRegion}")).ToList();
        w.WriteLine($"VPC peering: {connections.Count} connection(s), full mesh of {config.Regions.Length} regions needs {config.Regions.Length * (config.Regions.Length - 1) / 2}");
        foreach (var connection in connections)
        {
            w.WriteLine($"  {connection}");
        }

        foreach (var stack in assembly.Stacks.Where(s => !facts[s.StackName].PeeringRoutes.IsEmpty))
        {
            var routes = facts[stack.StackName].PeeringRoutes;
            var byCidr = routes.GroupBy(r => r.DestinationCidr, StringComparer.Ordinal).Select(g => $"{g.Key} in {g.Count()} route table(s)");
            w.WriteLine($"  routes in {stack.Region}: {string.Join(", ", byCidr)}");
        }

        w.WriteLine();
    }

    private static void RenderDatabase(TextWriter w, IEnumerable<TemplateFacts> all)
    {
        var list = all.ToList();
        foreach (var db in list.SelectMany(f => f.Databases))
        {
            w.WriteLine($"HA signing database: {db.Engine} on {db.InstanceClass}, {(db.MultiAz ? "Multi-AZ" : "SINGLE-AZ")}, {(db.EncryptedWithCustomerKey ? "encrypted with the stage key" : "NOT encrypted with the stage key")}, {(db.Public ? "PUBLICLY ACCESSIBLE" : "not public")}");
            w.WriteLine($"  deletion protection {(db.DeletionProtection ? "on" : "OFF")}, automated backups {db.BackupRetentionDays} day(s), on stack delete: {db.DeletionPolicy}");
            w.WriteLine($"  inbound: {Join(db.Ingress.Select(r => $"{r.PortText} from {r.Source} ({r.Description})"))}");
        }

        foreach (var secret in list.SelectMany(f => f.Secrets))
        {
            w.WriteLine($"  credentials: generated by AWS into secret {secret.Name}, replicated to {Join(secret.ReplicaRegions)}, {(secret.Retained ? "retained on stack delete" : "deleted with the stack")}");
        }

        if (list.Any(f => !f.Databases.IsEmpty))
        {
            w.WriteLine();
        }
    }

    private static void RenderWarnings(TextWriter w, LoadedConfig loaded)
    {
        if (loaded.Warnings.IsEmpty)
        {
            w.WriteLine("Warnings: none");
        }
        else
        {
            w.WriteLine($"Warnings ({loaded.Warnings.Length}):");
            foreach (var warning in loaded.Warnings)
            {
                w.WriteLine($"  ! {warning}");
            }
        }

        w.WriteLine();
    }

    private static void RenderCost(IAnsiConsole console, TextWriter w, StageConfig config)
    {
        var estimate = CostEstimator.Estimate(config);
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
        console.Write(table);
        foreach (var node in config.Nodes)
        {
            w.WriteLine($"  {node.Id}: {Money(estimate.NodeUsd(node.Id))} per node-month ({node.Instance.Name}; the seed estimated about $375 for its c6i.2xlarge bootstrap node).");
        }

        foreach (var note in estimate.Notes)
        {
            w.WriteLine($"  {note}");
        }
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static string Money(decimal usd) => "$" + usd.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string HaModeText(HaMode mode) => mode == HaMode.SharedSigner ? "shared-signer" : "independent";
}
