using Spectre.Console;
using Spectre.Console.Rendering;

namespace AztecInfra.Cli;

/// <summary>
/// The one writer every verb uses: results to standard output, messages (warnings, progress, errors) to
/// standard error, and tables rendered as plain ASCII into standard output.
/// </summary>
internal sealed class CliOutput
{
    private readonly IAnsiConsole _console;

    public CliOutput(TextWriter output, TextWriter error)
    {
        Out = output;
        Err = error;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Wide enough that no fact is wrapped mid-value; plans are read in PRs and CI logs, not 80-column terminals.
        _console.Profile.Width = 220;
    }

    /// <summary>Standard output: what the verb produces.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: everything said about it.</summary>
    public TextWriter Err { get; }

    /// <summary>Writes a line of results.</summary>
    public void Line(string text = "") => Out.WriteLine(text);

    /// <summary>Writes a message to standard error.</summary>
    public void Message(string text) => Err.WriteLine(text);

    /// <summary>Writes a table of results.</summary>
    public void Write(IRenderable renderable) => _console.Write(renderable);
}
