using System.Collections.Immutable;
using AztecInfra.Stages;
using AztecInfra.Stages.Rules;
using AztecInfra.Primitives;

namespace AztecInfra.Keys;

/// <summary>Options of <see cref="KeyService.NewAsync"/>.</summary>
public sealed record NewKeysOptions
{
    /// <summary>Attesters to generate.</summary>
    public required int Count { get; init; }

    /// <summary>GSE contract address (public).</summary>
    public required string GseAddress { get; init; }

    /// <summary>L1 execution RPC URLs (secret).</summary>
    public required string L1RpcUrls { get; init; }

    /// <summary>How to run Aztec's generator.</summary>
    public GeneratorMode Mode { get; init; } = GeneratorMode.Docker;

    /// <summary>Replace an existing keystore.</summary>
    public bool Force { get; init; }

    /// <summary>Leaves the secret out.</summary>
    public override string ToString() => $"{Count} attester(s), GSE {GseAddress}, {Mode}, force {Force}";
}

/// <summary>Result of <see cref="KeyService.NewAsync"/>: public facts only.</summary>
/// <param name="Attesters">New attester addresses.</param>
/// <param name="StakerOutputJson">Aztec's public staking data for them.</param>
/// <param name="Publisher">The node's publisher address composed in, or null when the node has none yet.</param>
/// <param name="Location">Where the keystore was stored.</param>
public sealed record NewKeysResult(ImmutableArray<string> Attesters, string StakerOutputJson, string? Publisher, string Location);

/// <summary>Result of storing a publisher key.</summary>
/// <param name="Address">The new publisher address, to fund.</param>
/// <param name="PreviousAddress">The replaced publisher's address, if any.</param>
/// <param name="KeystoreUpdated">True when the node's keystore was recomposed with it.</param>
/// <param name="Location">Where the key was stored.</param>
public sealed record PublisherResult(string Address, string? PreviousAddress, bool KeystoreUpdated, string Location);

/// <summary>Result of an import: findings, or where it was stored.</summary>
/// <param name="Check">The keystore check.</param>
/// <param name="Location">Where it was stored, or null when it was not.</param>
/// <param name="Publisher">The stored publisher composed in, if any.</param>
public sealed record ImportResult(KeystoreCheck Check, string? Location, string? Publisher);

/// <summary>One node as <c>keys list</c> shows it.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="KeystoreLocation">Where the keystore lives.</param>
/// <param name="HasKeystore">Whether it exists.</param>
/// <param name="PublisherKeyLocation">Where the publisher key lives.</param>
/// <param name="HasPublisherKey">Whether it exists.</param>
/// <param name="Validators">Public facts of the stored keystore (empty when absent).</param>
/// <param name="Findings">Problems of the stored keystore.</param>
public sealed record NodeKeys(string NodeId, string KeystoreLocation, bool HasKeystore, string PublisherKeyLocation, bool HasPublisherKey, ImmutableArray<KeystoreValidatorEntry> Validators, ImmutableArray<KeystoreFinding> Findings);

/// <summary>
/// The key verbs. Every operation on a node reads and writes only that node's secrets, by exact name;
/// nothing here returns, prints or throws a secret value.
/// </summary>
public sealed class KeyService
{
    private readonly StageConfig _config;
    private readonly INodeSecretStore _store;
    private readonly ValidatorKeyGenerator? _generator;

    /// <summary>Creates the service for one stage.</summary>
    public KeyService(StageConfig config, INodeSecretStore store, ValidatorKeyGenerator? generator = null)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _generator = generator;
    }

    /// <summary>Generates attesters with Aztec's generator and stores the composed keystore.</summary>
    public async Task<NewKeysResult> NewAsync(string nodeId, NewKeysOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Signer(nodeId);
        if (_generator is null)
        {
            throw new InvalidOperationException("No generator configured.");
        }

        if (options.Count is < 1 or > 64)
        {
            throw new KeyOperationException($"The attester count must be from 1 to 64; got {options.Count}.");
        }

        if (EthAddress.Problem(options.GseAddress) is { } problem)
        {
            throw new KeyOperationException($"--gse-address {problem}.");
        }

        // Refuse before generating: a key made and then thrown away is wasted work and one more secret in memory.
        if (!options.Force && await _store.ExistsAsync(nodeId, NodeSecret.Keystore, cancellationToken).ConfigureAwait(false))
        {
            throw new SecretExistsException(_store.Describe(nodeId, NodeSecret.Keystore), "its attesters are then gone from this node");
        }

        var generated = await _generator.GenerateAsync(
            new GeneratorRequest { Count = options.Count, GseAddress = options.GseAddress, L1RpcUrls = options.L1RpcUrls, Network = _config.Network, Image = _config.AztecImage, Mode = options.Mode },
            cancellationToken).ConfigureAwait(false);

        var check = KeystoreValidator.Check(generated.KeystoreJson);
        if (!check.IsValid)
        {
            throw new KeyOperationException("Aztec's generator wrote a keystore this tool does not accept: " + string.Join("; ", check.Findings));
        }

        var publisher = await ReadPublisherAsync(nodeId, cancellationToken).ConfigureAwait(false);
        var composed = KeystoreComposer.Compose(generated.KeystoreJson, publisher);
        await _store.WriteAsync(nodeId, NodeSecret.Keystore, composed, options.Force, cancellationToken).ConfigureAwait(false);
        return new NewKeysResult([.. check.AttesterAddresses.Select(EthAddress.ToChecksum)], generated.StakerOutputJson, publisher?.Address, _store.Describe(nodeId, NodeSecret.Keystore));
    }

    /// <summary>Generates the node's publisher key, stores it and composes it into the node's keystore.</summary>
    public async Task<PublisherResult> CreatePublisherAsync(string nodeId, bool force, CancellationToken cancellationToken)
    {
        Publisher(nodeId);
        if (!force && await _store.ExistsAsync(nodeId, NodeSecret.PublisherKey, cancellationToken).ConfigureAwait(false))
        {
            throw new SecretExistsException(_store.Describe(nodeId, NodeSecret.PublisherKey), "rotating the publisher replaces it and recomposes the keystore");
        }

        return await StorePublisherAsync(nodeId, PublisherKey.Generate(), null, force, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the node's publisher key with a fresh one.</summary>
    public async Task<PublisherResult> RotatePublisherAsync(string nodeId, CancellationToken cancellationToken)
    {
        Publisher(nodeId);
        var previous = await ReadPublisherAsync(nodeId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyOperationException($"{_store.Describe(nodeId, NodeSecret.PublisherKey)} does not exist; create the node's publisher key first.");
        return await StorePublisherAsync(nodeId, PublisherKey.Generate(), previous.Address, true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a keystore and, when valid, stores it (composed with the node's publisher key, if any).</summary>
    public async Task<ImportResult> ImportAsync(string nodeId, string text, string? fileName, bool force, CancellationToken cancellationToken)
    {
        Signer(nodeId);

        // The cross-node rule uses the other nodes' attesters from config (public), so an import reads
        // nothing but this node's own secrets; 'keys verify' compares the stored keystores of all nodes.
        var others = _config.Nodes.Where(n => n.Id != nodeId).Select(n => new NodeSigners(n.Id, n.Attesters, []));
        var check = KeystoreValidator.Check(text, fileName, new KeystoreStageContext(others.ToList(), _config.SharedSigner));
        if (!check.IsValid)
        {
            return new ImportResult(check, null, null);
        }

        if (!force && await _store.ExistsAsync(nodeId, NodeSecret.Keystore, cancellationToken).ConfigureAwait(false))
        {
            throw new SecretExistsException(_store.Describe(nodeId, NodeSecret.Keystore));
        }

        var publisher = await ReadPublisherAsync(nodeId, cancellationToken).ConfigureAwait(false);
        await _store.WriteAsync(nodeId, NodeSecret.Keystore, KeystoreComposer.Compose(text, publisher), force, cancellationToken).ConfigureAwait(false);
        return new ImportResult(check, _store.Describe(nodeId, NodeSecret.Keystore), publisher?.Address);
    }

    /// <summary>Deletes the node's keystore and publisher key; returns where each was.</summary>
    public async Task<ImmutableArray<string>> RemoveAsync(string nodeId, CancellationToken cancellationToken)
    {
        Node(nodeId);
        var removed = ImmutableArray.CreateBuilder<string>();
        foreach (var secret in new[] { NodeSecret.Keystore, NodeSecret.PublisherKey })
        {
            if (await _store.DeleteAsync(nodeId, secret, cancellationToken).ConfigureAwait(false))
            {
                removed.Add(_store.Describe(nodeId, secret));
            }
        }

        return removed.ToImmutable();
    }

    /// <summary>Reads each node's stored keystore (by exact name) and returns its public facts.</summary>
    public async Task<ImmutableArray<NodeKeys>> ListAsync(CancellationToken cancellationToken)
    {
        var result = ImmutableArray.CreateBuilder<NodeKeys>();
        // Only the roles that hold keys: sequencers (keystore and publisher) and the prover node (publisher).
        foreach (var node in _config.Nodes.Where(n => n.Role is NodeRole.Sequencer or NodeRole.ProverNode))
        {
            var keystore = await _store.ReadAsync(node.Id, NodeSecret.Keystore, cancellationToken).ConfigureAwait(false);
            var hasPublisher = await _store.ExistsAsync(node.Id, NodeSecret.PublisherKey, cancellationToken).ConfigureAwait(false);
            var check = keystore is null ? null : KeystoreValidator.Check(keystore);
            result.Add(new NodeKeys(
                node.Id,
                _store.Describe(node.Id, NodeSecret.Keystore),
                keystore is not null,
                _store.Describe(node.Id, NodeSecret.PublisherKey),
                hasPublisher,
                check?.Validators ?? [],
                check?.Findings ?? []));
        }

        return result.ToImmutable();
    }

    /// <summary>Checks the stage's stored keys against its config and the slashing rules; empty means all good.</summary>
    public async Task<ImmutableArray<KeystoreFinding>> VerifyAsync(CancellationToken cancellationToken)
    {
        var nodes = await ListAsync(cancellationToken).ConfigureAwait(false);
        var findings = ImmutableArray.CreateBuilder<KeystoreFinding>();
        var signers = new List<NodeSigners>();

        foreach (var node in nodes)
        {
            var config = Node(node.NodeId);
            if (config.Role == NodeRole.ProverNode)
            {
                // The prover node has no keystore: only its publisher key, read at service start.
                var key = await ReadPublisherAsync(node.NodeId, cancellationToken).ConfigureAwait(false);
                if (key is null)
                {
                    findings.Add(new KeystoreFinding(node.NodeId, $"has no publisher key at {node.PublisherKeyLocation}: the prover node cannot submit proofs ('keys publisher --node {node.NodeId}')"));
                    continue;
                }

                signers.Add(new NodeSigners(node.NodeId, [], [key.Address], Prover: true));
                if (config.Publisher is { } recorded && !string.Equals(recorded, key.Address, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(new KeystoreFinding(node.NodeId, $"config nodes[].publisher {EthAddress.ToChecksum(recorded)} is not the stored prover publisher {EthAddress.ToChecksum(key.Address)}"));
                }

                continue;
            }

            if (!node.HasKeystore)
            {
                findings.Add(new KeystoreFinding(node.NodeId, $"has no keystore at {node.KeystoreLocation}: the node starts without validators"));
                continue;
            }

            findings.AddRange(node.Findings.Select(f => f with { Field = $"{node.NodeId}: {f.Field}" }));
            var attesters = node.Validators.SelectMany(v => v.Attesters).Select(a => a.Address).OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var publishers = node.Validators.SelectMany(v => v.Publishers).Select(p => p.Address).OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            signers.Add(new NodeSigners(node.NodeId, attesters, publishers));
            if (_config.SharedSigner && (publishers.Count == 0 || node.Validators.Any(v => v.Publishers.IsEmpty)))
            {
                findings.Add(new KeystoreFinding(node.NodeId, "has a validator entry without a publisher: in shared-signer mode every node needs its own publisher key ('keys publisher')"));
            }

            if (config.Publisher is { } configured && !publishers.Contains(configured, StringComparer.OrdinalIgnoreCase))
            {
                findings.Add(new KeystoreFinding(node.NodeId, $"config nodes[].publisher {EthAddress.ToChecksum(configured)} is not the publisher in the stored keystore"));
            }

            // Both directions, whether or not config lists any: the stage's slashing checks (and the plan) see
            // only declared attesters, so a stored but undeclared one escapes them.
            var stored = attesters.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var missing in config.Attesters.Where(a => !stored.Contains(a)))
            {
                findings.Add(new KeystoreFinding(node.NodeId, $"config lists attester {EthAddress.ToChecksum(missing)} but the stored keystore does not have it"));
            }

            foreach (var extra in stored.Where(a => !config.Attesters.Contains(a.ToLowerInvariant())))
            {
                findings.Add(new KeystoreFinding(node.NodeId, $"stored keystore has attester {extra} that config nodes[].attesters does not list; declare it there so the stage's slashing checks see it"));
            }
        }

        foreach (var finding in SlashingRules.Check(signers, _config.SharedSigner))
        {
            var what = finding.Risk is SlashingRisk.PublisherShared or SlashingRisk.ProverPublisherIsAttester ? "publisher" : "attester";
            findings.Add(new KeystoreFinding(finding.NodeId, $"{what} {finding.Address} {finding.Message}"));
        }

        return findings.ToImmutable();
    }

    /// <summary>Reads the L1 execution URLs from the stage's parameter in <paramref name="region"/>.</summary>
    public static async Task<string> ReadL1RpcUrlsAsync(IParameterStore parameters, StageConfig config, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(config);
        var value = await parameters.GetSecureAsync(region, config.L1.ExecutionUrlsParameter, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(value)
            ? throw new KeyOperationException($"{config.L1.ExecutionUrlsParameter} ({region}) does not exist or is empty; create it, or give the URL through the environment or standard input.")
            : value.Trim();
    }

    private async Task<PublisherResult> StorePublisherAsync(string nodeId, PublisherKey key, string? previous, bool overwrite, CancellationToken cancellationToken)
    {
        await _store.WriteAsync(nodeId, NodeSecret.PublisherKey, key.ExportPrivateKeyHex(), overwrite, cancellationToken).ConfigureAwait(false);
        var keystore = await _store.ReadAsync(nodeId, NodeSecret.Keystore, cancellationToken).ConfigureAwait(false);
        if (keystore is not null)
        {
            // Recomposing is the point of this verb: only the publisher entries change.
            await _store.WriteAsync(nodeId, NodeSecret.Keystore, KeystoreComposer.Compose(keystore, key), true, cancellationToken).ConfigureAwait(false);
        }

        return new PublisherResult(key.Address, previous, keystore is not null, _store.Describe(nodeId, NodeSecret.PublisherKey));
    }

    private async Task<PublisherKey?> ReadPublisherAsync(string nodeId, CancellationToken cancellationToken)
    {
        var text = await _store.ReadAsync(nodeId, NodeSecret.PublisherKey, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        try
        {
            return PublisherKey.FromHex(text);
        }
        catch (ArgumentException)
        {
            throw new KeyOperationException($"{_store.Describe(nodeId, NodeSecret.PublisherKey)} does not hold a valid private key; rotate the publisher to replace it.");
        }
    }

    private NodeConfig Node(string nodeId) => _config.Node(nodeId);

    /// <summary>The node, when it signs for attesters (a sequencer); refused for every other role.</summary>
    private NodeConfig Signer(string nodeId)
    {
        var node = Node(nodeId);
        return node.Role == NodeRole.Sequencer
            ? node
            : throw new KeyOperationException($"{nodeId} has role {NodeRoles.Name(node.Role)}: only sequencers hold attester keystores (a prover node holds only its publisher key: 'keys publisher').");
    }

    /// <summary>The node, when it publishes to L1 (a sequencer or the prover node); refused for every other role.</summary>
    private NodeConfig Publisher(string nodeId)
    {
        var node = Node(nodeId);
        return node.Role is NodeRole.Sequencer or NodeRole.ProverNode
            ? node
            : throw new KeyOperationException($"{nodeId} has role {NodeRoles.Name(node.Role)}: it publishes nothing to L1, so it has no publisher key (only sequencers and the prover node do).");
    }
}
