using AgentStateProcessor.Configuration;
using AgentStateProcessor.Http;
using AgentStateProcessor.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

/// <summary>The processor as a process: build, run, and turn how it ended into an exit code.</summary>
internal static class ProcessorApp
{
    /// <summary>A clean stop (SIGTERM, Ctrl+C).</summary>
    public const int ExitStopped = 0;
    /// <summary>The pipeline failed or the host could not start; the log's critical line says why.</summary>
    public const int ExitFailed = 1;
    /// <summary>A setting cannot be read or is invalid; one line per problem on standard error.</summary>
    public const int ExitConfiguration = 3;

    /// <summary>The processor, its HTTP surface and its endpoints, on <paramref name="builder"/>'s configuration.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddAgentStateProcessor();
        builder.AddHttpSurface();
        var app = builder.Build();
        app.MapHttpSurface();
        return app;
    }

    public static async Task<int> RunAsync(string[] args, LoadedLibrdkafka librdkafka, TextWriter error)
    {
        WebApplication app;
        try
        {
            // appsettings.json is read from beside the executable, wherever the process is started from.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            // The slim builder fixes the console formatter to "simple" after reading the configuration;
            // Logging:Console:FormatterName (json, simple, systemd) gets the last word back.
            builder.Services.PostConfigure<ConsoleLoggerOptions>(console =>
                console.FormatterName = builder.Configuration["Logging:Console:FormatterName"] ?? console.FormatterName);
            app = Build(builder);
            // What ValidateOnStart would find at start, found before the host starts and logs it with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (ConfigurationProblems(e) is { Count: > 0 } problems)
        {
            foreach (var problem in problems) error.WriteLine($"configuration error: {problem}");
            return ExitConfiguration;
        }
        catch (Exception e)
        {
            error.WriteLine($"AgentStateProcessor could not start: {e.Message}");
            return ExitFailed;
        }

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BundledLibrdkafka).FullName!)
            .LogInformation("librdkafka {LibrdkafkaVersion} loaded from {LibrdkafkaPath} (features: {LibrdkafkaFeatures})",
                librdkafka.Version, librdkafka.Path, string.Join(",", librdkafka.Features));
        var metrics = app.Services.GetRequiredService<PipelineMetrics>();
        try
        {
            // Runs until stopped, then disposes the app.
            await app.RunAsync();
        }
        catch (Exception e)
        {
            error.WriteLine($"AgentStateProcessor could not start: {e.Message}");
            return ExitFailed;
        }
        return metrics.Failure is null ? ExitStopped : ExitFailed;
    }

    private static List<string> ConfigurationProblems(Exception e) => e switch
    {
        ConfigurationValueException values => [.. values.Problems],
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException many => [.. many.InnerExceptions.SelectMany(ConfigurationProblems)],
        // The binder's own wording, for a value the check before it did not foresee.
        InvalidOperationException binder when binder.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [binder.Message],
        _ => [],
    };
}
