using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.RegionInfo;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace AztecInfra.Constructs;

/// <summary>A Lambda runtime and the day Lambda deprecates (or deprecated) it.</summary>
/// <param name="Identifier">Runtime identifier as CloudFormation writes it, e.g. nodejs20.x.</param>
/// <param name="Deprecation">Deprecation date: no more patches, then creating and updating functions is blocked.</param>
public sealed record LambdaRuntimeSchedule(string Identifier, DateOnly Deprecation);

/// <summary>
/// The Lambda runtimes our templates may contain. Our own code has no functions; CDK adds helper functions
/// (the cross-region reference writer and reader of a multi-region stage) on the runtime
/// <c>Amazon.CDK.Lib</c> 2.160.0 picks, Node.js 20, which Lambda deprecated on 2026-04-30 and then refused to
/// create and update. The library cannot be upgraded here, so the stage's app puts every such function on
/// <see cref="NodeRuntime"/> (<see cref="UseSupportedRuntimes"/>), and a test fails on any template whose
/// runtime is deprecated, unknown to <see cref="Schedule"/>, or deprecated within a year of <see cref="ReviewedOn"/>.
/// </summary>
public static class LambdaRuntimes
{
    /// <summary>
    /// The Node.js runtime for every Lambda function: nodejs24.x, supported until 2028-04-30. Node.js 22 ends
    /// on 2027-04-30, less than a year after <see cref="ReviewedOn"/>. CDK's handlers are async CommonJS
    /// functions using the AWS SDK v3 that the runtime bundles, which Node.js 24 supports.
    /// </summary>
    public const string NodeRuntime = "nodejs24.x";

    /// <summary>When <see cref="Schedule"/> was last compared with Lambda's runtime table.</summary>
    public static DateOnly ReviewedOn { get; } = new(2026, 11, 28);

    /// <summary>
    /// Deprecation dates from Lambda's runtime table (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html),
    /// past and projected. A runtime missing here is refused by the test until someone adds its date.
    /// </summary>
    public static IReadOnlyList<LambdaRuntimeSchedule> Schedule { get; } =
    [
        new("nodejs", new(2016, 10, 31)),
        new("nodejs4.3", new(2020, 3, 5)),
        new("nodejs6.10", new(2019, 8, 12)),
        new("nodejs8.10", new(2020, 3, 6)),
        new("nodejs10.x", new(2021, 7, 30)),
        new("nodejs12.x", new(2023, 3, 31)),
        new("nodejs14.x", new(2023, 12, 4)),
        new("nodejs16.x", new(2024, 6, 12)),
        new("nodejs18.x", new(2025, 9, 1)),
        new("nodejs20.x", new(2026, 4, 30)),
        new("nodejs22.x", new(2027, 4, 30)),
        new("nodejs24.x", new(2028, 4, 30)),
        new("python2.7", new(2021, 7, 15)),
        new("python3.6", new(2022, 7, 18)),
        new("python3.7", new(2023, 12, 4)),
        new("python3.8", new(2024, 10, 14)),
        new("python3.9", new(2025, 12, 15)),
        new("python3.10", new(2026, 10, 31)),
        new("python3.11", new(2027, 6, 30)),
        new("python3.12", new(2028, 10, 31)),
        new("python3.13", new(2029, 6, 30)),
    ];

    /// <summary>The deprecation date of <paramref name="identifier"/>, or null when the schedule does not list it.</summary>
    public static DateOnly? DeprecationOf(string identifier) =>
        Schedule.FirstOrDefault(r => r.Identifier == identifier)?.Deprecation;

    /// <summary>
    /// Puts every Node.js Lambda function of <paramref name="app"/> on <see cref="NodeRuntime"/>. Two mechanisms,
    /// because CDK creates its helpers at two moments: functions that exist when aspects run are rewritten by
    /// <see cref="SupportedNodeRuntimeAspect"/>; the cross-region reference providers are created later, while
    /// the app prepares references, and pick "the latest Node.js runtime" from the region facts, which this
    /// registers for each of <paramref name="regions"/>.
    /// </summary>
    public static void UseSupportedRuntimes(App app, IEnumerable<string> regions)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(regions);
        foreach (var region in regions)
        {
            Fact.Register(new RegionFact(region, FactName.LATEST_NODE_RUNTIME, NodeRuntime), allowReplacing: true);
        }

        Aspects.Of(app).Add(new SupportedNodeRuntimeAspect());
    }

    private sealed class RegionFact(string region, string name, string value) : DeputyBase, IFact
    {
        public string Region { get; } = region;

        public string Name { get; } = name;

        public string? Value { get; } = value;
    }
}

/// <summary>
/// Rewrites the runtime of every Node.js Lambda function it visits to <see cref="LambdaRuntimes.NodeRuntime"/>:
/// <see cref="CfnFunction"/>s, and the plain <c>AWS::Lambda::Function</c> resources of CDK's custom resource
/// providers (always Node.js; their properties cannot be read back, so the runtime is overridden).
/// </summary>
public sealed class SupportedNodeRuntimeAspect : DeputyBase, IAspect
{
    /// <inheritdoc />
    public void Visit(IConstruct node)
    {
        switch (node)
        {
            case CfnFunction function when function.Runtime is { } runtime && runtime.StartsWith("nodejs", StringComparison.Ordinal):
                function.Runtime = LambdaRuntimes.NodeRuntime;
                break;
            case CfnFunction:
                break;
            case CfnResource resource when resource.CfnResourceType == "AWS::Lambda::Function" && IsCustomResourceProvider(resource):
                resource.AddPropertyOverride("Runtime", LambdaRuntimes.NodeRuntime);
                break;
        }
    }

    // CDK's CustomResourceProvider names its function "Handler" and only offers Node.js runtimes.
    private static bool IsCustomResourceProvider(CfnResource resource) =>
        resource.Node.Id == "Handler" && resource.Node.Scope is CustomResourceProviderBase;
}
