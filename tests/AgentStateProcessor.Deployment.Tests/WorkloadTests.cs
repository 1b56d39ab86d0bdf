using System.Globalization;
using AgentStateProcessor.Deployment.Tests.Support;
using k8s.Models;

namespace AgentStateProcessor.Deployment.Tests;

public class WorkloadTests
{
    private static readonly RenderedChart Default = Helm.Template();

    [Fact]
    public void Runs_as_a_StatefulSet_of_parallel_pods_without_volumes_behind_a_headless_service()
    {
        var statefulSet = Default.Single<V1StatefulSet>();
        var headless = Assert.Single(Default.All<V1Service>(), s => s.Metadata.Name == statefulSet.Spec.ServiceName);

        Assert.Equal("Parallel", statefulSet.Spec.PodManagementPolicy);
        Assert.Null(statefulSet.Spec.VolumeClaimTemplates);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Equal(3, statefulSet.Spec.Replicas);
        Assert.Empty(Default.All<V1Deployment>());
    }

    [Fact]
    public void As_a_Deployment_it_stops_a_pod_before_starting_its_successor()
    {
        var chart = Helm.Template("--set", "workload.kind=Deployment");
        var deployment = chart.Single<V1Deployment>();

        Assert.Empty(chart.All<V1StatefulSet>());
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("metadata.name", InstanceIdSource(chart.Container));
    }

    [Fact]
    public void The_instance_id_is_the_pod_name_from_the_downward_API()
    {
        Assert.Equal("metadata.name", InstanceIdSource(Default.Container));
        Assert.DoesNotContain("Kafka__InstanceId", Default.Config.Keys);
    }

    [Fact]
    public void Transaction_timeout_and_static_membership_reach_the_processor()
    {
        var chart = Helm.Template("--set", "kafka.transactionTimeout=00:00:30,kafka.staticMembership=true");

        Assert.Equal("00:00:10", Default.Config["Kafka__TransactionTimeout"]);
        Assert.Equal("false", Default.Config["Kafka__StaticMembership"]);
        Assert.Equal("00:00:30", chart.Config["Kafka__TransactionTimeout"]);
        Assert.Equal("true", chart.Config["Kafka__StaticMembership"]);
        Assert.Equal(Default.Single<V1ConfigMap>().Metadata.Name, Assert.Single(Default.Container.EnvFrom).ConfigMapRef.Name);
    }

    [Theory]
    [InlineData("00:00:45", "15", 60)]
    [InlineData("00:02:30", "20", 170)]
    public void The_termination_grace_period_outlasts_the_host_shutdown_timeout(string shutdownTimeout, string margin, int expectedGrace)
    {
        var chart = Helm.Template("--set", $"host.shutdownTimeout={shutdownTimeout},host.terminationGraceMarginSeconds={margin}");
        var shutdown = TimeSpan.Parse(chart.Config["Host__ShutdownTimeout"], CultureInfo.InvariantCulture);
        var grace = chart.PodTemplate.Spec.TerminationGracePeriodSeconds;

        Assert.Equal(shutdownTimeout, chart.Config["Host__ShutdownTimeout"]);
        Assert.Equal(expectedGrace, grace);
        Assert.True(grace > shutdown.TotalSeconds);
    }

    [Fact]
    public void Probes_use_the_health_paths_on_the_http_port()
    {
        var container = Default.Container;
        var port = Assert.Single(container.Ports);

        Assert.Equal("http", port.Name);
        Assert.Equal(8080, port.ContainerPort);
        Assert.Equal("8080", Default.Config["Http__Port"]);
        Assert.Equal("/healthz/ready", container.StartupProbe.HttpGet.Path);
        Assert.Equal("/healthz/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz/live", container.LivenessProbe.HttpGet.Path);
        Assert.All(
            new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe },
            probe => Assert.Equal("http", probe.HttpGet.Port.Value));
    }

    [Fact]
    public void The_http_port_setting_moves_the_container_port_and_the_processor_together()
    {
        var chart = Helm.Template("--set", "http.port=9090");

        Assert.Equal(9090, Assert.Single(chart.Container.Ports).ContainerPort);
        Assert.Equal("9090", chart.Config["Http__Port"]);
        var service = Assert.Single(chart.All<V1Service>(), s => s.Spec.ClusterIP != "None");
        Assert.Equal("http", Assert.Single(service.Spec.Ports).TargetPort.Value);
    }

    [Fact]
    public void The_startup_probe_covers_a_group_join_and_a_full_restore()
    {
        var probe = Default.Container.StartupProbe;
        var budget = TimeSpan.FromSeconds(probe.PeriodSeconds!.Value * probe.FailureThreshold!.Value);
        var needed = TimeSpan.Parse(Default.Config["Kafka__SessionTimeout"], CultureInfo.InvariantCulture)
            + TimeSpan.Parse(Default.Config["Processing__RestoreTimeout"], CultureInfo.InvariantCulture);

        Assert.True(budget >= needed, $"startup budget {budget} < {needed}");
    }

    [Fact]
    public void Pod_and_container_run_non_root_read_only_without_capabilities()
    {
        var pod = Default.PodTemplate.Spec;
        var container = Default.Container.SecurityContext;

        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.Equal(1654, pod.SecurityContext.FsGroup);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.RunAsNonRoot);
        Assert.Equal(1654, container.RunAsUser);
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.Capabilities.Drop);
        Assert.Null(container.Capabilities.Add);
        Assert.Equal("RuntimeDefault", container.SeccompProfile.Type);
        Assert.False(Assert.Single(Default.All<V1ServiceAccount>()).AutomountServiceAccountToken);
    }

    [Fact]
    public void The_only_writable_path_is_an_emptyDir_at_tmp()
    {
        var tmpMount = Assert.Single(Default.Container.VolumeMounts);
        var tmpVolume = Assert.Single(Default.PodTemplate.Spec.Volumes);

        Assert.Equal("/tmp", tmpMount.MountPath);
        Assert.Equal(tmpVolume.Name, tmpMount.Name);
        Assert.NotNull(tmpVolume.EmptyDir);
    }

    [Fact]
    public void Changed_settings_change_the_config_checksum_and_other_values_do_not()
    {
        static string Checksum(RenderedChart chart) => chart.PodTemplate.Metadata.Annotations["checksum/config"];
        var baseline = Checksum(Default);

        Assert.Matches("^[0-9a-f]{64}$", baseline);
        Assert.NotEqual(baseline, Checksum(Helm.Template("--set", "processing.commitInterval=00:00:02")));
        Assert.NotEqual(baseline, Checksum(Helm.Template("--set", "extraConfig.Processing__Extra=1")));
        Assert.Equal(baseline, Checksum(Helm.Template("--set", "replicaCount=2")));
    }

    [Fact]
    public void The_GC_heap_limit_is_written_in_hexadecimal_as_the_runtime_reads_it()
    {
        var percent = Default.Config["DOTNET_GCHeapHardLimitPercent"];

        Assert.StartsWith("0x", percent);
        Assert.Equal(65, int.Parse(percent[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.DoesNotContain("DOTNET_GCHeapHardLimitPercent", Helm.Template("--set", "dotnet.gcHeapHardLimitPercent=0").Config.Keys);
    }

    [Fact]
    public void The_change_topic_is_configured_with_its_default_and_follows_its_value()
    {
        Assert.Equal("voice-agentstate-changes", Default.Config["Topics__AgentStateChanges"]);
        Assert.Equal("analytics-changes", Helm.Template("--set", "topics.agentStateChanges=analytics-changes").Config["Topics__AgentStateChanges"]);
    }

    [Fact]
    public void Logs_are_json_by_default()
    {
        Assert.Equal("json", Default.Config["Logging__Console__FormatterName"]);
    }

    [Fact]
    public void Spread_constraints_select_the_chart_s_own_pods()
    {
        var podLabels = Default.PodTemplate.Metadata.Labels;
        var constraints = Default.PodTemplate.Spec.TopologySpreadConstraints;

        Assert.Equal(2, constraints.Count);
        Assert.All(constraints, c => Assert.All(c.LabelSelector.MatchLabels, label => Assert.Equal(label.Value, podLabels[label.Key])));
    }

    [Fact]
    public void The_disruption_budget_allows_one_pod_down_and_selects_the_pods()
    {
        var budget = Default.Single<V1PodDisruptionBudget>();

        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Null(budget.Spec.MinAvailable);
        Assert.All(budget.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, Default.PodTemplate.Metadata.Labels[label.Key]));
    }

    private static string InstanceIdSource(V1Container container)
    {
        var instanceId = Assert.Single(container.Env, e => e.Name == "Kafka__InstanceId");
        Assert.Null(instanceId.Value);
        return instanceId.ValueFrom.FieldRef.FieldPath;
    }
}
