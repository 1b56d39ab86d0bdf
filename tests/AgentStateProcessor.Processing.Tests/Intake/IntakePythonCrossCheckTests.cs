using System.Text.Json.Nodes;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Processing.Tests.Intake;

/// <summary>
/// Avro input written by an independent implementation (python3-avro 1.11.1) under the committed
/// event schema, as a producer would, read through Apache.Avro and the intake.
/// </summary>
public sealed class IntakePythonCrossCheckTests
{
    [Fact]
    public void A_login_python_encodes_under_the_committed_schema_is_read_as_the_same_event()
    {
        var datum = new JsonObject
        {
            ["id"] = "EventAgentLogin",
            ["Server"] = "sip-server-1",
            ["ThisDN"] = "5001",
            ["time"] = 1_795_770_000_250_001L,
            ["AgentID"] = "agent42",
            ["CustomerID"] = "tenant1",
            ["Extensions"] = new JsonObject { ["n"] = 3, ["x"] = 2.5, ["on"] = true, ["none"] = null },
            ["Reasons"] = new JsonObject { ["reasonCode"] = "Lunch" },
            ["ReferenceID"] = 7,
            ["ThisQueue"] = null,
        };
        var cases = new JsonObject
        {
            ["schemas"] = new JsonObject { ["login"] = RepositoryRoot.PathOf("schemas", "events", "EventAgentLogin.avsc") },
            ["decode"] = new JsonArray(),
            ["encode"] = new JsonArray(new JsonObject { ["schema"] = "login", ["datum"] = datum }),
        };

        // The oracle writes a single-object message; its body is what a Confluent serializer frames.
        var message = Convert.FromHexString((string)PythonAvro.RunOracle("snapshot_oracle.py", cases)["encoded"]![0]!);
        byte[] framed = [0, 0, 0, 0, 21, .. message.AsSpan(SnapshotCodec.SingleObjectHeaderLength)];
        var result = IntakeAvroTests.IntakeKnowing(21, IntakeAvroTests.LoginSchema).Read(Inputs.Bytes(framed, key: null, partition: 2, offset: 5));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        Assert.Equal(
            new VoiceEvent("EventAgentLogin", EventKind.AgentLogin, "tenant1", "agent42", "5001", null, null, null, null, "Lunch",
                1_795_770_000_250_001L, new InputPosition(Inputs.Topic, 2, 5)),
            result.Event);
    }
}
