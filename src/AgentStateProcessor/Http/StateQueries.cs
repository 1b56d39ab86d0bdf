using System.Text.Json;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Http;

/// <summary>
/// Read-only queries of this instance's committed state, answered with the snapshots' plain JSON
/// (the shape <c>replay</c> prints). A key of a partition another instance owns is a 404 that
/// names the partition; a key nobody has seen is a 404 "unknown".
/// </summary>
internal static class StateQueries
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    public static void Map(WebApplication app)
    {
        app.MapGet("/agents/{tenant}/{agent}", (string tenant, string agent, StateQueryView view, IOptions<TopicOptions> topics) =>
        {
            var key = StateKeys.Of(tenant, agent);
            var (place, partition, state) = view.FindAgent(key);
            return place == KeyPlace.Found ? Json(json => WriteAgent(json, state!)) : NotHere(place, key, topics.Value.Input, partition);
        });
        app.MapGet("/dns/{tenant}/{dn}", (string tenant, string dn, StateQueryView view, IOptions<TopicOptions> topics) =>
        {
            var key = StateKeys.Of(tenant, dn);
            var (place, partition, state) = view.FindDn(key);
            return place == KeyPlace.Found ? Json(json => WriteDn(json, state!)) : NotHere(place, key, topics.Value.DnSnapshots, partition);
        });
        app.MapGet("/agents", ListAgents);
    }

    /// <summary>
    /// <c>GET /agents?tenant=&amp;state=&amp;queue=&amp;dn=&amp;limit=&amp;offset=</c>: the agents of this
    /// instance's partitions that match every given filter, ordered by key, one page (limit/offset).
    /// </summary>
    private static IResult ListAgents(HttpRequest request, StateQueryView view)
    {
        var query = request.Query;
        AgentStatus? status = null;
        if (query["state"].ToString() is { Length: > 0 } stateText)
        {
            if (!Enum.TryParse<AgentStatus>(stateText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problem(StatusCodes.Status400BadRequest, "bad-request", $"state '{stateText}' is not one of {string.Join(", ", Enum.GetNames<AgentStatus>())}");
            }
            status = parsed;
        }
        if (!TryReadNumber(query["limit"], DefaultLimit, 1, MaxLimit, out var limit))
        {
            return Problem(StatusCodes.Status400BadRequest, "bad-request", $"limit must be a number from 1 to {MaxLimit}");
        }
        if (!TryReadNumber(query["offset"], 0, 0, int.MaxValue, out var offset))
        {
            return Problem(StatusCodes.Status400BadRequest, "bad-request", "offset must be a number from 0");
        }
        var tenant = query["tenant"].ToString();
        var queue = query["queue"].ToString();
        var dn = query["dn"].ToString();
        var matches = view.Agents()
            .Where(a => tenant.Length == 0 || a.TenantId == tenant)
            .Where(a => status is null || a.State == status)
            .Where(a => queue.Length == 0 || a.Queues.Contains(queue))
            .Where(a => dn.Length == 0 || a.Dn == dn)
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
        var page = matches.Skip(offset).Take(limit).ToList();
        return Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("agents");
            foreach (var agent in page) WriteAgent(json, agent);
            json.WriteEndArray();
            json.WriteNumber("total", matches.Count);
            json.WriteNumber("offset", offset);
            json.WriteNumber("limit", limit);
            if (offset + page.Count < matches.Count) json.WriteNumber("nextOffset", offset + page.Count);
            else json.WriteNull("nextOffset");
            // Only this instance's partitions are searched; the others answer for the rest.
            json.WriteStartArray("partitions");
            foreach (var partition in view.AgentPartitions) json.WriteNumberValue(partition);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static bool TryReadNumber(string? text, int fallback, int min, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static void WriteAgent(Utf8JsonWriter json, AgentState agent)
    {
        var record = SnapshotMapper.ToRecord(agent);
        PlainJson.Write(json, record.Schema, record);
    }

    private static void WriteDn(Utf8JsonWriter json, DnState dn)
    {
        var record = SnapshotMapper.ToRecord(dn);
        PlainJson.Write(json, record.Schema, record);
    }

    private static IResult NotHere(KeyPlace place, string key, string topic, int? partition) => place switch
    {
        KeyPlace.OwnedElsewhere => Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("error", "owned-elsewhere");
            json.WriteString("key", key);
            json.WriteString("topic", topic);
            json.WriteNumber("partition", partition!.Value);
            json.WriteString("message", $"'{key}' is in partition {partition} of {topic}, which another instance owns; ask that one");
            json.WriteEndObject();
        }, StatusCodes.Status404NotFound),
        KeyPlace.Unknown => Problem(StatusCodes.Status404NotFound, "unknown", $"'{key}' is unknown: partition {partition} of {topic} holds no state for it"),
        _ => Problem(StatusCodes.Status503ServiceUnavailable, "not-started", "the processor has not started processing yet"),
    };

    private static IResult Problem(int status, string error, string message) => Json(json =>
    {
        json.WriteStartObject();
        json.WriteString("error", error);
        json.WriteString("message", message);
        json.WriteEndObject();
    }, status);

    private static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping: readable timestamps ("+00:00") and quotes; the content type is JSON, never HTML.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) write(json);
        return Results.Text(System.Text.Encoding.UTF8.GetString(stream.ToArray()), "application/json", System.Text.Encoding.UTF8, status);
    }
}
