using AztecInfra.Cli;

namespace AztecInfra.Tests.Support;

/// <summary>Runs the command line in memory: exit code, standard output and standard error.</summary>
internal static class TestCli
{
    public static (int Code, string Out, string Err) Run(CliContext context, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error, context);
        return (code, output.ToString(), error.ToString());
    }
}
