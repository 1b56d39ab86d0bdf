using AgentStateProcessor.SchemaRegistry;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

public sealed class SchemaRegistryOptionsTests : IDisposable
{
    private readonly string _existingFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_existingFile);

    [Fact]
    public void Defaults_without_a_url_are_valid_and_mean_no_registry()
    {
        var options = new SchemaRegistryOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.IsConfigured);
        Assert.Empty(options.Urls);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryBackoff);
        Assert.Equal(1000, options.MaxCachedSchemas);
        Assert.Equal(SnapshotSubjectNameStrategy.Topic, options.SubjectNameStrategy);
        Assert.True(options.AutoRegisterSchemas);
        Assert.False(options.UseLatestVersion);
        Assert.True(options.EnableSslCertificateVerification);
    }

    public static TheoryData<string> ValidConfigurationNames => [.. ValidConfigurations.Keys];

    private static readonly Dictionary<string, Action<SchemaRegistryOptions, string>> ValidConfigurations = new()
    {
        ["basic auth over https with a path prefix"] = (o, _) => { o.Url = "https://registry.example:8081/prefix"; o.BasicAuthUsername = "key"; o.BasicAuthPassword = "secret"; },
        ["several urls"] = (o, _) => o.Url = "http://registry-1:8081, http://registry-2:8081",
        ["static bearer token"] = (o, _) => { o.Url = "https://registry"; o.BearerAuthToken = "token"; o.BearerAuthLogicalCluster = "lsrc-1"; },
        ["oauth client credentials"] = (o, _) =>
        {
            o.Url = "https://registry";
            o.BearerAuthClientId = "id";
            o.BearerAuthClientSecret = "secret";
            o.BearerAuthScope = "schema_registry";
            o.BearerAuthTokenEndpointUrl = "https://idp.example/oauth2/token";
            o.BearerAuthLogicalCluster = "lsrc-1";
            o.BearerAuthIdentityPoolId = "pool-1";
        },
        ["tls files"] = (o, file) => { o.Url = "https://registry"; o.SslCaLocation = file; o.SslKeystoreLocation = file; o.SslKeystorePassword = "pw"; },
        ["use latest version"] = (o, _) => { o.Url = "http://registry"; o.AutoRegisterSchemas = false; o.UseLatestVersion = true; },
        ["blank optional settings, as configuration binds them"] = (o, _) =>
        {
            o.Url = "http://registry";
            o.BasicAuthUsername = o.BasicAuthPassword = o.BearerAuthToken = o.BearerAuthClientId = o.BearerAuthClientSecret = "";
            o.BearerAuthScope = o.BearerAuthTokenEndpointUrl = o.BearerAuthLogicalCluster = o.BearerAuthIdentityPoolId = "";
            o.SslCaLocation = o.SslKeystoreLocation = o.SslKeystorePassword = "";
        },
    };

    [Theory]
    [MemberData(nameof(ValidConfigurationNames))]
    public void Complete_configurations_are_valid(string configuration)
    {
        var options = new SchemaRegistryOptions();
        ValidConfigurations[configuration](options, _existingFile);

        Assert.Empty(options.Validate());
        Assert.True(options.IsConfigured);
    }

    private static readonly Dictionary<string, (Action<SchemaRegistryOptions> Misconfigure, string ExpectedMessage)> InvalidSettings = new()
    {
        ["relative url"] = (o => o.Url = "registry/x", "SchemaRegistry:Url must be one or more absolute http(s) URLs"),
        ["ftp url"] = (o => o.Url = "ftp://registry:8081", "SchemaRegistry:Url must be one or more absolute http(s) URLs"),
        ["one bad url of two"] = (o => o.Url = "http://registry:8081,registry-2", "SchemaRegistry:Url must be one or more absolute http(s) URLs"),
        ["credentials in url"] = (o => o.Url = "http://user:pw@registry:8081", "SchemaRegistry:Url must not contain credentials"),
        ["username only"] = (o => { o.Url = "http://registry:8081"; o.BasicAuthUsername = "key"; }, "SchemaRegistry:BasicAuthUsername is set without SchemaRegistry:BasicAuthPassword"),
        ["password only"] = (o => { o.Url = "http://registry:8081"; o.BasicAuthPassword = "secret"; }, "SchemaRegistry:BasicAuthPassword is set without SchemaRegistry:BasicAuthUsername"),
        ["colon in username"] = (o => { o.Url = "http://registry:8081"; o.BasicAuthUsername = "a:b"; o.BasicAuthPassword = "c"; }, "SchemaRegistry:BasicAuthUsername must not contain ':'"),
        ["credentials without url"] = (o => { o.BasicAuthUsername = "key"; o.BasicAuthPassword = "secret"; }, "but SchemaRegistry:Url is not"),
        ["basic and bearer"] = (o => { o.Url = "http://r"; o.BasicAuthUsername = "k"; o.BasicAuthPassword = "s"; o.BearerAuthToken = "t"; o.BearerAuthLogicalCluster = "l"; }, "SchemaRegistry: choose one authentication"),
        ["bearer without logical cluster"] = (o => { o.Url = "http://r"; o.BearerAuthToken = "t"; }, "SchemaRegistry:BearerAuthLogicalCluster is required"),
        ["oauth without secret"] = (o => { o.Url = "http://r"; o.BearerAuthClientId = "id"; o.BearerAuthScope = "s"; o.BearerAuthTokenEndpointUrl = "https://idp/token"; o.BearerAuthLogicalCluster = "l"; }, "SchemaRegistry:BearerAuthClientSecret is required"),
        ["oauth with a relative endpoint"] = (o => { o.Url = "http://r"; o.BearerAuthClientId = "id"; o.BearerAuthClientSecret = "x"; o.BearerAuthScope = "s"; o.BearerAuthTokenEndpointUrl = "token"; o.BearerAuthLogicalCluster = "l"; }, "SchemaRegistry:BearerAuthTokenEndpointUrl must be an absolute http(s) URL"),
        ["logical cluster without bearer"] = (o => { o.Url = "http://r"; o.BearerAuthLogicalCluster = "l"; }, "are set without BearerAuthToken"),
        ["missing ca file"] = (o => { o.Url = "https://r"; o.SslCaLocation = "/nonexistent/ca.pem"; }, "SchemaRegistry:SslCaLocation '/nonexistent/ca.pem' does not exist"),
        ["missing keystore"] = (o => { o.Url = "https://r"; o.SslKeystoreLocation = "/nonexistent/client.p12"; }, "SchemaRegistry:SslKeystoreLocation '/nonexistent/client.p12' does not exist"),
        ["keystore password alone"] = (o => { o.Url = "https://r"; o.SslKeystorePassword = "pw"; }, "SchemaRegistry:SslKeystorePassword is set without SchemaRegistry:SslKeystoreLocation"),
        ["zero timeout"] = (o => o.RequestTimeout = TimeSpan.Zero, "SchemaRegistry:RequestTimeout must be greater than 0"),
        ["negative retries"] = (o => o.MaxRetries = -1, "SchemaRegistry:MaxRetries must be between 0 and 10"),
        ["huge retries"] = (o => o.MaxRetries = 1000, "SchemaRegistry:MaxRetries must be between 0 and 10"),
        ["negative backoff"] = (o => o.RetryBackoff = TimeSpan.FromSeconds(-1), "SchemaRegistry:RetryBackoff must be between 0 and"),
        ["max backoff below backoff"] = (o => { o.RetryBackoff = TimeSpan.FromSeconds(2); o.RetryBackoffMax = TimeSpan.FromSeconds(1); }, "SchemaRegistry:RetryBackoffMax must be between"),
        ["zero outage backoff"] = (o => o.OutageRetryBackoff = TimeSpan.Zero, "SchemaRegistry:OutageRetryBackoff must be greater than 0"),
        ["outage backoff cap below the first wait"] = (o => { o.OutageRetryBackoff = TimeSpan.FromSeconds(2); o.OutageRetryBackoffMax = TimeSpan.FromSeconds(1); }, "SchemaRegistry:OutageRetryBackoffMax must be between"),
        ["outage backoff cap of an hour"] = (o => o.OutageRetryBackoffMax = TimeSpan.FromHours(1), "SchemaRegistry:OutageRetryBackoffMax must be between"),
        ["no cache"] = (o => o.MaxCachedSchemas = 0, "SchemaRegistry:MaxCachedSchemas must be at least 1"),
        ["unknown strategy"] = (o => o.SubjectNameStrategy = (SnapshotSubjectNameStrategy)42, "SchemaRegistry:SubjectNameStrategy must be one of Topic, Record, TopicRecord"),
        ["latest with auto-register"] = (o => o.UseLatestVersion = true, "SchemaRegistry:UseLatestVersion needs SchemaRegistry:AutoRegisterSchemas set to false"),
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
        var options = new SchemaRegistryOptions { Url = "ftp://registry", BasicAuthUsername = "key", MaxRetries = -1 };

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
                ["SchemaRegistry:SubjectNameStrategy"] = "TopicRecord",
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
    public void Settings_map_onto_confluents_client_configuration()
    {
        var options = new SchemaRegistryOptions
        {
            Url = "http://registry-1:8081, https://registry-2/prefix",
            BasicAuthUsername = "key",
            BasicAuthPassword = "pa:ss",
            SslCaLocation = _existingFile,
            EnableSslCertificateVerification = false,
            RequestTimeout = TimeSpan.FromSeconds(4),
            MaxRetries = 2,
            RetryBackoff = TimeSpan.FromMilliseconds(150),
            RetryBackoffMax = TimeSpan.FromSeconds(5),
            MaxCachedSchemas = 50,
        };

        var config = options.ToSchemaRegistryConfig();

        Assert.Equal("http://registry-1:8081,https://registry-2/prefix", config.Url);
        Assert.Equal(AuthCredentialsSource.UserInfo, config.BasicAuthCredentialsSource);
        Assert.Equal("key:pa:ss", config.BasicAuthUserInfo);
        Assert.Null(config.BearerAuthCredentialsSource);
        Assert.Equal(_existingFile, config.SslCaLocation);
        Assert.False(config.EnableSslCertificateVerification);
        Assert.Equal(4000, config.RequestTimeoutMs);
        Assert.Equal(3, config.MaxRetries);
        Assert.Equal(150, config.RetriesWaitMs);
        Assert.Equal(5000, config.RetriesMaxWaitMs);
        Assert.Equal(50, config.MaxCachedSchemas);
    }

    [Fact]
    public void Bearer_settings_choose_the_static_token_or_the_oauth_flow()
    {
        var token = new SchemaRegistryOptions { Url = "http://r", BearerAuthToken = "t", BearerAuthLogicalCluster = "lsrc" }.ToSchemaRegistryConfig();
        var oauth = new SchemaRegistryOptions
        {
            Url = "http://r",
            BearerAuthClientId = "id",
            BearerAuthClientSecret = "secret",
            BearerAuthScope = "scope",
            BearerAuthTokenEndpointUrl = "https://idp/token",
            BearerAuthLogicalCluster = "lsrc",
            BearerAuthIdentityPoolId = "pool",
        }.ToSchemaRegistryConfig();

        Assert.Equal(BearerAuthCredentialsSource.StaticToken, token.BearerAuthCredentialsSource);
        Assert.Equal("t", token.BearerAuthToken);
        Assert.Equal("lsrc", token.BearerAuthLogicalCluster);
        Assert.Equal(BearerAuthCredentialsSource.OAuthBearer, oauth.BearerAuthCredentialsSource);
        Assert.Equal(("id", "secret", "scope", "https://idp/token", "pool"),
            (oauth.BearerAuthClientId, oauth.BearerAuthClientSecret, oauth.BearerAuthScope, oauth.BearerAuthTokenEndpointUrl, oauth.BearerAuthIdentityPoolId));
        Assert.Null(oauth.BasicAuthUserInfo);
    }

    [Theory]
    [InlineData("Topic", SubjectNameStrategy.Topic)]
    [InlineData("Record", SubjectNameStrategy.Record)]
    [InlineData("TopicRecord", SubjectNameStrategy.TopicRecord)]
    public void Serializer_settings_carry_the_strategy_and_the_registration_choices(string ours, SubjectNameStrategy confluents)
    {
        var options = new SchemaRegistryOptions { SubjectNameStrategy = Enum.Parse<SnapshotSubjectNameStrategy>(ours), AutoRegisterSchemas = false, UseLatestVersion = true };

        var config = options.ToAvroSerializerConfig();

        Assert.Equal(confluents, config.SubjectNameStrategy);
        Assert.False(config.AutoRegisterSchemas);
        Assert.True(config.UseLatestVersion);
    }

    [Fact]
    public void The_factory_refuses_options_that_do_not_validate_or_name_no_registry()
    {
        var invalid = Assert.Throws<ArgumentException>(() => SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = "ftp://registry" }));
        var missing = Assert.Throws<ArgumentException>(() => SchemaRegistryClientFactory.Create(new SchemaRegistryOptions()));

        Assert.Contains("SchemaRegistry:Url must be one or more absolute http(s) URLs", invalid.Message);
        Assert.Contains("SchemaRegistry:Url is not set", missing.Message);
    }

    [Fact]
    public void The_factory_builds_a_client_with_the_configured_cache_size()
    {
        using var client = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = "http://registry:8081", MaxCachedSchemas = 77 });

        Assert.Equal(77, client.MaxCachedSchemas);
    }

    [Fact]
    public void The_description_names_every_setting_and_redacts_the_secrets()
    {
        var text = new SchemaRegistryOptions
        {
            Url = "http://registry:8081",
            BasicAuthUsername = "key",
            BasicAuthPassword = "hunter2",
            SslKeystoreLocation = _existingFile,
            SslKeystorePassword = "keystore-pw",
        }.ToString();

        Assert.Contains("Url = http://registry:8081", text);
        Assert.Contains("BasicAuthUsername = key", text);
        Assert.Contains("BasicAuthPassword = [redacted]", text);
        Assert.Contains("SslKeystorePassword = [redacted]", text);
        Assert.Contains("SubjectNameStrategy = Topic", text);
        Assert.Contains("OutageRetryBackoff = 00:00:00.5000000, OutageRetryBackoffMax = 00:00:30", text);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("keystore-pw", text);
    }
}
