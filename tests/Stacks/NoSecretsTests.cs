using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed partial class NoSecretsTests(SynthesizedStages stages)
{
    public static TheoryData<string> Stages => new() { "dev", "prod" };

    /// <summary>Finds what a leaked secret would look like: private keys, PEM blocks, URLs with credentials or API keys.</summary>
    internal static IReadOnlyList<string> Findings(string text)
    {
        var findings = new List<string>();
        foreach (var pattern in new[] { PrivateKey(), Pem(), UrlWithCredentials(), UrlWithApiKey(), PasswordValue() })
        {
            findings.AddRange(pattern.Matches(text).Select(m => $"{pattern}: {m.Value[..Math.Min(12, m.Value.Length)]}…"));
        }

        return findings;
    }

    [Fact]
    public void Should_FindLeaks_When_TextContainsSecrets()
    {
        // The scanner itself must catch each shape, or the stage tests below prove nothing.
        Assert.NotEmpty(Findings("key 0x" + new string('1', 64)));
        Assert.NotEmpty(Findings("-----BEGIN EC PRIVATE KEY-----"));
        Assert.NotEmpty(Findings("https://user:pass@rpc.example.org"));
        Assert.NotEmpty(Findings("https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef"));
        Assert.NotEmpty(Findings("\"MasterUserPassword\": \"hunter2hunter2\""));
        Assert.Empty(Findings("0x1111111111111111111111111111111111111111 /aztec-infra/dev/l1-execution-urls"));
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_ContainNoSecret_When_TemplatesAndUserDataAreScanned(string stage)
    {
        // Given every synthesized template of the stage, and each instance's user data with its script decoded
        var synthesized = stage == "dev" ? stages.Dev : stages.Prod;
        var texts = synthesized.AllTemplateJson().ToList();
        foreach (var instance in synthesized.Instances())
        {
            Assert.NotNull(instance.UserDataText);
            Assert.Contains("setup-validator.sh", instance.UserDataText, StringComparison.Ordinal);
            texts.Add(instance.UserDataText);
        }

        // When scanned / Then nothing looks like a secret
        Assert.Empty(texts.SelectMany(Findings));
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Should_UseOnlyMetadataSafeTagKeys_When_InstancesAreTagged(string stage)
    {
        // Metadata tags are enabled (the bootstrap reads its volume id and address from them), and EC2 refuses
        // to launch such an instance if any tag key has a space or '/'.
        var synthesized = stage == "dev" ? stages.Dev : stages.Prod;
        var keys = synthesized.AllTemplateJson()
            .SelectMany(json => JsonNode.Parse(json)!["Resources"]!.AsObject().Select(r => r.Value!))
            .Where(r => (string?)r["Type"] == "AWS::EC2::Instance")
            .SelectMany(r => r["Properties"]!["Tags"]!.AsArray().Select(t => (string)t!["Key"]!))
            .ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Matches("^[A-Za-z0-9+\\-=._:@]+$", k));
    }

    [GeneratedRegex("0x[0-9a-fA-F]{64}(?![0-9a-fA-F])")]
    private static partial Regex PrivateKey();

    [GeneratedRegex("-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex Pem();

    [GeneratedRegex("[a-z]+://[^/\\s\"'@:]+:[^/\\s\"'@$]+@")]
    private static partial Regex UrlWithCredentials();

    [GeneratedRegex("https?://[^\\s\"']*/(v2|v3)/[0-9a-zA-Z_-]{20,}")]
    private static partial Regex UrlWithApiKey();

    [GeneratedRegex("\"(MasterUserPassword|Password|SecretString)\"\\s*:\\s*\"[^\"{]+\"")]
    private static partial Regex PasswordValue();
}
