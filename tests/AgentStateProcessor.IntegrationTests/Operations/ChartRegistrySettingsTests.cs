using AgentStateProcessor.Deployment.Tests.Support;
using AgentStateProcessor.SchemaRegistry;
using Microsoft.Extensions.Configuration;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>The registry's retry and outage settings as the chart renders them, read the way the processor reads its environment.</summary>
public sealed class ChartRegistrySettingsTests
{
    [Fact]
    public void With_a_registry_url_the_chart_renders_the_processor_s_own_retry_and_outage_defaults()
    {
        var bound = Bind(Helm.Template("--set", "schemaRegistry.url=http://registry:8081"));
        var defaults = new SchemaRegistryOptions();

        Assert.Equal("http://registry:8081", bound.Url);
        Assert.Equal(defaults.RequestTimeout, bound.RequestTimeout);
        Assert.Equal(defaults.MaxRetries, bound.MaxRetries);
        Assert.Equal(defaults.RetryBackoff, bound.RetryBackoff);
        Assert.Equal(defaults.RetryBackoffMax, bound.RetryBackoffMax);
        Assert.Equal(defaults.OutageRetryBackoff, bound.OutageRetryBackoff);
        Assert.Equal(defaults.OutageRetryBackoffMax, bound.OutageRetryBackoffMax);
        Assert.Empty(bound.Validate());
    }

    [Fact]
    public void Changed_values_reach_the_processor_and_its_validation_judges_them()
    {
        var bound = Bind(Helm.Template("--set",
            "schemaRegistry.url=http://registry:8081,schemaRegistry.maxRetries=0,schemaRegistry.outageRetryBackoff=00:00:02,schemaRegistry.outageRetryBackoffMax=00:02:00"));
        Assert.Equal(0, bound.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), bound.OutageRetryBackoff);
        Assert.Equal(TimeSpan.FromMinutes(2), bound.OutageRetryBackoffMax);
        Assert.Empty(bound.Validate());

        // A value the chart's schema lets through but the processor refuses fails at the processor's start-up, named.
        var tooLong = Bind(Helm.Template("--set", "schemaRegistry.url=http://registry:8081,schemaRegistry.outageRetryBackoffMax=00:10:00"));
        Assert.Contains(tooLong.Validate(), message => message.Contains("OutageRetryBackoffMax", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_registry_url_no_registry_setting_is_rendered()
    {
        Assert.DoesNotContain(Helm.Template().Config.Keys, key => key.StartsWith("SchemaRegistry__", StringComparison.Ordinal));
    }

    /// <summary>The ConfigMap's <c>Section__Key</c> variables bound as the host binds its environment.</summary>
    private static SchemaRegistryOptions Bind(RenderedChart chart) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(chart.Config.Select(setting => KeyValuePair.Create(setting.Key.Replace("__", ":", StringComparison.Ordinal), (string?)setting.Value)))
            .Build()
            .GetSection(SchemaRegistryOptions.SectionName)
            .Get<SchemaRegistryOptions>()!;
}
