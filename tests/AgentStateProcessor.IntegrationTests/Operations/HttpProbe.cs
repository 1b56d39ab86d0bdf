using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStateProcessor.IntegrationTests.Infrastructure;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>Real HTTP requests to a started <see cref="ProcessorHost"/>'s port.</summary>
internal static partial class HttpProbe
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(ProcessorHost host, string path)
    {
        using var response = await Client.GetAsync(new Uri(host.HttpAddress, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<(HttpStatusCode Status, JsonElement Json)> GetJsonAsync(ProcessorHost host, string path)
    {
        var (status, body) = await GetAsync(host, path);
        using var document = JsonDocument.Parse(body);
        return (status, document.RootElement.Clone());
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="accept"/> holds; fails with the last answer otherwise.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> WaitForAsync(ProcessorHost host, string path,
        Func<HttpStatusCode, string, bool> accept, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? ProcessorHost.DefaultWaitTimeout);
        while (true)
        {
            var (status, body) = await GetAsync(host, path);
            if (accept(status, body)) return (status, body);
            if (DateTime.UtcNow > deadline) Assert.Fail($"GET {path} never gave {description}; last {(int)status}: {body}. {host.Describe()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The samples of a Prometheus text exposition: series (name and labels as written) to value.</summary>
    public static Dictionary<string, double> ParseMetrics(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#')) continue;
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (?<value>\S+)$")]
    private static partial Regex Sample();
}
