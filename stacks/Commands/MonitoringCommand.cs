using System.CommandLine;
using AztecInfra.Monitoring;

namespace AztecInfra.Cli.Commands;

/// <summary><c>monitoring render</c>: re-renders the committed monitoring bundle (rules, configs, dashboards).</summary>
internal static class MonitoringCommand
{
    public static Command Create(CliContext context)
    {
        var outOption = new Option<DirectoryInfo?>("--out") { Description = "Directory to write. Default: monitoring/ in the repository." };
        var render = new Command("render", "Render the shared monitoring bundle (Prometheus rules and config, rule tests, blackbox, Grafana provisioning and dashboards).");
        render.Options.Add(outOption);
        render.SetAction(result =>
        {
            var dir = result.GetValue(outOption)?.FullName ?? Path.Combine(context.RepositoryRoot, MonitoringFiles.Folder);
            var written = MonitoringFiles.Write(dir);
            result.InvocationConfiguration.Output.WriteLine($"Wrote {written.Length} files under {dir}");
            return 0;
        });
        var command = new Command("monitoring", "The monitoring definition: render its files.");
        command.Subcommands.Add(render);
        return command;
    }
}
