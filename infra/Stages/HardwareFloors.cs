using System.Collections.Immutable;

namespace AztecInfra.Stages;

/// <summary>Aztec's minimum hardware for one role.</summary>
/// <param name="Role">The role.</param>
/// <param name="VCpus">Virtual CPUs (Aztec writes cores / vCPU; 8 cores = 16 vCPU).</param>
/// <param name="MemoryGiB">Memory.</param>
/// <param name="DiskGiB">Storage for the role's data (the data volume; for agents the root volume).</param>
public sealed record HardwareFloor(NodeRole Role, int VCpus, int MemoryGiB, int DiskGiB)
{
    /// <summary>The floor as text, e.g. <c>64 vCPU, 128 GiB, 10 GiB disk</c>.</summary>
    public override string ToString() => $"{VCpus} vCPU, {MemoryGiB} GiB, {DiskGiB} GiB disk";
}

/// <summary>
/// The one table of hardware floors per role, from Aztec's operator docs (<c>concepts/hardware.md</c> and the
/// prover setup page, network release v5.2.0). <see cref="Rules.StageRules"/> enforces it: a warning on
/// testnet, an error on mainnet unless the role is listed in <c>acceptBelowFloor</c>.
/// </summary>
public static class HardwareFloors
{
    /// <summary>Floors by role.</summary>
    public static ImmutableSortedDictionary<NodeRole, HardwareFloor> All { get; } = new[]
    {
        // Sequencer and full node: 8 cores / 16 vCPU, 16 GB (the Ignition-era figure; newer pages say 8 GB), 1 TB SSD.
        new HardwareFloor(NodeRole.Sequencer, InstanceCatalog.SequencerFloorVCpus, InstanceCatalog.SequencerFloorMemoryGiB, 1000),
        new HardwareFloor(NodeRole.Full, InstanceCatalog.SequencerFloorVCpus, InstanceCatalog.SequencerFloorMemoryGiB, 1000),
        // Prover node 16 cores / 32 vCPU, 16 GB, 1 TB NVMe; broker 8 cores / 16 vCPU, 16 GB, 10 GB; agent 32 cores / 64 vCPU, 128 GB, 10 GB.
        new HardwareFloor(NodeRole.ProverNode, 32, 16, 1000),
        new HardwareFloor(NodeRole.ProverBroker, 16, 16, 10),
        new HardwareFloor(NodeRole.ProverAgent, 64, 128, 10),
    }.ToImmutableSortedDictionary(f => f.Role, f => f);

    /// <summary>The floor of a role.</summary>
    public static HardwareFloor For(NodeRole role) => All[role];

    /// <summary>True when the instance meets the role's CPU and memory floor.</summary>
    public static bool Meets(InstanceSpec spec, HardwareFloor floor)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(floor);
        return spec.VCpus >= floor.VCpus && spec.MemoryGiB >= floor.MemoryGiB;
    }
}
