using System.Collections.Immutable;

namespace AztecInfra.Monitoring;

/// <summary>The committed copy of the shared bundle under <c>monitoring/</c> in the repository.</summary>
public static class MonitoringFiles
{
    /// <summary>Folder of the committed bundle, relative to the repository root.</summary>
    public const string Folder = "monitoring";

    /// <summary>Writes the shared bundle under <paramref name="directory"/> and returns the paths written.</summary>
    public static ImmutableArray<string> Write(string directory) => Write(directory, MonitoringRenderer.RenderShared());

    /// <summary>Writes <paramref name="files"/> (relative path to content) under <paramref name="directory"/>.</summary>
    public static ImmutableArray<string> Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var written = new List<string>();
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            written.Add(path);
        }

        return [.. written];
    }

    /// <summary>Files under <paramref name="directory"/> that differ from, or are missing in, a fresh render; and extra files.</summary>
    public static ImmutableArray<string> Differences(string directory)
    {
        var expected = MonitoringRenderer.RenderShared();
        var problems = new List<string>();
        foreach (var (relative, content) in expected)
        {
            var path = Path.Combine(directory, relative);
            if (!File.Exists(path))
            {
                problems.Add($"{relative}: missing");
            }
            else if (!string.Equals(File.ReadAllText(path), content, StringComparison.Ordinal))
            {
                problems.Add($"{relative}: differs from the render");
            }
        }

        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
                if (!expected.ContainsKey(relative))
                {
                    problems.Add($"{relative}: not produced by the render (remove it)");
                }
            }
        }

        problems.Sort(StringComparer.Ordinal);
        return [.. problems];
    }
}
