using System.CommandLine;
using AztecInfra.Config;
using AztecInfra.Kubernetes;

namespace AztecInfra.Cli.Commands;

/// <summary>
/// <c>k8s render</c>: renders a stage's Kubernetes manifests into a directory (default <c>k8s/</c>). Thin:
/// loading is <see cref="StageOptions"/>, the work is <see cref="KubernetesStageAdapter"/>,
/// <see cref="ValidatorManifests"/> and <see cref="ManifestWriter"/>.
/// </summary>
internal static class K8sCommand
{
    public static Command Create(CliContext context)
    {
        var stageOptions = new StageOptions();
        var outOption = new Option<DirectoryInfo?>("--out") { Description = "Output directory. Default: k8s in the repository." };
        var namespaceOption = new Option<string?>("--namespace") { Description = "Namespace. Default: aztec-<stage>." };
        var monitoringOption = new Option<string?>("--monitoring-namespace") { Description = "Namespace of Prometheus, the only one that may scrape metrics. Default: monitoring." };
        var rpcNamespaceOption = new Option<string[]>("--rpc-namespace") { Description = "A namespace whose pods may call JSON-RPC on 8080 (repeatable). Default: none, only rpcAllowedCidrs.", AllowMultipleArgumentsPerToken = false };
        var storageOption = new Option<string>("--storage") { Description = "Storage class: ebs-gp3 (EBS CSI, IOPS and throughput from the stage, KMS-encrypted) or local-nvme. Default: ebs-gp3.", DefaultValueFactory = _ => "ebs-gp3" };
        storageOption.AcceptOnlyFromAmong("ebs-gp3", "local-nvme");
        var kmsOption = new Option<string?>("--kms-key-arn") { Description = "KMS key ARN for gp3 volumes. Default: the stage key's alias (ARN when the stage names its account)." };

        var render = new Command("render", "Render the stage's validator StatefulSet and everything it needs as Kubernetes YAML (no secrets: keys come from External Secrets).");
        stageOptions.AddTo(render);
        foreach (var option in new Option[] { outOption, namespaceOption, monitoringOption, rpcNamespaceOption, storageOption, kmsOption })
        {
            render.Options.Add(option);
        }

        render.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                var loaded = stageOptions.Load(result, context);
                var options = new KubernetesOptions
                {
                    Namespace = result.GetValue(namespaceOption),
                    MonitoringNamespace = result.GetValue(monitoringOption) ?? new KubernetesOptions().MonitoringNamespace,
                    RpcAllowedNamespaces = [.. result.GetValue(rpcNamespaceOption) ?? []],
                    Storage = result.GetValue(storageOption) == "local-nvme" ? StorageKind.LocalNvme : StorageKind.EbsGp3,
                    KmsKeyArn = result.GetValue(kmsOption),
                };
                var files = ValidatorManifests.Render(KubernetesStageAdapter.FromStage(loaded.Config, options));
                var outdir = result.GetValue(outOption)?.FullName ?? Path.Combine(context.RepositoryRoot, "k8s");
                var written = ManifestWriter.Write(files, outdir);
                output.WriteLine($"Rendered {written.Count} file(s) of stage {loaded.Config.Stage} into {outdir}");
                return 0;
            }
            catch (ConfigValidationException ex)
            {
                // Nothing is written when a rule refuses the stage.
                error.WriteLine(ex.Message);
                return 1;
            }
        });

        var command = new Command("k8s", "Kubernetes manifests for a stage's validators.");
        command.Subcommands.Add(render);
        return command;
    }
}
