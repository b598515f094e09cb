using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Math;

namespace AztecInfra.Primitives;

/// <summary>Ethereum key and address arithmetic: Keccak-256, address derivation, EIP-55 checksums.</summary>
public static partial class EthAddress
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");

    /// <summary>What is allowed, for messages: the shape and the EIP-55 rule.</summary>
    public const string Allowed = "0x followed by 40 hex digits, all lower-case, all upper-case or with a correct EIP-55 mixed-case checksum";

    /// <summary>
    /// The one address check: 0x and 40 hex digits, and when the digits mix cases, a correct EIP-55 checksum.
    /// All-lower-case and all-upper-case hex carry no checksum and are accepted unchecked, as EIP-55 (and
    /// Aztec's own <c>EthAddress.isAddress</c>) says.
    /// </summary>
    public static bool IsAddress(string? text) => Problem(text) is null;

    /// <summary>True for 0x followed by exactly 40 hex digits (any case), without the checksum check.</summary>
    public static bool HasAddressShape(string? text) => text is not null && AddressPattern().IsMatch(text);

    /// <summary>
    /// Why <paramref name="text"/> is not an acceptable address, or null when it is. Never suggests the
    /// correct casing: a checksum is there to catch a typo, and echoing the fix would defeat it.
    /// </summary>
    public static string? Problem(string? text)
    {
        if (!HasAddressShape(text))
        {
            return "must be an address: " + Allowed;
        }

        var digits = text![2..];
        if (!digits.Any(char.IsUpper) || !digits.Any(char.IsLower))
        {
            return null;
        }

        return ToChecksum(text) == text
            ? null
            : "has mixed-case hex whose EIP-55 checksum does not match: a digit may be mistyped; check the address at its source (all lower-case skips the check)";
    }

    /// <summary>True for 0x followed by exactly 64 hex digits: the shape of a 32-byte private key.</summary>
    public static bool IsPrivateKeyShape(string? text) => text is not null && KeyPattern().IsMatch(text);

    /// <summary>Keccak-256 (the pre-standard SHA-3 Ethereum uses) of <paramref name="data"/>.</summary>
    public static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return hash;
    }

    /// <summary>
    /// Derives the address of a secp256k1 private key: the last 20 bytes of Keccak-256 of the uncompressed
    /// public key without its 0x04 prefix, EIP-55 checksummed.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes or is outside the curve order.</exception>
    public static string FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException("A private key is exactly 32 bytes.", nameof(privateKey));
        }

        var d = new BigInteger(1, privateKey.ToArray());
        if (d.SignValue == 0 || d.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentException("A private key must be from 1 to the secp256k1 order minus 1.", nameof(privateKey));
        }

        var publicKey = Curve.G.Multiply(d).Normalize().GetEncoded(false);
        var hash = Keccak256(publicKey.AsSpan(1));
        return ToChecksum("0x" + Convert.ToHexStringLower(hash.AsSpan(12)));
    }

    /// <summary>Derives the address of a private key given as 0x + 64 hex digits.</summary>
    /// <exception cref="ArgumentException">The text is not a valid private key (the message never echoes it).</exception>
    public static string FromPrivateKeyHex(string privateKeyHex)
    {
        if (!IsPrivateKeyShape(privateKeyHex))
        {
            throw new ArgumentException("A private key is 0x followed by 64 hex digits.", nameof(privateKeyHex));
        }

        var bytes = Convert.FromHexString(privateKeyHex.AsSpan(2));
        try
        {
            return FromPrivateKey(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>EIP-55 mixed-case checksum encoding of an address.</summary>
    /// <exception cref="ArgumentException">The text is not an address.</exception>
    public static string ToChecksum(string address)
    {
        if (!HasAddressShape(address))
        {
            throw new ArgumentException("An address is 0x followed by 40 hex digits.", nameof(address));
        }

        var lower = address[2..].ToLowerInvariant();
        var hash = Convert.ToHexStringLower(Keccak256(Encoding.ASCII.GetBytes(lower)));
        var builder = new StringBuilder("0x", 42);
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = int.Parse(hash.AsSpan(i, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            builder.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }

        return builder.ToString();
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{64}$")]
    private static partial Regex KeyPattern();
}
