using AgentStateProcessor.TestSupport;
using AgentStateProcessor.Avro.Tests.Support;

namespace AgentStateProcessor.Avro.Tests.CrossCheck;

/// <summary>
/// Our codec against Apache Avro 1.11.1 for Python, over the hand-written corpus and every .avsc under schemas/.
/// One known deviation of python 1.11.1 is corrected on the python side before comparing: it writes primitives that
/// carry attributes as {"type":"long"} in the canonical form, where the specification's [PRIMITIVES] rule (and the
/// Java implementation) write "long" (see Python/avro_oracle.py, spec_canonical).
/// </summary>
public sealed class PythonCrossCheckTests(PythonOracleFixture oracle) : IClassFixture<PythonOracleFixture>
{
    public static TheoryData<string> AllSchemas() => [.. SchemaCorpus.All().Select(c => c.Id)];

    public static TheoryData<string> SchemasWithDatums() => [.. SchemaCorpus.All().Where(c => c.WithDatums).Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(AllSchemas))]
    public void Canonical_form_equals_pythons(string id)
    {
        var (schema, found) = oracle.Parsed(id);

        Assert.Equal(found.Python["canonical"]!.GetValue<string>(), schema.ToCanonicalForm());
    }

    [Theory]
    [MemberData(nameof(AllSchemas))]
    public void Fingerprint_equals_pythons_crc64_of_the_canonical_form(string id)
    {
        var (schema, found) = oracle.Parsed(id);

        Assert.Equal(found.Python["fingerprint"]!.GetValue<string>(), schema.Fingerprint64.ToString("x16"));
    }

    [Theory]
    [MemberData(nameof(AllSchemas))]
    public void Full_json_from_ToString_parses_in_python_to_the_same_schema(string id)
    {
        var (schema, found) = oracle.Parsed(id);

        Assert.Equal(schema.ToCanonicalForm(), found.Python["reparsedCanonical"]!.GetValue<string>());
        Assert.Equal(schema.ToCanonicalForm(), AvroSchema.Parse(schema.ToString()).ToCanonicalForm());
    }

    [Theory]
    [MemberData(nameof(SchemasWithDatums))]
    public void Binary_encoding_equals_pythons_for_random_values(string id)
    {
        var (_, found) = oracle.Parsed(id);
        var pythonDatums = found.Python["datums"]!.AsArray();
        Assert.Equal(found.Datums.Count, pythonDatums.Count);
        Assert.NotEmpty(found.Datums);

        for (var i = 0; i < found.Datums.Count; i++)
        {
            var python = pythonDatums[i]!;
            Assert.True(python["encodeError"] is null, $"python could not encode datum {i} {found.Datums[i].Json}: {python["encodeError"]}");
            Assert.True(
                python["bytes"]!.GetValue<string>() == Convert.ToHexStringLower(found.Datums[i].Bytes),
                $"datum {i} {found.Datums[i].Json}: python {python["bytes"]}, ours {Convert.ToHexStringLower(found.Datums[i].Bytes)}");
        }
    }

    [Theory]
    [MemberData(nameof(SchemasWithDatums))]
    public void Python_decodes_our_bytes_to_the_datum(string id)
    {
        var (_, found) = oracle.Parsed(id);
        var pythonDatums = found.Python["datums"]!.AsArray();
        Assert.NotEmpty(found.Datums);

        for (var i = 0; i < found.Datums.Count; i++)
        {
            var python = pythonDatums[i]!;
            Assert.True(python["decodeError"] is null, $"python could not decode datum {i} {found.Datums[i].Json}: {python["decodeError"]}");
            Assert.True(
                python["decodedEqual"]!.GetValue<bool>(),
                $"datum {i}: python decoded {python["decoded"]} from our bytes, we meant {found.Datums[i].Json}");
        }
    }

    [Theory]
    [MemberData(nameof(SchemasWithDatums))]
    public void We_decode_pythons_bytes_to_the_value(string id)
    {
        var (schema, found) = oracle.Parsed(id);
        var pythonDatums = found.Python["datums"]!.AsArray();
        Assert.NotEmpty(found.Datums);

        for (var i = 0; i < found.Datums.Count; i++)
        {
            var pythonBytes = Convert.FromHexString(pythonDatums[i]!["bytes"]!.GetValue<string>());
            var decoded = AvroBinary.Decode(schema, pythonBytes);
            Assert.True(
                GenericValueEquality.ValuesEqual(found.Datums[i].Value, decoded),
                $"datum {i}: decoded {AvroJson.ToJson(schema, decoded)}, expected {found.Datums[i].Json}");
        }
    }

    [Fact]
    public void Every_committed_avsc_file_was_cross_checked()
    {
        var committed = SchemaCorpus.CommittedAvscFiles();

        foreach (var file in committed)
        {
            Assert.True(oracle.Cases.ContainsKey(file.Id), $"{file.Id} was not sent to python");
            Assert.Null(oracle.Cases[file.Id].ParseError);
        }
        Assert.Equal(SchemaCorpus.HandWritten.Count + committed.Count, oracle.Results["results"]!.AsArray().Count);
    }

    [Fact]
    public void Fingerprint_of_no_bytes_is_the_specifications_empty_value_in_both_implementations()
    {
        Assert.Equal(0xc15d213aa4d7a795UL, Crc64Avro.Compute([]));
        Assert.Equal("c15d213aa4d7a795", oracle.Results["emptyFingerprint"]!.GetValue<string>());
    }

    [Fact]
    public void Crc64_of_random_byte_strings_equals_pythons()
    {
        var python = oracle.Results["rawFingerprints"]!.AsArray();
        Assert.Equal(oracle.RawBytes.Count, python.Count);

        for (var i = 0; i < oracle.RawBytes.Count; i++)
        {
            Assert.Equal(python[i]!.GetValue<string>(), Crc64Avro.Compute(oracle.RawBytes[i]).ToString("x16"));
        }
    }
}
