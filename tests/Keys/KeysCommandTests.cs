using AztecInfra.Cli;
using AztecInfra.Cli.Keys;
using AztecInfra.Keys;
using Moq;
using static AztecInfra.Tests.Keys.KeysTestData;
using AztecInfra.Primitives;

namespace AztecInfra.Tests.Keys;

public sealed class KeysCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keys-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CliContext Context(IParameterStore? store = null, IProcessRunner? runner = null, IReadOnlyDictionary<string, string>? env = null, string stdin = "") => new()
    {
        RepositoryRoot = RepositoryRoot(),
        Environment = env ?? new Dictionary<string, string>(),
        Keys = new KeysDependencies
        {
            ParameterStore = store ?? new Mock<IParameterStore>(MockBehavior.Strict).Object,
            ProcessRunner = runner ?? new Mock<IProcessRunner>(MockBehavior.Strict).Object,
            StandardInput = new StringReader(stdin),
        },
    };

    private static (int Code, string Out, string Err) Run(CliContext context, params string[] args) => Support.TestCli.Run(context, args);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [InlineData("new")]
    [InlineData("publisher")]
    [InlineData("import")]
    [InlineData("validate")]
    [InlineData("list")]
    [InlineData("verify")]
    [InlineData("rotate-publisher")]
    [InlineData("remove")]
    public void Should_PrintHelp_When_VerbGetsHelp(string verb)
    {
        // Given a verb
        // When asked for help
        var (code, output, _) = Run(Context(), "keys", verb, "--help");

        // Then it exits 0 with its usage
        Assert.Equal(0, code);
        Assert.Contains($"keys {verb}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitZero_When_ValidatingValidKeystore()
    {
        // Given a valid keystore file
        var file = WriteFile("key1.json", Keystore());

        // When validated offline (a strict store with no setup proves no AWS call)
        var (code, output, _) = Run(Context(), "keys", "validate", "--file", file);

        // Then it passes and names the attester
        Assert.Equal(0, code);
        Assert.Contains(AttesterAddress, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitOneWithField_When_ValidatingInvalidKeystore()
    {
        // Given a keystore whose attester lacks a BLS key
        var file = WriteFile("key1.json", Keystore().Replace($",\"bls\":\"{BlsKey}\"", string.Empty, StringComparison.Ordinal));

        // When validated
        var (code, _, error) = Run(Context(), "keys", "validate", "--file", file);

        // Then it fails naming the field
        Assert.Equal(1, code);
        Assert.Contains("validators[0].attester.bls", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitTwo_When_RequiredOptionIsMissing()
    {
        // Given validate without --file
        // When run
        var (code, _, _) = Run(Context(), "keys", "validate");

        // Then it is a usage error
        Assert.Equal(2, code);
    }

    [Fact]
    public void Should_ExitTwo_When_OptionIsUnknown()
    {
        // Given an option that does not exist (say, an attempt to pass the RPC URL as an argument)
        // When run
        var (code, _, _) = Run(Context(), "keys", "list", "--stage", "dev", "--l1-rpc-url", "x");

        // Then it is a usage error
        Assert.Equal(2, code);
    }

    [Fact]
    public void Should_ExitTwo_When_NoVerbIsGiven()
    {
        // Given 'keys' alone
        // When run
        var (code, _, _) = Run(Context(), "keys");

        // Then it is a usage error
        Assert.Equal(2, code);
    }

    [Fact]
    public void Should_ExitTwoWithoutTouchingAws_When_RemoveLacksYes()
    {
        // Given remove without confirmation (strict store: any call would fail)
        // When run
        var (code, _, error) = Run(Context(), "keys", "remove", "--stage", "dev", "--node", "validator-1");

        // Then it asks for --yes
        Assert.Equal(2, code);
        Assert.Contains("--yes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ExitOne_When_LocalIsAskedForMainnet()
    {
        // Given the mainnet prod stage
        // When a hot wallet is asked for
        var (code, _, error) = Run(Context(), "keys", "list", "--stage", "prod", "--local", _dir);

        // Then it is refused with the reason
        Assert.Equal(1, code);
        Assert.Contains("mainnet", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_PrintOnlyAddress_When_CreatingPublisher()
    {
        // Given dev with nothing stored
        var store = new InMemoryParameterStore();

        // When a publisher is created
        var (code, output, _) = Run(Context(store), "keys", "publisher", "--stage", "dev", "--node", "validator-1");

        // Then standard output is exactly its checksummed address
        Assert.Equal(0, code);
        var stored = PublisherKey.FromHex(store.Values[("us-east-1", "/aztec-infra/dev/nodes/validator-1/publisher-key")]);
        Assert.Equal(stored.Address, output.Trim());
    }

    [Fact]
    public void Should_NeverPrintSecrets_When_RunningEveryCommand()
    {
        // Given secret-bearing input: keystores with inline keys, a publisher key, an RPC URL with an API key,
        // and a generator that prints its mnemonic
        var store = new InMemoryParameterStore();
        var runner = FakeAztecGenerator.Create([]).Object;
        var env = new Dictionary<string, string> { [KeysVerbs.RpcEnvironmentVariable] = RpcSecret };
        var context = Context(store, runner, env, stdin: RpcSecret + "\n");
        var valid = WriteFile("key2.json", Keystore(eth: SecondKey, bls: BlsKey2));
        var invalid = WriteFile("bad.json", $$"""{"schemaVersion":3,"validators":[{"attester":{"eth":"{{AttesterKey}}1","bls":"{{BlsKey}}"},"coinbase":"{{PublisherSecret}}","feeRecipient":"{{ZeroFee}}"}]}""");
        var notJson = WriteFile("broken.json", "{ \"validators\": [ " + AttesterKey);
        var staker = WriteFile("key1_staker_output.json", Keystore());
        var runs = new List<(int Code, string Out, string Err)>
        {
            Run(context, "keys", "validate", "--file", valid),
            Run(context, "keys", "validate", "--file", invalid),
            Run(context, "keys", "validate", "--file", notJson),
            Run(context, "keys", "validate", "--file", staker),
            Run(context, "keys", "new", "--stage", "dev", "--node", "validator-1", "--gse-address", "0xFb243b9112Bb65785A4A8eDAf32529accf003614", "--staker-output", Path.Combine(_dir, "dev_staker_output.json")),
            Run(context, "keys", "new", "--stage", "dev", "--node", "validator-1", "--gse-address", "0xFb243b9112Bb65785A4A8eDAf32529accf003614", "--staker-output", Path.Combine(_dir, "dev_staker_output.json")),
            Run(context, "keys", "publisher", "--stage", "dev", "--node", "validator-1"),
            Run(context, "keys", "import", "--stage", "dev", "--node", "validator-1", "--file", invalid),
            Run(context, "keys", "import", "--stage", "dev", "--node", "validator-1", "--file", valid, "--force"),
            Run(context, "keys", "list", "--stage", "dev"),
            Run(context, "keys", "verify", "--stage", "dev"),
            Run(context, "keys", "rotate-publisher", "--stage", "dev", "--node", "validator-1", "--yes"),
            Run(context, "keys", "remove", "--stage", "dev", "--node", "validator-1", "--yes"),
            Run(context, "keys", "verify", "--stage", "dev"),
        };

        // When everything printed is put together
        var printed = string.Join("\n", runs.Select(r => r.Out + r.Err));

        // Then the commands did run (generation and storage succeeded) and no secret appears anywhere
        Assert.True(runs[4].Code == 0, runs[4].Err);
        Assert.True(runs[5].Code == 1, runs[5].Err);
        Assert.True(runs[8].Code == 0, runs[8].Err);
        Assert.All(Secrets.Append(FakeAztecGenerator.Mnemonic), s => Assert.DoesNotContain(s, printed, StringComparison.OrdinalIgnoreCase));
    }
}
