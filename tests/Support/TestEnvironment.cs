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

    /// <summary>
    /// This test run's scratch root under /tmp: every <see cref="NewTempDirectory"/> lives in it, and it is removed
    /// when the test process exits (a run used to leave some 200 directories, ~280 MB, behind).
    /// </summary>
    private static readonly Lazy<string> ScratchRoot = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "aztec-infra-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A file still open at exit: the directory stays, as before.
            }
            catch (UnauthorizedAccessException)
            {
                // Same: never fail the run over scratch space.
            }
        };
        return root;
    });

    /// <summary>A fresh temporary directory inside this run's scratch root (removed when the test process exits).</summary>
    public static string NewTempDirectory()
    {
        var dir = Path.Combine(ScratchRoot.Value, Guid.NewGuid().ToString("N"));
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
