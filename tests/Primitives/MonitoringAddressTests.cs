using AztecInfra.Primitives;

namespace AztecInfra.Tests.Primitives;

public sealed class MonitoringAddressTests
{
    [Theory]
    [InlineData("10.50.0.0/20", "10.50.15.254")]
    [InlineData("10.40.0.0/24", "10.40.0.254")]
    [InlineData("192.168.1.16/28", "192.168.1.30")]
    public void Should_PickTheLastAddressEc2Allows_When_GivenASubnet(string subnet, string expected) =>
        Assert.Equal(expected, Cidr.LastUsableAddress(subnet));

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.0/29")]
    [InlineData("10.0.0.1/24")]
    [InlineData("not-a-cidr")]
    public void Should_RefuseNamingTheValue_When_NotASubnetEc2Allows(string subnet)
    {
        var ex = Assert.Throws<ArgumentException>(() => Cidr.LastUsableAddress(subnet));
        Assert.Contains($"'{subnet}'", ex.Message, StringComparison.Ordinal);
    }
}
