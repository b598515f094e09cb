using System.Text.RegularExpressions;
using AztecInfra.Config;

namespace AztecInfra.Kubernetes;

/// <summary>
/// Render-time refusals: what would let two pods sign for one attester without coordination, or a pod run
/// without its own keystore. The shared-attester definition is <see cref="StageRules.SharedAttesters"/>,
/// the same one the config loader applies.
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

        if (stage.Mode == SigningMode.Independent && stage.Replicas > 1)
        {
            foreach (var shared in StageRules.SharedAttesters(stage.Nodes.Select(n => (n.Id, (IEnumerable<string>)n.Attesters))))
            {
                Error("nodes[].attesters", shared.Address, $"is on nodes {string.Join(", ", shared.Nodes)} in independent mode with {stage.Replicas} replicas: those pods would sign for it without coordination and double-sign (5,000 AZTEC per duplicate); give it to one node, or set ha.mode: shared-signer with ha.database");
            }
        }

        if (stage.Mode == SigningMode.SharedSigner && stage.HaDatabase is null)
        {
            Error("ha.database", null, "is required with ha.mode: shared-signer: without the one signing database, pods sharing attesters double-sign");
        }

        if (stage.Mode == SigningMode.SharedSigner && stage.Replicas < 2)
        {
            Error("ha.mode", "shared-signer", $"needs at least two replicas; this stage has {stage.Replicas}");
        }

        if (stage.Mode == SigningMode.Independent && stage.HaDatabase is not null)
        {
            Error("ha.database", stage.HaDatabase.SecretName, "is only used with ha.mode: shared-signer");
        }

        foreach (var (node, index) in stage.Nodes.Select((n, i) => (n, i)))
        {
            if (!DnsLabel().IsMatch(node.Id) || node.Id.Length > 47)
            {
                Error($"nodes[{index}].id", node.Id, "must be usable in a Kubernetes Secret name: lower-case letters, digits or '-', starting and ending with a letter or digit, at most 47 characters");
            }
        }

        foreach (var group in stage.Nodes.GroupBy(n => n.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Error("nodes[].id", group.Key, "is used by more than one node; each pod needs its own node and keystore");
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
