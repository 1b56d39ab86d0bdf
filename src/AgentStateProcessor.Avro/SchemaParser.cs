using System.Text.Json;

namespace AgentStateProcessor.Avro;

/// <summary>Turns schema JSON into <see cref="AvroSchema"/> objects, enforcing the rules of the Avro 1.11 specification.</summary>
internal sealed class SchemaParser
{
    private static readonly HashSet<string> RecordAttributes = ["type", "name", "namespace", "doc", "aliases", "fields"];
    private static readonly HashSet<string> EnumAttributes = ["type", "name", "namespace", "doc", "aliases", "symbols", "default"];
    private static readonly HashSet<string> FixedAttributes = ["type", "name", "namespace", "doc", "aliases", "size"];
    private static readonly HashSet<string> ArrayAttributes = ["type", "items"];
    private static readonly HashSet<string> MapAttributes = ["type", "values"];
    private static readonly HashSet<string> PrimitiveAttributes = ["type"];
    private static readonly HashSet<string> FieldAttributes = ["name", "type", "doc", "default", "order", "aliases"];

    private readonly Dictionary<string, NamedSchema> _namedTypes = new(StringComparer.Ordinal);
    private readonly List<AvroField> _fieldsWithDefaults = [];

    public static AvroSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new AvroSchemaException($"Schema is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var parser = new SchemaParser();
            var schema = parser.ParseSchema(document.RootElement, enclosingNamespace: null);
            // Defaults are checked last: a default may hold a record whose fields were not yet parsed when it was read.
            foreach (var field in parser._fieldsWithDefaults)
            {
                _ = field.DefaultValue;
            }
            ComputeDecoderBounds(schema, new HashSet<AvroSchema>(ReferenceEqualityComparer.Instance));
            return schema;
        }
    }

    /// <summary>Computes each schema's lazily cached decoder bound now, before the schema is shared between threads.</summary>
    private static void ComputeDecoderBounds(AvroSchema schema, HashSet<AvroSchema> visited)
    {
        if (!visited.Add(schema))
        {
            return;
        }
        switch (schema)
        {
            case RecordSchema record:
                foreach (var field in record.FieldArray)
                {
                    ComputeDecoderBounds(field.Schema, visited);
                }
                break;
            case ArraySchema array:
                ComputeDecoderBounds(array.Items, visited);
                break;
            case MapSchema map:
                ComputeDecoderBounds(map.Values, visited);
                break;
            case UnionSchema union:
                foreach (var branch in union.BranchArray)
                {
                    ComputeDecoderBounds(branch, visited);
                }
                break;
        }
        _ = schema.MinEncodedSize;
    }

    private AvroSchema ParseSchema(JsonElement element, string? enclosingNamespace) => element.ValueKind switch
    {
        JsonValueKind.String => ResolveTypeName(element.GetString()!, enclosingNamespace),
        JsonValueKind.Array => ParseUnion(element, enclosingNamespace),
        JsonValueKind.Object => ParseObject(element, enclosingNamespace),
        _ => throw new AvroSchemaException($"A schema must be a JSON string, object or array, not {Describe(element)}."),
    };

    private AvroSchema ResolveTypeName(string name, string? enclosingNamespace)
    {
        if (AvroTypeNames.TryParsePrimitive(name, out var primitive))
        {
            return PrimitiveSchema.Get(primitive);
        }
        if (TryResolveNamed(name, enclosingNamespace, out var named))
        {
            return named;
        }
        throw new AvroSchemaException(
            $"Unknown type '{name}'" + (enclosingNamespace is null ? "" : $" (looked up in namespace '{enclosingNamespace}')") +
            ": not a primitive type and no named type of that name is defined before this point.");
    }

    private bool TryResolveNamed(string name, string? enclosingNamespace, out NamedSchema named)
    {
        if (!name.Contains('.') && enclosingNamespace is not null &&
            _namedTypes.TryGetValue(enclosingNamespace + "." + name, out named!))
        {
            return true;
        }
        // Like the Java implementation, a simple name not found in the enclosing namespace is tried in the null namespace.
        return _namedTypes.TryGetValue(name, out named!);
    }

    private AvroSchema ParseObject(JsonElement element, string? enclosingNamespace)
    {
        if (!element.TryGetProperty("type", out var typeElement))
        {
            throw new AvroSchemaException($"Schema object has no \"type\" attribute: {Abbreviate(element)}");
        }
        if (typeElement.ValueKind != JsonValueKind.String)
        {
            throw new AvroSchemaException($"The \"type\" attribute of a schema object must be a string, not {Describe(typeElement)}: {Abbreviate(element)}");
        }

        var type = typeElement.GetString()!;
        if (AvroTypeNames.TryParsePrimitive(type, out var primitive))
        {
            return ParsePrimitive(element, primitive);
        }
        switch (type)
        {
            case "record":
                return ParseRecord(element, enclosingNamespace);
            case "enum":
                return ParseEnum(element, enclosingNamespace);
            case "fixed":
                return ParseFixed(element, enclosingNamespace);
            case "array":
                return new ArraySchema(
                    ParseSchema(RequiredProperty(element, "items", "array"), enclosingNamespace),
                    ExtraProperties(element, ArrayAttributes, logicalTypeKept: false));
            case "map":
                return new MapSchema(
                    ParseSchema(RequiredProperty(element, "values", "map"), enclosingNamespace),
                    ExtraProperties(element, MapAttributes, logicalTypeKept: false));
            case "error":
                throw new AvroSchemaException("Type \"error\" is only valid inside an Avro protocol, not in a schema.");
        }
        if (TryResolveNamed(type, enclosingNamespace, out var named))
        {
            return named;
        }
        throw new AvroSchemaException($"Unknown type '{type}' in {Abbreviate(element)}");
    }

    private static PrimitiveSchema ParsePrimitive(JsonElement element, AvroType type)
    {
        var logicalType = LogicalTypes.Recognize(element, type, fixedSize: 0);
        var properties = ExtraProperties(element, PrimitiveAttributes, logicalTypeKept: logicalType is not null);
        return logicalType is null && properties.Length == 0
            ? PrimitiveSchema.Get(type)
            : new PrimitiveSchema(type, logicalType, properties);
    }

    private RecordSchema ParseRecord(JsonElement element, string? enclosingNamespace)
    {
        var name = ParseTypeName(element, enclosingNamespace, "record");
        var record = new RecordSchema(
            name,
            ParseAliases(element, name.Namespace, "record " + name.FullName),
            OptionalString(element, "doc", "record " + name.FullName),
            ExtraProperties(element, RecordAttributes, logicalTypeKept: false));
        Register(record);

        var fieldsElement = RequiredProperty(element, "fields", "record " + name.FullName);
        if (fieldsElement.ValueKind != JsonValueKind.Array)
        {
            throw new AvroSchemaException($"Record {name.FullName}: \"fields\" must be an array, not {Describe(fieldsElement)}.");
        }

        var fields = new AvroField[fieldsElement.GetArrayLength()];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var fieldElement in fieldsElement.EnumerateArray())
        {
            var field = ParseField(fieldElement, position, name);
            if (!seen.Add(field.Name))
            {
                throw new AvroSchemaException($"Record {name.FullName} has two fields named '{field.Name}'.");
            }
            fields[position++] = field;
        }
        record.SetFields(fields);
        return record;
    }

    private AvroField ParseField(JsonElement element, int position, SchemaName record)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new AvroSchemaException($"Record {record.FullName}: field {position} must be a JSON object, not {Describe(element)}.");
        }
        var nameElement = RequiredProperty(element, "name", $"field {position} of record {record.FullName}");
        if (nameElement.ValueKind != JsonValueKind.String || !AvroNames.IsValidName(nameElement.GetString()!))
        {
            throw new AvroSchemaException(
                $"Record {record.FullName}: field name {nameElement.GetRawText()} is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*).");
        }
        var name = nameElement.GetString()!;
        var context = $"field {record.FullName}.{name}";

        AvroSchema schema;
        try
        {
            schema = ParseSchema(RequiredProperty(element, "type", context), record.Namespace);
        }
        catch (AvroSchemaException ex) when (!ex.Message.StartsWith("In field ", StringComparison.Ordinal))
        {
            throw new AvroSchemaException($"In {context}: {ex.Message}", ex);
        }

        string? order = null;
        if (element.TryGetProperty("order", out var orderElement))
        {
            order = orderElement.ValueKind == JsonValueKind.String ? orderElement.GetString() : null;
            if (order is not ("ascending" or "descending" or "ignore"))
            {
                throw new AvroSchemaException($"In {context}: \"order\" must be \"ascending\", \"descending\" or \"ignore\", not {orderElement.GetRawText()}.");
            }
        }

        JsonElement? defaultJson = element.TryGetProperty("default", out var defaultElement) ? defaultElement.Clone() : null;
        var field = new AvroField(
            name,
            position,
            schema,
            OptionalString(element, "doc", context),
            defaultJson,
            order,
            ParseFieldAliases(element, context),
            ExtraProperties(element, FieldAttributes, logicalTypeKept: false));
        if (defaultJson.HasValue)
        {
            _fieldsWithDefaults.Add(field);
        }
        return field;
    }

    private EnumSchema ParseEnum(JsonElement element, string? enclosingNamespace)
    {
        var name = ParseTypeName(element, enclosingNamespace, "enum");
        var context = "enum " + name.FullName;
        var symbolsElement = RequiredProperty(element, "symbols", context);
        if (symbolsElement.ValueKind != JsonValueKind.Array)
        {
            throw new AvroSchemaException($"Enum {name.FullName}: \"symbols\" must be an array, not {Describe(symbolsElement)}.");
        }

        var symbols = new string[symbolsElement.GetArrayLength()];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var symbolElement in symbolsElement.EnumerateArray())
        {
            var symbol = symbolElement.ValueKind == JsonValueKind.String ? symbolElement.GetString()! : null;
            if (symbol is null || !AvroNames.IsValidName(symbol))
            {
                throw new AvroSchemaException($"Enum {name.FullName}: symbol {symbolElement.GetRawText()} is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*).");
            }
            if (!seen.Add(symbol))
            {
                throw new AvroSchemaException($"Enum {name.FullName} lists symbol '{symbol}' twice.");
            }
            symbols[index++] = symbol;
        }

        var defaultSymbol = OptionalString(element, "default", context);
        if (defaultSymbol is not null && !seen.Contains(defaultSymbol))
        {
            throw new AvroSchemaException($"Enum {name.FullName}: default '{defaultSymbol}' is not one of its symbols.");
        }

        var schema = new EnumSchema(
            name,
            ParseAliases(element, name.Namespace, context),
            OptionalString(element, "doc", context),
            symbols,
            defaultSymbol,
            ExtraProperties(element, EnumAttributes, logicalTypeKept: false));
        Register(schema);
        return schema;
    }

    private FixedSchema ParseFixed(JsonElement element, string? enclosingNamespace)
    {
        var name = ParseTypeName(element, enclosingNamespace, "fixed");
        var context = "fixed " + name.FullName;
        var sizeElement = RequiredProperty(element, "size", context);
        if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt32(out var size) || size < 0)
        {
            throw new AvroSchemaException($"Fixed {name.FullName}: \"size\" must be a non-negative integer, not {sizeElement.GetRawText()}.");
        }

        var logicalType = LogicalTypes.Recognize(element, AvroType.Fixed, size);
        var schema = new FixedSchema(
            name,
            ParseAliases(element, name.Namespace, context),
            OptionalString(element, "doc", context),
            size,
            logicalType,
            ExtraProperties(element, FixedAttributes, logicalTypeKept: logicalType is not null));
        Register(schema);
        return schema;
    }

    private UnionSchema ParseUnion(JsonElement element, string? enclosingNamespace)
    {
        var branches = new AvroSchema[element.GetArrayLength()];
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var branchElement in element.EnumerateArray())
        {
            var branch = ParseSchema(branchElement, enclosingNamespace);
            if (branch is UnionSchema)
            {
                throw new AvroSchemaException("A union may not immediately contain another union.");
            }
            // Unnamed types may appear once each; named types once per full name.
            var key = branch is NamedSchema named ? "named:" + named.FullName : branch.Type.ToSchemaName();
            if (!seenKeys.Add(key))
            {
                throw new AvroSchemaException(
                    $"A union may not contain two branches of the same type: '{(branch is NamedSchema n ? n.FullName : key)}' appears twice.");
            }
            branches[index++] = branch;
        }
        return new UnionSchema(branches);
    }

    private static SchemaName ParseTypeName(JsonElement element, string? enclosingNamespace, string kind)
    {
        var nameElement = RequiredProperty(element, "name", "a " + kind);
        if (nameElement.ValueKind != JsonValueKind.String)
        {
            throw new AvroSchemaException($"The name of a {kind} must be a string, not {Describe(nameElement)}.");
        }
        var written = nameElement.GetString()!;

        string name;
        string? space;
        var lastDot = written.LastIndexOf('.');
        if (lastDot >= 0)
        {
            // A dotted name is a full name; any "namespace" attribute is ignored, as the specification says.
            name = written[(lastDot + 1)..];
            space = written[..lastDot];
        }
        else
        {
            name = written;
            space = enclosingNamespace;
            if (element.TryGetProperty("namespace", out var namespaceElement))
            {
                space = namespaceElement.ValueKind switch
                {
                    JsonValueKind.String => namespaceElement.GetString(),
                    JsonValueKind.Null => null,
                    _ => throw new AvroSchemaException(
                        $"The namespace of {kind} {written} must be a string, not {Describe(namespaceElement)}."),
                };
            }
        }
        if (space == "")
        {
            space = null;
        }

        if (!AvroNames.IsValidName(name))
        {
            throw new AvroSchemaException($"'{written}' is not a valid {kind} name: a name is [A-Za-z_][A-Za-z0-9_]*, optionally qualified by a dotted namespace.");
        }
        if (space is not null && !AvroNames.IsValidNamespace(space))
        {
            throw new AvroSchemaException($"'{space}' is not a valid namespace for {kind} {name}: namespaces are dot-separated names.");
        }
        if (AvroTypeNames.TryParsePrimitive(name, out _))
        {
            throw new AvroSchemaException($"A {kind} may not be named '{name}': primitive type names cannot be redefined.");
        }
        return new SchemaName(name, space);
    }

    private void Register(NamedSchema schema)
    {
        if (!_namedTypes.TryAdd(schema.FullName, schema))
        {
            throw new AvroSchemaException($"The named type '{schema.FullName}' is defined twice.");
        }
    }

    private static string[] ParseAliases(JsonElement element, string? space, string context)
    {
        if (!element.TryGetProperty("aliases", out var aliasesElement))
        {
            return [];
        }
        var aliases = ReadStringArray(aliasesElement, "aliases", context);
        for (var i = 0; i < aliases.Length; i++)
        {
            var alias = aliases[i];
            var valid = alias.Contains('.') ? AvroNames.IsValidNamespace(alias) : AvroNames.IsValidName(alias);
            if (!valid)
            {
                throw new AvroSchemaException($"In {context}: alias '{alias}' is not a valid name.");
            }
            if (!alias.Contains('.') && space is not null)
            {
                aliases[i] = space + "." + alias;
            }
        }
        return aliases;
    }

    private static string[] ParseFieldAliases(JsonElement element, string context)
    {
        if (!element.TryGetProperty("aliases", out var aliasesElement))
        {
            return [];
        }
        var aliases = ReadStringArray(aliasesElement, "aliases", context);
        foreach (var alias in aliases)
        {
            if (!AvroNames.IsValidName(alias))
            {
                throw new AvroSchemaException($"In {context}: alias '{alias}' is not a valid field name.");
            }
        }
        return aliases;
    }

    private static string[] ReadStringArray(JsonElement element, string attribute, string context)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new AvroSchemaException($"In {context}: \"{attribute}\" must be an array of strings, not {Describe(element)}.");
        }
        var values = new string[element.GetArrayLength()];
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new AvroSchemaException($"In {context}: \"{attribute}\" must be an array of strings, but holds {Describe(item)}.");
            }
            values[index++] = item.GetString()!;
        }
        return values;
    }

    private static JsonElement RequiredProperty(JsonElement element, string attribute, string context) =>
        element.TryGetProperty(attribute, out var value)
            ? value
            : throw new AvroSchemaException($"Missing required attribute \"{attribute}\" in {context}: {Abbreviate(element)}");

    private static string? OptionalString(JsonElement element, string attribute, string context)
    {
        if (!element.TryGetProperty(attribute, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new AvroSchemaException($"In {context}: \"{attribute}\" must be a string, not {Describe(value)}.");
    }

    /// <summary>Attributes outside the specification's list for this kind of schema, kept so ToString can reproduce them.</summary>
    private static SchemaProperty[] ExtraProperties(JsonElement element, HashSet<string> specified, bool logicalTypeKept)
    {
        List<SchemaProperty>? extra = null;
        foreach (var property in element.EnumerateObject())
        {
            if (specified.Contains(property.Name) || (logicalTypeKept && property.Name == "logicalType"))
            {
                continue;
            }
            (extra ??= []).Add(new SchemaProperty(property.Name, property.Value.Clone()));
        }
        return extra is null ? [] : [.. extra];
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    private static string Abbreviate(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}

internal static class AvroNames
{
    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsValidNamespace(string space)
    {
        foreach (var part in space.Split('.'))
        {
            if (!IsValidName(part))
            {
                return false;
            }
        }
        return true;
    }
}
