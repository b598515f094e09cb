using System.Collections.Immutable;
using Amazon.CDK;
using Amazon.CDK.CXAPI;
using AztecInfra.Bootstrap;
using AztecInfra.Monitoring;
using AztecInfra.Primitives;
using AztecInfra.Stages;
using AztecInfra.Constructs;

namespace AztecInfra.Stacks;

/// <summary>One synthesized stack: what the plan reads and the order it deploys in.</summary>
/// <param name="StackName">CloudFormation stack name.</param>
/// <param name="Region">Region it deploys to.</param>
/// <param name="TemplatePath">Path of the synthesized template.</param>
/// <param name="Dependencies">Stack names that must deploy first.</param>
public sealed record SynthesizedStack(string StackName, string Region, string TemplatePath, ImmutableArray<string> Dependencies);

/// <summary>The result of synthesizing a stage: the cloud assembly directory and its stacks in deploy order.</summary>
/// <param name="OutputDirectory">The cloud assembly directory (cdk.out).</param>
/// <param name="Stacks">Stacks in an order that deploys from scratch.</param>
public sealed record StageAssembly(string OutputDirectory, ImmutableArray<SynthesizedStack> Stacks);

/// <summary>
/// Declares every stack of a stage and synthesizes them, offline: availability zones come from config,
/// the AMI is a deploy-time SSM parameter, and nothing asks AWS.
/// </summary>
public static class StageApp
{
    /// <summary>Builds the CDK app for a stage, writing to <paramref name="outputDirectory"/>.</summary>
    public static App Build(StageConfig config, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        var context = new Dictionary<string, object>
        {
            // Without these, a stack with a concrete account asks AWS for its zones at synthesis.
        };
        if (config.Account is not null)
        {
            foreach (var region in config.Regions)
            {
                context[$"availability-zones:account={config.Account}:region={region.Name}"] = region.AvailabilityZones.ToArray();
            }
        }

        var app = new App(new AppProps
        {
            Outdir = outputDirectory,
            AnalyticsReporting = false,
            Context = context,
        });

        // Every decision about the stage is made here, once; the stacks and constructs get only what they use.
        var settings = new StageStackSettings(config.Stage, config.Account, config.Network == AztecNetwork.Mainnet, config.Regions.Length > 1);
        var database = config.SigningDatabase;
        var networks = config.Regions.ToDictionary(
            r => r.Name,
            r => new NetworkStack(app, Naming.NetworkStackName(config.Stage, r.Name), new NetworkStackProps
            {
                Settings = settings,
                Region = r,
                IsolatedSubnets = database?.Region == r.Name,
                FlowLogs = config.FlowLogs,
                AutoScalingLaunches = config.Nodes.Any(n => n.Role == NodeRole.ProverAgent && n.Region == r.Name) ? true : null,
            }),
            StringComparer.Ordinal);

        // Peering before validators: a node outside the database's region needs the mesh to start signing.
        var meshes = new Dictionary<string, MeshStack>(StringComparer.Ordinal);
        if (config.Regions.Length > 1)
        {
            var pairs = PeeringMesh.Pairs(config);
            foreach (var region in config.Regions)
            {
                meshes[region.Name] = new MeshStack(app, Naming.MeshStackName(config.Stage, region.Name), new MeshStackProps
                {
                    Settings = settings,
                    Network = networks[region.Name],
                    RequestedPeers = pairs.Where(p => p.Requester.Name == region.Name).Select(p => networks[p.Accepter.Name]).ToList(),
                    AcceptedFrom = pairs.Where(p => p.Accepter.Name == region.Name).Select(p => meshes[p.Requester.Name]).ToList(),
                });
            }
        }

        // The monitoring host has a fixed private address in the primary region's first public subnet, known
        // here as a literal: validators in every region admit it as a /32 without referring back to its stack.
        var primary = config.PrimaryRegion;
        var monitoringZone = primary.AvailabilityZones[0];
        var monitoringAddress = Cidr.LastUsableAddress(networks[primary.Name].Network.PublicSubnetCidr(monitoringZone));

        var nodeRegions = config.Regions.Where(r => config.Nodes.Any(n => n.Region == r.Name)).ToList();
        HaDatabaseStack? databaseStack = null;
        if (database is not null)
        {
            databaseStack = new HaDatabaseStack(app, Naming.HaDatabaseStackName(config.Stage), new HaDatabaseStackProps
            {
                Settings = settings,
                Database = database,
                Network = networks[database.Region],
                // The subnets as CDK allocated them in each region's VPC: literals, so no cross-region reference.
                ClientSubnets = config.Sequencers
                    .GroupBy(n => networks[n.Region].Network.PublicSubnetCidr(n.AvailabilityZone), StringComparer.Ordinal)
                    .Select(g => new DatabaseClientSubnet(g.Key, string.Join(", ", g.Select(n => n.Id))))
                    .ToList(),
                ReplicaRegions = nodeRegions.Select(r => r.Name).Where(r => r != database.Region).ToList(),
                MonitoringHostAddress = monitoringAddress,
            });

            // The secret replicates to the other regions with their stage keys, which must exist first.
            foreach (var network in networks.Values.Where(n => n.RegionConfig.Name != database.Region))
            {
                databaseStack.AddDependency(network);
            }
        }

        var validatorStacks = new Dictionary<string, ValidatorsStack>(StringComparer.Ordinal);
        foreach (var region in nodeRegions)
        {
            var validators = validatorStacks[region.Name] = new ValidatorsStack(app, Naming.ValidatorStackName(config.Stage, region.Name), new ValidatorsStackProps
            {
                Settings = settings,
                AztecNetwork = config.Network,
                Network = networks[region.Name],
                Nodes = config.Nodes.Where(n => n.Region == region.Name && n.Role != NodeRole.ProverAgent).Select(n => new ValidatorSpec
                {
                    Node = n,
                    AmiId = region.AmiId,
                    // The broker's 8080 admits only the prover node and the agents (security-group references).
                    RpcAllowedCidrs = n.Role == NodeRole.ProverBroker ? [] : config.RpcAllowedCidrs,
                    SecretParameters = SecretParameters(config, n),
                    SettingsParameter = Naming.NodeSettingsParameter(config.Stage, n.Id),
                    Bootstrap = BootstrapProfile.For(config, n),
                }).ToList(),
                Agents = config.Nodes.Where(n => n.Region == region.Name && n.Role == NodeRole.ProverAgent).Select(n => new AgentPoolSpec
                {
                    Node = n,
                    AmiId = region.AmiId,
                    AvailabilityZones = region.AvailabilityZones,
                    Bootstrap = BootstrapProfile.For(config, n),
                }).ToList(),
                Alarms = config.Alarms,
                MonitoringHostAddress = monitoringAddress,
            });
            if (databaseStack is not null)
            {
                validators.AddDependency(databaseStack);
            }

            if (meshes.TryGetValue(region.Name, out var mesh))
            {
                validators.AddDependency(mesh);
            }
        }

        AddMonitoring(app, config, settings, networks[primary.Name], monitoringZone, monitoringAddress, validatorStacks, databaseStack);

        foreach (var (key, value) in config.Tags)
        {
            Tags.Of(app).Add(key, value);
        }

        // CDK's own helper functions would run on a runtime Lambda has deprecated (see LambdaRuntimes).
        LambdaRuntimes.UseSupportedRuntimes(app, config.Regions.Select(r => r.Name));
        // The cdk-nag findings we accept, each with its reason, written into the templates for the scan.
        NagSuppressions.Apply(app);

        return app;
    }

    /// <summary>Secret file of an extra receiver on the monitoring host's tmpfs.</summary>
    public static string ReceiverSecretFile(string receiver) => $"/run/aztec-monitoring/secrets/{receiver}";

    private static void AddMonitoring(App app, StageConfig config, StageStackSettings settings, NetworkStack network, string zone, string address, Dictionary<string, ValidatorsStack> validators, HaDatabaseStack? database)
    {
        var host = config.MonitoringHost;
        var primary = config.PrimaryRegion.Name;
        var topic = validators.TryGetValue(primary, out var local) ? local.AlarmTopic.Topic : null;
        var nodes = validators.Values.SelectMany(v => v.Nodes).ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        var hooks = host.Webhooks.Select(w => new WebhookReceiver(
            w.Name,
            w.Kind switch { WebhookReceiverKind.Slack => WebhookKind.Slack, WebhookReceiverKind.PagerDuty => WebhookKind.PagerDuty, _ => WebhookKind.Webhook },
            ReceiverSecretFile(w.Name),
            w.Url,
            w.Warnings)).ToImmutableArray();

        MonitoringInput Input(Func<string, string> addressOf, string topicArn, string? databaseEndpoint) => StageMonitoringAdapter.FromStage(
            config,
            addressOf,
            new PagingConfig { SnsTopicArn = topicArn, SnsRegion = primary, Webhooks = hooks },
            databaseEndpoint,
            host.RetentionDays);

        var stack = new MonitoringStack(app, Naming.MonitoringStackName(config.Stage), new MonitoringStackProps
        {
            Settings = settings,
            Network = network,
            AvailabilityZone = zone,
            PrivateAddress = address,
            Host = host,
            AmiId = config.PrimaryRegion.AmiId,
            AlarmTopic = topic,
            Alarms = config.Alarms,
            // Private addresses are deploy-time values: same-region references in dev, CDK's cross-region
            // references (SSM parameters written by the validators' stacks) in prod.
            InputFor = topicArn => Input(
                id => nodes[id].Instance.InstancePrivateIp,
                topicArn,
                database is null ? null : $"{database.Database.Instance.DbInstanceEndpointAddress}:{Ports.Postgres}"),
            WorstCaseInput = Input(
                _ => "255.255.255.255",
                $"arn:aws:sns:{primary}:123456789012:aztec-infra-{config.Stage}-alarms",
                database is null ? null : $"{new string('x', 63)}.{new string('x', 12)}.{config.SigningDatabase!.Region}.rds.amazonaws.com:{Ports.Postgres}"),
            SecretParameters = [.. host.Webhooks.Select(w => new KeyValuePair<string, string>(w.Name, w.SecretParameter))],
        });
        foreach (var v in validators.Values)
        {
            stack.AddDependency(v);
        }
    }

    /// <summary>The SSM parameters a node reads at service start, by role, and no others.</summary>
    private static List<string> SecretParameters(StageConfig config, NodeConfig node) => node.Role switch
    {
        NodeRole.Sequencer => [Naming.KeystoreParameter(config.Stage, node.Id), config.L1.ExecutionUrlsParameter, config.L1.ConsensusUrlsParameter],
        NodeRole.ProverNode => [Naming.PublisherKeyParameter(config.Stage, node.Id), config.L1.ExecutionUrlsParameter, config.L1.ConsensusUrlsParameter],
        _ => [config.L1.ExecutionUrlsParameter, config.L1.ConsensusUrlsParameter],
    };

    /// <summary>Synthesizes a stage into <paramref name="outputDirectory"/> and lists its stacks in deploy order.</summary>
    public static StageAssembly Synthesize(StageConfig config, string outputDirectory)
    {
        var assembly = Build(config, outputDirectory).Synth();
        return Describe(assembly);
    }

    /// <summary>Lists the stacks of a synthesized assembly in deploy order.</summary>
    public static StageAssembly Describe(CloudAssembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var stacks = assembly.Stacks.ToDictionary(s => s.StackName, StringComparer.Ordinal);
        var byArtifact = assembly.Stacks.ToDictionary(s => s.Id, s => s.StackName, StringComparer.Ordinal);
        var ordered = new List<SynthesizedStack>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < stacks.Count)
        {
            var progress = false;
            foreach (var stack in assembly.Stacks.OrderBy(s => s.StackName, StringComparer.Ordinal))
            {
                var deps = stack.Dependencies
                    .Select(d => byArtifact.TryGetValue(d.Id, out var name) ? name : null)
                    .OfType<string>()
                    .Order(StringComparer.Ordinal)
                    .ToImmutableArray();
                if (placed.Contains(stack.StackName) || !deps.All(placed.Contains))
                {
                    continue;
                }

                ordered.Add(new SynthesizedStack(stack.StackName, stack.Environment.Region, stack.TemplateFullPath, deps));
                placed.Add(stack.StackName);
                progress = true;
            }

            if (!progress)
            {
                throw new InvalidOperationException("The stacks of this stage depend on each other in a cycle.");
            }
        }

        return new StageAssembly(assembly.Directory, [.. ordered]);
    }
}
