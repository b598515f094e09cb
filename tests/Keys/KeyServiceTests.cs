using AztecInfra.Keys;
using Moq;
using static AztecInfra.Tests.Keys.KeysTestData;
using AztecInfra.Primitives;

namespace AztecInfra.Tests.Keys;

public class KeyServiceTests
{
    private static NewKeysOptions NewOptions(bool force = false) => new()
    {
        Count = 1,
        GseAddress = "0xFb243b9112Bb65785A4A8eDAf32529accf003614",
        L1RpcUrls = RpcSecret,
        Force = force,
    };

    [Fact]
    public async Task Should_StoreComposedKeystoreAndDeleteTempDir_When_GeneratingKeys()
    {
        // Given the dev stage, no keystore yet, a stored publisher key, and Aztec's generator
        const string name = "/aztec-infra/dev/nodes/validator-1/keystore";
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.ExistsAsync("us-east-1", name, It.IsAny<CancellationToken>())).ReturnsAsync(false);
        parameters.Setup(p => p.GetSecureAsync("us-east-1", "/aztec-infra/dev/nodes/validator-1/publisher-key", It.IsAny<CancellationToken>())).ReturnsAsync(PublisherSecret);
        parameters.Setup(p => p.PutSecureAsync(
                It.Is<SecureParameterWrite>(w => w.Name == name && w.Value.Contains(PublisherSecret, StringComparison.Ordinal) && w.Value.Contains(BlsKey, StringComparison.Ordinal) && !w.Overwrite),
                It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        var directories = new List<string>();
        var service = new KeyService(Dev, new SsmNodeSecretStore(parameters.Object, Dev), new ValidatorKeyGenerator(FakeAztecGenerator.Create(directories).Object));

        // When keys are generated
        var result = await service.NewAsync("validator-1", NewOptions(), CancellationToken.None);

        // Then the composed keystore is stored, the attester is reported, and nothing is left on disk
        parameters.VerifyAll();
        Assert.Equal(AttesterAddress, Assert.Single(result.Attesters));
        Assert.False(Directory.Exists(Assert.Single(directories)));
    }

    [Fact]
    public async Task Should_DeleteTempDir_When_GeneratorFails()
    {
        // Given a generator that fails
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.ExistsAsync("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore", It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var directories = new List<string>();
        var service = new KeyService(Dev, new SsmNodeSecretStore(parameters.Object, Dev), new ValidatorKeyGenerator(FakeAztecGenerator.Create(directories, exitCode: 1).Object));

        // When keys are generated
        await Assert.ThrowsAsync<KeyOperationException>(() => service.NewAsync("validator-1", NewOptions(), CancellationToken.None));

        // Then its directory is gone anyway
        Assert.False(Directory.Exists(Assert.Single(directories)));
    }

    [Fact]
    public async Task Should_RefuseBeforeGenerating_When_KeystoreExistsWithoutForce()
    {
        // Given a stored keystore and a runner that must not be called
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.ExistsAsync("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore", It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var runner = new Mock<IProcessRunner>(MockBehavior.Strict);
        var service = new KeyService(Dev, new SsmNodeSecretStore(parameters.Object, Dev), new ValidatorKeyGenerator(runner.Object));

        // When keys are generated without --force
        // Then it is refused
        await Assert.ThrowsAsync<SecretExistsException>(() => service.NewAsync("validator-1", NewOptions(), CancellationToken.None));
    }

    [Fact]
    public async Task Should_TouchOnlyTargetNode_When_Importing()
    {
        // Given prod and a strict store that knows only validator-eu's names
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.ExistsAsync("eu-west-1", "/aztec-infra/prod/nodes/validator-eu/keystore", It.IsAny<CancellationToken>())).ReturnsAsync(false);
        parameters.Setup(p => p.GetSecureAsync("eu-west-1", "/aztec-infra/prod/nodes/validator-eu/publisher-key", It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        parameters.Setup(p => p.PutSecureAsync(It.Is<SecureParameterWrite>(w => w.Name == "/aztec-infra/prod/nodes/validator-eu/keystore" && w.Region == "eu-west-1" && w.KeyId == "alias/aztec-infra/prod"), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var service = new KeyService(Prod, new SsmNodeSecretStore(parameters.Object, Prod));

        // When a keystore is imported for validator-eu
        var result = await service.ImportAsync("validator-eu", Keystore(), "key1.json", force: false, CancellationToken.None);

        // Then it is stored and no other node's parameter was touched (strict mock)
        Assert.NotNull(result.Location);
        parameters.VerifyAll();
    }

    [Fact]
    public async Task Should_RefuseOverwrite_When_ImportingOverExistingKeystoreWithoutForce()
    {
        // Given a stored keystore
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.ExistsAsync("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore", It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var service = new KeyService(Dev, new SsmNodeSecretStore(parameters.Object, Dev));

        // When imported without --force
        var ex = await Assert.ThrowsAsync<SecretExistsException>(() => service.ImportAsync("validator-1", Keystore(), "key1.json", false, CancellationToken.None));

        // Then it is refused, naming where the keystore is (no write was set up, so none happened)
        Assert.Contains("/aztec-infra/dev/nodes/validator-1/keystore", ex.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Overwrite_When_ImportingWithForce()
    {
        // Given a stored keystore
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.GetSecureAsync("us-east-1", "/aztec-infra/dev/nodes/validator-1/publisher-key", It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        parameters.Setup(p => p.PutSecureAsync(It.Is<SecureParameterWrite>(w => w.Overwrite), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var service = new KeyService(Dev, new SsmNodeSecretStore(parameters.Object, Dev));

        // When imported with --force
        await service.ImportAsync("validator-1", Keystore(), "key1.json", force: true, CancellationToken.None);

        // Then the write asks SSM to overwrite
        parameters.VerifyAll();
    }

    [Fact]
    public async Task Should_ComposePublisherIntoKeystore_When_CreatingPublisher()
    {
        // Given a node with a keystore but no publisher
        var store = new InMemoryParameterStore();
        store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore")] = Keystore();
        var service = new KeyService(Dev, new SsmNodeSecretStore(store, Dev));

        // When a publisher is created
        var result = await service.CreatePublisherAsync("validator-1", force: false, CancellationToken.None);

        // Then the stored keystore names that publisher
        var check = KeystoreValidator.Check(store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore")]);
        Assert.Equal(result.Address, Assert.Single(Assert.Single(check.Validators).Publishers).Address);
    }

    [Fact]
    public async Task Should_ReportMissingKeystore_When_NodeHasNone()
    {
        // Given the dev stage with nothing stored
        var service = new KeyService(Dev, new SsmNodeSecretStore(new InMemoryParameterStore(), Dev));

        // When verified
        var findings = await service.VerifyAsync(CancellationToken.None);

        // Then the node is reported
        Assert.Contains("has no keystore", Assert.Single(findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ReportDoubleSigning_When_AttesterIsOnTwoIndependentNodes()
    {
        // Given two independent nodes storing the same attester (validator-2 lists it in config too)
        var store = new InMemoryParameterStore();
        store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore")] = Keystore(eth: SecondKey);
        store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-2/keystore")] = Keystore(eth: SecondKey);
        var service = new KeyService(TwoNode, new SsmNodeSecretStore(store, TwoNode));

        // When verified
        var findings = await service.VerifyAsync(CancellationToken.None);

        // Then the second node is reported as double-signing with the first, and the first's undeclared attester too
        Assert.Contains("also on validator-1", Assert.Single(findings, f => f.Field == "validator-2").Message, StringComparison.Ordinal);
        Assert.Contains("does not list", Assert.Single(findings, f => f.Field == "validator-1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ReportUndeclaredAttester_When_ConfigListsNoAttesters()
    {
        // Given dev, whose config lists no attesters, with a stored keystore holding one
        var store = new InMemoryParameterStore();
        store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore")] = Keystore();
        var service = new KeyService(Dev, new SsmNodeSecretStore(store, Dev));

        // When verified
        var findings = await service.VerifyAsync(CancellationToken.None);

        // Then the stored but undeclared attester is reported by address
        var finding = Assert.Single(findings);
        Assert.Equal("validator-1", finding.Field);
        Assert.Contains($"stored keystore has attester {AttesterAddress} that config nodes[].attesters does not list", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ReportConfigMismatch_When_StoredAttesterIsNotTheConfiguredOne()
    {
        // Given validator-2 configured for SecondAddress but storing another attester
        var store = new InMemoryParameterStore();
        store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-1/keystore")] = Keystore(eth: AttesterKey);
        store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-2/keystore")] = Keystore(eth: PublisherSecret, bls: BlsKey2);
        var service = new KeyService(TwoNode, new SsmNodeSecretStore(store, TwoNode));

        // When verified
        var findings = await service.VerifyAsync(CancellationToken.None);

        // Then both directions of the mismatch are reported for validator-2
        Assert.Equal(2, findings.Count(f => f.Field == "validator-2"));
    }

    [Fact]
    public async Task Should_RequireOwnPublisher_When_SharedSignerNodesHaveNone()
    {
        // Given prod (shared-signer) with one attester on every node and no publishers
        var store = new InMemoryParameterStore();
        foreach (var node in Prod.Nodes)
        {
            store.Values[(node.Region, $"/aztec-infra/prod/nodes/{node.Id}/keystore")] = Keystore();
        }

        var service = new KeyService(Prod, new SsmNodeSecretStore(store, Prod));

        // When verified
        var findings = await service.VerifyAsync(CancellationToken.None);

        // Then each node is asked for its own publisher, and sharing the attester is fine
        Assert.Equal(3, findings.Count(f => f.Message.Contains("own publisher", StringComparison.Ordinal)));
        Assert.Equal(3, findings.Count(f => f.Message.Contains("does not list", StringComparison.Ordinal)));
        Assert.Equal(6, findings.Length);
    }

    [Fact]
    public async Task Should_ReportSharedPublisher_When_TwoNodesUseOnePublisher()
    {
        // Given prod nodes whose keystores all carry the same publisher
        var store = new InMemoryParameterStore();
        var withPublisher = KeystoreComposer.Compose(Keystore(), PublisherKey.FromHex(PublisherSecret));
        foreach (var node in Prod.Nodes)
        {
            store.Values[(node.Region, $"/aztec-infra/prod/nodes/{node.Id}/keystore")] = withPublisher;
        }

        var service = new KeyService(Prod, new SsmNodeSecretStore(store, Prod));

        // When verified
        var findings = await service.VerifyAsync(CancellationToken.None);

        // Then the second and third node are reported
        Assert.Equal(2, findings.Count(f => f.Message.Contains("every node needs its own publisher", StringComparison.Ordinal)));
    }
}
