using System.Globalization;
using Amazon.CDK.AWS.EC2;
using AztecInfra.Config;
using AztecInfra.Network;
using Constructs;

namespace AztecInfra.Cdk;

/// <summary>Properties of <see cref="ValidatorNetwork"/>.</summary>
public sealed record ValidatorNetworkProps
{
    /// <summary>The region's configuration: CIDR and availability zones.</summary>
    public required RegionConfig Region { get; init; }
}

/// <summary>
/// A VPC of the configured CIDR with one public subnet per configured zone and no NAT gateway: validators
/// have public addresses for P2P, and everything else reaches them privately or through SSM.
/// </summary>
public sealed class ValidatorNetwork : Construct
{
    /// <summary>Creates the VPC.</summary>
    public ValidatorNetwork(Construct scope, string id, ValidatorNetworkProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var plan = SubnetPlan.For(props.Region);
        Vpc = new Vpc(this, "Resource", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr(props.Region.VpcCidr.ToString()),
            AvailabilityZones = [.. props.Region.AvailabilityZones],
            NatGateways = 0,
            EnableDnsHostnames = true,
            EnableDnsSupport = true,
            // Restricting the default security group needs a Lambda-backed custom resource; nothing here
            // uses the default group, so we keep the template free of functions and assets.
            RestrictDefaultSecurityGroup = false,
            SubnetConfiguration =
            [
                new SubnetConfiguration
                {
                    Name = "public",
                    SubnetType = SubnetType.PUBLIC,
                    CidrMask = plan.SubnetPrefixLength,
                    MapPublicIpOnLaunch = true,
                },
            ],
        });
        CidrBlock = props.Region.VpcCidr.ToString();
        SubnetPrefix = plan.SubnetPrefixLength.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The VPC.</summary>
    public IVpc Vpc { get; }

    /// <summary>The VPC's CIDR as configured.</summary>
    public string CidrBlock { get; }

    /// <summary>Prefix length of each public subnet.</summary>
    public string SubnetPrefix { get; }
}
