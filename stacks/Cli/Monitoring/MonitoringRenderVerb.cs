using System.CommandLine;
using AztecInfra.Monitoring;

namespace AztecInfra.Cli.Monitoring;

/// <summary><c>monitoring render</c>: re-renders the committed monitoring bundle (rules, configs, dashboards).</summary>
internal sealed class MonitoringRenderVerb(CliContext context) : Verb
{
    private readonly Option<DirectoryInfo?> _out = new("--out") { Description = "Directory to write. Default: monitoring/ in the repository." };

    public override string Name => "render";

    public override string Description => "Render the shared monitoring bundle (Prometheus rules and config, rule tests, blackbox, Grafana provisioning and dashboards).";

    /// <summary>The <c>monitoring</c> group.</summary>
    public static Command Group(CliContext context) =>
        VerbGroup.Build(new Command("monitoring", "The monitoring definition: render its files."), [new MonitoringRenderVerb(context)]);

    protected override void Define(Command command) => command.Options.Add(_out);

    protected internal override Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var dir = result.GetValue(_out)?.FullName ?? Path.Combine(context.RepositoryRoot, MonitoringFiles.Folder);
        if (File.Exists(dir))
        {
            throw new UsageException($"--out: '{dir}' is a file; give a directory.");
        }

        var written = MonitoringFiles.Write(dir);
        output.Line($"Wrote {written.Length} files under {dir}");
        return Task.FromResult(ExitCodes.Ok);
    }
}
