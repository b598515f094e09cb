using Amazon.CDK;
using Amazon.CDK.Assertions;
using AztecInfra.Constructs;
using AztecInfra.Cost;
using AztecInfra.Stages;
using AztecInfra.Plan;
using AztecInfra.Stacks;

namespace AztecInfra.Tests.Support;

/// <summary>One synthesized stage: the app, its assembly on disk, and assertion templates per stack.</summary>
public sealed class SynthesizedStage
{
    public SynthesizedStage(string configPath)
    {
        Loaded = StageConfigLoader.LoadFile(configPath);
        OutputDirectory = TestEnvironment.NewTempDirectory();
        App = StageApp.Build(Loaded.Config, OutputDirectory);
        Assembly = StageApp.Describe(App.Synth());
    }

    public LoadedConfig Loaded { get; }

    public StageConfig Config => Loaded.Config;

    public string OutputDirectory { get; }

    public App App { get; }

    public StageAssembly Assembly { get; }

    public Template Template(string stackName) =>
        Amazon.CDK.Assertions.Template.FromStack((Stack)App.Node.FindChild(stackName));

    public string TemplateJson(string stackName) =>
        File.ReadAllText(Assembly.Stacks.Single(s => s.StackName == stackName).TemplatePath);

    // Parsed once per stack: many tests read the same synthesized templates.
    private readonly Dictionary<string, TemplateFacts> _facts = new(StringComparer.Ordinal);

    public TemplateFacts Facts(string stackName)
    {
        lock (_facts)
        {
            if (!_facts.TryGetValue(stackName, out var facts))
            {
                facts = TemplateFacts.Read(TemplateJson(stackName));
                _facts[stackName] = facts;
            }

            return facts;
        }
    }

    /// <summary>The monthly cost of what the templates declare.</summary>
    public CostEstimate Cost() => CostEstimator.Estimate(Assembly.Stacks.Select(s => new StackFacts(s.Region, Facts(s.StackName))));

    /// <summary>Every validator instance of the stage, with its decoded user data (the monitoring host is not one).</summary>
    public IEnumerable<InstanceFact> Instances() => Assembly.Stacks.SelectMany(s => Facts(s.StackName).Instances).Where(i => i.IsValidator);

    /// <summary>Each node's settings as the host assembles them: the user data's file plus the settings parameter.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NodeSettings()
    {
        static Dictionary<string, string> Parse(string text) => text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var stack in Assembly.Stacks)
        {
            var resources = Facts(stack.StackName).Resources;
            foreach (var instance in Facts(stack.StackName).Instances.Where(i => i.IsValidator))
            {
                var file = Parse(instance.UserDataText!.Split("path: /etc/aztec-infra/validator.env")[1].Split("runcmd:")[0]);
                var name = file["SSM_SETTINGS_PARAMETER"];
                var parameter = resources.Values.Single(r => (string?)r["Type"] == "AWS::SSM::Parameter" && (string?)r["Properties"]!["Name"] == name);
                var merged = Parse((string)parameter["Properties"]!["Value"]!);
                foreach (var (key, value) in file)
                {
                    merged.Add(key, value);
                }

                result[merged["NODE_ID"]] = merged;
            }
        }

        return result;
    }

    public IEnumerable<string> AllTemplateJson() => Assembly.Stacks.Select(s => File.ReadAllText(s.TemplatePath));
}

/// <summary>
/// The shipped stages, synthesized once for the whole test run: synthesis costs seconds, and jsii runs
/// one Node.js process per test process, so CDK tests share it in one collection.
/// </summary>
public sealed class SynthesizedStages
{
    private readonly Lazy<SynthesizedStage> _dev = new(() => new SynthesizedStage(TestEnvironment.RepoPath("config", "dev.yaml")));
    private readonly Lazy<SynthesizedStage> _prod = new(() => new SynthesizedStage(TestEnvironment.RepoPath("config", "prod.yaml")));

    public SynthesizedStage Dev => _dev.Value;

    public SynthesizedStage Prod => _prod.Value;

    private readonly Lazy<SynthesizedStage> _provers = new(() => new SynthesizedStage(TestEnvironment.RepoPath("config", "provers.yaml")));

    /// <summary>config/provers.yaml: a sequencer, a full node and a prover set.</summary>
    public SynthesizedStage Provers => _provers.Value;
}

[CollectionDefinition(Name)]
public sealed class CdkCollection : ICollectionFixture<SynthesizedStages>
{
    public const string Name = "cdk";
}
