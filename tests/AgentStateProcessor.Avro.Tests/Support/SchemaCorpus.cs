namespace AgentStateProcessor.Avro.Tests.Support;

/// <summary>A schema to cross-check, and whether python can take random datums for it.</summary>
/// <param name="WithDatums">
/// False for logical types python 1.11.1 converts to objects this harness does not build (decimal, date, uuid):
/// those schemas are checked for canonical form and fingerprint only.
/// </param>
public sealed record SchemaCase(string Id, string Json, bool WithDatums = true)
{
    public override string ToString() => Id;
}

/// <summary>
/// The hand-written corpus: every primitive, nested and namespaced named types, references, recursion, unions of
/// every kind, logical types, and docs/aliases/defaults/custom attributes that the canonical form strips.
/// Plus, at run time, every .avsc file committed under schemas/.
/// </summary>
public static class SchemaCorpus
{
    public static IReadOnlyList<SchemaCase> HandWritten { get; } =
    [
        new("null", "\"null\""),
        new("boolean", "\"boolean\""),
        new("int", "\"int\""),
        new("long", "\"long\""),
        new("float", "\"float\""),
        new("double", "\"double\""),
        new("bytes", "\"bytes\""),
        new("string", "\"string\""),
        new("int-object-form", """{"type": "int"}"""),
        new("timestamp-millis", """{"type": "long", "logicalType": "timestamp-millis"}"""),
        new("timestamp-micros", """{"type": "long", "logicalType": "timestamp-micros"}"""),
        new("unknown-logical-type-and-custom-attribute", """{"type": "string", "logicalType": "x-agent-id", "x-max": 64}"""),
        new("misplaced-logical-type", """{"type": "string", "logicalType": "timestamp-millis"}"""),
        new("decimal-bytes", """{"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}""", WithDatums: false),
        new("date-and-uuid", """
            {"type": "record", "name": "Dated", "fields": [
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
              {"name": "amount", "type": {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4}}]}
            """, WithDatums: false),
        new("enum", """{"type": "enum", "name": "Suit", "doc": "Card suits", "aliases": ["Kind"], "symbols": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"], "default": "CLUBS"}"""),
        new("fixed", """{"type": "fixed", "name": "md5", "namespace": "org.example.hash", "aliases": ["digest"], "size": 16}"""),
        new("array-of-long", """{"type": "array", "items": "long"}"""),
        new("map-of-string", """{"type": "map", "values": "string"}"""),
        new("nullable-string", """["null", "string"]"""),
        new("string-or-null", """["string", "null"]"""),
        new("union-of-all-primitives", """["null", "boolean", "int", "long", "float", "double", "bytes", "string"]"""),
        new("union-long-before-int", """["long", "int", "double", "float"]"""),
        new("union-bytes-and-fixed", """["bytes", {"type": "fixed", "name": "Four", "size": 4}]"""),
        new("union-fixed-before-bytes", """[{"type": "fixed", "name": "Two", "size": 2}, "bytes"]"""),
        new("union-of-collections", """["null", {"type": "array", "items": "int"}, {"type": "map", "values": ["null", "double"]}]"""),
        // Two things python 1.11.1 gets wrong are left out of this corpus (SchemaParsingTests covers them):
        // "namespace": "" (the null namespace, says the specification) it reads as "inherit the enclosing namespace";
        // and a simple name inside a namespace it looks up only there, never in the null namespace as Java does.
        new("namespaces", """
            {"type": "record", "name": "Holder", "fields": [
            {"name": "noNamespace", "type": {"type": "enum", "name": "NoNamespace", "symbols": ["RED", "GREEN", "BLUE"]}},
            {"name": "outer", "type":
            {"type": "record", "name": "Outer", "namespace": "com.example", "doc": "outer record", "aliases": ["Old", "org.legacy.Outer"],
             "x-owner": {"team": "voice", "tags": [1, 2]},
             "fields": [
               {"name": "id", "type": "long", "doc": "identity", "default": 0, "order": "descending", "aliases": ["ident"]},
               {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [{"name": "s", "type": "string", "default": "x"}]}},
               {"name": "innerAgain", "type": "Inner"},
               {"name": "innerByFullName", "type": ["null", "com.example.Inner"], "default": null},
               {"name": "other", "type": {"type": "record", "name": "org.other.Thing", "fields": [
                 {"name": "flag", "type": "boolean"},
                 {"name": "sameNamespaceEnum", "type": {"type": "enum", "name": "Level", "symbols": ["LOW", "HIGH"]}},
                 {"name": "back", "type": ["null", "com.example.Inner"]}]}},
               {"name": "level", "type": "org.other.Level"},
               {"name": "explicitNamespace", "type": {"type": "fixed", "name": "Id", "namespace": "net.ids", "size": 3}}
             ]}},
            {"name": "backInTheNullNamespace", "type": "NoNamespace"}]}
            """),
        new("same-short-name-in-two-namespaces", """
            {"type": "record", "name": "a.X", "fields": [
              {"name": "f", "type": {"type": "record", "name": "b.X", "fields": []}},
              {"name": "g", "type": ["null", "X"]},
              {"name": "h", "type": "b.X"}]}
            """),
        new("linked-list", """
            {"type": "record", "name": "LongList", "aliases": ["LinkedLongs"], "fields": [
              {"name": "value", "type": "long"},
              {"name": "next", "type": ["null", "LongList"]}]}
            """),
        new("tree", """
            {"type": "record", "name": "Tree", "namespace": "t", "fields": [
              {"name": "label", "type": "string"},
              {"name": "children", "type": {"type": "array", "items": "Tree"}},
              {"name": "attributes", "type": {"type": "map", "values": ["null", "Tree", "string"]}}]}
            """),
        new("logical-type-fields", """
            {"type": "record", "name": "Times", "fields": [
              {"name": "millis", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "micros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "maybe", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}], "default": null},
              {"name": "plain", "type": "long"}]}
            """),
        new("defaults-of-every-kind", """
            {"type": "record", "name": "Defaults", "fields": [
              {"name": "n", "type": "null", "default": null},
              {"name": "b", "type": "boolean", "default": true},
              {"name": "i", "type": "int", "default": -7},
              {"name": "l", "type": "long", "default": 9007199254740993},
              {"name": "f", "type": "float", "default": 1.5},
              {"name": "d", "type": "double", "default": -2.25e10},
              {"name": "by", "type": "bytes", "default": "\u00ff\u0000A"},
              {"name": "s", "type": "string", "default": "héllo"},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}, "default": "B"},
              {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "\u0001\u0002"},
              {"name": "a", "type": {"type": "array", "items": "int"}, "default": [1, 2, 3]},
              {"name": "m", "type": {"type": "map", "values": "string"}, "default": {"k": "v"}},
              {"name": "r", "type": {"type": "record", "name": "R", "fields": [{"name": "x", "type": "int", "default": 4}, {"name": "y", "type": "string"}]}, "default": {"y": "why"}},
              {"name": "u", "type": ["null", "int"], "default": null},
              {"name": "u2", "type": ["int", "null"], "default": 3}]}
            """),
        new("field-names-that-look-like-keywords", """
            {"type": "record", "name": "Keywords", "fields": [
              {"name": "type", "type": "string"}, {"name": "record", "type": "int"}, {"name": "null", "type": "null"},
              {"name": "_under_score9", "type": "boolean"}]}
            """),
        new("deep-nesting", """
            {"type": "array", "items": {"type": "array", "items": {"type": "map", "values": ["null",
              {"type": "record", "name": "Leaf", "fields": [{"name": "v", "type": ["null", "float", "string"]}]}]}}}
            """),
        new("union-of-records-and-enum", """
            {"type": "record", "name": "Envelope", "namespace": "env", "fields": [
              {"name": "payload", "type": [
                {"type": "record", "name": "Login", "fields": [{"name": "dn", "type": "string"}]},
                {"type": "record", "name": "Logout", "fields": [{"name": "dn", "type": "string"}, {"name": "reason", "type": ["null", "string"]}]},
                {"type": "enum", "name": "Signal", "symbols": ["PING", "PONG"]},
                "string"]}]}
            """),
        new("empty-record-and-zero-fixed", """
            {"type": "record", "name": "Empties", "fields": [
              {"name": "nothing", "type": {"type": "record", "name": "Nothing", "fields": []}},
              {"name": "zero", "type": {"type": "fixed", "name": "Zero", "size": 0}},
              {"name": "nulls", "type": {"type": "array", "items": "null"}},
              {"name": "nothings", "type": {"type": "map", "values": "Nothing"}}]}
            """),
        new("agent-event-like", """
            {"type": "record", "name": "EventAgentLogin", "namespace": "voice.events", "fields": [
              {"name": "ThisDN", "type": "string"},
              {"name": "AgentID", "type": ["null", "string"], "default": null},
              {"name": "AgentWorkMode", "type": ["null", {"type": "enum", "name": "AgentWorkMode", "symbols": ["AgentWorkModeUnknown", "AgentManualIn", "AgentAutoIn"]}], "default": null},
              {"name": "time", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "Extensions", "type": ["null", {"type": "map", "values": ["null", "boolean", "long", "double", "string",
                {"type": "array", "items": ["null", "boolean", "long", "double", "string"]}]}], "default": null}]}
            """),
    ];

    /// <summary>Every .avsc committed under schemas/ when the tests run, by path relative to the repository root.</summary>
    public static IReadOnlyList<SchemaCase> CommittedAvscFiles()
    {
        var root = RepositoryRoot.Find();
        var folder = Path.Combine(root, "schemas");
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, "*.avsc", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => new SchemaCase(Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path)))
            .ToList();
    }

    public static IReadOnlyList<SchemaCase> All() => [.. HandWritten, .. CommittedAvscFiles()];
}
