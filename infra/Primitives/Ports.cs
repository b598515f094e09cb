namespace AztecInfra.Primitives;

/// <summary>Ports of an Aztec validator host.</summary>
public static class Ports
{
    /// <summary>P2P, TCP and UDP: the only port open to the internet.</summary>
    public const int P2p = 40400;

    /// <summary>JSON-RPC and GET /status: private CIDRs only.</summary>
    public const int Rpc = 8080;

    /// <summary>Admin API: never exposed.</summary>
    public const int Admin = 8880;

    /// <summary>OpenTelemetry collector's Prometheus endpoint: monitoring only.</summary>
    public const int CollectorMetrics = 8889;

    /// <summary>OTLP over HTTP into the collector: inside the host or pod only.</summary>
    public const int OtlpHttp = 4318;

    /// <summary>node_exporter: monitoring only.</summary>
    public const int NodeExporter = 9100;

    /// <summary>PostgreSQL for HA signing.</summary>
    public const int Postgres = 5432;
}
