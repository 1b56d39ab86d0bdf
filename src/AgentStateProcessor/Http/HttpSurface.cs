using System.Text.Json;
using AgentStateProcessor.Health;
using AgentStateProcessor.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace AgentStateProcessor.Http;

/// <summary>
/// The one HTTP port (Http:Port): /healthz/live and /healthz/ready for the probes, /metrics for
/// Prometheus, and read-only queries of this instance's committed state.
/// </summary>
internal static class HttpSurface
{
    public static WebApplicationBuilder AddHttpSurface(this WebApplicationBuilder builder)
    {
        var http = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>() ?? new HttpOptions();
        // Http:Port is the only address. Set as the URL setting, it wins over ASPNETCORE_URLS with no
        // warning; the ports the aspnet image sets (ASPNETCORE_HTTP_PORTS) are cleared, or the host
        // would warn that the URL overrides them.
        builder.WebHost.UseUrls($"http://+:{http.Port}");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.Services.AddSingleton<PrometheusExport>();
        builder.Services.AddHealthChecks()
            .AddCheck<LivenessCheck>("processing-loop", tags: [LivenessCheck.Tag])
            .AddCheck<ReadinessCheck>("partitions", tags: [ReadinessCheck.Tag]);
        return builder;
    }

    public static WebApplication MapHttpSurface(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", Probe(LivenessCheck.Tag));
        app.MapHealthChecks("/healthz/ready", Probe(ReadinessCheck.Tag));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<PrometheusExport>().Registry);
        StateQueries.Map(app);
        return app;
    }

    private static HealthCheckOptions Probe(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = WriteReport,
    };

    /// <summary>The status and each check's reason, so whoever reads a failed probe learns why.</summary>
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                if (entry.Description is { } description) json.WriteString("description", description);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
    }
}
