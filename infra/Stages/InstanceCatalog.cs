using System.Collections.Immutable;

namespace AztecInfra.Stages;

/// <summary>CPU architecture of an instance type.</summary>
public enum CpuArchitecture
{
    /// <summary>x86_64.</summary>
    Amd64,

    /// <summary>AWS Graviton.</summary>
    Arm64,
}

/// <summary>What the project knows about an instance type.</summary>
/// <param name="Name">EC2 instance type name.</param>
/// <param name="VCpus">Virtual CPUs.</param>
/// <param name="MemoryGiB">Memory in GiB.</param>
/// <param name="Architecture">CPU architecture (selects the AMI).</param>
public sealed record InstanceSpec(string Name, int VCpus, int MemoryGiB, CpuArchitecture Architecture);

/// <summary>
/// The instance types this project can plan and price. A type missing here is refused rather than guessed,
/// because the hardware-floor check and the cost estimate need its real size.
/// </summary>
public static class InstanceCatalog
{
    /// <summary>Aztec's sequencer floor: 16 vCPU (8 cores, Skylake or newer).</summary>
    public const int SequencerFloorVCpus = 16;

    /// <summary>Aztec's sequencer memory floor in GiB (the newer hardware page says 8 GB, the older 16 GB).</summary>
    public const int SequencerFloorMemoryGiB = 16;

    /// <summary>Known instance types, by name.</summary>
    public static ImmutableSortedDictionary<string, InstanceSpec> All { get; } = new[]
    {
        new InstanceSpec("c6i.2xlarge", 8, 16, CpuArchitecture.Amd64),
        new InstanceSpec("c6i.4xlarge", 16, 32, CpuArchitecture.Amd64),
        new InstanceSpec("c6i.8xlarge", 32, 64, CpuArchitecture.Amd64),
        new InstanceSpec("c6i.16xlarge", 64, 128, CpuArchitecture.Amd64),
        new InstanceSpec("c7i.2xlarge", 8, 16, CpuArchitecture.Amd64),
        new InstanceSpec("c7i.4xlarge", 16, 32, CpuArchitecture.Amd64),
        new InstanceSpec("c7i.8xlarge", 32, 64, CpuArchitecture.Amd64),
        new InstanceSpec("c7i.16xlarge", 64, 128, CpuArchitecture.Amd64),
        new InstanceSpec("c7a.16xlarge", 64, 128, CpuArchitecture.Amd64),
        new InstanceSpec("m6i.2xlarge", 8, 32, CpuArchitecture.Amd64),
        new InstanceSpec("m6i.4xlarge", 16, 64, CpuArchitecture.Amd64),
        new InstanceSpec("m6i.8xlarge", 32, 128, CpuArchitecture.Amd64),
        new InstanceSpec("m6i.16xlarge", 64, 256, CpuArchitecture.Amd64),
        new InstanceSpec("m7i.4xlarge", 16, 64, CpuArchitecture.Amd64),
        new InstanceSpec("r6i.2xlarge", 8, 64, CpuArchitecture.Amd64),
        new InstanceSpec("r6i.4xlarge", 16, 128, CpuArchitecture.Amd64),
        new InstanceSpec("r6i.8xlarge", 32, 256, CpuArchitecture.Amd64),
        new InstanceSpec("c7g.4xlarge", 16, 32, CpuArchitecture.Arm64),
        new InstanceSpec("m7g.4xlarge", 16, 64, CpuArchitecture.Arm64),
    }.ToImmutableSortedDictionary(s => s.Name, s => s, StringComparer.Ordinal);

    /// <summary>Instance types a monitoring host may use, by name (small, x86: it runs four containers).</summary>
    public static ImmutableSortedDictionary<string, InstanceSpec> MonitoringHosts { get; } = new[]
    {
        new InstanceSpec("t3.medium", 2, 4, CpuArchitecture.Amd64),
        new InstanceSpec("t3.large", 2, 8, CpuArchitecture.Amd64),
        new InstanceSpec("m6i.large", 2, 8, CpuArchitecture.Amd64),
        new InstanceSpec("m6i.xlarge", 4, 16, CpuArchitecture.Amd64),
    }.ToImmutableSortedDictionary(s => s.Name, s => s, StringComparer.Ordinal);

    /// <summary>True when the instance meets Aztec's sequencer floor.</summary>
    public static bool MeetsSequencerFloor(InstanceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.VCpus >= SequencerFloorVCpus && spec.MemoryGiB >= SequencerFloorMemoryGiB;
    }
}
