using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AztecInfra.Tests.Support;

/// <summary>Process-wide setup and helpers shared by the tests.</summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        // Same reason as in Program.cs: jsii's end-of-life banner for this machine's Node 20 is noise.
        Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20");
    }

    /// <summary>The repository root (the folder holding AztecInfra.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string RepoPath(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    /// <summary>A fresh temporary directory, removed by the caller or left under /tmp.</summary>
    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "aztec-infra-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a real tool and returns its exit code and combined output; fails if it cannot start.</summary>
    public static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}; the test command installs it (scripts/test.sh).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRoot([CallerFilePath] string here = "")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AztecInfra.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
    }
}
