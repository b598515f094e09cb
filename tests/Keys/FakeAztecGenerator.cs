using AztecInfra.Keys;
using Moq;

namespace AztecInfra.Tests.Keys;

/// <summary>A strict process-runner mock that behaves like Aztec's generator: writes key1.json and its staker output.</summary>
internal static class FakeAztecGenerator
{
    public const string Mnemonic = "abandon ability able about above absent absorb abstract absurd abuse access accident";

    public static string StakerOutput => $$$"""[{"attester":"{{{KeysTestData.AttesterAddress}}}","publicKeyG1":{"x":"0x1","y":"0x2"},"publicKeyG2":{"x0":"0x1","x1":"0x2","y0":"0x3","y1":"0x4"},"proofOfPossession":{"x":"0x1","y":"0x2"}}]""";

    public static Mock<IProcessRunner> Create(List<string> directories, int exitCode = 0)
    {
        var runner = new Mock<IProcessRunner>(MockBehavior.Strict);
        runner.Setup(r => r.RunAsync(
                It.Is<ProcessSpec>(s => s.FileName == "docker"
                    && !s.Arguments.Any(a => a.Contains(KeysTestData.RpcSecret, StringComparison.Ordinal))
                    && s.Environment[ValidatorKeyGenerator.RpcEnvironmentVariable] == KeysTestData.RpcSecret),
                It.IsAny<CancellationToken>()))
            .Returns((ProcessSpec spec, CancellationToken _) =>
            {
                directories.Add(spec.WorkingDirectory!);
                if (exitCode == 0)
                {
                    File.WriteAllText(Path.Combine(spec.WorkingDirectory!, "key1.json"), KeysTestData.Keystore());
                    File.WriteAllText(Path.Combine(spec.WorkingDirectory!, "key1_staker_output.json"), StakerOutput);
                }

                // Like Aztec's: the fresh mnemonic goes to standard output.
                return Task.FromResult(new ProcessResult(exitCode, "Using new mnemonic:\n" + Mnemonic + "\n", string.Empty));
            });
        return runner;
    }
}
