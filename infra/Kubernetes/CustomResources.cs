using System.Collections.Immutable;
using k8s.Models;

namespace AztecInfra.Kubernetes;

// Typed models of the custom resources the manifests use. KubernetesClient has models only for the built-in
// API; these carry just the fields we render and go through the same serializer. Their schemas are
// checked by tests/k8s-schema against the operators' published CRDs.

/// <summary>External Secrets Operator <c>SecretStore</c> (external-secrets.io/v1).</summary>
public sealed record SecretStore
{
    /// <summary>API group and version.</summary>
    public string ApiVersion { get; init; } = "external-secrets.io/v1";

    /// <summary>Kind.</summary>
    public string Kind { get; init; } = "SecretStore";

    /// <summary>Object metadata.</summary>
    public required V1ObjectMeta Metadata { get; init; }

    /// <summary>Spec.</summary>
    public required SecretStoreSpec Spec { get; init; }
}

/// <summary>SecretStore spec.</summary>
/// <param name="Provider">The one provider of this store.</param>
public sealed record SecretStoreSpec(SecretStoreProvider Provider);

/// <summary>SecretStore provider block.</summary>
/// <param name="Aws">AWS provider.</param>
public sealed record SecretStoreProvider(AwsProvider Aws);

/// <summary>AWS provider: Parameter Store or Secrets Manager in one region.</summary>
/// <param name="Service"><c>ParameterStore</c> or <c>SecretsManager</c>.</param>
/// <param name="Region">AWS region.</param>
/// <param name="Auth">How the operator authenticates.</param>
public sealed record AwsProvider(string Service, string Region, AwsAuth Auth);

/// <summary>AWS authentication through a service account's web identity (IRSA).</summary>
/// <param name="Jwt">Web identity settings.</param>
public sealed record AwsAuth(AwsJwtAuth Jwt);

/// <summary>Web identity of a service account.</summary>
/// <param name="ServiceAccountRef">The service account whose token is exchanged for AWS credentials.</param>
public sealed record AwsJwtAuth(ServiceAccountSelector ServiceAccountRef);

/// <summary>A service account in the store's namespace.</summary>
/// <param name="Name">Service account name.</param>
public sealed record ServiceAccountSelector(string Name);

/// <summary>External Secrets Operator <c>ExternalSecret</c> (external-secrets.io/v1).</summary>
public sealed record ExternalSecret
{
    /// <summary>API group and version.</summary>
    public string ApiVersion { get; init; } = "external-secrets.io/v1";

    /// <summary>Kind.</summary>
    public string Kind { get; init; } = "ExternalSecret";

    /// <summary>Object metadata.</summary>
    public required V1ObjectMeta Metadata { get; init; }

    /// <summary>Spec.</summary>
    public required ExternalSecretSpec Spec { get; init; }
}

/// <summary>ExternalSecret spec.</summary>
public sealed record ExternalSecretSpec
{
    /// <summary>How often the operator re-reads the source, e.g. <c>1h</c>.</summary>
    public required string RefreshInterval { get; init; }

    /// <summary>The store to read from.</summary>
    public required SecretStoreRef SecretStoreRef { get; init; }

    /// <summary>The Kubernetes Secret written.</summary>
    public required ExternalSecretTarget Target { get; init; }

    /// <summary>One entry per key of the target Secret.</summary>
    public required ImmutableArray<ExternalSecretData> Data { get; init; }
}

/// <summary>Reference to a SecretStore.</summary>
/// <param name="Name">Store name.</param>
/// <param name="Kind"><c>SecretStore</c>.</param>
public sealed record SecretStoreRef(string Name, string Kind);

/// <summary>The Secret an ExternalSecret writes.</summary>
public sealed record ExternalSecretTarget
{
    /// <summary>Secret name.</summary>
    public required string Name { get; init; }

    /// <summary><c>Owner</c>: the operator owns the Secret and deletes it with the ExternalSecret.</summary>
    public string CreationPolicy { get; init; } = "Owner";

    /// <summary>Template that derives the Secret's keys from the fetched values, or null to copy them.</summary>
    public ExternalSecretTemplate? Template { get; init; }
}

/// <summary>Target template (engine v2, Go templates).</summary>
public sealed record ExternalSecretTemplate
{
    /// <summary>Template engine version.</summary>
    public string EngineVersion { get; init; } = "v2";

    /// <summary>Secret keys and their templates.</summary>
    public required ImmutableSortedDictionary<string, string> Data { get; init; }
}

/// <summary>One key of the target Secret and where its value comes from.</summary>
/// <param name="SecretKey">Key in the target Secret (or template variable).</param>
/// <param name="RemoteRef">Source parameter or secret.</param>
public sealed record ExternalSecretData(string SecretKey, RemoteReference RemoteRef);

/// <summary>A parameter or secret in the provider, optionally one JSON property of it.</summary>
/// <param name="Key">Parameter name or secret id.</param>
/// <param name="Property">JSON property, or null for the whole value.</param>
public sealed record RemoteReference(string Key, string? Property = null);

/// <summary>Prometheus Operator <c>PodMonitor</c> (monitoring.coreos.com/v1).</summary>
public sealed record PodMonitor
{
    /// <summary>API group and version.</summary>
    public string ApiVersion { get; init; } = "monitoring.coreos.com/v1";

    /// <summary>Kind.</summary>
    public string Kind { get; init; } = "PodMonitor";

    /// <summary>Object metadata.</summary>
    public required V1ObjectMeta Metadata { get; init; }

    /// <summary>Spec.</summary>
    public required PodMonitorSpec Spec { get; init; }
}

/// <summary>PodMonitor spec.</summary>
/// <param name="Selector">Pods to scrape.</param>
/// <param name="PodMetricsEndpoints">Endpoints to scrape on each pod.</param>
public sealed record PodMonitorSpec(V1LabelSelector Selector, ImmutableArray<PodMetricsEndpoint> PodMetricsEndpoints);

/// <summary>One scrape endpoint of a pod.</summary>
/// <param name="Port">Name of the container port.</param>
/// <param name="Path">HTTP path.</param>
/// <param name="Interval">Scrape interval.</param>
/// <param name="Relabelings">Relabelling before the scrape.</param>
public sealed record PodMetricsEndpoint(string Port, string Path, string Interval, ImmutableArray<RelabelConfig> Relabelings);

/// <summary>A Prometheus relabel rule.</summary>
/// <param name="SourceLabels">Labels read.</param>
/// <param name="TargetLabel">Label written.</param>
/// <param name="Action">Action, e.g. <c>replace</c>.</param>
public sealed record RelabelConfig(ImmutableArray<string> SourceLabels, string TargetLabel, string Action);

/// <summary>Prometheus Operator <c>PrometheusRule</c> (monitoring.coreos.com/v1).</summary>
public sealed record PrometheusRule
{
    /// <summary>API group and version.</summary>
    public string ApiVersion { get; init; } = "monitoring.coreos.com/v1";

    /// <summary>Kind.</summary>
    public string Kind { get; init; } = "PrometheusRule";

    /// <summary>Object metadata.</summary>
    public required V1ObjectMeta Metadata { get; init; }

    /// <summary>Spec.</summary>
    public required PrometheusRuleSpec Spec { get; init; }
}

/// <summary>PrometheusRule spec.</summary>
/// <param name="Groups">Rule groups.</param>
public sealed record PrometheusRuleSpec(ImmutableArray<PrometheusRuleGroup> Groups);

/// <summary>A group of alerting rules.</summary>
/// <param name="Name">Group name.</param>
/// <param name="Rules">Rules.</param>
public sealed record PrometheusRuleGroup(string Name, ImmutableArray<AlertRule> Rules);

/// <summary>One alerting rule: the seam through which the monitoring definition feeds Kubernetes.</summary>
/// <param name="Alert">Alert name.</param>
/// <param name="Expr">PromQL expression.</param>
/// <param name="For">How long the expression must hold, e.g. <c>15m</c>.</param>
/// <param name="Labels">Labels (severity, ...).</param>
/// <param name="Annotations">Annotations (summary, ...).</param>
public sealed record AlertRule(string Alert, string Expr, string For, ImmutableSortedDictionary<string, string> Labels, ImmutableSortedDictionary<string, string> Annotations);

/// <summary>kustomize <c>Kustomization</c>: lets <c>kubectl apply -k</c> apply the rendered directory in order.</summary>
public sealed record Kustomization
{
    /// <summary>API group and version.</summary>
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";

    /// <summary>Kind.</summary>
    public string Kind { get; init; } = "Kustomization";

    /// <summary>Files, in apply order.</summary>
    public required ImmutableArray<string> Resources { get; init; }
}
