using System.Text.RegularExpressions;
using AztecInfra.Stages;
using AztecInfra.Stages.Rules;

namespace AztecInfra.Kubernetes;

/// <summary>
/// Render-time refusals: what would let two pods sign for one attester without coordination, or a pod run
/// without its own keystore. The slashing rules are <see cref="SlashingRules"/>, the same code the stage
/// validator and the key commands run.
/// </summary>
public static partial class KubernetesRules
{
    /// <summary>Returns every error for the stage; empty means it may be rendered.</summary>
    public static IReadOnlyList<ConfigIssue> Check(KubernetesStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var issues = new List<ConfigIssue>();
        void Error(string field, string? value, string message) => issues.Add(new ConfigIssue(IssueSeverity.Error, field, value, message));

        if (stage.Nodes.IsDefaultOrEmpty)
        {
            Error("nodes", null, "must list at least one node");
            return issues;
        }

        if (stage.Replicas != stage.Nodes.Length)
        {
            Error("replicas", stage.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), $"must equal the number of nodes ({stage.Nodes.Length}): pod ordinal i runs nodes[i] with that node's keystore only; add or remove nodes in the stage config instead");
        }

        var shared = stage.Mode == SigningMode.SharedSigner;
        var signers = stage.Nodes.Select(n => new NodeSigners(n.Id, n.Attesters, []));
        foreach (var finding in SlashingRules.Check(signers, shared))
        {
            var index = stage.Nodes.IndexOf(stage.Nodes.Last(n => n.Id == finding.NodeId));
            Error($"nodes[{index}].attesters[{finding.Index}]", finding.Address, finding.Message + $" (the StatefulSet runs {stage.Replicas} pods)");
        }

        foreach (var finding in SlashingRules.CheckMode(shared, stage.Replicas, stage.HaDatabase?.SecretName))
        {
            Error(finding.Field, finding.Value, finding.Message);
        }

        foreach (var (node, index) in stage.Nodes.Select((n, i) => (n, i)))
        {
            if (!DnsLabel().IsMatch(node.Id) || node.Id.Length > 47)
            {
                Error($"nodes[{index}].id", node.Id, "must be usable in a Kubernetes Secret name: lower-case letters, digits or '-', starting and ending with a letter or digit, at most 47 characters");
            }
        }

        foreach (var (node, index) in stage.Nodes.Select((n, i) => (n, i)).Where(x => stage.Nodes.Take(x.i).Any(n => n.Id == x.n.Id)))
        {
            Error($"nodes[{index}].id", node.Id, "is also the id of an earlier node; each pod needs its own node and keystore");
        }

        return issues;
    }

    /// <summary>Throws when <see cref="Check"/> finds anything.</summary>
    /// <exception cref="ConfigValidationException">The stage may not be rendered.</exception>
    public static void Enforce(KubernetesStage stage)
    {
        var issues = Check(stage);
        if (issues.Count > 0)
        {
            throw new ConfigValidationException($"stage {stage.Stage} (kubernetes)", issues);
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
