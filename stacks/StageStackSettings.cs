using Amazon.CDK;

namespace AztecInfra.Stacks;

/// <summary>What every stack of a stage shares, decided once by <see cref="StageApp"/>.</summary>
/// <param name="StageName">Stage name, for descriptions.</param>
/// <param name="Account">AWS account, or null for account-agnostic templates.</param>
/// <param name="TerminationProtection">On for mainnet stages.</param>
/// <param name="CrossRegionReferences">On when the stage spans regions.</param>
public sealed record StageStackSettings(string StageName, string? Account, bool TerminationProtection, bool CrossRegionReferences)
{
    /// <summary>Stack properties for a stack of this stage.</summary>
    public StackProps For(string region, string name, string description) => new()
    {
        StackName = name,
        Description = $"aztec-infra {StageName}: {description}",
        Env = new Amazon.CDK.Environment { Region = region, Account = Account },
        TerminationProtection = TerminationProtection,
        AnalyticsReporting = false,
        CrossRegionReferences = CrossRegionReferences,
    };
}
