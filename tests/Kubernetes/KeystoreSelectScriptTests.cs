using System.Diagnostics;
using AztecInfra.Kubernetes;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Kubernetes;

/// <summary>
/// Runs the rendered init container's script with bash against temporary directories: the guard that makes
/// a pod beyond the configured nodes, or without its keystore, refuse to start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeystoreSelectScriptTests : IDisposable
{
    private readonly string _root = TestEnvironment.NewTempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string DataDir => Path.Combine(_root, "data");

    private (int Code, string Err, string Target) Run(string podName, params int[] ordinalsWithKeystore)
    {
        var sources = Path.Combine(_root, "sources");
        var target = Path.Combine(_root, "keystore");
        Directory.CreateDirectory(target);
        Directory.CreateDirectory(DataDir);
        foreach (var ordinal in ordinalsWithKeystore)
        {
            Directory.CreateDirectory(Path.Combine(sources, ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            File.WriteAllText(Path.Combine(sources, $"{ordinal}", "keystore.json"), $"{{\"ordinal\":{ordinal}}}");
        }

        var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ValidatorManifests.KeystoreSelectScript);
        info.Environment["POD_NAME"] = podName;
        info.Environment["NODE_COUNT"] = "3";
        info.Environment["NODE_IDS"] = "validator-us validator-eu validator-ap";
        info.Environment["KEYSTORE_SOURCES"] = sources;
        info.Environment["KEYSTORE_DIR"] = target;
        info.Environment["DATA_DIR"] = DataDir;
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, err, target);
    }

    [Fact]
    public void Should_CopyOnlyItsOwnKeystoreReadOnly_When_OrdinalHasOne()
    {
        var (code, _, target) = Run("aztec-validator-1", 0, 1, 2);

        Assert.Equal(0, code);
        Assert.Equal("{\"ordinal\":1}", File.ReadAllText(Path.Combine(target, "keystore.json")));
        Assert.Equal(["keystore.json"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(target, "keystore.json")));
        Assert.Equal("validator-eu\n", File.ReadAllText(Path.Combine(DataDir, "aztec-infra-node-id")));
    }

    [Fact]
    public void Should_RefuseToStart_When_TheVolumeBelongsToAnotherNode()
    {
        // Given ordinal 1's volume was first used by validator-ap (the node list was reordered since)
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(Path.Combine(DataDir, "aztec-infra-node-id"), "validator-ap\n");

        var (code, err, target) = Run("aztec-validator-1", 0, 1, 2);

        Assert.Equal(1, code);
        Assert.Contains("belongs to node validator-ap", err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(target));
    }

    [Fact]
    public void Should_RefuseToStart_When_ScaledBeyondTheNodes()
    {
        // Given kubectl scale --replicas=4: pod 3 exists, even if someone added a fourth keystore source
        var (code, err, target) = Run("aztec-validator-3", 0, 1, 2, 3);

        Assert.Equal(1, code);
        Assert.Contains("ordinal 3 but the stage has 3 node(s)", err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(target));
    }

    [Fact]
    public void Should_RefuseToStart_When_ItsKeystoreSecretIsMissing()
    {
        var (code, err, target) = Run("aztec-validator-2", 0, 1);

        Assert.Equal(1, code);
        Assert.Contains("no keystore for node validator-ap (ordinal 2)", err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(target));
    }
}
