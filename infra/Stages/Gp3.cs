namespace AztecInfra.Stages;

/// <summary>EBS gp3 limits, as the validator enforces them.</summary>
/// <param name="MinSizeGiB">Smallest volume.</param>
/// <param name="MaxSizeGiB">Largest volume.</param>
/// <param name="MaxIops">Most IOPS a gp3 volume can provision.</param>
/// <param name="MaxIopsPerGiB">IOPS per GiB of size at most.</param>
/// <param name="MaxThroughputMBps">Most throughput a gp3 volume can provision.</param>
/// <param name="MaxThroughputPerIops">MB/s per provisioned IOPS at most.</param>
public sealed record Gp3Limits(int MinSizeGiB, int MaxSizeGiB, int MaxIops, int MaxIopsPerGiB, int MaxThroughputMBps, double MaxThroughputPerIops);

/// <summary>
/// The facts of EBS gp3 this project relies on, written once: the baseline every volume gets for free (the
/// validator's floor and the price table's "above baseline" lines both read it) and the limits.
/// </summary>
public static class Gp3
{
    /// <summary>IOPS included in the storage price.</summary>
    public const int BaselineIops = 3000;

    /// <summary>Throughput included in the storage price, MB/s.</summary>
    public const int BaselineThroughputMBps = 125;

    /// <summary>gp3 limits.</summary>
    public static Gp3Limits Limits { get; } = new(1, 16384, 16000, 500, 1000, 0.25);
}
