using System.Collections.Immutable;

namespace AztecInfra.Cost;

/// <summary>Prices of one region, in USD.</summary>
/// <param name="ComputeFactor">On-demand Linux price relative to us-east-1 (measured on c6i.2xlarge).</param>
/// <param name="Gp3PerGiBMonth">gp3 storage per GiB-month.</param>
/// <param name="Gp3PerIopsMonth">gp3 IOPS above 3000, per IOPS-month.</param>
/// <param name="Gp3PerMBpsMonth">gp3 throughput above 125 MB/s, per MB/s-month.</param>
/// <param name="RdsStorageMultiAzPerGiBMonth">RDS gp3 storage, Multi-AZ, per GiB-month.</param>
public sealed record RegionPrices(decimal ComputeFactor, decimal Gp3PerGiBMonth, decimal Gp3PerIopsMonth, decimal Gp3PerMBpsMonth, decimal RdsStorageMultiAzPerGiBMonth);

/// <summary>
/// A dated table of AWS list prices (on-demand, Linux, no discounts). Plans quote its date so a reviewer
/// knows how old the numbers are; update the table and the date together.
/// </summary>
public static class PriceTable
{
    /// <summary>When these list prices were taken from AWS's public price pages.</summary>
    public const string AsOf = "2025-06 AWS public list prices";

    /// <summary>Hours AWS bills in a month (365 × 24 / 12).</summary>
    public const decimal HoursPerMonth = 730m;

    /// <summary>
    /// On-demand Linux price per hour in us-east-1. The larger c6i, c7i, m6i and r6i sizes added for the prover
    /// roles (c6i.16xlarge, c7i.8xlarge, c7i.16xlarge, m6i.8xlarge, m6i.16xlarge, r6i.2xlarge, r6i.8xlarge) are
    /// the same list's per-size rate of their family times the size (AWS prices these families linearly by
    /// size within a family: c6i $0.17, c7i $0.1785, m6i $0.192, r6i $0.252 per xlarge, as the 2xlarge and
    /// 4xlarge entries of this table show); c6i.16xlarge's $2.72 also matches third-party copies of the price
    /// page. A type whose family has no dated price here (c7a.16xlarge) is in the catalog but stays unpriced.
    /// </summary>
    public static ImmutableSortedDictionary<string, decimal> InstanceHourlyUsEast1 { get; } = new Dictionary<string, decimal>
    {
        ["c6i.2xlarge"] = 0.34m,
        ["c6i.4xlarge"] = 0.68m,
        ["c6i.8xlarge"] = 1.36m,
        ["c6i.16xlarge"] = 2.72m,
        ["c7i.2xlarge"] = 0.357m,
        ["c7i.4xlarge"] = 0.714m,
        ["c7i.8xlarge"] = 1.428m,
        ["c7i.16xlarge"] = 2.856m,
        ["m6i.2xlarge"] = 0.384m,
        ["m6i.4xlarge"] = 0.768m,
        ["m6i.8xlarge"] = 1.536m,
        ["m6i.16xlarge"] = 3.072m,
        ["m7i.4xlarge"] = 0.8064m,
        ["r6i.2xlarge"] = 0.504m,
        ["r6i.4xlarge"] = 1.008m,
        ["r6i.8xlarge"] = 2.016m,
        ["c7g.4xlarge"] = 0.58m,
        ["m7g.4xlarge"] = 0.6528m,
        ["t3.medium"] = 0.0416m,
        ["t3.large"] = 0.0832m,
        ["m6i.large"] = 0.096m,
        ["m6i.xlarge"] = 0.192m,
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>RDS PostgreSQL Multi-AZ price per hour in us-east-1.</summary>
    public static ImmutableSortedDictionary<string, decimal> RdsMultiAzHourlyUsEast1 { get; } = new Dictionary<string, decimal>
    {
        ["db.t4g.medium"] = 0.129m,
        ["db.t4g.large"] = 0.258m,
        ["db.m7g.large"] = 0.336m,
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Prices per region; a region missing here is reported as unpriced, never guessed.</summary>
    public static ImmutableSortedDictionary<string, RegionPrices> Regions { get; } = new Dictionary<string, RegionPrices>
    {
        ["us-east-1"] = new(1.000m, 0.080m, 0.0050m, 0.040m, 0.230m),
        ["us-east-2"] = new(1.000m, 0.080m, 0.0050m, 0.040m, 0.230m),
        ["us-west-2"] = new(1.000m, 0.080m, 0.0050m, 0.040m, 0.230m),
        ["eu-west-1"] = new(1.118m, 0.088m, 0.0055m, 0.044m, 0.253m),
        ["eu-central-1"] = new(1.141m, 0.0952m, 0.0060m, 0.048m, 0.276m),
        ["ap-southeast-1"] = new(1.153m, 0.096m, 0.0060m, 0.048m, 0.276m),
        ["ap-northeast-1"] = new(1.259m, 0.096m, 0.0060m, 0.048m, 0.276m),
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Public IPv4 address (Elastic IP in use) per hour.</summary>
    public const decimal PublicIpv4Hourly = 0.005m;

    /// <summary>Customer-managed KMS key per month.</summary>
    public const decimal KmsKeyMonthly = 1.00m;

    /// <summary>Standard-resolution CloudWatch alarm per month.</summary>
    public const decimal AlarmMonthly = 0.10m;

    /// <summary>Advanced-tier SSM parameter per month (standard parameters are free).</summary>
    public const decimal AdvancedParameterMonthly = 0.05m;

    /// <summary>Secrets Manager secret (or replica) per month.</summary>
    public const decimal SecretMonthly = 0.40m;
}
