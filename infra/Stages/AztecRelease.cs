using System.Globalization;
using System.Text.RegularExpressions;

namespace AztecInfra.Stages;

/// <summary>
/// The oldest Aztec node release this project's settings and monitoring are written for. Checked against the
/// real packages by tests/real-aztec: 4.1.2's node exports none of the metrics the slashing, HA-signer and
/// healthy-peer alerts read (aztec.slasher.*, aztec.ha_signer.slashing_protection_count,
/// aztec.peer_manager.healthy_peer_count), so on an older node those alerts could never fire.
/// </summary>
public static partial class AztecRelease
{
    /// <summary>5.2.0: the network release testnet and mainnet run, and the default image's tag.</summary>
    public static Version Minimum { get; } = new(5, 2, 0);

    /// <summary>The version a tag names ("5.2.0", "v5.2.0", "5.2.0-rc.1"), or null for a tag that names none.</summary>
    public static Version? FromTag(string tag)
    {
        var m = Semver().Match(tag);
        return m.Success
            ? new Version(Part(m, 1), Part(m, 2), Part(m, 3))
            : null;
    }

    private static int Part(Match m, int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("^v?([0-9]{1,6})\\.([0-9]{1,6})\\.([0-9]{1,6})([-+_].*)?$")]
    private static partial Regex Semver();
}
