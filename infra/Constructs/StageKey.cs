using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>Properties of <see cref="StageKey"/>.</summary>
public sealed record StageKeyProps
{
    /// <summary>Stage name; the alias is <c>alias/aztec-infra/{stage}</c>.</summary>
    public required string Stage { get; init; }
}

/// <summary>
/// The stage's customer-managed KMS key in one region: encrypts EBS volumes, key parameters and the HA
/// database. Rotation is on and the key is retained when the stack is deleted, because retained volumes
/// and parameters stay encrypted with it.
/// </summary>
public sealed class StageKey : Construct
{
    /// <summary>Creates the key and its alias.</summary>
    public StageKey(Construct scope, string id, StageKeyProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Key = new Key(this, "Resource", new KeyProps
        {
            Description = $"aztec-infra {props.Stage}: validator volumes, key parameters and HA database",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            Alias = Naming.KeyAlias(props.Stage),
        });
    }

    /// <summary>The key.</summary>
    public IKey Key { get; }
}
