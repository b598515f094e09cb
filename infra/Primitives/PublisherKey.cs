using Org.BouncyCastle.Security;

namespace AztecInfra.Primitives;

/// <summary>
/// A node's publisher: the L1 account that sends its block proposals. Generated here (secp256k1 via
/// BouncyCastle); only <see cref="Address"/> is ever shown. <see cref="ToString"/> returns the address so that
/// an accidental interpolation can never print the key.
/// </summary>
public sealed class PublisherKey
{
    private readonly string _privateKeyHex;

    private PublisherKey(string privateKeyHex, string address)
    {
        _privateKeyHex = privateKeyHex;
        Address = address;
    }

    /// <summary>EIP-55 checksummed address: the account the operator funds.</summary>
    public string Address { get; }

    /// <summary>Generates a fresh key from a cryptographically secure random source.</summary>
    public static PublisherKey Generate(SecureRandom? random = null)
    {
        random ??= new SecureRandom();
        var bytes = new byte[32];
        try
        {
            while (true)
            {
                random.NextBytes(bytes);
                try
                {
                    var address = EthAddress.FromPrivateKey(bytes);
                    return new PublisherKey("0x" + Convert.ToHexStringLower(bytes), address);
                }
                catch (ArgumentException)
                {
                    // Zero or above the curve order: astronomically unlikely; draw again.
                }
            }
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>Reads a stored key (0x + 64 hex digits).</summary>
    /// <exception cref="ArgumentException">Not a valid key; the message never contains the value.</exception>
    public static PublisherKey FromHex(string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        var trimmed = privateKeyHex.Trim();
        return new PublisherKey(trimmed.ToLowerInvariant(), EthAddress.FromPrivateKeyHex(trimmed));
    }

    /// <summary>The private key as 0x + 64 hex digits, for storage and keystore composition only.</summary>
    public string ExportPrivateKeyHex() => _privateKeyHex;

    /// <summary>The address; never the key.</summary>
    public override string ToString() => Address;
}
