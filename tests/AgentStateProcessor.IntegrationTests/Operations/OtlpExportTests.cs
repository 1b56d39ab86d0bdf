using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>The optional OTLP push of the instruments, received by a collector stand-in over HTTP.</summary>
public sealed class OtlpExportTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_instruments_are_pushed_to_it_as_otlp_http_protobuf()
    {
        var received = new ConcurrentQueue<(string ContentType, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var collector = builder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "otlp",
            extra: [("Otlp:Endpoint", $"{address}/v1/metrics"), ("Otlp:Protocol", "HttpProtobuf"), ("Otlp:ExportInterval", "00:00:00.500")]));
        ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 101, 100));
        await host.WaitUntilConsumedAsync(100);

        await host.WaitUntilAsync(_ => received.Any(r => Contains(r.Body, "AgentStateProcessor") && Contains(r.Body, "records_total")),
            "an OTLP export carrying the AgentStateProcessor meter's records_total");
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        await host.StopAsync();
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
