using System.Reflection;
using System.Text.Json;

namespace AgentStateProcessor.Schemas.Tables;

/// <summary>
/// All attribute tables of <c>schemas/tables</c>, loaded and checked for consistency: every attribute has a type,
/// names are legal Avro names, no event or attribute is listed twice, enumerations have distinct symbols and values.
/// </summary>
internal sealed class AttributeTableSet
{
    public const string TypeFileName = "attribute-types.json";
    /// <summary>The folder (relative to <c>schemas/tables</c>, with its slash) of the tables of events the reference documents do not describe.</summary>
    public const string ExtensionsFolder = "extensions/";
    private const string EmbeddedPrefix = "tables/";

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    private AttributeTableSet(IReadOnlyList<EventTable> events, AttributeTypeFile types)
    {
        Events = events;
        Types = types;
        Check();
    }

    /// <summary>Every event, ordered by table file path (ordinal) and then by position in its file.</summary>
    public IReadOnlyList<EventTable> Events { get; }

    public AttributeTypeFile Types { get; }

    public static AttributeTableSet LoadDirectory(string tablesDirectory)
    {
        var files = Directory.GetFiles(tablesDirectory, "*.json", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(tablesDirectory, path).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        return FromTexts(files);
    }

    public static AttributeTableSet LoadEmbedded()
    {
        var assembly = typeof(AttributeTableSet).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(EmbeddedPrefix, StringComparison.Ordinal))
            .ToDictionary(name => name[EmbeddedPrefix.Length..].Replace('\\', '/'), name => ReadResource(assembly, name), StringComparer.Ordinal);
        return FromTexts(files);
    }

    /// <param name="filesByName">Table file path relative to <c>schemas/tables</c> (forward slashes) to its JSON text.</param>
    internal static AttributeTableSet FromTexts(IReadOnlyDictionary<string, string> filesByName)
    {
        if (!filesByName.TryGetValue(TypeFileName, out var typeText))
        {
            throw new InvalidDataException($"The attribute tables have no {TypeFileName}.");
        }
        var types = Deserialize<AttributeTypeFile>(TypeFileName, typeText);
        var events = new List<EventTable>();
        foreach (var (fileName, text) in filesByName.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (fileName == TypeFileName) continue;
            var file = Deserialize<EventTableFile>(fileName, text);
            var inExtensions = fileName.StartsWith(ExtensionsFolder, StringComparison.Ordinal);
            events.AddRange(file.Events.Select(e => e with { Source = file.Source, InExtensionsFolder = inExtensions }));
        }
        return new AttributeTableSet(events, types);
    }

    public EnumDefinition? FindEnum(string name) => Types.Enums.GetValueOrDefault(name);

    public AttributeType TypeOf(string attributeName) => Types.Attributes[attributeName];

    private static T Deserialize<T>(string fileName, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, ReadOptions)
                ?? throw new InvalidDataException($"Table file {fileName} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Table file {fileName} is not a valid table: {e.Message}", e);
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void Check()
    {
        var problems = new List<string>();
        var eventNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in Events)
        {
            if (!eventNames.Add(e.Name)) problems.Add($"event {e.Name} is listed twice");
            if (!AvroNames.IsLegal(e.Name)) problems.Add($"event name '{e.Name}' is not a legal Avro name");
            if (string.IsNullOrWhiteSpace(e.Source.Title)) problems.Add($"{e.Name}: its table file cites no source title");
            if (e.Origin is not (null or TableOrigins.Extension)) problems.Add($"{e.Name}: origin '{e.Origin}' is neither absent nor '{TableOrigins.Extension}'");
            if (e.IsExtension != e.InExtensionsFolder)
                problems.Add($"{e.Name}: an event is marked origin '{TableOrigins.Extension}' exactly when its table is under {ExtensionsFolder}");
            var attributeNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in e.Attributes)
            {
                if (!attributeNames.Add(a.Name)) problems.Add($"{e.Name}: attribute {a.Name} is listed twice");
                if (!AvroNames.IsLegal(a.Name)) problems.Add($"{e.Name}: '{a.Name}' is not a legal Avro field name (map it and keep the page's spelling in documentName)");
                if (!Types.Attributes.ContainsKey(a.Name)) problems.Add($"{e.Name}: attribute {a.Name} has no entry in {TypeFileName}");
                if (a.Origin != e.Origin) problems.Add($"{e.Name}: attribute {a.Name} has origin '{a.Origin}', its event '{e.Origin}'");
            }
        }
        foreach (var (name, type) in Types.Attributes)
        {
            if (type.Avro.ValueKind == JsonValueKind.String
                && type.Avro.GetString() is { } typeName
                && !IsPrimitive(typeName)
                && !Types.Enums.ContainsKey(typeName))
            {
                problems.Add($"attribute {name}: type '{typeName}' is neither a primitive nor an enumeration of {TypeFileName}");
            }
        }
        foreach (var (name, definition) in Types.Enums)
        {
            if (definition.Symbols.Count == 0) problems.Add($"enumeration {name} has no symbols");
            if (definition.Symbols.Select(s => s.Symbol).Distinct(StringComparer.Ordinal).Count() != definition.Symbols.Count)
                problems.Add($"enumeration {name} repeats a symbol");
            if (definition.Symbols.Select(s => s.Value).Distinct().Count() != definition.Symbols.Count)
                problems.Add($"enumeration {name} repeats a value");
            foreach (var symbol in definition.Symbols.Where(s => !AvroNames.IsLegal(s.Symbol)))
                problems.Add($"enumeration {name}: '{symbol.Symbol}' is not a legal Avro symbol");
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException("The attribute tables are inconsistent:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }

    private static bool IsPrimitive(string name) =>
        name is "null" or "boolean" or "int" or "long" or "float" or "double" or "bytes" or "string";
}

internal static class AvroNames
{
    /// <summary>The Avro specification's name rule: [A-Za-z_][A-Za-z0-9_]*.</summary>
    public static bool IsLegal(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && !name.AsSpan(1).ContainsAnyExcept(LegalRest);

    private static readonly System.Buffers.SearchValues<char> LegalRest =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
}
