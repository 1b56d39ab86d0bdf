using System.Text.RegularExpressions;
using AgentStateProcessor.Deployment.Tests.Support;
using k8s.Models;

namespace AgentStateProcessor.Deployment.Tests;

/// <summary>Credentials reach the processor only as references to existing Secrets, in Strimzi's layout.</summary>
public partial class SecretReferenceTests
{
    private static readonly RenderedChart Production = Helm.Template("-f", Helm.ProductionValues);

    // Strimzi: a SCRAM KafkaUser's Secret holds "password"; the cluster CA Secret holds "ca.crt".
    [Fact]
    public void Production_values_read_Strimzi_s_KafkaUser_and_cluster_CA_secrets()
    {
        var password = SecretEnv(Production, "Kafka__SaslPassword");
        var caVolume = SecretVolume(Production, Production.Config["Kafka__SslCaLocation"]);

        Assert.Equal(("agent-state-processor", "password"), (password.Name, password.Key));
        Assert.Equal("events-cluster-ca-cert", caVolume.SecretName);
        Assert.Equal("ca.crt", Assert.Single(caVolume.Items).Key);
        Assert.Equal("SaslSsl", Production.Config["Kafka__SecurityProtocol"]);
        Assert.Equal("ScramSha512", Production.Config["Kafka__SaslMechanism"]);
    }

    [Fact]
    public void A_Strimzi_TLS_KafkaUser_secret_gives_the_client_certificate_and_key_files()
    {
        var chart = Helm.Template("--set",
            "kafka.securityProtocol=Ssl,kafka.tls.ca.existingSecret=events-cluster-ca-cert,kafka.tls.client.existingSecret=asp-user");
        var certificate = SecretVolume(chart, chart.Config["Kafka__SslCertificateLocation"]);
        var key = SecretVolume(chart, chart.Config["Kafka__SslKeyLocation"]);

        Assert.Equal("asp-user", certificate.SecretName);
        Assert.Same(certificate, key);
        Assert.Equal(["user.crt", "user.key"], certificate.Items.Select(i => i.Key));
        Assert.DoesNotContain(chart.Container.Env, e => e.Name == "Kafka__SaslPassword");
    }

    [Fact]
    public void Registry_credentials_come_from_their_secrets()
    {
        var chart = Helm.Template("--set", string.Join(',',
            "schemaRegistry.url=https://registry:8081",
            "schemaRegistry.bearerToken.existingSecret=registry-token",
            "schemaRegistry.tls.keystore.existingSecret=registry-keystore"));

        Assert.Equal(("registry-token", "token"), (SecretEnv(chart, "SchemaRegistry__BearerAuthToken").Name, SecretEnv(chart, "SchemaRegistry__BearerAuthToken").Key));
        Assert.Equal("keystore.password", SecretEnv(chart, "SchemaRegistry__SslKeystorePassword").Key);
        Assert.Equal("registry-keystore", SecretVolume(chart, chart.Config["SchemaRegistry__SslKeystoreLocation"]).SecretName);
        Assert.Equal(("agent-state-processor-registry", "username"),
            (SecretEnv(Production, "SchemaRegistry__BasicAuthUsername").Name, SecretEnv(Production, "SchemaRegistry__BasicAuthUsername").Key));
        Assert.Equal("password", SecretEnv(Production, "SchemaRegistry__BasicAuthPassword").Key);
    }

    [Fact]
    public void No_credential_is_inline_in_the_env_or_the_ConfigMap()
    {
        var chart = Helm.Template("-f", Helm.ProductionValues, "--set",
            "kafka.tls.client.existingSecret=asp-user,kafka.tls.client.keyPasswordKey=user.password,schemaRegistry.tls.keystore.existingSecret=ks");

        var credentials = chart.Container.Env.Where(e => Credential().IsMatch(e.Name)).ToList();
        Assert.Equal(4, credentials.Count);
        Assert.All(credentials, e =>
        {
            Assert.Null(e.Value);
            Assert.NotNull(e.ValueFrom.SecretKeyRef);
        });
        Assert.DoesNotContain(chart.Config.Keys, Credential().IsMatch);
    }

    [Fact]
    public void Secret_files_are_mounted_read_only_and_readable_only_by_owner_and_group()
    {
        var mounts = Production.Container.VolumeMounts.Where(m => m.MountPath != "/tmp").ToList();

        Assert.Equal(2, mounts.Count);
        Assert.All(mounts, m => Assert.True(m.ReadOnlyProperty));
        Assert.All(Production.PodTemplate.Spec.Volumes.Where(v => v.Secret is not null),
            v => Assert.Equal(Convert.ToInt32("440", 8), v.Secret.DefaultMode));
    }

    private static V1SecretKeySelector SecretEnv(RenderedChart chart, string name)
    {
        var variable = Assert.Single(chart.Container.Env, e => e.Name == name);
        Assert.Null(variable.Value);
        return variable.ValueFrom.SecretKeyRef;
    }

    /// <summary>The Secret volume that provides the file the processor is told to read.</summary>
    private static V1SecretVolumeSource SecretVolume(RenderedChart chart, string filePath)
    {
        var mount = Assert.Single(chart.Container.VolumeMounts, m => filePath.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var volume = Assert.Single(chart.PodTemplate.Spec.Volumes, v => v.Name == mount.Name);
        Assert.Contains(volume.Secret.Items, item => item.Path == filePath[(mount.MountPath.Length + 1)..]);
        return volume.Secret;
    }

    [GeneratedRegex("Password|Token|Secret", RegexOptions.IgnoreCase)]
    private static partial Regex Credential();
}
