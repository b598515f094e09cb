using System.Collections.Immutable;
using System.Text;

namespace AztecInfra.Kubernetes;

/// <summary>Serializes rendered files with KubernetesClient's YAML serializer and writes them.</summary>
public static class ManifestWriter
{
    /// <summary>The text of one file: its header as comments, then one YAML document per object.</summary>
    public static string ToYaml(ManifestFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var text = new StringBuilder();
        foreach (var line in file.Header)
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        for (var i = 0; i < file.Objects.Length; i++)
        {
            text.Append("---\n");
            var yaml = k8s.KubernetesYaml.Serialize(file.Objects[i]).ReplaceLineEndings("\n");
            text.Append(yaml);
            if (!yaml.EndsWith('\n'))
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>File name to text, for every file.</summary>
    public static ImmutableSortedDictionary<string, string> ToYaml(IEnumerable<ManifestFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.ToImmutableSortedDictionary(f => f.FileName, ToYaml, StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes the files into <paramref name="directory"/> (created when missing) and removes YAML files there
    /// that the render no longer produces, so the directory is exactly the render.
    /// </summary>
    public static IReadOnlyList<string> Write(IEnumerable<ManifestFile> files, string directory)
    {
        var texts = ToYaml(files);
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.GetFiles(directory, "*.yaml").Where(p => !texts.ContainsKey(Path.GetFileName(p))))
        {
            File.Delete(stale);
        }

        foreach (var (name, text) in texts)
        {
            File.WriteAllText(Path.Combine(directory, name), text, new UTF8Encoding(false));
        }

        return [.. texts.Keys];
    }
}
