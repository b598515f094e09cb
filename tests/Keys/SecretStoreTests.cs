using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using AztecInfra.Keys;
using Moq;
using static AztecInfra.Tests.Keys.KeysTestData;
using ParameterTier = AztecInfra.Keys.ParameterTier;

namespace AztecInfra.Tests.Keys;

// The local hot wallet is a Linux host feature (file modes); these tests run where the tool runs.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SecretStoreTests
{
    private const string DevKeystore = "/aztec-infra/dev/nodes/validator-1/keystore";

    [Fact]
    public async Task Should_WriteSecureStringWithStageKey_When_StoringKeystore()
    {
        // Given the dev stage over a strict parameter store
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.PutSecureAsync(
                It.Is<SecureParameterWrite>(w => w.Region == "us-east-1" && w.Name == DevKeystore && w.KeyId == "alias/aztec-infra/dev"
                    && w.Tier == ParameterTier.Standard && !w.Overwrite && w.Value == Keystore()),
                It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        var store = new SsmNodeSecretStore(parameters.Object, Dev);

        // When the keystore is written without force
        await store.WriteAsync("validator-1", NodeSecret.Keystore, Keystore(), overwrite: false, CancellationToken.None);

        // Then exactly that parameter was written, encrypted with the stage's key, in the node's region
        parameters.VerifyAll();
    }

    [Fact]
    public async Task Should_UseAdvancedTier_When_ValueIsOver4096Bytes()
    {
        // Given a 5000-byte value
        var parameters = new Mock<IParameterStore>(MockBehavior.Strict);
        parameters.Setup(p => p.PutSecureAsync(It.Is<SecureParameterWrite>(w => w.Tier == ParameterTier.Advanced), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var store = new SsmNodeSecretStore(parameters.Object, Dev);

        // When written
        await store.WriteAsync("validator-1", NodeSecret.Keystore, new string('a', 5000), overwrite: false, CancellationToken.None);

        // Then the Advanced tier was asked for
        parameters.VerifyAll();
    }

    [Fact]
    public async Task Should_RefuseWithoutCallingAws_When_ValueIsOver8192Bytes()
    {
        // Given a value no SSM parameter holds, and a strict store with nothing set up
        var store = new SsmNodeSecretStore(new Mock<IParameterStore>(MockBehavior.Strict).Object, Dev);

        // When written
        // Then it is refused before any AWS call
        await Assert.ThrowsAsync<KeyOperationException>(() => store.WriteAsync("validator-1", NodeSecret.Keystore, new string('a', 8193), false, CancellationToken.None));
    }

    [Fact]
    public async Task Should_SendSecureStringAndKeyId_When_SsmClientWrites()
    {
        // Given the SSM wrapper over a strict SDK client (the one place the SDK itself is faked: the wrapper's mapping)
        var client = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        client.Setup(c => c.PutParameterAsync(
                It.Is<PutParameterRequest>(r => r.Name == DevKeystore && r.Type == ParameterType.SecureString && r.KeyId == "alias/aztec-infra/dev"
                    && r.Tier == Amazon.SimpleSystemsManagement.ParameterTier.Standard && r.Overwrite == false),
                It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PutParameterResponse());
        client.Setup(c => c.Dispose());

        // When a write goes through it (and the store is disposed with its client)
        using (var store = new SsmParameterStore(_ => client.Object))
        {
            await store.PutSecureAsync(new SecureParameterWrite("us-east-1", DevKeystore, "v", "alias/aztec-infra/dev", ParameterTier.Standard, false), CancellationToken.None);
        }

        // Then SSM got a SecureString under the stage key
        client.VerifyAll();
    }

    [Fact]
    public async Task Should_AskForForce_When_SsmSaysParameterExists()
    {
        // Given SSM refusing because the parameter exists
        var client = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        client.Setup(c => c.PutParameterAsync(It.IsAny<PutParameterRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ParameterAlreadyExistsException("exists"));
        client.Setup(c => c.Dispose());
        using var store = new SsmParameterStore(_ => client.Object);

        // When written without overwrite
        var ex = await Assert.ThrowsAsync<SecretExistsException>(() => store.PutSecureAsync(new SecureParameterWrite("us-east-1", DevKeystore, "v", "k", ParameterTier.Standard, false), CancellationToken.None));

        // Then the message points at --force
        Assert.Equal($"{DevKeystore} (us-east-1)", ex.Location);
    }

    [Fact]
    public void Should_NotCreateClient_When_StoreIsOnlyConstructed()
    {
        // Given a client factory that would fail (no credentials)
        var created = 0;

        // When the store is constructed and disposed without use
        using (new SsmParameterStore(_ => { created++; throw new InvalidOperationException("no credentials"); }))
        {
        }

        // Then no client was ever created
        Assert.Equal(0, created);
    }

    [Fact]
    public void Should_NotPrintValue_When_WriteIsFormatted()
    {
        // Given a write carrying a secret
        var write = new SecureParameterWrite("us-east-1", DevKeystore, PublisherSecret, "k", ParameterTier.Standard, false);

        // When formatted (as a mock failure or log would)
        var text = write.ToString();

        // Then the value is absent
        Assert.DoesNotContain(PublisherSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_RefuseLocalStore_When_StageIsMainnet()
    {
        // Given the mainnet prod stage
        // When a local hot wallet is asked for
        var ex = Assert.Throws<KeyOperationException>(() => new LocalNodeSecretStore(Path.GetTempPath(), Prod));

        // Then it is refused with the reason
        Assert.Contains("mainnet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_WriteOwnerOnlyFiles_When_StoringLocally()
    {
        // Given a fresh root directory
        var root = Path.Combine(Path.GetTempPath(), "keys-local-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new LocalNodeSecretStore(root, Dev);

            // When the keystore is stored
            await store.WriteAsync("validator-1", NodeSecret.Keystore, Keystore(), false, CancellationToken.None);

            // Then the file is 0600 and every directory 0700
            var file = Path.Combine(root, "dev", "validator-1", "keystore.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.All(new[] { root, Path.Combine(root, "dev"), Path.GetDirectoryName(file)! }, d => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(d)));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public async Task Should_RefuseOverwrite_When_LocalFileExistsWithoutForce()
    {
        // Given a stored local keystore
        var root = Path.Combine(Path.GetTempPath(), "keys-local-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new LocalNodeSecretStore(root, Dev);
            await store.WriteAsync("validator-1", NodeSecret.Keystore, Keystore(), false, CancellationToken.None);

            // When written again without force
            // Then it is refused
            await Assert.ThrowsAsync<SecretExistsException>(() => store.WriteAsync("validator-1", NodeSecret.Keystore, Keystore(), false, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Should_RefuseLocalStore_When_DirectoryIsReadableByOthers()
    {
        // Given a 0755 directory
        var root = Directory.CreateTempSubdirectory("keys-open-").FullName;
        try
        {
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);

            // When used as a hot wallet
            var ex = Assert.Throws<KeyOperationException>(() => new LocalNodeSecretStore(root, Dev));

            // Then it asks for chmod 700
            Assert.Contains("chmod 700", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
