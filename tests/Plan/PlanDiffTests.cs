using System.Collections.Immutable;
using AztecInfra.Plan;
using AztecInfra.Tests.Support;

namespace AztecInfra.Tests.Plan;

public sealed class PlanDiffTests
{
    private static PlanSnapshot Snapshot(decimal cost, params (string Id, string Type, (string Name, string Hash)[] Props)[] resources) => new(
        "qa",
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
            new KeyValuePair<string, StackSnapshot>("stack-a", new StackSnapshot("us-east-1", resources.ToImmutableSortedDictionary(
                r => r.Id,
                r => new ResourceSnapshot(r.Type, r.Props.ToImmutableSortedDictionary(p => p.Name, p => p.Hash, StringComparer.Ordinal)),
                StringComparer.Ordinal))),
        ]),
        cost,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, decimal>("EC2", cost)]));

    [Fact]
    public void Should_ReportNothing_When_PlansAreEqual()
    {
        var plan = Snapshot(10m, ("Vol", "AWS::EC2::Volume", [("Size", "a")]));
        var diff = PlanDiff.Compare(plan, plan);
        Assert.Empty(diff.Changes);
        Assert.Empty(diff.CostChanges);
    }

    [Fact]
    public void Should_FlagReplacement_When_VolumeMovesZone()
    {
        // Given a data volume whose zone and IOPS change
        var before = Snapshot(10m, ("Vol", "AWS::EC2::Volume", [("AvailabilityZone", "a"), ("Iops", "1")]));
        var after = Snapshot(10m, ("Vol", "AWS::EC2::Volume", [("AvailabilityZone", "b"), ("Iops", "2")]));

        // When compared
        var change = Assert.Single(PlanDiff.Compare(before, after).Changes);

        // Then both properties are listed, and only the zone forces a replacement of state
        Assert.Equal(ChangeKind.Changed, change.Kind);
        Assert.Equal(["AvailabilityZone", "Iops"], change.Properties.ToArray());
        Assert.Equal(["AvailabilityZone"], change.Replaces.ToArray());
        Assert.True(change.TouchesState);
    }

    [Fact]
    public void Should_FlagInterruption_When_InstanceTypeChanges()
    {
        var before = Snapshot(10m, ("Node", "AWS::EC2::Instance", [("InstanceType", "a")]));
        var after = Snapshot(20m, ("Node", "AWS::EC2::Instance", [("InstanceType", "b")]));
        var diff = PlanDiff.Compare(before, after);
        var change = Assert.Single(diff.Changes);
        Assert.Empty(change.Replaces);
        Assert.Equal(["InstanceType"], change.Interrupts.ToArray());
        Assert.Equal(("EC2", 10m, 20m), Assert.Single(diff.CostChanges));
    }

    [Fact]
    public void Should_ListAddedAndRemovedResources_When_TheyDifferInSet()
    {
        var before = Snapshot(10m, ("Key", "AWS::KMS::Key", []));
        var after = Snapshot(10m, ("Alarm", "AWS::CloudWatch::Alarm", []));
        var changes = PlanDiff.Compare(before, after).Changes;
        Assert.Equal([("Alarm", ChangeKind.Added), ("Key", ChangeKind.Removed)], changes.Select(c => (c.LogicalId, c.Kind)));
        Assert.True(changes.Single(c => c.Kind == ChangeKind.Removed).TouchesState);
    }

    [Fact]
    public void Should_RoundTripThroughJson_When_Written()
    {
        var plan = Snapshot(12.5m, ("Vol", "AWS::EC2::Volume", [("Size", "abc")]));
        var again = PlanSnapshot.FromJson(plan.ToJson());
        Assert.Empty(PlanDiff.Compare(plan, again).Changes);
        Assert.Equal(12.5m, again.MonthlyUsd);
    }
}

public sealed class CloudFormationSpecTests
{
    [Fact]
    public void Should_MatchThePinnedCdkCliSpec_When_TheExtractIsCompared()
    {
        // Given the service-spec database the pinned aws-cdk CLI ships (scripts/test.sh installs it with npm ci)
        var database = TestEnvironment.RepoPath("node_modules", "aws-cdk", "db.json.gz");
        Assert.True(File.Exists(database), $"{database} is missing: run 'npm ci' (scripts/test.sh does).");

        // When the replacement facts are extracted afresh
        using var stream = File.OpenRead(database);
        var fresh = CloudFormationSpec.Extract(stream);

        // Then the embedded extract equals them; on drift, copy the fresh one printed here over infra/Plan/cfn-replacement.json
        var json = CloudFormationSpec.ToJson(fresh);
        Assert.True(
            fresh.Count == CloudFormationSpec.ReplacingProperties.Count
                && fresh.All(p => CloudFormationSpec.ReplacingProperties.TryGetValue(p.Key, out var props) && props.SetEquals(p.Value)),
            "infra/Plan/cfn-replacement.json differs from the CDK CLI's spec; fresh extract:\n" + json);
        Assert.Equal(CloudFormationSpec.Types.Length, fresh.Count);
    }

    [Theory]
    [InlineData("AWS::EC2::Instance", "AvailabilityZone", true)]
    [InlineData("AWS::EC2::Instance", "ImageId", true)]
    [InlineData("AWS::EC2::Instance", "InstanceType", false)]
    [InlineData("AWS::RDS::DBInstance", "StorageEncrypted", true)]
    [InlineData("AWS::RDS::DBInstance", "AllocatedStorage", false)]
    [InlineData("AWS::EC2::Volume", "AvailabilityZone", true)]
    [InlineData("AWS::EC2::Volume", "Size", false)]
    public void Should_KnowWhatReplaces_When_APropertyChanges(string type, string property, bool replaces) =>
        Assert.Equal(replaces, PlanDiff.Replaces(type, property));
}
