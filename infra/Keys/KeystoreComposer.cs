using System.Text.Json.Nodes;
using AztecInfra.Primitives;

namespace AztecInfra.Keys;

/// <summary>
/// The one place that composes the keystore a node loads: the attester keystore plus the node's own
/// publisher key in every validator entry's <c>publisher</c>. The stored keystore parameter is the complete
/// file; the bootstrap writes it unchanged as the node's only keystore.
/// </summary>
public static class KeystoreComposer
{
    /// <summary>
    /// Returns <paramref name="keystoreJson"/> with <paramref name="publisher"/> as the publisher of every
    /// validator entry, or unchanged (re-serialized compactly) when <paramref name="publisher"/> is null.
    /// </summary>
    /// <exception cref="KeyOperationException">The text is not a keystore object with a validators array.</exception>
    public static string Compose(string keystoreJson, PublisherKey? publisher)
    {
        ArgumentNullException.ThrowIfNull(keystoreJson);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(keystoreJson);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new KeyOperationException("The keystore is not JSON; run 'keys validate' on it first.");
        }

        if (root is not JsonObject file || file["validators"] is not JsonArray validators)
        {
            throw new KeyOperationException("The keystore has no validators array; run 'keys validate' on it first.");
        }

        if (publisher is not null)
        {
            foreach (var validator in validators.OfType<JsonObject>())
            {
                validator["publisher"] = publisher.ExportPrivateKeyHex();
            }
        }

        // Compact: the size decides the SSM tier, and the node does not care about layout.
        return file.ToJsonString();
    }
}
