using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AztecInfra.Plan;

/// <summary>One property value that differs between two plans: whole (<see cref="Line"/> null) or one line of a text value.</summary>
/// <param name="Property">Top-level property name (e.g. <c>Size</c>, <c>UserData</c>).</param>
/// <param name="Old">The old value or line, or null when it did not exist.</param>
/// <param name="New">The new value or line, or null when it no longer exists.</param>
/// <param name="Line">For text values compared line by line, the setting or line key the pair is about.</param>
public sealed record ValueChange(string Property, string? Old, string? New, string? Line = null);

/// <summary>
/// What a plan may remember of a property's value, and how two remembered values differ. Generic over
/// properties: any row (a template property, a node setting) can be turned into <see cref="ValueChange"/>s
/// with <see cref="Diff"/>. A value is kept only when neither its name nor any name inside it could hold a
/// secret; the rest stay fingerprints.
/// </summary>
public static partial class PropertyValues
{
    /// <summary>Longest value kept whole; longer structured values are fingerprinted only.</summary>
    public const int MaxValueLength = 2000;

    /// <summary>
    /// True when a property or setting name could hold a secret (password, secret, token, credential,
    /// private, mnemonic, seed, auth, or a key other than a key id, name, spec, usage, policy or rotation).
    /// Conservative by design: a withheld harmless value costs a reviewer a look at the template.
    /// </summary>
    public static bool CouldBeSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretName().IsMatch(name) || (KeyWord().IsMatch(name) && !SafeKeyName().IsMatch(name));
    }

    /// <summary>
    /// The value to remember for a property, or null when only its fingerprint may be kept: user data is
    /// kept decoded (it holds settings, never secrets, and lines with secret-looking keys are dropped),
    /// scalars as they are, structures as compact JSON up to <see cref="MaxValueLength"/> characters.
    /// </summary>
    public static string? Capture(string name, JsonNode? value)
    {
        if (CouldBeSecret(name) || value is null || HasSecretName(value))
        {
            return null;
        }

        if (name == "UserData" && TemplateFacts.DecodeUserData(value) is { } text)
        {
            return string.Join('\n', text.Split('\n').Where(l => !CouldBeSecret(LineKey(l) ?? string.Empty)));
        }

        var json = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return json.Length <= MaxValueLength ? json : null;
    }

    /// <summary>
    /// The differences between two remembered values of <paramref name="property"/>: one pair when they are
    /// single-line, else the changed lines paired by their setting key (<c>KEY=value</c>, <c>key: value</c>).
    /// </summary>
    public static ImmutableArray<ValueChange> Diff(string property, string? old, string? now)
    {
        if (old == now)
        {
            return [];
        }

        if (old is null || now is null || (!old.Contains('\n', StringComparison.Ordinal) && !now.Contains('\n', StringComparison.Ordinal)))
        {
            return [new ValueChange(property, old, now)];
        }

        var before = old.Split('\n');
        var after = now.Split('\n');
        var removed = before.Except(after, StringComparer.Ordinal).ToList();
        var added = after.Except(before, StringComparer.Ordinal).ToList();
        var changes = new List<ValueChange>();
        foreach (var line in removed)
        {
            var key = LineKey(line);
            var partner = key is null ? null : added.FirstOrDefault(a => LineKey(a) == key);
            if (partner is not null)
            {
                added.Remove(partner);
            }

            changes.Add(new ValueChange(property, line.Trim(), partner?.Trim(), key));
        }

        changes.AddRange(added.Select(a => new ValueChange(property, null, a.Trim(), LineKey(a))));
        return [.. changes];
    }

    /// <summary>The setting key of a line (<c>KEY=value</c> or <c>key: value</c>), or null.</summary>
    public static string? LineKey(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = LineKeyPattern().Match(line);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static bool HasSecretName(JsonNode node) => node switch
    {
        JsonObject o => o.Any(p => CouldBeSecret(p.Key) || (p.Value is not null && HasSecretName(p.Value))),
        JsonArray a => a.Any(i => i is not null && HasSecretName(i)),
        _ => false,
    };

    [GeneratedRegex("(?i)password|passphrase|secret|token|credential|private|mnemonic|seed|auth")]
    private static partial Regex SecretName();

    [GeneratedRegex("(?i)key")]
    private static partial Regex KeyWord();

    [GeneratedRegex("(?i)^(kms)?key(id|name|spec|usage|policy|rotation|arn|alias)?$|^enablekeyrotation$")]
    private static partial Regex SafeKeyName();

    [GeneratedRegex(@"^\s*-?\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*[=:]")]
    private static partial Regex LineKeyPattern();
}
