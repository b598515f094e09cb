using System.CommandLine;
using AztecInfra.Kubernetes;

namespace AztecInfra.Cli.Kubernetes;

/// <summary>
/// <c>k8s render</c>: renders a stage's Kubernetes manifests into a directory (default <c>k8s/</c>). The work
/// is <see cref="KubernetesStageAdapter"/>, <see cref="ValidatorManifests"/> and <see cref="ManifestWriter"/>;
/// nothing is written when a rule refuses the stage.
/// </summary>
internal sealed class K8sRenderVerb(CliContext context) : Verb
{
    private readonly StageOptions _stage = new();
    private readonly Option<DirectoryInfo?> _out = new("--out") { Description = "Output directory. Default: k8s in the repository." };
    private readonly Option<string?> _namespace = new("--namespace") { Description = "Namespace. Default: aztec-<stage>." };
    private readonly Option<string?> _monitoring = new("--monitoring-namespace") { Description = "Namespace of Prometheus, the only one that may scrape metrics. Default: monitoring." };
    private readonly Option<string[]> _rpcNamespaces = new("--rpc-namespace") { Description = "A namespace whose pods may call JSON-RPC on 8080 (repeatable). Default: none, only rpcAllowedCidrs.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string> _storage = new("--storage") { Description = "Storage class: ebs-gp3 (EBS CSI, IOPS and throughput from the stage, KMS-encrypted) or local-nvme. Default: ebs-gp3.", DefaultValueFactory = _ => "ebs-gp3" };
    private readonly Option<string?> _kms = new("--kms-key-arn") { Description = "KMS key ARN for gp3 volumes. Default: the stage key's alias (ARN when the stage names its account)." };

    public override string Name => "render";

    public override string Description => "Render the stage's validator StatefulSet and everything it needs as Kubernetes YAML (no secrets: keys come from External Secrets).";

    /// <summary>The <c>k8s</c> group.</summary>
    public static Command Group(CliContext context) => VerbGroup.Build(new Command("k8s", "Kubernetes manifests for a stage's validators."), [new K8sRenderVerb(context)]);

    protected override void Define(Command command)
    {
        _stage.AddTo(command);
        _storage.AcceptOnlyFromAmong("ebs-gp3", "local-nvme");
        foreach (var option in new Option[] { _out, _namespace, _monitoring, _rpcNamespaces, _storage, _kms })
        {
            command.Options.Add(option);
        }
    }

    protected internal override Task<int> RunAsync(ParseResult result, CliOutput output, CancellationToken cancellationToken)
    {
        var loaded = _stage.Load(result, context);
        var options = new KubernetesOptions
        {
            Namespace = result.GetValue(_namespace),
            MonitoringNamespace = result.GetValue(_monitoring) ?? new KubernetesOptions().MonitoringNamespace,
            RpcAllowedNamespaces = [.. result.GetValue(_rpcNamespaces) ?? []],
            Storage = result.GetValue(_storage) == "local-nvme" ? StorageKind.LocalNvme : StorageKind.EbsGp3,
            KmsKeyArn = result.GetValue(_kms),
        };
        var files = ValidatorManifests.Render(KubernetesStageAdapter.FromStage(loaded.Config, options));
        var outdir = result.GetValue(_out)?.FullName ?? Path.Combine(context.RepositoryRoot, "k8s");
        if (File.Exists(outdir))
        {
            throw new UsageException($"--out: '{outdir}' is a file; give a directory.");
        }

        var written = ManifestWriter.Write(files, outdir);
        output.Line($"Rendered {written.Count} file(s) of stage {loaded.Config.Stage} into {outdir}");
        return Task.FromResult(ExitCodes.Ok);
    }
}
