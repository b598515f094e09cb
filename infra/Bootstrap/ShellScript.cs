using System.Text;
using System.Text.RegularExpressions;

namespace AztecInfra.Bootstrap;

/// <summary>
/// Makes a bash script smaller for EC2's 16 KB user data without changing what it does: full-line
/// comments and blank lines are dropped, except inside here-documents (which render files and help text)
/// and the shebang. Code lines are never touched, so a trailing comment stays.
/// </summary>
public static partial class ShellScript
{
    /// <summary>The script without its full-line comments and blank lines outside here-documents.</summary>
    public static string StripComments(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var output = new StringBuilder(script.Length);
        string? heredoc = null;
        var lines = script.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (heredoc is not null)
            {
                output.Append(line).Append('\n');
                if (line.Trim() == heredoc)
                {
                    heredoc = null;
                }

                continue;
            }

            var trimmed = line.TrimStart();
            if (i > 0 && (trimmed.Length == 0 || trimmed.StartsWith('#')))
            {
                continue;
            }

            output.Append(line).Append('\n');
            if (!line.Contains("<<<", StringComparison.Ordinal) && HeredocStart().Match(line) is { Success: true } m)
            {
                heredoc = m.Groups[1].Value;
            }
        }

        // Split leaves one empty element after the final newline; keep exactly one newline at the end.
        return output.ToString().TrimEnd('\n') + "\n";
    }

    [GeneratedRegex("<<-?\\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?")]
    private static partial Regex HeredocStart();
}
