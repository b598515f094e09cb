using AztecInfra.Plan;

namespace AztecInfra.Tests.Plan;

public sealed class NodeDiffTests
{
    [Theory]
    [InlineData("aztecprotocol/aztec:5.2.0", "aztecprotocol/aztec:5.2.1", null)]
    [InlineData("aztecprotocol/aztec:5.2.0", "aztecprotocol/aztec:5.3.0", "5.2.0 → 5.3.0")]
    [InlineData("aztecprotocol/aztec:5.2.0", "aztecprotocol/aztec:6.0.0", "5.2.0 → 6.0.0")]
    [InlineData("aztecprotocol/aztec:v5.2.0", "aztecprotocol/aztec:v5.2.3-rc.1", null)]
    [InlineData("aztecprotocol/aztec:5.2.0", "aztecprotocol/aztec:nightly", "5.2.0 → nightly")]
    public void Should_FlagOnlyMajorOrMinorChanges_When_ImagesAreCompared(string before, string after, string? expected) =>
        Assert.Equal(expected, NodeDiff.CrossesRelease(before, after));

    [Theory]
    [InlineData("aztecprotocol/aztec:5.2.0", "aztecprotocol/aztec:5.3.0", "aztecprotocol/aztec 5.2.0 → 5.3.0")]
    [InlineData("0xaa", "0xbb", "0xaa → 0xbb")]
    [InlineData(null, "0xbb", "(not set) → 0xbb")]
    [InlineData("registry.example.com:5000/aztec:5.2.0", "other/aztec:5.2.0", "registry.example.com:5000/aztec:5.2.0 → other/aztec:5.2.0")]
    public void Should_ShowOldAndNew_When_AValueChanges(string? before, string after, string expected) =>
        Assert.Equal(expected, new ValueChange("X", before, after).Text);

    [Fact]
    public void Should_ReadKeyValueLinesAndSkipComments_When_SettingsAreParsed()
    {
        var settings = NodeSnapshot.ParseSettings("# comment\nAZTEC_IMAGE=a/b:1.0.0\n\nCOINBASE=0x1\nP2P_PORT=40400=x\n");
        Assert.Equal(["AZTEC_IMAGE", "COINBASE", "P2P_PORT"], settings.Keys);
        Assert.Equal("40400=x", settings["P2P_PORT"]);
    }
}
