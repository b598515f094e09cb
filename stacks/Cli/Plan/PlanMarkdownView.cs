using System.Globalization;
using System.Net;
using System.Text;
using AztecInfra.Cost;
using AztecInfra.Plan;
using AztecInfra.Stages;

namespace AztecInfra.Cli.Plan;

/// <summary>
/// The plan as GitHub Markdown for a pull-request comment: the cost before → after first, then warnings,
/// then the changes with old → new values, then per-stack details in collapsible sections. No line is
/// wider than <see cref="MaxWidth"/>; values that could break a table or inject HTML are escaped.
/// </summary>
internal static class PlanMarkdownView
{
    /// <summary>The widest line this view writes.</summary>
    public const int MaxWidth = 120;

    public static void Render(StagePlan plan, CliOutput output, string? baselineDir, string? diagramLink)
    {
        var w = new Writer(output);
        var config = plan.Loaded.Config;
        w.Line($"## aztec-infra plan: stage `{Text(config.Stage)}`");
        w.Line();
        w.Line($"Aztec {config.Network.ToString().ToLowerInvariant()}, image `{Text(config.AztecImage.ToString())}`, HA mode "
            + $"{(config.SharedSigner ? "shared-signer" : "independent")}; {plan.Assembly.Stacks.Length} stack(s), synthesized offline.");
        w.Line();
        RenderCost(w, plan);
        RenderWarnings(w, plan.Loaded);
        if (plan.Diff is { } diff)
        {
            RenderChanges(w, diff, baselineDir);
            RenderNodeChanges(w, plan);
        }
        else
        {
            w.Line("No baseline given: every resource below is new.");
            w.Line();
        }

        if (diagramLink is not null)
        {
            w.Line($"Diagram of the stage: [{Text(Path.GetFileName(diagramLink))}]({Url(diagramLink)})");
            w.Line();
        }

        RenderDetails(w, plan);
    }

    private static void RenderCost(Writer w, StagePlan plan)
    {
        w.Line("### Monthly cost");
        w.Line();
        if (plan.Diff is { } diff)
        {
            var delta = diff.MonthlyUsdAfter - diff.MonthlyUsdBefore;
            w.Line($"**{Money(diff.MonthlyUsdBefore)} → {Money(diff.MonthlyUsdAfter)}** ({(delta >= 0 ? "+" : "−")}{Money(Math.Abs(delta))} per month)");
            if (!diff.CostChanges.IsEmpty)
            {
                w.Line();
                w.Line("| component | before | after |");
                w.Line("|---|--:|--:|");
                foreach (var (component, before, after) in diff.CostChanges)
                {
                    w.Line($"| {Cell(component, 80)} | {Money(before)} | {Money(after)} |");
                }
            }
        }
        else
        {
            w.Line($"**{Money(plan.Cost.TotalUsd)}** per month{(plan.Cost.HasUnpriced ? " + unpriced lines" : string.Empty)}");
        }

        foreach (var node in plan.Loaded.Config.Nodes)
        {
            if (GuideComparison.For(plan.Cost, node.Id, node.Instance.Name) is { } guide)
            {
                w.Line();
                w.Line($"`{Text(node.Id)}` against the guide's c6i.2xlarge estimate, like for like:");
                w.Line();
                w.Line("| line | guide | this plan |");
                w.Line("|---|--:|--:|");
                foreach (var line in guide.Lines)
                {
                    w.Line($"| {Cell(line.What, 60)} | {Money(line.GuideUsd)} | {(line.PlanUsd is { } usd ? Money(usd) : "unpriced")} |");
                }

                w.Line($"| not in the guide's lines (IOPS/throughput above baseline, root, IP, alarms) | | {Money(guide.BeyondGuideUsd)} |");
            }
        }

        w.Line();
    }

    private static void RenderWarnings(Writer w, LoadedConfig loaded)
    {
        w.Line($"### Warnings ({loaded.Warnings.Length})");
        w.Line();
        if (loaded.Warnings.IsEmpty)
        {
            w.Line("None.");
        }

        foreach (var warning in loaded.Warnings)
        {
            w.Wrapped($"- ⚠️ {Text(warning.ToString())}", "  ");
        }

        w.Line();
    }

    /// <summary>What changes on each node (settings old → new, data volume, whether it restarts) and how to apply it.</summary>
    private static void RenderNodeChanges(Writer w, StagePlan plan)
    {
        if (plan.Nodes is not { } nodes || (nodes.Nodes.IsEmpty && nodes.Warnings.IsEmpty))
        {
            return;
        }

        w.Line("### Nodes");
        w.Line();
        foreach (var node in nodes.Nodes)
        {
            w.Wrapped($"- **{Text(node.NodeId)}**: {Text(node.Restart)}", "  ");
            foreach (var setting in node.Settings)
            {
                w.Wrapped($"  - `{Text(setting.Name)}`: {Text(setting.Text)}", "    ");
            }

            foreach (var field in node.DataVolume)
            {
                w.Wrapped($"  - `dataVolume.{Text(field.Name)}`: {Text(field.Text)}", "    ");
            }
        }

        if (nodes.Nodes.Any(n => !n.Settings.IsEmpty || !n.DataVolume.IsEmpty))
        {
            w.Wrapped($"- Apply on the hosts after the deploy, one node at a time: `aztec-infra rollout --stage {Text(plan.Loaded.Config.Stage)}`", "  ");
        }

        foreach (var warning in nodes.Warnings)
        {
            w.Wrapped($"- ⚠️ {Text(warning)}", "  ");
        }

        w.Line();
    }

    private static void RenderChanges(Writer w, PlanDiff diff, string? baselineDir)
    {
        w.Line($"### Changes against the baseline{(baselineDir is null ? string.Empty : $" (`{Text(Path.GetFileName(baselineDir.TrimEnd('/')))}`)")}");
        w.Line();
        foreach (var stack in diff.AddedStacks)
        {
            w.Line($"- ➕ stack `{Text(stack)}`");
        }

        foreach (var stack in diff.RemovedStacks)
        {
            w.Line($"- ➖ stack `{Text(stack)}`");
        }

        if (diff.Changes.IsEmpty)
        {
            w.Line("No resource changes.");
            w.Line();
            return;
        }

        foreach (var group in diff.Changes.GroupBy(c => c.Stack, StringComparer.Ordinal))
        {
            w.Line();
            w.Line($"**{Text(group.Key)}**");
            w.Line();
            foreach (var change in group)
            {
                var mark = change.Kind switch { ChangeKind.Added => "➕ added", ChangeKind.Removed => "➖ removed", _ => "✏️ changed" };
                w.Wrapped($"- {mark}: `{Text(change.LogicalId)}` ({Text(ShortType(change.Type))})", "  ");
                if (!change.Replaces.IsEmpty)
                {
                    w.Wrapped($"  - 🛑 **REPLACES** this stateful resource: {Text(string.Join(", ", change.Replaces))} cannot change in place", "    ");
                }
                else if (change.Kind == ChangeKind.Removed && change.TouchesState)
                {
                    w.Wrapped("  - 🛑 removes a stateful resource (retained ones stay in the account, detached from the stack)", "    ");
                }

                if (!change.Interrupts.IsEmpty)
                {
                    w.Wrapped($"  - ⏯️ stops and starts the instance ({Text(string.Join(", ", change.Interrupts))}): the validator misses duties meanwhile", "    ");
                }

                foreach (var v in change.Values)
                {
                    var name = v.Line is null ? $"`{Text(v.Property)}`" : $"`{Text(v.Line)}` (in {Text(v.Property)})";
                    w.Wrapped($"  - {name}: {Value(v.Old, v.Line)} → {Value(v.New, v.Line)}", "    ");
                }

                var shown = change.Values.Select(v => v.Property).ToHashSet(StringComparer.Ordinal);
                var unshown = change.Properties.Where(p => !shown.Contains(p)).ToList();
                if (unshown.Count > 0)
                {
                    w.Wrapped($"  - changed, value not kept in the plan: {Text(string.Join(", ", unshown))}", "    ");
                }
            }
        }

        w.Line();
    }

    private static void RenderDetails(Writer w, StagePlan plan)
    {
        w.Line("### Stacks");
        w.Line();
        foreach (var stack in plan.Assembly.Stacks)
        {
            var facts = plan.Facts[stack.StackName];
            w.Line("<details>");
            w.Line($"<summary>{WebUtility.HtmlEncode(stack.StackName)} ({WebUtility.HtmlEncode(stack.Region)}): {facts.Resources.Count} resources</summary>");
            w.Line();
            if (!stack.Dependencies.IsEmpty)
            {
                w.Wrapped($"Deploys after: {Text(string.Join(", ", stack.Dependencies))}", string.Empty);
                w.Line();
            }

            w.Line("| resource type | count |");
            w.Line("|---|--:|");
            foreach (var (type, count) in facts.ResourceCounts)
            {
                w.Line($"| {Cell(type, 80)} | {count.ToString(CultureInfo.InvariantCulture)} |");
            }

            foreach (var instance in facts.Instances)
            {
                w.Line();
                w.Wrapped($"- `{Text(instance.NodeId)}`: {Text(instance.InstanceType)} in {Text(instance.AvailabilityZone)}, IMDSv2 "
                    + $"{(instance.ImdsV2Required ? "required" : "**NOT required**")}, user data {instance.UserDataBytes} bytes", "  ");
                var open = instance.Ingress.Where(r => r.IsPublic).Select(r => $"{r.PortText} from {r.Source}").ToList();
                w.Wrapped($"  - public inbound: {Text(open.Count == 0 ? "none" : string.Join(", ", open))}", "    ");
                foreach (var v in instance.Volumes)
                {
                    w.Wrapped($"  - {v.Kind} volume: {Text(v.VolumeType)} {v.SizeGiB} GiB{(v.Iops is null ? string.Empty : $", {v.Iops} IOPS, {v.ThroughputMBps} MB/s")}, "
                        + $"{(v.Encrypted ? "encrypted" : "**NOT encrypted**")}, {(v.Retained ? "retained" : "deleted with the instance")}", "    ");
                }
            }

            foreach (var db in facts.Databases)
            {
                w.Line();
                w.Wrapped($"- HA signing database: {Text(db.Engine)} on {Text(db.InstanceClass)}, {(db.MultiAz ? "Multi-AZ" : "**single-AZ**")}, "
                    + $"{(db.Public ? "**PUBLIC**" : "not public")}, deletion protection {(db.DeletionProtection ? "on" : "**off**")}", "  ");
            }

            w.Line();
            w.Line("</details>");
            w.Line();
        }

        w.Line("<details>");
        w.Line("<summary>Cost lines</summary>");
        w.Line();
        w.Line("| component | region | per month |");
        w.Line("|---|---|--:|");
        foreach (var line in plan.Cost.Lines)
        {
            w.Line($"| {Cell(line.Component, 64)} | {Text(line.Region)} | {(line.MonthlyUsd is { } usd ? Money(usd) : "unpriced")} |");
        }

        w.Line($"| **total** | | **{Money(plan.Cost.TotalUsd)}**{(plan.Cost.HasUnpriced ? " + unpriced" : string.Empty)} |");
        w.Line();
        foreach (var note in plan.Cost.Notes)
        {
            w.Wrapped(Text(note), string.Empty);
            w.Line();
        }

        w.Line("</details>");
    }

    private static string Money(decimal usd) => PlanTextView.Money(usd);

    private static string ShortType(string type) => type.StartsWith("AWS::", StringComparison.Ordinal) ? type[5..] : type;

    /// <summary>A value as inline code; for a settings line, only what follows its key.</summary>
    private static string Value(string? value, string? key)
    {
        if (value is null)
        {
            return "_(none)_";
        }

        var shown = key is not null && value.StartsWith(key, StringComparison.Ordinal) ? value[key.Length..].TrimStart('=', ':', ' ') : value;
        return $"`{Text(Truncate(shown.Replace('\n', ' '), 100)).Replace("`", "'", StringComparison.Ordinal)}`";
    }

    /// <summary>Escapes text for Markdown: HTML characters encoded, so a value from config cannot open a tag.</summary>
    private static string Text(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal);

    private static string Cell(string text, int max) => Text(Truncate(text.Replace('\n', ' '), max));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Url(string link) => link.Replace(" ", "%20", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    /// <summary>Writes lines, wrapping prose at <see cref="MaxWidth"/>.</summary>
    private sealed class Writer(CliOutput output)
    {
        public void Line(string text = "") => output.Line(text);

        public void Wrapped(string text, string indent)
        {
            var lead = text[..(text.Length - text.TrimStart(' ').Length)];
            var line = new StringBuilder(lead);
            var start = lead.Length;
            foreach (var word in text.TrimStart(' ').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // A few columns spare: an emoji counts as one or two characters but may take two columns.
                if (line.Length > start && line.Length + 1 + word.Length > MaxWidth - 4)
                {
                    output.Line(line.ToString());
                    line.Clear().Append(indent);
                    start = indent.Length;
                }

                line.Append(line.Length == start ? string.Empty : " ").Append(word);
            }

            output.Line(line.ToString());
        }
    }
}
