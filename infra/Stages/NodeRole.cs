using System.Collections.Immutable;

namespace AztecInfra.Stages;

/// <summary>What a node of a stage does: the Aztec start mode and everything that follows from it.</summary>
public enum NodeRole
{
    /// <summary>A validator: <c>start --node --sequencer</c>, attesters and a publisher (the default).</summary>
    Sequencer,

    /// <summary>A full node serving RPC to indexers and apps: <c>start --node</c>, history kept from config, RPC private.</summary>
    Full,

    /// <summary>The prover node: <c>start --prover-node</c>, its own publisher key, hands proving jobs to the broker.</summary>
    ProverNode,

    /// <summary>The proving broker: <c>start --prover-broker</c>, the job queue on 8080 that agents pull from.</summary>
    ProverBroker,

    /// <summary>Proving agents: <c>start --prover-agent</c>, stateless workers, run as a group of <c>count</c> instances.</summary>
    ProverAgent,
}

/// <summary>The names of the roles as the stage file and the bootstrap write them.</summary>
public static class NodeRoles
{
    /// <summary>Every role with its config name, in declaration order.</summary>
    public static ImmutableArray<(string Name, NodeRole Role)> All { get; } =
    [
        ("sequencer", NodeRole.Sequencer),
        ("full", NodeRole.Full),
        ("prover-node", NodeRole.ProverNode),
        ("prover-broker", NodeRole.ProverBroker),
        ("prover-agent", NodeRole.ProverAgent),
    ];

    /// <summary>The config (and bootstrap ROLE) name of a role, e.g. <c>prover-node</c>.</summary>
    public static string Name(NodeRole role) => All.Single(r => r.Role == role).Name;

    /// <summary>True for the three roles of a prover set.</summary>
    public static bool IsProver(NodeRole role) => role is NodeRole.ProverNode or NodeRole.ProverBroker or NodeRole.ProverAgent;

    /// <summary>True for the roles that run a full Aztec node (P2P, world state, a data volume).</summary>
    public static bool RunsNode(NodeRole role) => role is NodeRole.Sequencer or NodeRole.Full or NodeRole.ProverNode;
}
