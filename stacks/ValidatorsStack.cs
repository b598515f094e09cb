using System.Net;
using Amazon.CDK.AWS.EC2;
using AztecInfra.Bootstrap;
using AztecInfra.Constructs;
using AztecInfra.Primitives;
using AztecInfra.Stages;
using Constructs;

namespace AztecInfra.Stacks;

/// <summary>One validator as the app decided it: its place, its machine, its bootstrap and what it may read.</summary>
public sealed record ValidatorSpec
{
    /// <summary>The node.</summary>
    public required NodeConfig Node { get; init; }

    /// <summary>Pinned AMI of the node's region, or null for Canonical's current Ubuntu 24.04.</summary>
    public string? AmiId { get; init; }

    /// <summary>Private ranges allowed to reach JSON-RPC.</summary>
    public required IReadOnlyList<IPNetwork> RpcAllowedCidrs { get; init; }

    /// <summary>SSM SecureString parameters the node reads at service start.</summary>
    public required IReadOnlyList<string> SecretParameters { get; init; }

    /// <summary>Name of the String parameter holding the node's settings.</summary>
    public required string SettingsParameter { get; init; }

    /// <summary>The node's bootstrap settings (without deploy-time values).</summary>
    public required BootstrapProfile Bootstrap { get; init; }
}

/// <summary>One prover-agent entry as the app decided it: the group's machine, zones and bootstrap.</summary>
public sealed record AgentPoolSpec
{
    /// <summary>The prover-agent entry (its <see cref="NodeConfig.Agents"/> holds count and Spot).</summary>
    public required NodeConfig Node { get; init; }

    /// <summary>Pinned AMI of the region, or null for Canonical's current Ubuntu 24.04.</summary>
    public string? AmiId { get; init; }

    /// <summary>Zones the group spreads over.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>The agents' bootstrap settings (without deploy-time values).</summary>
    public required BootstrapProfile Bootstrap { get; init; }
}

/// <summary>Properties of <see cref="ValidatorsStack"/>.</summary>
public sealed record ValidatorsStackProps
{
    /// <summary>What the stage's stacks share.</summary>
    public required StageStackSettings Settings { get; init; }

    /// <summary>Aztec network, for the description.</summary>
    public required AztecNetwork AztecNetwork { get; init; }

    /// <summary>The network stack of the same region.</summary>
    public required NetworkStack Network { get; init; }

    /// <summary>The instance nodes of this region (every role but prover-agent).</summary>
    public required IReadOnlyList<ValidatorSpec> Nodes { get; init; }

    /// <summary>The prover-agent groups of this region. Default: none.</summary>
    public IReadOnlyList<AgentPoolSpec>? Agents { get; init; }

    /// <summary>Who the region's alarm topic notifies.</summary>
    public required AlarmConfig Alarms { get; init; }

    /// <summary>Private address of the stage's monitoring host, admitted to the metrics ports; null: none.</summary>
    public string? MonitoringHostAddress { get; init; }
}

/// <summary>The validators of a stage in one region.</summary>
public sealed class ValidatorsStack : Amazon.CDK.Stack
{
    /// <summary>Creates the stack.</summary>
    public ValidatorsStack(Construct scope, string id, ValidatorsStackProps props)
        : base(scope, id, (props ?? throw new ArgumentNullException(nameof(props))).Settings.For(
            props.Network.RegionConfig.Name,
            Naming.ValidatorStackName(props.Settings.StageName, props.Network.RegionConfig.Name),
            $"Aztec {props.AztecNetwork.ToString().ToLowerInvariant()} validators in {props.Network.RegionConfig.Name}"))
    {
        AddDependency(props.Network);
        AlarmTopic = new AlarmTopic(this, "AlarmTopic", new AlarmTopicProps
        {
            StageName = props.Settings.StageName,
            Key = props.Network.Key.Key,
            Email = props.Alarms.Email,
            Https = props.Alarms.Https,
        });
        var vpc = props.Network.Network.Vpc;
        var key = props.Network.Key.Key;

        // The broker first: the prover node and the agents are told its private address.
        var brokerSpec = props.Nodes.FirstOrDefault(n => n.Node.Role == NodeRole.ProverBroker);
        var nodes = new Dictionary<string, ValidatorNode>(StringComparer.Ordinal);
        ValidatorNode? broker = null;
        if (brokerSpec is not null)
        {
            broker = AddNode(brokerSpec, props, null);
            nodes[brokerSpec.Node.Id] = broker;
        }

        var brokerHost = broker?.Instance.InstancePrivateIp;
        foreach (var spec in props.Nodes.Where(n => n != brokerSpec))
        {
            nodes[spec.Node.Id] = AddNode(spec, props, spec.Node.Role == NodeRole.ProverNode ? brokerHost : null);
        }

        Nodes = props.Nodes.Select(n => nodes[n.Node.Id]).ToList();
        AgentPools = (props.Agents ?? []).Select(spec =>
        {
            var tags = new Dictionary<string, string> { [Naming.RoleTag] = NodeRoles.Name(NodeRole.ProverAgent) };
            if (brokerHost is not null)
            {
                tags[NodeSettings.ProverBrokerHostTag] = brokerHost;
            }

            var settings = NodeSettings.For(spec.Bootstrap, new NodeRuntimeValues
            {
                EbsVolumeId = string.Empty,
                P2pIp = string.Empty,
                ProverBrokerHost = NodeSettings.FromInstanceTag,
            });
            return new ProverAgentPool(this, NodeConstructId(spec.Node), new ProverAgentPoolProps
            {
                PoolId = spec.Node.Id,
                StageName = props.Settings.StageName,
                Instance = spec.Node.Instance,
                Count = spec.Node.Agents!.Count,
                Spot = spec.Node.Agents.Spot,
                MachineImage = Image(spec.Node, spec.AmiId),
                Vpc = vpc,
                AvailabilityZones = spec.AvailabilityZones,
                Key = key,
                UserData = CloudConfig.Render(NodeSettings.Render(settings), signal: false),
                InstanceTags = tags,
            });
        }).ToList();

        if (broker is not null)
        {
            // The broker's job queue: only the prover node and the agents, by security-group reference.
            foreach (var prover in props.Nodes.Where(n => n.Node.Role == NodeRole.ProverNode).Select(n => nodes[n.Node.Id]))
            {
                broker.SecurityGroup.Connections.AllowFrom(prover.SecurityGroup, Port.Tcp(Ports.Rpc), "Prover broker from the prover node");
            }

            foreach (var pool in AgentPools)
            {
                broker.SecurityGroup.Connections.AllowFrom(pool.SecurityGroup, Port.Tcp(Ports.Rpc), "Prover broker from the proving agents");
            }
        }
    }

    private ValidatorNode AddNode(ValidatorSpec spec, ValidatorsStackProps props, string? brokerHost)
    {
        var role = spec.Node.Role;
        var tags = new Dictionary<string, string>();
        if (role != NodeRole.Sequencer)
        {
            // Sequencers carry no role tag, so their templates did not change when roles arrived.
            tags[Naming.RoleTag] = NodeRoles.Name(role);
        }

        if (brokerHost is not null)
        {
            tags[NodeSettings.ProverBrokerHostTag] = brokerHost;
        }

        var node = new ValidatorNode(this, NodeConstructId(spec.Node), new ValidatorNodeProps
        {
            NodeId = spec.Node.Id,
            StageName = props.Settings.StageName,
            AvailabilityZone = spec.Node.AvailabilityZone,
            Instance = spec.Node.Instance,
            DataVolume = spec.Node.DataVolume ?? throw new ArgumentException($"{spec.Node.Id}: role {NodeRoles.Name(role)} runs on an instance and needs a data volume.", nameof(spec)),
            MachineImage = Image(spec.Node, spec.AmiId),
            Vpc = props.Network.Network.Vpc,
            Key = props.Network.Key.Key,
            RpcAllowedCidrs = spec.RpcAllowedCidrs,
            SecretParameters = [.. spec.SecretParameters, spec.SettingsParameter],
            HaDatabaseSecretName = spec.Bootstrap.HaDatabaseSecretId,
            AlarmTopic = AlarmTopic.Topic,
            MonitoringHostAddress = props.MonitoringHostAddress,
            P2p = NodeRoles.RunsNode(role) ? null : false,
            InstanceTags = tags.Count == 0 ? null : tags,
        });
        var settings = NodeSettings.For(spec.Bootstrap, new NodeRuntimeValues
        {
            EbsVolumeId = NodeSettings.FromInstanceTag,
            P2pIp = NodeSettings.FromInstanceTag,
            SignalStackName = node.SignalTarget.StackName,
            SignalLogicalId = node.SignalTarget.LogicalId,
            ProverBrokerHost = brokerHost is null ? null : NodeSettings.FromInstanceTag,
            // Scraped from the monitoring host: the metrics listen on the node's private address.
            MetricsBind = props.MonitoringHostAddress is null ? null : NodeSettings.FromInstanceMetadata,
        });

        // The node's settings live in a parameter the host reads at every service start; the user data
        // only says where it is, so changing an image or a coinbase never touches the instance.
        var (parameter, file) = NodeSettings.SplitForParameter(settings, spec.SettingsParameter);
        node.UseSettingsParameter(spec.SettingsParameter, NodeSettings.Render(parameter, $"# aztec-infra {props.Settings.StageName} {spec.Node.Id}: non-secret bootstrap settings, read at every service start."));
        node.UseUserData(CloudConfig.Render(NodeSettings.Render(file)));
        return node;
    }

    /// <summary>The topic the region's alarms notify.</summary>
    public AlarmTopic AlarmTopic { get; }

    /// <summary>The prover-agent groups in this region.</summary>
    public IReadOnlyList<ProverAgentPool> AgentPools { get; }

    /// <summary>The validators in this region.</summary>
    public IReadOnlyList<ValidatorNode> Nodes { get; }

    /// <summary>Construct id of a node: derived from the validated node id (lower-case letters, digits, '-').</summary>
    public static string NodeConstructId(NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return "Node-" + node.Id;
    }

    // A pinned AMI, or Canonical's public parameter resolved by CloudFormation at deploy time: no lookup.
    private static IMachineImage Image(NodeConfig node, string? amiId) => amiId is { } ami
        ? MachineImage.GenericLinux(new Dictionary<string, string> { [node.Region] = ami })
        : MachineImage.FromSsmParameter(
            $"/aws/service/canonical/ubuntu/server/24.04/stable/current/{(node.Instance.Architecture == CpuArchitecture.Arm64 ? "arm64" : "amd64")}/hvm/ebs-gp3/ami-id",
            new SsmParameterImageOptions { Os = OperatingSystemType.LINUX });
}
