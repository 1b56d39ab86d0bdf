using System.Reflection;
using System.Runtime.InteropServices;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Kafka;
using Confluent.Kafka;
using static AgentStateProcessor.IntegrationTests.Infrastructure.KafkaTestClient;

namespace AgentStateProcessor.IntegrationTests;

public sealed class BundledLibrdkafkaTests
{
    // Every build of librdkafka.redist 2.16 offers these: what the README promises on every supported system.
    private static readonly string[] CommonFeatures =
        ["gzip", "snappy", "lz4", "zstd", "ssl", "sasl_plain", "sasl_scram", "sasl_oauthbearer", "oidc"];

    private static readonly LoadedLibrdkafka Loaded = BundledLibrdkafka.Load();

    [Fact]
    public void The_loaded_librdkafka_is_the_version_the_librdkafka_redist_package_ships()
    {
        var packageVersion = typeof(BundledLibrdkafka).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "LibrdkafkaRedistVersion").Value;

        Assert.Equal(packageVersion, Loaded.Version);
        Assert.Equal(packageVersion, Library.VersionString);
        Assert.StartsWith(AppContext.BaseDirectory, Loaded.Path);
    }

    [Fact]
    public void Clients_and_the_mock_cluster_map_only_the_bundled_file_into_the_process()
    {
        using var cluster = MockKafkaCluster.Start(brokerCount: 1);
        var topic = MockClusterFixture.CreateUniqueTopic(cluster, "bundled", partitions: 1);
        ProduceAll(cluster.BootstrapServers, topic, [Message("k", "v")]);

        var mapped = File.ReadAllLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct();

        Assert.Equal([Path.GetFullPath(Loaded.Path)], mapped);
    }

    [Fact]
    public void The_loaded_build_offers_compression_tls_and_every_sasl_mechanism_but_kerberos_only_in_the_rhel_build()
    {
        Assert.Empty(CommonFeatures.Except(Loaded.Features));
        switch (Path.GetFileName(Loaded.Path))
        {
            case "centos8-librdkafka.so":
                // Debian, Ubuntu and other glibc systems without libsasl2.so.3: self-contained, no GSSAPI.
                Assert.DoesNotContain("sasl_gssapi", Loaded.Features);
                AssertClientsRefuse("sasl_gssapi");
                break;
            case "librdkafka.so" when RuntimeInformation.ProcessArchitecture == Architecture.X64:
                // RHEL family: linked against the system's Cyrus SASL (libsasl2.so.3), so Kerberos works.
                Assert.Contains("sasl_gssapi", Loaded.Features);
                break;
        }
    }

    [Fact]
    public void Clients_accept_every_feature_the_loaded_build_reports()
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("builtin.features", string.Join(",", Loaded.Features));
        using var producer = new ProducerBuilder<Null, Null>(config).Build();

        Assert.NotEmpty(producer.Name);
    }

    [Fact]
    public void Candidates_are_the_default_build_then_the_centos8_and_alpine_builds_each_in_the_build_layout_then_beside_the_app()
    {
        var app = Path.Combine(Path.GetTempPath(), "app");
        var native = Path.Combine(app, "runtimes", "linux-x64", "native");

        var candidates = BundledLibrdkafka.Candidates(app, OSPlatform.Linux, Architecture.X64);

        Assert.Equal(
        [
            Path.Combine(native, "librdkafka.so"), Path.Combine(app, "librdkafka.so"),
            Path.Combine(native, "centos8-librdkafka.so"), Path.Combine(app, "centos8-librdkafka.so"),
            Path.Combine(native, "alpine-librdkafka.so"), Path.Combine(app, "alpine-librdkafka.so"),
        ], candidates);
        Assert.Equal(
            [Path.Combine(app, "runtimes", "win-x64", "native", "librdkafka.dll"), Path.Combine(app, "librdkafka.dll")],
            BundledLibrdkafka.Candidates(app, OSPlatform.Windows, Architecture.X64));
    }

    [Fact]
    public void When_no_build_loads_the_error_names_each_file_tried_and_the_supported_systems()
    {
        var app = Directory.CreateTempSubdirectory("no-librdkafka-").FullName;
        try
        {
            var broken = Path.Combine(app, "librdkafka.so");
            File.WriteAllText(broken, "not a shared library");

            var failure = Assert.Throws<LibrdkafkaUnavailableException>(
                () => BundledLibrdkafka.LoadFirst(BundledLibrdkafka.Candidates(app, OSPlatform.Linux, RuntimeInformation.ProcessArchitecture)));

            Assert.Contains(broken, failure.Message);
            Assert.Contains("Supported:", failure.Message);
            Assert.Contains("Debian", failure.Message);
            Assert.Contains("never used", failure.Message);
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }

    [Fact]
    public void When_no_build_is_present_the_error_says_to_build_or_publish_with_the_packages()
    {
        var app = Directory.CreateTempSubdirectory("empty-app-").FullName;
        try
        {
            var failure = Assert.Throws<LibrdkafkaUnavailableException>(
                () => BundledLibrdkafka.LoadFirst(BundledLibrdkafka.Candidates(app, OSPlatform.Linux, RuntimeInformation.ProcessArchitecture)));

            Assert.Contains($"None was found under", failure.Message);
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }

    private static void AssertClientsRefuse(string feature)
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("builtin.features", feature);
        var failure = Assert.ThrowsAny<Exception>(() => new ProducerBuilder<Null, Null>(config).Build());
        Assert.Contains(feature, failure.Message);
    }
}
