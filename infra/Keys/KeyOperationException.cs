namespace AztecInfra.Keys;

/// <summary>
/// A key operation was refused or failed in a way the operator can act on. The message is shown as is,
/// so it never contains a secret value.
/// </summary>
public sealed class KeyOperationException : Exception
{
    /// <summary>Creates the exception with an operator-facing message.</summary>
    public KeyOperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an operator-facing message and the underlying cause.</summary>
    public KeyOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public KeyOperationException()
        : this("The key operation failed.")
    {
    }
}

/// <summary>
/// A secret already exists where an operation would write it, and the caller did not ask to replace it.
/// The command line turns this into advice on how to replace it.
/// </summary>
public sealed class SecretExistsException : Exception
{
    /// <summary>Creates the exception for a secret at <paramref name="location"/>.</summary>
    /// <param name="location">Where the secret lives (a parameter name and region, or a path); never its value.</param>
    /// <param name="consequence">What replacing it would mean, or null.</param>
    /// <param name="innerException">The store's own error, if any.</param>
    public SecretExistsException(string location, string? consequence = null, Exception? innerException = null)
        : base($"{location} already exists", innerException)
    {
        Location = location;
        Consequence = consequence;
    }

    /// <summary>Creates the exception.</summary>
    public SecretExistsException()
        : this("the secret")
    {
    }

    /// <summary>Creates the exception for a location, with the store's own error.</summary>
    public SecretExistsException(string location, Exception innerException)
        : this(location, null, innerException)
    {
    }

    /// <summary>Where the secret lives.</summary>
    public string Location { get; }

    /// <summary>What replacing it would mean, or null.</summary>
    public string? Consequence { get; }
}
