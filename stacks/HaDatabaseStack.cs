using AztecInfra.Constructs;
using AztecInfra.Stages;
using Constructs;

namespace AztecInfra.Stacks;

/// <summary>Properties of <see cref="HaDatabaseStack"/>.</summary>
public sealed record HaDatabaseStackProps
{
    /// <summary>What the stage's stacks share.</summary>
    public required StageStackSettings Settings { get; init; }

    /// <summary>Database settings.</summary>
    public required HaDatabaseConfig Database { get; init; }

    /// <summary>The network stack of the database's region.</summary>
    public required NetworkStack Network { get; init; }

    /// <summary>The validators' subnets, the only clients.</summary>
    public required IReadOnlyList<DatabaseClientSubnet> ClientSubnets { get; init; }

    /// <summary>Other regions with validators: the secret is replicated there under their stage keys.</summary>
    public required IReadOnlyList<string> ReplicaRegions { get; init; }

    /// <summary>Private address of the stage's monitoring host (TCP probe), or null.</summary>
    public string? MonitoringHostAddress { get; init; }
}

/// <summary>The HA signing database of a shared-signer stage, in its configured region.</summary>
public sealed class HaDatabaseStack : Amazon.CDK.Stack
{
    /// <summary>Creates the stack.</summary>
    public HaDatabaseStack(Construct scope, string id, HaDatabaseStackProps props)
        : base(scope, id, (props ?? throw new ArgumentNullException(nameof(props))).Settings.For(
            props.Network.RegionConfig.Name,
            Naming.HaDatabaseStackName(props.Settings.StageName),
            $"HA signing database (PostgreSQL) in {props.Network.RegionConfig.Name}"))
    {
        AddDependency(props.Network);
        Database = new HaSigningDatabase(this, "HaDatabase", new HaSigningDatabaseProps
        {
            StageName = props.Settings.StageName,
            Database = props.Database,
            SecretName = Naming.HaDatabaseSecretName(props.Settings.StageName),
            Vpc = props.Network.Network.Vpc,
            Key = props.Network.Key.Key,
            ClientSubnets = props.ClientSubnets,
            MonitoringHostAddress = props.MonitoringHostAddress,
            ReplicaRegions = [.. props.ReplicaRegions.Select(r => (r, FormatArn(new Amazon.CDK.ArnComponents
            {
                Service = "kms",
                Region = r,
                Resource = Naming.KeyAlias(props.Settings.StageName),
                ArnFormat = Amazon.CDK.ArnFormat.NO_RESOURCE_NAME,
            })))],
        });
    }

    /// <summary>The database.</summary>
    public HaSigningDatabase Database { get; }
}
