using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// The pipeline scenarios on the librdkafka mock cluster, over TCP in this process. Always runs.
/// The mock stores no transactional offsets, so under exactly-once a restarted host finds its
/// position in the progress topic and the snapshots' positions instead (docs/pipeline.md).
/// </summary>
public sealed class MockClusterPipelineTests(MockClusterFixture fixture)
    : PipelineScenarios<MockClusterFixture>(fixture), IClassFixture<MockClusterFixture>;
