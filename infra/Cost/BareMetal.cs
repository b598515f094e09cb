using System.Collections.Immutable;
using AztecInfra.Stages;

namespace AztecInfra.Cost;

/// <summary>A bare-metal offer as a dated source states it; unknown facts stay null and make the offer unpriced.</summary>
/// <param name="Provider">Provider.</param>
/// <param name="Product">Product or plan.</param>
/// <param name="Cores">Physical cores, if stated.</param>
/// <param name="Threads">Threads, if stated.</param>
/// <param name="MemoryGiB">Memory, if stated.</param>
/// <param name="NvmeGB">Usable NVMe GB (mirrored pairs count once), if stated.</param>
/// <param name="MonthlyEur">Monthly price in EUR before VAT, if stated.</param>
/// <param name="SetupEur">One-off setup fee in EUR, if stated.</param>
/// <param name="AsOf">When the source stated it.</param>
/// <param name="Source">Where it was read.</param>
/// <param name="Note">What the source leaves open.</param>
public sealed record BareMetalOffer(string Provider, string Product, int? Cores, int? Threads, int? MemoryGiB, int? NvmeGB, decimal? MonthlyEur, decimal? SetupEur, string AsOf, string Source, string Note)
{
    /// <summary>
    /// True when every stated fact meets the role's floor (<see cref="HardwareFloors"/>: threads at least its
    /// vCPU, physical cores at least half of them, as Aztec states "8 cores / 16 vCPU") and none is missing.
    /// </summary>
    public bool? Meets(HardwareFloor floor)
    {
        ArgumentNullException.ThrowIfNull(floor);
        if (Cores < floor.VCpus / 2 || Threads < floor.VCpus || MemoryGiB < floor.MemoryGiB || NvmeGB < floor.DiskGiB)
        {
            return false;
        }

        return Cores is null || Threads is null || MemoryGiB is null || NvmeGB is null ? null : true;
    }
}

/// <summary>
/// The dated bare-metal offers the comparison may use. Every number here was read from the named source;
/// the build machine could not open the providers' own price pages, so an offer without a citable price
/// is listed unpriced rather than filled in from memory.
/// </summary>
public static class BareMetalPrices
{
    /// <summary>EUR to USD, the ECB reference rate quoted with its date.</summary>
    public const decimal UsdPerEur = 1.1637m;

    /// <summary>Where the exchange rate was read.</summary>
    public const string UsdPerEurSource = "ECB reference rate 2026-05-27, as quoted in https://github.com/devantler-tech/platform/commit/cb791c6f";

    /// <summary>The offers, in the order they are printed.</summary>
    public static ImmutableArray<BareMetalOffer> Offers { get; } =
    [
        new("Hetzner", "AX41-NVMe (Ryzen 5 3600, 64 GB, 2 × 512 GB NVMe)", 6, 12, 64, 512, 38m, null, "2026-02",
            "https://gist.github.com/alexeygrigorev/5c1135fdfce97d3938a24c0f3dcc0ab2",
            "\"~38 EUR/mo\" as of Feb 2026, before Hetzner's April 2026 increase; setup fee not stated"),
        new("Hetzner", "dedicated AX line, a model with >= 8 cores / 16 threads and >= 1 TB NVMe", null, null, null, null, null, null, "2026",
            "https://www.hetzner.com/dedicated-rootserver/matrix-ax/",
            "no dated price for such a model was reachable; Hetzner raised dedicated prices on 2026-04-01 and reintroduced setup fees (https://cloudtally.eu/blog/hetzner-june-2026-price-increase)"),
        new("Latitude.sh", "Metal plan with >= 8 cores / 16 threads and >= 1 TB NVMe", null, null, null, null, null, null, "2026",
            "https://www.latitude.sh/docs/billing/on-demand-vs-reserved.md",
            "no plan price was reachable; the billing docs say monthly on-demand is 50% below the hourly price and reserved 65% below it"),
    ];
}

/// <summary>One node against one bare-metal offer.</summary>
/// <param name="NodeId">Node.</param>
/// <param name="Role">Its role.</param>
/// <param name="InstanceType">Its EC2 type.</param>
/// <param name="AwsMonthlyUsd">The node all-in on AWS on-demand (compute, volumes, address, alarms, data transfer), or null when unpriced.</param>
/// <param name="Offer">The offer.</param>
/// <param name="MeetsFloor">True, false, or null when the source does not state enough to tell.</param>
/// <param name="OfferMonthlyUsd">The offer per month in USD, or null when unpriced.</param>
/// <param name="SetupUsd">Its setup fee in USD, or null when not stated.</param>
/// <param name="BreakEvenMonths">Months until the setup fee is paid back by the monthly saving, or null when it cannot be computed.</param>
public sealed record BareMetalRow(string NodeId, string Role, string InstanceType, decimal? AwsMonthlyUsd, BareMetalOffer Offer, bool? MeetsFloor, decimal? OfferMonthlyUsd, decimal? SetupUsd, decimal? BreakEvenMonths);

/// <summary>Compares each node's AWS on-demand cost with bare-metal offers that meet its role's floor.</summary>
public static class BareMetalComparison
{
    /// <summary>One row per node and offer; an offer known to be below the floor is kept, marked, and never compared.</summary>
    public static ImmutableArray<BareMetalRow> Compare(CostEstimate estimate, IEnumerable<(string NodeId, string InstanceType, NodeRole Role)> nodes, IEnumerable<BareMetalOffer> offers, decimal usdPerEur)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(nodes);
        var list = offers.ToList();
        var rows = new List<BareMetalRow>();
        foreach (var (nodeId, type, role) in nodes)
        {
            var floor = HardwareFloors.All[role];
            var mine = estimate.Lines.Where(l => l.NodeId == nodeId).ToList();
            decimal? aws = mine.Any(l => l.MonthlyUsd is null) ? null : mine.Sum(l => l.MonthlyUsd!.Value);
            foreach (var offer in list)
            {
                var meets = offer.Meets(floor);
                var monthly = meets == false ? null : offer.MonthlyEur * usdPerEur;
                var setup = offer.SetupEur * usdPerEur;
                decimal? breakEven = null;
                if (aws is { } a && monthly is { } m && setup is { } s && m < a)
                {
                    breakEven = Math.Round(s / (a - m), 1);
                }

                rows.Add(new BareMetalRow(nodeId, NodeRoles.Name(role), type, aws, offer, meets, monthly, setup, breakEven));
            }
        }

        return [.. rows];
    }
}
