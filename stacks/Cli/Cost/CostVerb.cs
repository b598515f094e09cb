using System.CommandLine;
using System.Globalization;
using AztecInfra.Cli.Plan;
using AztecInfra.Cost;
using AztecInfra.Stages;

namespace AztecInfra.Cli.Costing;

/// <summary>
/// <c>cost</c>: a stage's monthly cost (synthesized offline into a scratch directory, priced from the
/// templates), and with <c>--compare</c>, each node against bare-metal offers that meet its role's floor.
/// Without --stage/--config, every stage file in config/.
/// </summary>
internal sealed class CostVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();

    private readonly Option<bool> _compare = new("--compare")
    {
        Description = "Also compare each node's AWS on-demand cost with dated bare-metal offers (Hetzner, Latitude.sh) that meet its role's hardware floor.",
    };

    public override string Name => "cost";

    public override string Description => "Print a stage's monthly cost; --compare adds AWS on-demand against bare metal per node role, from a dated, sourced price table.";

    protected override void Define(Command command)
    {
        _stage.AddTo(command, required: false);
        command.Options.Add(_compare);
    }

    protected internal override Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var stages = _stage.IsGiven(result)
            ? [_stage.Load(result, context)]
            : Directory.GetFiles(Path.Combine(context.RepositoryRoot, "config"), "*.yaml").Order(StringComparer.Ordinal).Select(StageConfigLoader.LoadFile).ToList();
        var scratch = Directory.CreateTempSubdirectory("aztec-infra-cost-");
        try
        {
            foreach (var loaded in stages)
            {
                var plan = StagePlanner.Plan(loaded, Path.Combine(scratch.FullName, loaded.Config.Stage), baseline: null);
                output.Line($"Stage '{loaded.Config.Stage}'");
                PlanTextView.RenderCost(output, loaded.Config, plan.Cost);
                if (result.GetValue(_compare))
                {
                    output.Line();
                    RenderCompare(output, loaded.Config, plan.Cost);
                }

                output.Line();
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>The bare-metal comparison as a Markdown table (renders on GitHub, reads in a terminal), sources as footnotes.</summary>
    internal static void RenderCompare(CliOutput w, StageConfig config, CostEstimate estimate)
    {
        var rows = BareMetalComparison.Compare(estimate, config.Nodes.Select(n => (n.Id, n.Instance.Name, n.Role)), BareMetalPrices.Offers, BareMetalPrices.UsdPerEur);
        var notes = BareMetalPrices.Offers.Select((o, i) => (o, i + 1)).ToDictionary(p => p.o, p => p.Item2);
        var floors = string.Join("; ", config.Nodes.Select(n => n.Role).Distinct().Select(r => $"{NodeRoles.Name(r)} {HardwareFloors.All[r]}"));
        w.Line($"AWS on-demand against bare metal, per node (USD per month; floors from HardwareFloors: {floors})");
        w.Line();
        w.Line("| node (role, EC2 type) | AWS on-demand, all-in | bare-metal offer | meets floor | per month | setup | break-even |");
        w.Line("|---|--:|---|---|--:|--:|--:|");
        foreach (var row in rows)
        {
            var meets = row.MeetsFloor switch { true => "yes", false => "no", null => "unknown" };
            var monthly = row.MeetsFloor == false ? "not compared" : row.OfferMonthlyUsd is { } m ? PlanTextView.Money(m) : "unpriced";
            var setup = row.MeetsFloor == false ? "-" : row.SetupUsd is { } s ? PlanTextView.Money(s) : "unpriced";
            var breakEven = row.BreakEvenMonths is { } b ? $"{b.ToString("0.#", CultureInfo.InvariantCulture)} months" : "-";
            w.Line($"| {row.NodeId} ({row.Role}, {row.InstanceType}) | {(row.AwsMonthlyUsd is { } a ? PlanTextView.Money(a) : "unpriced")} | {row.Offer.Provider} {row.Offer.Product} [{notes[row.Offer]}] | {meets} | {monthly} | {setup} | {breakEven} |");
        }

        w.Line();
        foreach (var (offer, n) in notes)
        {
            w.Line($"[{n}] {offer.Provider}, {offer.AsOf}: {offer.Source} ({offer.Note})");
        }

        w.Line($"EUR converted at {BareMetalPrices.UsdPerEur} USD ({BareMetalPrices.UsdPerEurSource}). AWS: {PriceTable.AsOf}; on-demand only. A 1-year compute savings plan is not shown: no dated savings-plan rate for these instance types could be read from a citable source.");
        w.Line("AWS all-in is the node's instance, volumes, address, alarms and assumed data transfer; a bare-metal server includes its disks and a traffic allowance. Break-even = setup fee / monthly saving, only when both are known.");
    }
}
