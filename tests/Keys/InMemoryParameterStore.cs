using AztecInfra.Keys;

namespace AztecInfra.Tests.Keys;

/// <summary>A hand-written fake of the project's parameter seam for multi-step scenarios; records every name read.</summary>
internal sealed class InMemoryParameterStore : IParameterStore
{
    public Dictionary<(string Region, string Name), string> Values { get; } = [];

    public List<string> Reads { get; } = [];

    public Task<string?> GetSecureAsync(string region, string name, CancellationToken cancellationToken)
    {
        Reads.Add(name);
        return Task.FromResult(Values.TryGetValue((region, name), out var v) ? v : null);
    }

    public Task<bool> ExistsAsync(string region, string name, CancellationToken cancellationToken)
    {
        Reads.Add(name);
        return Task.FromResult(Values.ContainsKey((region, name)));
    }

    public Task PutSecureAsync(SecureParameterWrite write, CancellationToken cancellationToken)
    {
        if (!write.Overwrite && Values.ContainsKey((write.Region, write.Name)))
        {
            throw new KeyOperationException($"{write.Name} already exists in {write.Region}; give --force to replace it.");
        }

        Values[(write.Region, write.Name)] = write.Value;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string region, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Values.Remove((region, name)));
}
