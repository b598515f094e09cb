using System.Text.RegularExpressions;
using AztecInfra.Bootstrap;
using AztecInfra.Stages;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Bootstrap;

/// <summary>
/// The bootstrap settings contract has one source, <see cref="NodeSettings.Contract"/>: the script's key list,
/// value pattern and defaults, and the C# rendering, are each checked against it.
/// </summary>
public sealed partial class SettingsContractTests
{
    private static readonly string Script = File.ReadAllText(TestEnvironment.RepoPath("scripts", "setup-validator.sh"));

    [Fact]
    public void Should_ListTheContractsKeysInOrder_When_TheScriptDeclaresKEYS()
    {
        // Given the script's readonly KEYS=(...) array
        var block = KeysArray().Match(Script);
        Assert.True(block.Success, "setup-validator.sh has no 'readonly KEYS=(...)' array");
        var scriptKeys = Regex.Split(block.Groups[1].Value.Trim(), @"\s+");

        // Then it is exactly the contract, in order
        Assert.Equal(NodeSettings.Contract.Select(k => k.Name), scriptKeys);
    }

    [Fact]
    public void Should_UseTheContractsValuePattern_When_TheScriptChecksValues()
    {
        var pattern = ValueRe().Match(Script);
        Assert.True(pattern.Success, "setup-validator.sh has no readonly VALUE_RE");
        Assert.Equal(NodeSettings.ValuePattern, pattern.Groups[1].Value);
    }

    [Fact]
    public void Should_ApplyTheContractsDefaults_When_TheScriptFillsMissingKeys()
    {
        // Given every ': "${S[KEY]:=default}"' the script applies
        var scriptDefaults = ScriptDefault().Matches(Script)
            .Where(m => !m.Value.Contains("SECRETS_DIR", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

        // Then they are the contract's defaults, no more and no fewer
        var contractDefaults = NodeSettings.Contract.Where(k => k.Default is not null).ToDictionary(k => k.Name, k => k.Default!, StringComparer.Ordinal);
        Assert.Equal(contractDefaults.OrderBy(p => p.Key, StringComparer.Ordinal), scriptDefaults.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Should_RefuseAKeyOutsideTheContract_When_Rendering()
    {
        // Given the rendered EC2 settings of a node
        var settings = NodeSettings.For(Profile("/aztec-infra/qa/nodes/validator-1/keystore"), new NodeRuntimeValues { EbsVolumeId = NodeSettings.FromInstanceTag, P2pIp = NodeSettings.FromInstanceTag });

        // Then every key is in the contract and every value matches its pattern
        Assert.All(settings, s => Assert.Contains(NodeSettings.Contract, k => k.Name == s.Key));
        Assert.All(settings, s => Assert.Matches(NodeSettings.ValuePattern, s.Value));
    }

    [Fact]
    public void Should_RefuseAValueTheScriptWouldRefuse_When_Rendering()
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeSettings.For(Profile("/aztec-infra/qa/nodes/validator-1/keystore; rm -rf /"), new NodeRuntimeValues { EbsVolumeId = "vol-0123456789abcdef0", P2pIp = "203.0.113.10" }));
        Assert.Contains("SSM_KEYSTORE_PARAMETER", ex.Message, StringComparison.Ordinal);
    }

    private static BootstrapProfile Profile(string keystoreParameter) => new()
    {
        Stage = "qa",
        NodeId = "validator-1",
        Network = AztecNetwork.Testnet,
        AztecImage = Defaults.AztecImage,
        Monitoring = new MonitoringImages(Defaults.OtelCollector, Defaults.NodeExporter),
        Region = "us-east-1",
        KeystoreParameter = keystoreParameter,
        L1 = new L1Config { ExecutionUrlsParameter = "/x/exec", ConsensusUrlsParameter = "/x/cons" },
    };

    [GeneratedRegex(@"readonly KEYS=\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex KeysArray();

    [GeneratedRegex(@"readonly VALUE_RE='([^']*)'")]
    private static partial Regex ValueRe();

    [GeneratedRegex(@"\$\{S\[([A-Z0-9_]+)\]:=([^}]*)\}")]
    private static partial Regex ScriptDefault();
}
