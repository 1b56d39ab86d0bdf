using AgentStateProcessor.Deployment.Tests.Support;

namespace AgentStateProcessor.Deployment.Tests;

public class ChartLintTests
{
    public static TheoryData<string[]> ValueSets => new()
    {
        Array.Empty<string>(),
        new[] { "-f", Helm.ProductionValues },
    };

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Lints_strictly_with_default_and_production_values(string[] values)
    {
        var result = Helm.Lint(values);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("0 chart(s) failed", result.StandardOutput);
    }

    [Theory]
    [InlineData("replicaCont=2", "replicaCont")]
    [InlineData("kafka.sasl.pasword=x", "pasword")]
    [InlineData("workload.kind=ReplicaSet", "workload.kind")]
    [InlineData("kafka.transactionTimeout=10s", "kafka.transactionTimeout")]
    public void The_values_schema_rejects_typos_and_malformed_settings(string setting, string named)
    {
        var result = Helm.TryTemplate("--set", setting);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.StandardError);
    }

    [Fact]
    public void No_values_file_holds_a_credential()
    {
        foreach (var file in new[] { Path.Combine(Helm.ChartDirectory, "values.yaml"), Helm.ProductionValues })
        {
            var credentialValues = File.ReadAllLines(file)
                .Select(line => line.Split('#')[0].Trim())
                .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^(password|token|secret|saslPassword|bearerToken)\s*:\s*\S", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
            Assert.Empty(credentialValues);
        }
    }
}
