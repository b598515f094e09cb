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
