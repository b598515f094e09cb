using AztecInfra.Keys;
using AztecInfra.Plan.Diagram;

namespace AztecInfra.Cli.Plan;

/// <summary>Renders a <see cref="DotGraph"/> to SVG with Graphviz <c>dot</c>, through the project's process seam.</summary>
internal static class DiagramWriter
{
    /// <summary>Writes <paramref name="graph"/> as SVG to <paramref name="svgPath"/>; the DOT source goes beside it.</summary>
    public static async Task WriteAsync(DotGraph graph, string svgPath, IProcessRunner runner, CancellationToken cancellationToken)
    {
        var dotPath = Path.ChangeExtension(svgPath, ".dot");
        await File.WriteAllTextAsync(dotPath, graph.ToDot(), cancellationToken).ConfigureAwait(false);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(
                new ProcessSpec { FileName = "dot", Arguments = ["-Tsvg", "-o", svgPath, dotPath], Timeout = TimeSpan.FromMinutes(1) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KeyOperationException ex)
        {
            throw new KeyOperationException($"--diagram needs Graphviz 'dot' on PATH (Debian: apt-get install graphviz): {ex.Message}", ex);
        }

        if (result.ExitCode != 0)
        {
            // dot's messages quote only the DOT text we wrote (names and CIDRs), never secrets.
            throw new KeyOperationException($"dot could not render {dotPath} ({result}): {result.StandardError.Trim()}");
        }
    }

    /// <summary>Checks a --diagram path before anything is synthesized; returns the full path.</summary>
    public static string Check(FileInfo file)
    {
        var path = file.FullName;
        if (Directory.Exists(path))
        {
            throw new UsageException($"--diagram: '{path}' is a directory; give a file name ending in .svg.");
        }

        if (!path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--diagram: '{path}' must end in .svg (Graphviz renders SVG).");
        }

        var parent = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(parent))
        {
            throw new UsageException($"--diagram: the directory '{parent}' does not exist; create it or give another path.");
        }

        return path;
    }
}
