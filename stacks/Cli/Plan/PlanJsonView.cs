using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AztecInfra.Cost;
using AztecInfra.Plan;

namespace AztecInfra.Cli.Plan;

/// <summary>
/// The plan as one JSON document for machines: the same <see cref="StagePlan"/> the other views read,
/// with names in camelCase, amounts as numbers and unpriced amounts as null.
/// </summary>
internal static class PlanJsonView
{
    /// <summary>Version of this document's shape; bumped when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Render(StagePlan plan, CliOutput output, string? diagramPath)
    {
        var config = plan.Loaded.Config;
        var document = new
        {
            schemaVersion = SchemaVersion,
            stage = config.Stage,
            network = config.Network.ToString().ToLowerInvariant(),
            aztecImage = config.AztecImage.ToString(),
            haMode = config.SharedSigner ? "shared-signer" : "independent",
            diagram = diagramPath,
            stacks = plan.Assembly.Stacks.Select(s => new
            {
                name = s.StackName,
                region = s.Region,
                dependsOn = s.Dependencies,
                resourceCounts = plan.Facts[s.StackName].ResourceCounts,
                instances = plan.Facts[s.StackName].Instances.Select(i => new
                {
                    nodeId = i.NodeId,
                    logicalId = i.LogicalId,
                    instanceType = i.InstanceType,
                    availabilityZone = i.AvailabilityZone,
                    imdsV2Required = i.ImdsV2Required,
                    userDataBytes = i.UserDataBytes,
                    publicPorts = i.Ingress.Where(r => r.IsPublic).Select(r => r.PortText).Distinct(StringComparer.Ordinal),
                    volumes = i.Volumes,
                }),
                databases = plan.Facts[s.StackName].Databases.Select(d => new { d.Engine, d.InstanceClass, d.MultiAz, d.Public, d.DeletionProtection }),
            }),
            warnings = plan.Loaded.Warnings.Select(w => new { field = w.Field, message = w.Message, value = w.Value }),
            cost = new
            {
                monthlyUsd = plan.Cost.TotalUsd,
                hasUnpriced = plan.Cost.HasUnpriced,
                lines = plan.Cost.Lines.Select(l => new { l.Component, l.Region, l.Detail, l.MonthlyUsd, l.NodeId, l.Category }),
                notes = plan.Cost.Notes,
                guideComparisons = config.Nodes.Select(n => GuideComparison.For(plan.Cost, n.Id, n.Instance.Name)).OfType<GuideComparison>(),
            },
            diff = plan.Diff is not { } d ? null : new
            {
                monthlyUsdBefore = d.MonthlyUsdBefore,
                monthlyUsdAfter = d.MonthlyUsdAfter,
                costChanges = d.CostChanges.Select(c => new { component = c.Component, before = c.Before, after = c.After }),
                addedStacks = d.AddedStacks,
                removedStacks = d.RemovedStacks,
                changes = d.Changes.Select(c => new
                {
                    c.Stack,
                    c.LogicalId,
                    c.Type,
                    c.Kind,
                    c.Properties,
                    c.Replaces,
                    c.Interrupts,
                    values = c.Values,
                    touchesState = c.TouchesState,
                }),
            },
        };
        output.Line(JsonSerializer.Serialize(document, Options));
    }
}
