namespace AztecInfra.Keys;

/// <summary>SSM parameter tiers this project uses.</summary>
public enum ParameterTier
{
    /// <summary>Up to 4096 bytes, free.</summary>
    Standard,

    /// <summary>Up to 8192 bytes, charged per parameter per month.</summary>
    Advanced,
}

/// <summary>A SecureString to write. <see cref="ToString"/> leaves the value out.</summary>
/// <param name="Region">AWS region of the parameter (the node's region).</param>
/// <param name="Name">Full parameter name.</param>
/// <param name="Value">The secret value.</param>
/// <param name="KeyId">KMS key id or alias that encrypts it.</param>
/// <param name="Tier">SSM tier.</param>
/// <param name="Overwrite">Replace an existing parameter; false fails when it exists.</param>
public sealed record SecureParameterWrite(string Region, string Name, string Value, string KeyId, ParameterTier Tier, bool Overwrite)
{
    /// <summary>Describes the write without its value.</summary>
    public override string ToString() => $"SecureString {Name} in {Region} (key {KeyId}, {Tier}, overwrite {Overwrite}, {Value.Length} chars)";
}

/// <summary>The project's own seam over AWS Systems Manager Parameter Store: one parameter at a time, by exact name.</summary>
public interface IParameterStore
{
    /// <summary>Reads and decrypts a parameter; null when it does not exist.</summary>
    Task<string?> GetSecureAsync(string region, string name, CancellationToken cancellationToken);

    /// <summary>True when the parameter exists (its value is not decrypted).</summary>
    Task<bool> ExistsAsync(string region, string name, CancellationToken cancellationToken);

    /// <summary>Writes a SecureString.</summary>
    /// <exception cref="KeyOperationException">It exists and <see cref="SecureParameterWrite.Overwrite"/> is false.</exception>
    Task PutSecureAsync(SecureParameterWrite write, CancellationToken cancellationToken);

    /// <summary>Deletes a parameter; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string region, string name, CancellationToken cancellationToken);
}
