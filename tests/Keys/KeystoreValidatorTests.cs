using AztecInfra.Keys;
using AztecInfra.Stages.Rules;
using static AztecInfra.Tests.Keys.KeysTestData;

namespace AztecInfra.Tests.Keys;

public class KeystoreValidatorTests
{
    private static KeystoreFinding Single(string json, string? fileName = null, KeystoreStageContext? stage = null)
    {
        var check = KeystoreValidator.Check(json, fileName, stage);
        return Assert.Single(check.Findings);
    }

    private static string Validator(string body) => $$"""{"schemaVersion":1,"validators":[{{{body}}}]}""";

    private const string Attester = $$"""
        "attester":{"eth":"{{AttesterKey}}","bls":"{{BlsKey}}"}
        """;

    private const string Fee = $$"""
        "feeRecipient":"{{ZeroFee}}"
        """;

    [Fact]
    public void Should_Accept_When_KeystoreIsWhatAztecGenerates()
    {
        // Given Aztec's generator output shape (attester eth+bls, zero fee recipient, coinbase)
        var json = Validator($"{Attester},{Fee},\"coinbase\":\"{AttesterAddress}\"");

        // When checked
        var check = KeystoreValidator.Check(json);

        // Then nothing is wrong and the attester address is derived from its key
        Assert.Empty(check.Findings);
        Assert.Equal(AttesterAddress.ToLowerInvariant(), Assert.Single(check.AttesterAddresses));
    }

    [Fact]
    public void Should_ReportDocument_When_TextIsNotJson()
    {
        // Given text that is not JSON
        // When checked
        var finding = Single("{\"schemaVersion\": 1, " + AttesterKey);

        // Then the whole document is named
        Assert.Equal("(document)", finding.Field);
    }

    [Fact]
    public void Should_ReportSchemaVersion_When_VersionIsUnknown()
    {
        // Given schemaVersion 2
        var json = Keystore().Replace("\"schemaVersion\":1", "\"schemaVersion\":2", StringComparison.Ordinal);

        // When checked
        var finding = Single(json);

        // Then schemaVersion is named
        Assert.Equal("schemaVersion", finding.Field);
    }

    [Fact]
    public void Should_ReportValidators_When_ThereAreNone()
    {
        // Given an empty validators list
        // When checked
        var finding = Single("{\"schemaVersion\":1,\"validators\":[]}");

        // Then validators is named
        Assert.Equal("validators", finding.Field);
    }

    [Fact]
    public void Should_ReportBls_When_AttesterHasOnlyEth()
    {
        // Given an attester without a BLS key
        // When checked
        var finding = Single(Validator($"\"attester\":{{\"eth\":\"{AttesterKey}\"}},{Fee}"));

        // Then the bls field is named
        Assert.Equal("validators[0].attester.bls", finding.Field);
    }

    [Fact]
    public void Should_ReportEth_When_AttesterHasOnlyBls()
    {
        // Given an attester without an ETH key
        // When checked
        var finding = Single(Validator($"\"attester\":{{\"bls\":\"{BlsKey}\"}},{Fee}"));

        // Then the eth field is named
        Assert.Equal("validators[0].attester.eth", finding.Field);
    }

    [Fact]
    public void Should_ReportAttester_When_AttesterIsABareKey()
    {
        // Given an attester that is a bare ETH key (no BLS key to stake with)
        // When checked
        var finding = Single(Validator($"\"attester\":\"{AttesterKey}\",{Fee}"));

        // Then the attester field is named
        Assert.Equal("validators[0].attester", finding.Field);
    }

    [Theory]
    [InlineData("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f3623")]
    [InlineData("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")]
    [InlineData("0xzz0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")]
    public void Should_ReportEthShapeWithoutValue_When_EthIsNeitherKeyNorAddress(string eth)
    {
        // Given an ETH value of the wrong shape
        // When checked
        var finding = Single(Keystore(eth: eth));

        // Then the field is named, the allowed shapes are said, and the value is not echoed
        Assert.Equal("validators[0].attester.eth", finding.Field);
        Assert.Contains("66-character private key", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(eth[4..20], finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReportRemoteSigner_When_AddressAttesterHasNoSigner()
    {
        // Given a 42-character attester and no remote signer anywhere
        // When checked
        var finding = Single(Keystore(eth: AttesterAddress));

        // Then the eth field is named and the remote signer is asked for
        Assert.Equal("validators[0].attester.eth", finding.Field);
        Assert.Contains("remoteSigner", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Accept_When_AddressAttesterHasTopLevelSigner()
    {
        // Given a 42-character attester and a file-level remote signer
        var json = Keystore(eth: AttesterAddress).Replace("{\"schemaVersion\":1,", "{\"schemaVersion\":1,\"remoteSigner\":\"https://signer.internal:9000\",", StringComparison.Ordinal);

        // When checked
        var check = KeystoreValidator.Check(json);

        // Then it is valid
        Assert.Empty(check.Findings);
    }

    [Fact]
    public void Should_ReportBlsShape_When_BlsIsNotInlineOrFile()
    {
        // Given a BLS key of the wrong length
        // When checked
        var finding = Single(Keystore(bls: "0x1234"));

        // Then the bls field is named
        Assert.Equal("validators[0].attester.bls", finding.Field);
    }

    [Fact]
    public void Should_ReportNoRemoteSignerForBls_When_BlsIsRemoteSignerAccount()
    {
        // Given a BLS key pointing at a remote signer
        var json = Validator($"\"attester\":{{\"eth\":\"{AttesterKey}\",\"bls\":{{\"address\":\"{AttesterAddress}\",\"remoteSignerUrl\":\"https://signer:9000\"}}}},{Fee}");

        // When checked
        var finding = Single(json);

        // Then it says BLS keys cannot use one
        Assert.Equal("validators[0].attester.bls", finding.Field);
        Assert.Contains("cannot use a remote signer", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Accept_When_BlsIsKeyFile()
    {
        // Given a BLS key file reference
        var json = Validator($"\"attester\":{{\"eth\":\"{AttesterKey}\",\"bls\":{{\"path\":\"/keys/bls.json\",\"password\":\"x\"}}}},{Fee}");

        // When checked
        var check = KeystoreValidator.Check(json);

        // Then it is valid
        Assert.Empty(check.Findings);
    }

    [Fact]
    public void Should_ReportSecondEntry_When_AttesterIsRepeatedInFile()
    {
        // Given the same attester twice
        var json = $$"""{"schemaVersion":1,"validators":[{{{Attester}},{{Fee}}},{"attester":{"eth":"{{AttesterKey}}","bls":"{{BlsKey2}}"},{{Fee}}}]}""";

        // When checked
        var finding = Single(json);

        // Then the repeat is named
        Assert.Equal("validators[1].attester.eth", finding.Field);
    }

    [Fact]
    public void Should_ReportOtherNode_When_AttesterIsStoredForAnotherNode()
    {
        // Given a stage (independent HA) whose other node already has this attester
        var stage = new KeystoreStageContext([new NodeSigners("validator-2", [AttesterAddress.ToLowerInvariant()], [])], SharedSigner: false);

        // When checked
        var finding = Single(Keystore(), stage: stage);

        // Then the attester field is named with the other node
        Assert.Equal("validators[0].attester.eth", finding.Field);
        Assert.Contains("validator-2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Accept_When_AttesterIsSharedInSharedSignerMode()
    {
        // Given a shared-signer stage whose other node has this attester
        var stage = new KeystoreStageContext([new NodeSigners("validator-2", [AttesterAddress.ToLowerInvariant()], [])], SharedSigner: true);

        // When checked
        var check = KeystoreValidator.Check(Keystore(), stage: stage);

        // Then sharing is allowed
        Assert.Empty(check.Findings);
    }

    [Fact]
    public void Should_ReportFile_When_NamedAsStakerOutput()
    {
        // Given a valid keystore under a staker-output name
        // When checked
        var finding = Single(Keystore(), fileName: "/tmp/key1_staker_output.json");

        // Then the file name is the problem
        Assert.Equal("(file)", finding.Field);
    }

    [Fact]
    public void Should_ReportDocument_When_ContentIsStakerOutput()
    {
        // Given the content of a staker output under an innocent name
        var json = $$$"""[{"attester":"{{{AttesterAddress}}}","publicKeyG1":{"x":"0x1","y":"0x2"},"publicKeyG2":{"x0":"0x1","x1":"0x2","y0":"0x3","y1":"0x4"},"proofOfPossession":{"x":"0x1","y":"0x2"}}]""";

        // When checked
        var finding = Single(json, fileName: "key1.json");

        // Then the content shape is the problem
        Assert.Equal("(document)", finding.Field);
        Assert.Contains("staker output", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReportCoinbase_When_CoinbaseIsNotAnAddress()
    {
        // Given a coinbase that is a private key
        // When checked
        var finding = Single(Validator($"{Attester},{Fee},\"coinbase\":\"{SecondKey}\""));

        // Then coinbase is named, without the value
        Assert.Equal("validators[0].coinbase", finding.Field);
        Assert.DoesNotContain(SecondKey, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReportPublisherEntry_When_EntryIsNeitherKeyNorAddress()
    {
        // Given a publisher list whose second entry is neither key nor address
        // When checked
        var finding = Single(Validator($"{Attester},{Fee},\"publisher\":[\"{PublisherSecret}\",\"not-a-key\"]"));

        // Then that entry is named
        Assert.Equal("validators[0].publisher[1]", finding.Field);
    }

    [Fact]
    public void Should_ReportFeeRecipient_When_Missing()
    {
        // Given a validator without feeRecipient (Aztec requires it)
        // When checked
        var finding = Single(Validator(Attester));

        // Then feeRecipient is named
        Assert.Equal("validators[0].feeRecipient", finding.Field);
    }

    [Fact]
    public void Should_NeverEchoSecrets_When_EveryRuleFires()
    {
        // Given a keystore breaking many rules at once, full of secrets
        var json = $$"""{"schemaVersion":7,"validators":[{"attester":{"eth":"{{AttesterKey}}x","bls":"{{BlsKey}}00"},"coinbase":"{{SecondKey}}","publisher":["{{PublisherSecret}}1"],"feeRecipient":"{{BlsKey2}}zz"}]}""";

        // When checked
        var text = string.Join("\n", KeystoreValidator.Check(json, "k_staker_output.json").Findings);

        // Then no secret (or its hex) appears
        Assert.All(Secrets, s => Assert.DoesNotContain(s, text, StringComparison.OrdinalIgnoreCase));
    }
    [Theory]
    [InlineData("\"publsher\":\"0x00\"", "validators[0].publsher")]
    [InlineData("\"attester\":{\"eth\":\"X\",\"bls\":\"Y\",\"blsKey\":1}", "validators[0].attester.blsKey")]
    public void Should_RefuseNamingTheField_When_KeystoreHasUnknownField(string extra, string field)
    {
        // Given a keystore with a field Aztec's schema does not define (Aztec would drop it silently)
        var body = extra.StartsWith("\"attester\"", StringComparison.Ordinal)
            ? extra.Replace("\"X\"", $"\"{AttesterKey}\"", StringComparison.Ordinal).Replace("\"Y\"", $"\"{BlsKey}\"", StringComparison.Ordinal) + "," + Fee
            : $"{Attester},{Fee},{extra}";

        // When checked
        var finding = Single(Validator(body));

        // Then the unknown field is named, with what is allowed there
        Assert.Equal(field, finding.Field);
        Assert.Contains("not a field of Aztec's keystore schema", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseTopLevelField_When_KeystoreHasUnknownTopLevelField()
    {
        // Given a keystore with a misspelt top-level field
        var json = $$"""{"schemaVersion":1,"remoteSigners":"https://signer.internal","validators":[{{{Attester}},{{Fee}}}]}""";

        // When checked
        var finding = Single(json);

        // Then it is named
        Assert.Equal("remoteSigners", finding.Field);
    }

    [Fact]
    public void Should_NotEchoFieldName_When_UnknownFieldNameIsKeyShaped()
    {
        // Given a keystore where a private key was pasted as a field name
        var json = Validator($"{Attester},{Fee},\"{SecondKey}\":1");

        // When checked
        var finding = Single(json);

        // Then the finding exists but does not quote the key
        Assert.DoesNotContain(SecondKey[2..], finding.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Should_RefuseNamingTheField_When_CoinbaseChecksumIsWrong()
    {
        // Given a coinbase whose mixed-case checksum has one letter's case flipped
        var bad = "0x2C7536E3605D9C16a7a3D7b1898e529396a65c23";

        // When checked
        var finding = Single(Validator($"{Attester},{Fee},\"coinbase\":\"{bad}\""));

        // Then coinbase is named and the checksum is the reason
        Assert.Equal("validators[0].coinbase", finding.Field);
        Assert.Contains("EIP-55 checksum", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseNamingTheField_When_RemoteSignerAddressChecksumIsWrong()
    {
        // Given an attester held by a remote signer, its address mistyped in case
        var bad = "0x2c7536e3605D9C16a7a3D7b1898e529396a65c23";
        var json = $$"""{"schemaVersion":1,"remoteSigner":"https://signer.internal","validators":[{"attester":{"eth":"{{bad}}","bls":"{{BlsKey}}"},{{Fee}}}]}""";

        // When checked
        var finding = Single(json);

        // Then the eth field is named with the checksum reason
        Assert.Equal("validators[0].attester.eth", finding.Field);
        Assert.Contains("EIP-55 checksum", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23")]
    [InlineData("0x2C7536E3605D9C16A7A3D7B1898E529396A65C23")]
    public void Should_AcceptUnchecked_When_AddressIsSingleCase(string address)
    {
        // Given a coinbase in one case only (EIP-55: no checksum to verify)
        // When checked
        var check = KeystoreValidator.Check(Validator($"{Attester},{Fee},\"coinbase\":\"{address}\""));

        // Then it is accepted
        Assert.Empty(check.Findings);
    }
}
