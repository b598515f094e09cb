using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using AztecInfra.Cost;
using AztecInfra.Plan;

namespace AztecInfra.Tests.Plan;

public sealed class PropertyValuesTests
{
    private static string Template(int size, string image, string password = "hunter2-not-real") => new JsonObject
    {
        ["Resources"] = new JsonObject
        {
            ["Data"] = new JsonObject { ["Type"] = "AWS::EC2::Volume", ["Properties"] = new JsonObject { ["Size"] = size, ["VolumeType"] = "gp3" } },
            ["Node"] = new JsonObject { ["Type"] = "AWS::EC2::Instance", ["Properties"] = new JsonObject { ["UserData"] = Gzip($"#cloud-config\nAZTEC_IMAGE={image}\nNETWORK=testnet\n"), ["InstanceType"] = "c6i.2xlarge" } },
            ["Db"] = new JsonObject { ["Type"] = "AWS::RDS::DBInstance", ["Properties"] = new JsonObject { ["MasterUserPassword"] = password, ["Settings"] = new JsonObject { ["authToken"] = password } } },
        },
    }.ToJsonString();

    private static string Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    private static PlanSnapshot Snapshot(string template) =>
        PlanSnapshot.Create("qa", [("stack-a", "us-east-1", TemplateFacts.Read(template))], new CostEstimate([], []));

    [Fact]
    public void Should_ReportOldAndNewValues_When_ImageIsBumpedAndVolumeGrows()
    {
        // Given a baseline and a change that bumps the image (inside the user data) and grows the volume
        var before = Snapshot(Template(1000, "aztecprotocol/aztec:5.2.0"));
        var after = Snapshot(Template(2000, "aztecprotocol/aztec:5.3.0"));

        // When compared
        var diff = PlanDiff.Compare(before, after);

        // Then the volume says 1000 → 2000 and the user data says which setting changed, old → new
        var volume = Assert.Single(diff.Changes, c => c.LogicalId == "Data");
        Assert.Equal(new ValueChange("Size", "1000", "2000"), Assert.Single(volume.Values));
        var node = Assert.Single(diff.Changes, c => c.LogicalId == "Node");
        Assert.Equal(new ValueChange("UserData", "AZTEC_IMAGE=aztecprotocol/aztec:5.2.0", "AZTEC_IMAGE=aztecprotocol/aztec:5.3.0", "AZTEC_IMAGE"), Assert.Single(node.Values));
    }

    [Fact]
    public void Should_KeepOnlyFingerprints_When_NameCouldHoldASecret()
    {
        // Given a template with a password property and a structure with a token inside
        var snapshot = Snapshot(Template(1000, "a:1", "p4ss-Value-123"));

        // Then neither is kept as a value, and the snapshot text never holds it
        var db = snapshot.Stacks["stack-a"].Resources["Db"];
        Assert.Empty(db.Values!);
        Assert.Equal(2, db.Properties.Count);
        Assert.DoesNotContain("p4ss-Value-123", snapshot.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReportNamesOnly_When_SecretPropertyChanges()
    {
        // Given a password change / When compared
        var change = Assert.Single(PlanDiff.Compare(Snapshot(Template(1, "a:1", "one-pass")), Snapshot(Template(1, "a:1", "two-pass"))).Changes);

        // Then the properties are named, without values
        Assert.Equal(["MasterUserPassword", "Settings"], change.Properties.ToArray());
        Assert.Empty(change.Values);
    }

    [Theory]
    [InlineData("MasterUserPassword", true)]
    [InlineData("SecretString", true)]
    [InlineData("PrivateKey", true)]
    [InlineData("ApiKey", true)]
    [InlineData("KmsKeyId", false)]
    [InlineData("KeyPolicy", false)]
    [InlineData("EnableKeyRotation", false)]
    [InlineData("Size", false)]
    public void Should_TreatNamesConservatively_When_DecidingWhatToKeep(string name, bool secret) =>
        Assert.Equal(secret, PropertyValues.CouldBeSecret(name));

    [Fact]
    public void Should_ReadOldSnapshots_When_TheyHaveNoValues()
    {
        // Given a snapshot written before values were kept (no "Values" field)
        var json = Snapshot(Template(1000, "a:1")).ToJson().Replace("\"Values\"", "\"Ignored\"", StringComparison.Ordinal);
        var old = PlanSnapshot.FromJson(json);

        // When compared with a new one
        var change = Assert.Single(PlanDiff.Compare(old, Snapshot(Template(2000, "a:1"))).Changes);

        // Then the property is named and no value is invented
        Assert.Equal(["Size"], change.Properties.ToArray());
        Assert.Empty(change.Values);
    }
}
