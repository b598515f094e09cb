using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using AztecInfra.Primitives;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Keys;

/// <summary>One thing wrong with a keystore: the JSON field path and what is allowed. Never carries a secret value.</summary>
/// <param name="Field">Field path, e.g. <c>validators[0].attester.bls</c>; <c>(file)</c> or <c>(document)</c> for the whole file.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record KeystoreFinding(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Where an account's secret lives.</summary>
public enum KeyCustody
{
    /// <summary>The private key is written inline in the keystore.</summary>
    InlineKey,

    /// <summary>An encrypted key file on the host (<c>{path, password}</c>).</summary>
    KeyFile,

    /// <summary>A remote signer (Web3Signer) holds the key; the keystore has only the address.</summary>
    RemoteSigner,
}

/// <summary>An account named by a keystore.</summary>
/// <param name="Address">EIP-55 address, or null when it cannot be known offline (an encrypted key file).</param>
/// <param name="Custody">Where the secret lives.</param>
public sealed record KeystoreAccount(string? Address, KeyCustody Custody);

/// <summary>The public facts of one <c>validators[i]</c> entry.</summary>
/// <param name="Attesters">Attester ETH accounts.</param>
/// <param name="Publishers">Publisher accounts (empty: the attester publishes).</param>
/// <param name="Coinbase">Coinbase address, or null for Aztec's default (the attester).</param>
public sealed record KeystoreValidatorEntry(ImmutableArray<KeystoreAccount> Attesters, ImmutableArray<KeystoreAccount> Publishers, string? Coinbase);

/// <summary>The result of checking a keystore: the findings and, as far as it could be read, its public summary.</summary>
/// <param name="Findings">Every rule broken, in file order; empty when the keystore is valid.</param>
/// <param name="Validators">Public facts of each validator entry that could be read.</param>
public sealed record KeystoreCheck(ImmutableArray<KeystoreFinding> Findings, ImmutableArray<KeystoreValidatorEntry> Validators)
{
    /// <summary>True when no rule is broken.</summary>
    public bool IsValid => Findings.IsEmpty;

    /// <summary>All attester addresses that could be read, lower-case.</summary>
    public IEnumerable<string> AttesterAddresses =>
        Validators.SelectMany(v => v.Attesters).Where(a => a.Address is not null).Select(a => a.Address!.ToLowerInvariant());
}

/// <summary>The other nodes of the stage, for the slashing rules across nodes.</summary>
/// <param name="OtherNodes">The other nodes' attesters and publishers.</param>
/// <param name="SharedSigner">True when the stage uses Aztec's HA signing, where sharing attesters is the point.</param>
public sealed record KeystoreStageContext(IReadOnlyList<NodeSigners> OtherNodes, bool SharedSigner);

/// <summary>
/// Checks a file against Aztec's validator keystore format (<c>yarn-project/node-keystore</c>: schema version 1,
/// <c>validators[]</c> with <c>attester.eth</c>/<c>attester.bls</c>, <c>feeRecipient</c>, optional
/// <c>coinbase</c>, <c>publisher</c>, <c>remoteSigner</c>) plus this project's rules (every attester has a
/// BLS key to stake with, no attester twice, no field Aztec's schema does not define, EIP-55 checksums of
/// mixed-case addresses as Aztec checks them). Each broken rule yields one finding naming the field; no
/// message ever echoes a value that could be a key.
/// </summary>
public static class KeystoreValidator
{
    /// <summary>The suffix of Aztec's public staking file, which stops a node that finds it among its keystores.</summary>
    public const string StakerOutputSuffix = "_staker_output.json";

    // The fields of Aztec's keystore schema, place by place (yarn-project/node-keystore/src/schemas.ts).
    private static readonly string[] TopLevelFields = ["schemaVersion", "validators", "slasher", "remoteSigner", "prover", "fundingAccount"];
    private static readonly string[] ValidatorFields = ["attester", "coinbase", "publisher", "feeRecipient", "remoteSigner", "fundingAccount"];
    private static readonly string[] AttesterFields = ["eth", "bls"];
    private static readonly string[] RemoteSignerAccountFields = ["address", "remoteSignerUrl", "certPath", "certPass"];
    private static readonly string[] RemoteSignerConfigFields = ["remoteSignerUrl", "certPath", "certPass"];
    private static readonly string[] KeyFileFields = ["path", "password"];

    private const string EthShape = "must be a 66-character private key (0x + 64 hex) or a 42-character address (0x + 40 hex)";

    /// <summary>Checks <paramref name="text"/>; <paramref name="fileName"/> (optional) is checked too.</summary>
    public static KeystoreCheck Check(string text, string? fileName = null, KeystoreStageContext? stage = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Walker(stage).Run(text, fileName);
    }

    /// <summary>True when the file name is Aztec's staker output, which must never be used as a keystore.</summary>
    public static bool IsStakerOutputName(string? fileName) =>
        fileName is not null && Path.GetFileName(fileName).EndsWith(StakerOutputSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a 32-byte Aztec address: 0x followed by 64 hex digits.</summary>
    public static bool IsAztecAddress(string? text) => EthAddress.IsPrivateKeyShape(text);

    private sealed class Walker(KeystoreStageContext? stage)
    {
        private readonly List<KeystoreFinding> _findings = [];
        private readonly List<KeystoreValidatorEntry> _entries = [];
        private readonly Dictionary<string, string> _seen = new(StringComparer.OrdinalIgnoreCase);

        public KeystoreCheck Run(string text, string? fileName)
        {
            if (IsStakerOutputName(fileName))
            {
                Add("(file)", $"is named *{StakerOutputSuffix}: that is Aztec's public staking data, not a keystore, and a node that finds it among its keystores stops at start-up; give the keyN.json generated next to it");
            }

            JsonNode? root;
            try
            {
                root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
            }
            catch (JsonException ex)
            {
                // Only the position: the parser's message can quote the text, which may be a key.
                Add("(document)", $"is not JSON (error at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
                return Result();
            }

            if (LooksLikeStakerOutput(root))
            {
                Add("(document)", "has the shape of Aztec's staker output (attester, publicKeyG1, publicKeyG2, proofOfPossession): that file is for the staking step, not a keystore; give the keyN.json generated next to it");
                return Result();
            }

            if (root is not JsonObject file)
            {
                Add("(document)", "must be a JSON object with schemaVersion and validators");
                return Result();
            }

            Unknown(file, null, TopLevelFields);
            CheckSchemaVersion(file);
            var fileSigner = file["remoteSigner"];
            if (file.ContainsKey("remoteSigner"))
            {
                CheckRemoteSigner(fileSigner, "remoteSigner");
            }

            if (file["validators"] is not JsonArray validators || validators.Count == 0)
            {
                Add("validators", "has no validators: give a non-empty array of validator entries");
                return Result();
            }

            for (var i = 0; i < validators.Count; i++)
            {
                CheckValidator(validators[i], $"validators[{i}]", fileSigner is not null);
            }

            return Result();
        }

        private KeystoreCheck Result() => new([.. _findings], [.. _entries]);

        private void Add(string field, string message) => _findings.Add(new KeystoreFinding(field, message));

        private void CheckSchemaVersion(JsonObject file)
        {
            if (!file.ContainsKey("schemaVersion"))
            {
                Add("schemaVersion", "is missing: Aztec's keystore format is schemaVersion 1");
            }
            else if (file["schemaVersion"] is not JsonValue v || !v.TryGetValue<int>(out var version) || version != 1)
            {
                Add("schemaVersion", "is not a version Aztec knows: it must be 1");
            }
        }

        private void CheckValidator(JsonNode? node, string path, bool fileSigner)
        {
            if (node is not JsonObject validator)
            {
                Add(path, "must be an object with attester, feeRecipient and optionally coinbase, publisher, remoteSigner");
                return;
            }

            Unknown(validator, path, ValidatorFields);
            var hasSigner = fileSigner;
            if (validator.ContainsKey("remoteSigner"))
            {
                hasSigner |= CheckRemoteSigner(validator["remoteSigner"], $"{path}.remoteSigner");
            }

            var attesters = new List<KeystoreAccount>();
            switch (validator["attester"])
            {
                case null:
                    Add($"{path}.attester", "is missing: each validator needs an attester with both eth and bls keys");
                    break;
                case JsonArray list when list.Count == 0:
                    Add($"{path}.attester", "is an empty list: give at least one attester with eth and bls keys");
                    break;
                case JsonArray list:
                    for (var j = 0; j < list.Count; j++)
                    {
                        CheckAttester(list[j], $"{path}.attester[{j}]", hasSigner, attesters);
                    }

                    break;
                case var single:
                    CheckAttester(single, $"{path}.attester", hasSigner, attesters);
                    break;
            }

            CheckFeeRecipient(validator, path);

            string? coinbase = null;
            if (validator.ContainsKey("coinbase"))
            {
                if (AsString(validator["coinbase"]) is { } c && EthAddress.IsAddress(c))
                {
                    coinbase = EthAddress.ToChecksum(c);
                }
                else
                {
                    Add($"{path}.coinbase", EthAddress.Problem(AsString(validator["coinbase"])) ?? "must be an address");
                }
            }

            var publishers = new List<KeystoreAccount>();
            if (validator.ContainsKey("publisher"))
            {
                CheckPublishers(validator["publisher"], $"{path}.publisher", hasSigner, publishers);
            }

            _entries.Add(new KeystoreValidatorEntry([.. attesters], [.. publishers], coinbase));
        }

        private void CheckAttester(JsonNode? node, string path, bool hasSigner, List<KeystoreAccount> attesters)
        {
            if (node is not JsonObject attester)
            {
                Add(path, "must be an object with both eth and bls: a bare ETH account has no BLS key to stake with");
                return;
            }

            if (attester.ContainsKey("mnemonic"))
            {
                Add(path, "is a mnemonic: this tool needs explicit eth and bls keys per attester");
                return;
            }

            if (attester.ContainsKey("eth") || attester.ContainsKey("bls"))
            {
                Unknown(attester, path, AttesterFields);
            }

            var eth = attester["eth"];
            KeystoreAccount? account = null;
            if (eth is null)
            {
                Add($"{path}.eth", "is missing: an attester needs both eth and bls");
            }
            else
            {
                account = CheckEthAccount(eth, $"{path}.eth", hasSigner, EthShape);
            }

            if (attester["bls"] is not { } bls)
            {
                Add($"{path}.bls", "is missing: an attester needs both eth and bls (the BLS key is what stakes)");
            }
            else
            {
                CheckBls(bls, $"{path}.bls");
            }

            if (account is null)
            {
                return;
            }

            attesters.Add(account);
            if (account.Address is not { } address)
            {
                return;
            }

            if (_seen.TryGetValue(address, out var first))
            {
                Add($"{path}.eth", $"repeats attester {address} of {first}: an attester may appear only once in a node's keystores");
                return;
            }

            _seen[address] = $"{path}.eth";
            if (stage is not null)
            {
                // The same rules as the stage validator and 'keys verify': this keystore as the last node of the stage.
                var self = new NodeSigners("(this keystore)", [address], []);
                foreach (var finding in SlashingRules.Check([.. stage.OtherNodes, self], stage.SharedSigner).Where(f => f.NodeId == self.NodeId))
                {
                    Add($"{path}.eth", $"attester {address} {finding.Message}");
                }
            }
        }

        private KeystoreAccount? CheckEthAccount(JsonNode node, string path, bool hasSigner, string shape)
        {
            if (node is JsonValue value && value.TryGetValue<string>(out var text))
            {
                if (EthAddress.IsPrivateKeyShape(text))
                {
                    try
                    {
                        return new KeystoreAccount(EthAddress.FromPrivateKeyHex(text), KeyCustody.InlineKey);
                    }
                    catch (ArgumentException)
                    {
                        Add(path, "is a 66-character value but not a valid secp256k1 private key (zero or above the curve order)");
                        return null;
                    }
                }

                if (EthAddress.HasAddressShape(text))
                {
                    if (EthAddress.Problem(text) is { } problem)
                    {
                        Add(path, problem);
                        return null;
                    }

                    if (!hasSigner)
                    {
                        Add(path, "is a 42-character address with no remote signer to sign for it: set remoteSigner on the validator or at the top level, or give the 66-character private key");
                    }

                    return new KeystoreAccount(EthAddress.ToChecksum(text), KeyCustody.RemoteSigner);
                }

                Add(path, shape);
                return null;
            }

            if (node is JsonObject account)
            {
                if (account.ContainsKey("path"))
                {
                    return CheckKeyFile(account, path) ? new KeystoreAccount(null, KeyCustody.KeyFile) : null;
                }

                if (account.ContainsKey("address"))
                {
                    Unknown(account, path, RemoteSignerAccountFields);
                    var address = AsString(account["address"]);
                    var ok = true;
                    if (EthAddress.Problem(address) is { } problem)
                    {
                        Add($"{path}.address", problem);
                        ok = false;
                    }

                    if (account.ContainsKey("remoteSignerUrl"))
                    {
                        ok &= CheckUrl(account["remoteSignerUrl"], $"{path}.remoteSignerUrl");
                    }
                    else if (!hasSigner)
                    {
                        Add($"{path}.remoteSignerUrl", "is missing and no remoteSigner is set on the validator or at the top level: nothing would sign for this address");
                        ok = false;
                    }

                    return ok ? new KeystoreAccount(EthAddress.ToChecksum(address!), KeyCustody.RemoteSigner) : null;
                }
            }

            Add(path, shape + ", a key file {path, password} or a remote-signer account {address, remoteSignerUrl}");
            return null;
        }

        private void CheckBls(JsonNode node, string path)
        {
            if (node is JsonValue value && value.TryGetValue<string>(out var text))
            {
                if (EthAddress.IsPrivateKeyShape(text))
                {
                    return;
                }

                Add(path, EthAddress.HasAddressShape(text)
                    ? "is an address, but BLS keys cannot use a remote signer: give the 66-character BLS private key or a key file {path, password}"
                    : "must be an inline 66-character BLS private key (0x + 64 hex) or a key file {path, password}");
                return;
            }

            if (node is JsonObject account && account.ContainsKey("path"))
            {
                CheckKeyFile(account, path);
                return;
            }

            if (node is JsonObject signer && (signer.ContainsKey("address") || signer.ContainsKey("remoteSignerUrl")))
            {
                Add(path, "is a remote-signer account, but BLS keys cannot use a remote signer: give the 66-character BLS private key or a key file {path, password}");
                return;
            }

            Add(path, "must be an inline 66-character BLS private key (0x + 64 hex) or a key file {path, password}");
        }

        private bool CheckKeyFile(JsonObject account, string path)
        {
            Unknown(account, path, KeyFileFields);
            var ok = true;
            if (AsString(account["path"]) is not { Length: > 0 })
            {
                Add($"{path}.path", "must be the path of an encrypted key file on the node");
                ok = false;
            }

            if (account.ContainsKey("password") && AsString(account["password"]) is null)
            {
                Add($"{path}.password", "must be a string when given");
                ok = false;
            }

            return ok;
        }

        private void CheckPublishers(JsonNode? node, string path, bool hasSigner, List<KeystoreAccount> publishers)
        {
            const string shape = "must be a publisher key (66-character private key) or a 42-character address signed by a remote signer";
            if (node is JsonArray list)
            {
                if (list.Count == 0)
                {
                    Add(path, "is an empty list: leave publisher out (the attester publishes) or give at least one key or address");
                }

                for (var j = 0; j < list.Count; j++)
                {
                    if (list[j] is { } item && CheckEthAccount(item, $"{path}[{j}]", hasSigner, shape) is { } account)
                    {
                        publishers.Add(account);
                    }
                    else if (list[j] is null)
                    {
                        Add($"{path}[{j}]", shape);
                    }
                }

                return;
            }

            if (node is JsonObject o && o.ContainsKey("mnemonic"))
            {
                Add(path, "is a mnemonic: this tool needs explicit publisher keys or addresses");
                return;
            }

            if (node is null)
            {
                Add(path, shape);
                return;
            }

            if (CheckEthAccount(node, path, hasSigner, shape) is { } single)
            {
                publishers.Add(single);
            }
        }

        private void CheckFeeRecipient(JsonObject validator, string path)
        {
            if (!validator.ContainsKey("feeRecipient"))
            {
                Add($"{path}.feeRecipient", "is missing: Aztec requires a 32-byte Aztec address (0x + 64 hex; all zeros today)");
            }
            else if (!IsAztecAddress(AsString(validator["feeRecipient"])))
            {
                Add($"{path}.feeRecipient", "must be a 32-byte Aztec address: 0x followed by 64 hex digits");
            }
        }

        private bool CheckRemoteSigner(JsonNode? node, string path)
        {
            if (node is JsonObject config)
            {
                Unknown(config, path, RemoteSignerConfigFields);
                return CheckUrl(config["remoteSignerUrl"], $"{path}.remoteSignerUrl");
            }

            if (AsString(node) is not null)
            {
                return CheckUrl(node, path);
            }

            Add(path, "must be a URL or an object {remoteSignerUrl, certPath?, certPass?}");
            return false;
        }

        private bool CheckUrl(JsonNode? node, string path)
        {
            if (AsString(node) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return true;
            }

            Add(path, "must be an http or https URL of a remote signer (Web3Signer)");
            return false;
        }

        /// <summary>
        /// Refuses every field Aztec's schema does not define at this place. Aztec's zod objects are not strict:
        /// its loader drops an unknown field without a word, so a misspelt <c>publisher</c> or <c>coinbase</c>
        /// would silently change who publishes or who is paid. Refusing it here is the only place it surfaces.
        /// </summary>
        private void Unknown(JsonObject node, string? path, string[] allowed)
        {
            foreach (var (name, _) in node)
            {
                if (!allowed.Contains(name, StringComparer.Ordinal))
                {
                    // A field name is echoed unless it could itself be a key pasted in the wrong place.
                    var shown = name.Length > 64 || EthAddress.IsPrivateKeyShape(name) || name.Any(char.IsControl) ? "(a field whose name is not shown)" : name;
                    Add(path is null ? shown : $"{path}.{shown}", $"is not a field of Aztec's keystore schema here (allowed: {string.Join(", ", allowed)}); Aztec's loader would drop it silently, so a misspelt field would be ignored");
                }
            }
        }

        private static string? AsString(JsonNode? node) =>
            node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        private static bool LooksLikeStakerOutput(JsonNode? root)
        {
            static bool Shaped(JsonNode? n) => n is JsonObject o && o.ContainsKey("attester")
                && (o.ContainsKey("publicKeyG1") || o.ContainsKey("publicKeyG2") || o.ContainsKey("proofOfPossession"));
            return root is JsonArray list ? list.Count > 0 && list.All(Shaped) : Shaped(root);
        }
    }
}
