using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests.Snapshots;

public sealed class SnapshotMapperTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Agent_state_survives_record_bytes_and_back(bool withNullables)
    {
        var random = new Random(withNullables ? 1 : 2);
        for (var i = 0; i < 300; i++)
        {
            var state = RandomStates.Agent(random, withNullables);

            var record = SnapshotMapper.ToRecord(state);
            var bytes = SnapshotCodec.Encode(record);
            var decoded = SnapshotCodec.Decode(SnapshotSchemas.Agent, bytes);

            Assert.Equal(bytes, SnapshotCodec.Encode(decoded));
            StateAssert.Equal(state, SnapshotMapper.ToAgentState(decoded));
            StateAssert.Equal(state, SnapshotMapper.ToAgentState(record));
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 12)]
    public void Dn_state_survives_record_bytes_and_back(bool withNullables, int inputPartitions)
    {
        var random = new Random(inputPartitions * 2 + (withNullables ? 1 : 0));
        for (var i = 0; i < 300; i++)
        {
            var state = RandomStates.Dn(random, withNullables, inputPartitions);

            var record = SnapshotMapper.ToRecord(state);
            var bytes = SnapshotCodec.Encode(record);
            var decoded = SnapshotCodec.Decode(SnapshotSchemas.Dn, bytes);

            Assert.Equal(bytes, SnapshotCodec.Encode(decoded));
            StateAssert.Equal(state, SnapshotMapper.ToDnState(record));
            var restored = SnapshotMapper.ToDnState(decoded);
            StateAssert.Equal(state, restored);
            Assert.Equal(inputPartitions, restored.InputPositions.Length);
        }
    }

    [Fact]
    public void Nullable_agent_fields_are_null_in_the_record_and_set_ones_carry_their_symbols()
    {
        var empty = SnapshotMapper.ToRecord(AgentState.Initial("t1", "a1", 5, new InputPosition("voice-agentstate", 2, 9)));
        Assert.Null(empty["workMode"]);
        Assert.Null(empty["reasonCode"]);
        Assert.Null(empty["dn"]);
        Assert.Null(empty["loggedInSince"]);
        Assert.Equal("LoggedOut", ((GenericEnum)empty["state"]).Value);

        var ready = SnapshotMapper.ToRecord(AgentState.Initial("t1", "a1", 5, default) with
        {
            State = AgentStatus.Ready,
            WorkMode = AgentWorkMode.AgentAfterCallWork,
        });
        Assert.Equal("Ready", ((GenericEnum)ready["state"]).Value);
        Assert.Equal("AgentAfterCallWork", ((GenericEnum)ready["workMode"]).Value);
    }

    [Fact]
    public void Dn_input_positions_are_a_map_keyed_by_the_partition_as_decimal_text()
    {
        var state = DnState.Initial("t1", "5001", 5, new InputPosition("voice-agentstate", 11, 70)) with
        {
            InputPositions = [new(2, 40), new(11, 70), new(100, 3)],
        };

        var map = (IDictionary<string, object>)SnapshotMapper.ToRecord(state)["inputPositions"];

        Assert.Equal(["2", "11", "100"], map.Keys);
        Assert.Equal([40L, 70L, 3L], map.Values);
    }

    [Fact]
    public void Dn_input_positions_read_back_in_any_map_order_give_the_same_state_and_bytes()
    {
        var state = RandomStates.Dn(new Random(3), withNullables: true, inputPartitions: 6);
        var canonical = SnapshotCodec.Encode(SnapshotMapper.ToRecord(state));

        var reordered = SnapshotMapper.ToRecord(state);
        var positions = (IDictionary<string, object>)reordered["inputPositions"];
        reordered.Add("inputPositions", positions.Reverse().ToDictionary(p => p.Key, p => p.Value));
        var reorderedBytes = SnapshotCodec.Encode(reordered);
        Assert.NotEqual(canonical, reorderedBytes); // the map order is in the bytes; only the state is canonical

        var restored = SnapshotMapper.ToDnState(SnapshotCodec.Decode(SnapshotSchemas.Dn, reorderedBytes));

        StateAssert.Equal(state, restored);
        Assert.Equal(canonical, SnapshotCodec.Encode(SnapshotMapper.ToRecord(restored)));
    }
}
