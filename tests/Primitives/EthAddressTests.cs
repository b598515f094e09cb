using AztecInfra.Keys;
using AztecInfra.Primitives;
using AztecInfra.Tests.Keys;

namespace AztecInfra.Tests.Primitives;

public class EthAddressTests
{
    [Fact]
    public void Should_MatchPublishedVector_When_HashingEmptyInput()
    {
        // Given the empty input
        // When hashed with Keccak-256
        var hash = Convert.ToHexStringLower(EthAddress.Keccak256([]));

        // Then it is the published Keccak-256 of "" (not SHA3-256)
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", hash);
    }

    [Theory]
    [InlineData(KeysTestData.AttesterKey, KeysTestData.AttesterAddress)]
    [InlineData(KeysTestData.SecondKey, KeysTestData.SecondAddress)]
    public void Should_DeriveChecksummedAddress_When_GivenPrivateKey(string key, string address)
    {
        // Given a published private key → address vector
        // When the address is derived
        var derived = EthAddress.FromPrivateKeyHex(key);

        // Then it matches, EIP-55 casing included
        Assert.Equal(address, derived);
    }

    [Theory]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    public void Should_ApplyEip55_When_ChecksummingAddress(string input, string expected)
    {
        // Given an address in one case
        // When checksummed
        var result = EthAddress.ToChecksum(input);

        // Then it matches the EIP-55 test vector
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Should_RejectWithoutEchoingValue_When_KeyIsZero()
    {
        // Given the zero key, which is outside secp256k1's range
        var zero = "0x" + new string('0', 64);

        // When derived
        var ex = Assert.Throws<ArgumentException>(() => EthAddress.FromPrivateKeyHex(zero));

        // Then the message explains the range without the value
        Assert.DoesNotContain(new string('0', 64), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_DeriveSameAddress_When_GeneratedKeyIsReadBack()
    {
        // Given a freshly generated publisher key
        var key = PublisherKey.Generate();

        // When its exported key is read back
        var again = PublisherKey.FromHex(key.ExportPrivateKeyHex());

        // Then both name the same address
        Assert.Equal(key.Address, again.Address);
    }

    [Fact]
    public void Should_ShowOnlyAddress_When_PublisherKeyIsFormatted()
    {
        // Given a publisher key
        var key = PublisherKey.FromHex(KeysTestData.PublisherSecret);

        // When interpolated into a message by mistake
        var text = $"{key}";

        // Then only the address appears
        Assert.Equal(key.Address, text);
    }
    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true)]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", true)]
    [InlineData("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", true)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", false)]
    [InlineData("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", false)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", false)]
    public void Should_VerifyEip55_When_AddressMixesCases(string address, bool accepted)
    {
        // Given an EIP-55 test vector, its single-case forms, and mistyped casings
        // When checked
        var problem = EthAddress.Problem(address);

        // Then only the correct checksum or a single case passes
        Assert.Equal(accepted, problem is null);
        Assert.Equal(accepted, EthAddress.IsAddress(address));
    }

    [Fact]
    public void Should_NotSuggestTheCorrectCasing_When_ChecksumIsWrong()
    {
        // Given a mistyped checksum
        var problem = EthAddress.Problem("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");

        // Then the message does not hand out the correct address (that would defeat the check)
        Assert.NotNull(problem);
        Assert.DoesNotContain("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", problem, StringComparison.Ordinal);
    }
}
