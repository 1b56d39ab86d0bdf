using System.Text.Json.Nodes;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Processing.Tests.Changes;

/// <summary>
/// Change records in the snapshots' single-object encoding, read back by us and checked against
/// python3-avro holding only the committed schemas/changes/AgentStateChange.avsc.
/// </summary>
public sealed class AgentStateChangeCodecTests
{
    /// <summary>The changes a replay of a generated feed makes: every kind the fold gives, first events included.</summary>
    private static List<AgentStateChange> FeedChanges()
    {
        var replay = new LocalProcessor(Inputs.Intake());
        return VoiceFeed.Generate(seed: 11, count: 1500).Select(r => replay.Process(r).Change).OfType<AgentStateChange>().ToList();
    }

    [Fact]
    public void The_feed_gives_every_kind_of_change_the_tests_below_cover()
    {
        var changes = FeedChanges();

        Assert.Contains(changes, c => c.PreviousSince is null);
        Assert.Contains(changes, c => c.PreviousState == AgentStatus.NotReady && c.State == AgentStatus.NotReady);
        Assert.Equal(Enum.GetValues<AgentStatus>().Order(), changes.Select(c => c.State).Distinct().Order());
    }

    [Fact]
    public void A_change_survives_its_bytes_field_for_field()
    {
        foreach (var change in FeedChanges())
        {
            var bytes = SnapshotCodec.Encode(AgentStateChangeMapper.ToRecord(change));
            var back = AgentStateChangeMapper.ToChange(SnapshotCodec.Decode(AgentStateChangeMapper.Schema, bytes));

            Assert.Equal(change with { Queues = [] }, back with { Queues = [] });
            Assert.Equal<string>(change.Queues, back.Queues);
        }
    }

    [Fact]
    public void Python_decodes_our_change_records_to_our_values_and_we_decode_what_python_encodes_to_the_same_bytes()
    {
        var records = FeedChanges().Take(300).Select(AgentStateChangeMapper.ToRecord).ToList();
        var cases = new JsonObject
        {
            ["schemas"] = new JsonObject { ["change"] = RepositoryRoot.PathOf("schemas", "changes", "AgentStateChange.avsc") },
            ["decode"] = new JsonArray([.. records.Select(r => new JsonObject { ["schema"] = "change", ["hex"] = Convert.ToHexString(SnapshotCodec.Encode(r)) })]),
            ["encode"] = new JsonArray([.. records.Select(r => new JsonObject { ["schema"] = "change", ["datum"] = SnapshotPythonCrossCheckTests.PlainDatum(r) })]),
        };

        var results = PythonAvro.RunOracle("snapshot_oracle.py", cases);

        Assert.Equal(SnapshotCodec.FingerprintOf(AgentStateChangeMapper.Schema).ToString("x16"), (string?)results["fingerprints"]!["change"]);
        var decoded = results["decoded"]!.AsArray();
        var encoded = results["encoded"]!.AsArray();
        Assert.Equal((records.Count, records.Count), (decoded.Count, encoded.Count));
        for (var i = 0; i < records.Count; i++)
        {
            var python = decoded[i]!;
            Assert.True((bool)python["fingerprintMatches"]!, $"change {i}: python computes another fingerprint than {(string?)python["fingerprint"]}");
            Assert.Equal(0, (int)python["trailingBytes"]!);
            var ours = SnapshotPythonCrossCheckTests.PlainDatum(records[i])!;
            Assert.True(JsonNode.DeepEquals(ours, python["datum"]), $"change {i}:\nours:   {ours.ToJsonString()}\npython: {python["datum"]!.ToJsonString()}");
            Assert.Equal(Convert.ToHexString(SnapshotCodec.Encode(records[i])), ((string)encoded[i]!).ToUpperInvariant());
        }
    }
}
