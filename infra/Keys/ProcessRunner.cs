using System.Collections.Immutable;
using System.Diagnostics;

namespace AztecInfra.Keys;

/// <summary>A process to run: program, arguments passed one by one (never through a shell string), extra environment.</summary>
public sealed record ProcessSpec
{
    /// <summary>Program to run (a name on PATH or a path).</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, each passed as one argv entry.</summary>
    public ImmutableArray<string> Arguments { get; init; } = [];

    /// <summary>Variables added to the inherited environment; this is how secrets reach a child, never argv.</summary>
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long to wait before killing the process. Default: 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Program and arguments; environment names only, never their values.</summary>
    public override string ToString() =>
        $"{FileName} {string.Join(' ', Arguments)} (env: {string.Join(", ", Environment.Keys.Order(StringComparer.Ordinal))})";
}

/// <summary>What a finished process left: exit code and captured output (which may hold secrets: never print it).</summary>
/// <param name="ExitCode">Process exit code.</param>
/// <param name="StandardOutput">Captured standard output.</param>
/// <param name="StandardError">Captured standard error.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The exit code only: the output may hold key material.</summary>
    public override string ToString() => $"exit code {ExitCode}";
}

/// <summary>The project's seam over running programs.</summary>
public interface IProcessRunner
{
    /// <summary>Runs <paramref name="spec"/> to completion, capturing its output.</summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}

/// <summary><see cref="IProcessRunner"/> over <see cref="Process"/>: <c>ArgumentList</c>, no shell, output captured.</summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <inheritdoc />
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new KeyOperationException($"Could not start {spec.FileName}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(spec.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new KeyOperationException($"{spec.FileName} did not finish within {spec.Timeout.TotalMinutes:0} minutes and was stopped.");
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
