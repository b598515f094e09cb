using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AztecInfra.Tests.Support;

/// <summary>Reads user data back out of a synthesized instance, resolving references to realistic values.</summary>
internal static class UserData
{
    /// <summary>Values CloudFormation would substitute: a volume id and an address of the documentation range.</summary>
    public static string Resolve(JsonObject instance)
    {
        if (instance["Properties"]!["UserData"] is JsonValue literal)
        {
            return Gunzip((string)literal!);
        }

        var body = instance["Properties"]!["UserData"]!["Fn::Base64"]!;
        if (body is JsonValue)
        {
            return (string)body!;
        }

        var text = new StringBuilder();
        foreach (var part in body["Fn::Join"]![1]!.AsArray())
        {
            text.Append(part switch
            {
                JsonValue v => (string)v!,
                JsonObject o when o["Ref"]?.ToString().Contains("DataVolume", StringComparison.Ordinal) == true => "vol-0123456789abcdef0",
                JsonObject o when o["Ref"]?.ToString().Contains("ElasticIp", StringComparison.Ordinal) == true => "203.0.113.10",
                JsonObject o => "resolved-" + Regex.Replace(o.ToJsonString(), "[^A-Za-z0-9]", string.Empty),
                _ => throw new InvalidOperationException("Unexpected user data part."),
            });
        }

        return text.ToString();
    }

    /// <summary>Decodes a write_files entry encoded gz+b64.</summary>
    public static string Gunzip(string base64)
    {
        using var input = new MemoryStream(Convert.FromBase64String(base64));
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
