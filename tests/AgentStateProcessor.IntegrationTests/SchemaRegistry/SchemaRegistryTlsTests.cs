using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentStateProcessor.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>The TLS settings as Confluent's client applies them, against the fake registry over https with a self-signed certificate.</summary>
public sealed class SchemaRegistryTlsTests : IAsyncLifetime
{
    private const string KeystorePassword = "keystore-pw-77";

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("registry-tls-");
    private readonly X509Certificate2 _serverCertificate = SelfSigned("CN=test-schema-registry", serverAuth: true);
    private TestSchemaRegistryServer _server = null!;
    private string _caFile = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSchemaRegistryServer.StartAsync(tlsCertificate: _serverCertificate);
        _caFile = Path.Combine(_files.FullName, "ca.pem");
        await File.WriteAllTextAsync(_caFile, _serverCertificate.ExportCertificatePem());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _serverCertificate.Dispose();
        _files.Delete(recursive: true);
    }

    private async Task<int> RegisterAsync(Action<SchemaRegistryOptions> configure)
    {
        var options = new SchemaRegistryOptions { Url = _server.Url.ToString(), MaxRetries = 0 };
        configure(options);
        using var client = SchemaRegistryClientFactory.Create(options);
        return await new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_registry_certificate_is_trusted_through_the_configured_ca_file()
    {
        var id = await RegisterAsync(o => o.SslCaLocation = _caFile);

        Assert.Equal("https", _server.Url.Scheme);
        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
    }

    [Fact]
    public async Task Without_the_ca_file_an_unknown_certificate_makes_the_registry_unavailable()
    {
        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => RegisterAsync(_ => { }));

        Assert.Contains("could not be reached", error.Message);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task Turning_certificate_verification_off_accepts_any_certificate()
    {
        var id = await RegisterAsync(o => o.EnableSslCertificateVerification = false);

        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
    }

    [Fact]
    public async Task The_client_certificate_of_the_keystore_is_presented()
    {
        using var clientCertificate = SelfSigned("CN=agentstateprocessor-client", serverAuth: false);
        var keystore = Path.Combine(_files.FullName, "client.p12");
        await File.WriteAllBytesAsync(keystore, clientCertificate.Export(X509ContentType.Pkcs12, KeystorePassword));

        await RegisterAsync(o =>
        {
            o.SslCaLocation = _caFile;
            o.SslKeystoreLocation = keystore;
            o.SslKeystorePassword = KeystorePassword;
        });

        Assert.Equal("CN=agentstateprocessor-client", Assert.Single(_server.Requests).ClientCertificateSubject);
    }

    private static X509Certificate2 SelfSigned(string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [Oid.FromOidValue(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2", OidGroup.EnhancedKeyUsage)], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so that the private key is usable by the TLS stack, not only by this process's key object.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
