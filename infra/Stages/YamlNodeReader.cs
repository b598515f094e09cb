using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AztecInfra.Stages;

/// <summary>
/// Reads one YAML mapping with a field path, recording a finding for every unknown key and every value
/// of the wrong shape, so a config with several mistakes reports all of them at once.
/// </summary>
internal sealed class YamlNodeReader
{
    private readonly YamlMappingNode _node;
    private readonly string _path;
    private readonly List<ConfigIssue> _issues;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlNodeReader(YamlMappingNode node, string path, List<ConfigIssue> issues)
    {
        _node = node;
        _path = path;
        _issues = issues;
    }

    public string Field(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    public void Error(string field, string? value, string message) =>
        _issues.Add(new ConfigIssue(IssueSeverity.Error, field, value, message));

    private YamlNode? Get(string key)
    {
        _known.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public string? String(string key, bool required = false)
    {
        var node = Get(key);
        if (node is null || IsNull(node))
        {
            if (required)
            {
                Error(Field(key), null, "is required");
            }

            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(Field(key), Describe(node), "must be a single value, not a list or mapping");
        return null;
    }

    public int? Int(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(Field(key), text, "must be a whole number");
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        return text switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Invalid(),
        };

        bool? Invalid()
        {
            Error(Field(key), text, "must be true or false");
            return null;
        }
    }

    public YamlNodeReader? Mapping(string key, bool required = false)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                if (required)
                {
                    Error(Field(key), null, "is required");
                }

                return null;
            case YamlMappingNode mapping:
                return new YamlNodeReader(mapping, Field(key), _issues);
            default:
                Error(Field(key), Describe(node), "must be a mapping of key: value");
                return null;
        }
    }

    public IReadOnlyList<YamlNodeReader> MappingList(string key, bool required = false)
    {
        var items = Sequence(key, required);
        var result = new List<YamlNodeReader>();
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"{Field(key)}[{i}]";
            if (items[i] is YamlMappingNode mapping)
            {
                result.Add(new YamlNodeReader(mapping, field, _issues));
            }
            else
            {
                Error(field, Describe(items[i]), "must be a mapping of key: value");
            }
        }

        return result;
    }

    public IReadOnlyList<string> StringList(string key, bool required = false)
    {
        var items = Sequence(key, required);
        var result = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is YamlScalarNode { Value: { Length: > 0 } value })
            {
                result.Add(value);
            }
            else
            {
                Error($"{Field(key)}[{i}]", Describe(items[i]), "must be a non-empty single value");
            }
        }

        return result;
    }

    public IReadOnlyList<KeyValuePair<string, string>> StringMap(string key)
    {
        var node = Get(key);
        var result = new List<KeyValuePair<string, string>>();
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(Field(key), Describe(node), "must be a mapping of name: value");
            return result;
        }

        foreach (var (k, v) in mapping.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (v is YamlScalarNode { Value: { } value })
            {
                result.Add(new(name, value));
            }
            else
            {
                Error($"{Field(key)}.{name}", Describe(v), "must be a single value");
            }
        }

        return result;
    }

    private IReadOnlyList<YamlNode> Sequence(string key, bool required)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                if (required)
                {
                    Error(Field(key), null, "is required");
                }

                return [];
            case YamlSequenceNode sequence:
                if (required && sequence.Children.Count == 0)
                {
                    Error(Field(key), "[]", "must have at least one entry");
                }

                return [.. sequence.Children];
            default:
                Error(Field(key), Describe(node), "must be a list");
                return [];
        }
    }

    /// <summary>Records an error for every key that no reader asked for. Call after reading all fields.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!_known.Contains(name))
            {
                Error(Field(name), null, $"is not a known field; allowed here: {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
            }
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null";

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? string.Empty,
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };
}
