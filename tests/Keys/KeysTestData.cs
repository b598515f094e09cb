using AztecInfra.Stages;

namespace AztecInfra.Tests.Keys;

/// <summary>Stages, keys and keystores shared by the key tests. Every private key here is a public test vector.</summary>
internal static class KeysTestData
{
    // Published Ethereum test vector: this key belongs to 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23.
    public const string AttesterKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    public const string AttesterAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";

    // Private key 1 belongs to 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf.
    public const string SecondKey = "0x0000000000000000000000000000000000000000000000000000000000000001";
    public const string SecondAddress = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";

    public const string BlsKey = "0x1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988";
    public const string BlsKey2 = "0x2a2b2c2d2e2f30312a2b2c2d2e2f30312a2b2c2d2e2f30312a2b2c2d2e2f3031";
    public const string PublisherSecret = "0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f";
    public const string RpcSecret = "https://eth-mainnet.example.invalid/v2/SECRET-API-KEY-123";
    public const string ZeroFee = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Every secret above, for "never printed" assertions.</summary>
    public static readonly string[] Secrets =
    [
        AttesterKey, AttesterKey[2..], SecondKey, BlsKey, BlsKey[2..], BlsKey2, BlsKey2[2..], PublisherSecret, PublisherSecret[2..], RpcSecret, "SECRET-API-KEY-123",
    ];

    public static string Keystore(string eth = AttesterKey, string bls = BlsKey) =>
        $$"""{"schemaVersion":1,"validators":[{"attester":{"eth":"{{eth}}","bls":"{{bls}}"},"feeRecipient":"{{ZeroFee}}"}]}""";

    public static string RepositoryRoot() => Support.TestEnvironment.RepositoryRoot;

    public static string DevYaml => File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "dev.yaml"));

    public static string ProdYaml => File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "prod.yaml"));

    /// <summary>Testnet, independent HA, two nodes in one region; the second lists <see cref="SecondAddress"/>.</summary>
    public static string TwoNodeYaml => DevYaml.Replace(
        "    attesters: []\n",
        $"    attesters: []\n  - id: validator-2\n    region: us-east-1\n    instanceType: c6i.2xlarge\n    attesters: [\"{SecondAddress}\"]\n",
        StringComparison.Ordinal);

    public static StageConfig Dev => StageConfigLoader.Parse(DevYaml).Config;

    public static StageConfig Prod => StageConfigLoader.Parse(ProdYaml).Config;

    public static StageConfig TwoNode => StageConfigLoader.Parse(TwoNodeYaml).Config;
}
