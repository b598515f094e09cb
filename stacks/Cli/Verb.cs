using System.CommandLine;
using System.CommandLine.Invocation;

namespace AztecInfra.Cli;

/// <summary>
/// One verb of the command line: it defines its options (<see cref="Define"/>) and runs (<see cref="RunAsync"/>).
/// Parsing problems, unknown arguments and failures all go through <see cref="ExitCodes"/>, the same for
/// every verb.
/// </summary>
internal abstract class Verb
{
    /// <summary>The verb's name on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>One line for --help.</summary>
    public abstract string Description { get; }

    /// <summary>Builds the command with its options and its action.</summary>
    public Command Build()
    {
        var command = new Command(Name, Description);
        Define(command);
        command.Action = new VerbAction(this, command);
        return command;
    }

    /// <summary>Adds the verb's options and validators.</summary>
    protected abstract void Define(Command command);

    /// <summary>Runs the verb; returns its exit code or throws a failure that <see cref="ExitCodes"/> maps.</summary>
    protected internal abstract Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken);

    /// <summary>The action of every verb and verb group.</summary>
    internal sealed class VerbAction : AsynchronousCommandLineAction
    {
        private readonly Verb? _verb;
        private readonly Command _command;

        public VerbAction(Verb? verb, Command command)
        {
            _verb = verb;
            _command = command;

            // Unknown tokens are reported by ReportParseProblems (exit 2, not echoed), not as parse errors that quote them.
            command.TreatUnmatchedTokensAsErrors = false;
        }

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var config = parseResult.InvocationConfiguration;
            var output = new CliOutput(config.Output, config.Error);
            if (_verb is null)
            {
                // A group (the root, 'keys'): reached only without a verb.
                output.Message($"'{Path(parseResult)}' needs a verb: {string.Join(", ", _command.Subcommands.Select(c => c.Name))}.");
                output.Message($"See '{Path(parseResult)} --help'.");
                return ExitCodes.Usage;
            }

            try
            {
                return await _verb.RunAsync(parseResult, output, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The one place where every failure of every verb becomes an exit code and a message.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                var (code, message) = ExitCodes.For(ex);
                output.Message(message);
                return code;
            }
        }

        /// <summary>
        /// Reports what parsing found wrong (exit code 2), or returns null when the command may run. Unknown
        /// tokens are counted, never echoed: one may be a secret typed where it does not belong.
        /// </summary>
        public static int? ReportParseProblems(ParseResult result, CliOutput output)
        {
            if (result.Action is System.CommandLine.Help.HelpAction || (result.Errors.Count == 0 && result.UnmatchedTokens.Count == 0))
            {
                return null;
            }

            var command = result.CommandResult.Command;
            if (command.Action is VerbAction { _verb: null } && result.UnmatchedTokens.Count > 0)
            {
                output.Message($"Unknown verb for '{Path(result)}' (not echoed, in case it is a secret); verbs: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.");
            }
            else
            {
                foreach (var error in result.Errors)
                {
                    output.Message(error.Message);
                }

                if (result.UnmatchedTokens.Count > 0)
                {
                    output.Message($"{result.UnmatchedTokens.Count} argument(s) not recognized (not echoed, in case one is a secret).");
                }
            }

            output.Message($"See '{Path(result)} --help'.");
            return ExitCodes.Usage;
        }

        private static string Path(ParseResult result)
        {
            var names = new List<string>();
            for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, c.Command is RootCommand ? "aztec-infra" : c.Command.Name);
            }

            return string.Join(' ', names);
        }
    }
}

/// <summary>A verb that only groups other verbs (<c>keys</c>).</summary>
internal static class VerbGroup
{
    public static Command Build(Command command, IEnumerable<Verb> verbs)
    {
        foreach (var verb in verbs)
        {
            command.Subcommands.Add(verb.Build());
        }

        command.Action = new Verb.VerbAction(null, command);
        return command;
    }
}
