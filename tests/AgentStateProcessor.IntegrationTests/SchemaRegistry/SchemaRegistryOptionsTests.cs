using AgentStateProcessor.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

public sealed class SchemaRegistryOptionsTests
{
    [Fact]
    public void Defaults_without_a_url_are_valid_and_mean_no_registry()
    {
        var options = new SchemaRegistryOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.IsConfigured);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryBackoff);
    }

    [Fact]
    public void A_complete_https_configuration_is_valid()
    {
        var options = new SchemaRegistryOptions
        {
            Url = new Uri("https://registry.example:8081/prefix"),
            BasicAuthUsername = "key",
            BasicAuthPassword = "secret",
        };

        Assert.Empty(options.Validate());
        Assert.True(options.IsConfigured);
    }

    private static readonly Dictionary<string, (Action<SchemaRegistryOptions> Misconfigure, string ExpectedMessage)> InvalidSettings = new()
    {
        ["relative url"] = (o => o.Url = new Uri("registry/x", UriKind.Relative), "SchemaRegistry:Url must be an absolute http(s) URL"),
        ["ftp url"] = (o => o.Url = new Uri("ftp://registry:8081"), "SchemaRegistry:Url must be an absolute http(s) URL"),
        ["credentials in url"] = (o => o.Url = new Uri("http://user:pw@registry:8081"), "SchemaRegistry:Url must not contain credentials"),
        ["username only"] = (o => { o.Url = new Uri("http://registry:8081"); o.BasicAuthUsername = "key"; }, "SchemaRegistry:BasicAuthUsername is set without SchemaRegistry:BasicAuthPassword"),
        ["password only"] = (o => { o.Url = new Uri("http://registry:8081"); o.BasicAuthPassword = "secret"; }, "SchemaRegistry:BasicAuthPassword is set without SchemaRegistry:BasicAuthUsername"),
        ["colon in username"] = (o => { o.Url = new Uri("http://registry:8081"); o.BasicAuthUsername = "a:b"; o.BasicAuthPassword = "c"; }, "SchemaRegistry:BasicAuthUsername must not contain ':'"),
        ["credentials without url"] = (o => { o.BasicAuthUsername = "key"; o.BasicAuthPassword = "secret"; }, "but SchemaRegistry:Url is not"),
        ["zero timeout"] = (o => o.RequestTimeout = TimeSpan.Zero, "SchemaRegistry:RequestTimeout must be greater than 0"),
        ["negative retries"] = (o => o.MaxRetries = -1, "SchemaRegistry:MaxRetries must be between 0 and 10"),
        ["huge retries"] = (o => o.MaxRetries = 1000, "SchemaRegistry:MaxRetries must be between 0 and 10"),
        ["negative backoff"] = (o => o.RetryBackoff = TimeSpan.FromSeconds(-1), "SchemaRegistry:RetryBackoff must be between 0 and"),
    };

    public static TheoryData<string> InvalidSettingNames => [.. InvalidSettings.Keys];

    [Theory]
    [MemberData(nameof(InvalidSettingNames))]
    public void Invalid_settings_are_reported_naming_the_setting(string invalidSetting)
    {
        var (misconfigure, expectedMessage) = InvalidSettings[invalidSetting];
        var options = new SchemaRegistryOptions();
        misconfigure(options);

        var errors = options.Validate();

        Assert.Contains(errors, error => error.Contains(expectedMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new SchemaRegistryOptions { Url = new Uri("ftp://registry"), BasicAuthUsername = "key", MaxRetries = -1 };

        Assert.Equal(3, options.Validate().Count);
    }

    [Fact]
    public void Bound_from_configuration_and_validated_at_start_up()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SchemaRegistry:Url"] = "http://registry:8081",
                ["SchemaRegistry:BasicAuthUsername"] = "key",
                ["SchemaRegistry:RequestTimeout"] = "00:00:03",
            })
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IValidateOptions<SchemaRegistryOptions>, AgentStateProcessor.Configuration.SelfValidatingOptionsValidator<SchemaRegistryOptions>>()
            .Configure<SchemaRegistryOptions>(configuration.GetSection(SchemaRegistryOptions.SectionName))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value);

        Assert.Contains("SchemaRegistry:BasicAuthUsername is set without SchemaRegistry:BasicAuthPassword", error.Message);
    }

    [Fact]
    public void The_client_refuses_options_that_do_not_validate()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() => new SchemaRegistryClient(http, new SchemaRegistryOptions { Url = new Uri("ftp://registry") }));

        Assert.Contains("SchemaRegistry:Url must be an absolute http(s) URL", error.Message);
    }
}
