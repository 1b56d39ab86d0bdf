using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;
using BenchmarkDotNet.Attributes;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// JSON bytes to a validated event, over the simulator's mix of valid events (every event kind,
/// every time encoding, optional attributes and unlisted extensions), cycled. One operation is one event.
/// </summary>
public class ValidationBenchmarks
{
    private const int RecordCount = 4096;

    private byte[][] _values = [];
    private InputRecord[] _inputs = [];
    private EventValidator _validator = null!;
    private EventIntake _intake = null!;

    [GlobalSetup]
    public void Setup()
    {
        var records = SimulatedWorkload.ValidRecords(RecordCount, agents: 1000);
        _values = records.Select(r => r.Value).ToArray();
        _inputs = SimulatedWorkload.ToInputRecords(records).ToArray();
        _validator = new EventValidator(EventSchemaSet.LoadEmbedded());
        _intake = SimulatedWorkload.NewIntake();
        // A benchmark of the failure path would measure something else: insist every input is valid.
        if (Validate() != RecordCount || ValidateAndMap() != RecordCount)
        {
            throw new InvalidOperationException("the validation workload contains records that are not valid events");
        }
    }

    /// <summary>EventValidator.Validate: JSON bytes to the ValidatedEvent the fold reads, every listed attribute checked.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RecordCount)]
    public int Validate()
    {
        var valid = 0;
        foreach (var value in _values)
        {
            if (_validator.Validate(value).IsValid) valid++;
        }
        return valid;
    }

    /// <summary>EventIntake.Read: the same validation plus the mapping to the VoiceEvent the fold reads.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int ValidateAndMap()
    {
        var events = 0;
        foreach (var input in _inputs)
        {
            if (_intake.Read(input).Event is not null) events++;
        }
        return events;
    }
}
