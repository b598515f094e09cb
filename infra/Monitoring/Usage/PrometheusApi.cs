using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace AztecInfra.Monitoring.Usage;

/// <summary>One sample of a series.</summary>
/// <param name="Time">Sample time.</param>
/// <param name="Value">Value.</param>
public readonly record struct Sample(DateTimeOffset Time, double Value);

/// <summary>A series returned by a range query.</summary>
/// <param name="Labels">Its labels.</param>
/// <param name="Samples">Samples in time order.</param>
public sealed record RangeSeries(ImmutableSortedDictionary<string, string> Labels, ImmutableArray<Sample> Samples);

/// <summary>The part of Prometheus's HTTP API the usage report needs (the seam tests replace).</summary>
public interface IPrometheusApi
{
    /// <summary>Runs <c>/api/v1/query_range</c>.</summary>
    Task<ImmutableArray<RangeSeries>> QueryRangeAsync(string query, DateTimeOffset from, DateTimeOffset until, TimeSpan resolution, CancellationToken cancellationToken);
}

/// <summary>Prometheus's HTTP API over <see cref="HttpClient"/>.</summary>
public sealed class PrometheusHttpApi : IPrometheusApi
{
    private readonly HttpClient _http;
    private readonly Uri _baseUri;

    /// <summary>Talks to the Prometheus at <paramref name="baseUri"/> (e.g. http://127.0.0.1:9090).</summary>
    public PrometheusHttpApi(HttpClient http, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<RangeSeries>> QueryRangeAsync(string query, DateTimeOffset from, DateTimeOffset until, TimeSpan resolution, CancellationToken cancellationToken)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = query,
            ["start"] = from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["end"] = until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["step"] = ((long)resolution.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        });
        using var response = await _http.PostAsync(new Uri(_baseUri, "api/v1/query_range"), form, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = ParseBody(body, response);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode || root.GetProperty("status").GetString() != "success")
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : body;
            throw new PrometheusQueryException($"Prometheus refused '{query}' ({(int)response.StatusCode}): {error}");
        }

        var series = ImmutableArray.CreateBuilder<RangeSeries>();
        foreach (var item in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
            var samples = item.GetProperty("values").EnumerateArray()
                .Select(v => new Sample(DateTimeOffset.FromUnixTimeMilliseconds((long)(v[0].GetDouble() * 1000)), double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture)))
                .Where(s => double.IsFinite(s.Value))
                .ToImmutableArray();
            series.Add(new RangeSeries(labels, samples));
        }

        return series.ToImmutable();
    }

    private static JsonDocument ParseBody(string body, HttpResponseMessage response)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new PrometheusQueryException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} with something that is not Prometheus JSON", ex);
        }
    }
}

/// <summary>Prometheus could not answer a query.</summary>
public sealed class PrometheusQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PrometheusQueryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PrometheusQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PrometheusQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
