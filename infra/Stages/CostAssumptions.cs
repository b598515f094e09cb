namespace AztecInfra.Stages;

/// <summary>
/// What the cost estimate assumes about traffic, which no template declares: written in config so a
/// reviewer sees (and can change) the numbers the data-transfer lines are priced from.
/// </summary>
/// <param name="InternetEgressGBPerNodeMonth">GB each node sends to the internet per month (P2P gossip, L1 calls, image pulls).</param>
/// <param name="HaDatabaseInterRegionGBPerNodeMonth">GB per month between a node and the HA signing database when they are in different regions.</param>
/// <param name="MonitoringInterRegionGBPerNodeMonth">GB per month of metrics and logs a node ships to another region.</param>
public sealed record CostAssumptions(int InternetEgressGBPerNodeMonth, int HaDatabaseInterRegionGBPerNodeMonth, int MonitoringInterRegionGBPerNodeMonth)
{
    /// <summary>The largest value accepted for any of the assumptions, in GB per node-month (1 PB).</summary>
    public const int MaxGBPerNodeMonth = 1_000_000;

    /// <summary>The defaults of <see cref="Defaults"/>.</summary>
    public static CostAssumptions Default { get; } = new(
        Defaults.InternetEgressGBPerNodeMonth,
        Defaults.HaDatabaseInterRegionGBPerNodeMonth,
        Defaults.MonitoringInterRegionGBPerNodeMonth);
}

/// <summary><c>costAssumptions</c> as written.</summary>
/// <param name="InternetEgressGBPerNodeMonth"><c>internetEgressGBPerNodeMonth</c>.</param>
/// <param name="HaDatabaseInterRegionGBPerNodeMonth"><c>haDatabaseInterRegionGBPerNodeMonth</c>.</param>
/// <param name="MonitoringInterRegionGBPerNodeMonth"><c>monitoringInterRegionGBPerNodeMonth</c>.</param>
public sealed record CostAssumptionsDocument(int? InternetEgressGBPerNodeMonth, int? HaDatabaseInterRegionGBPerNodeMonth, int? MonitoringInterRegionGBPerNodeMonth);
