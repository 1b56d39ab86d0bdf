"""Independent oracle for the C# Avro codec: Apache Avro 1.11.1 for Python (Debian python3-avro).

Usage: /usr/bin/python3 avro_oracle.py cases.json results.json

For every schema case it reports python's Parsing Canonical Form, the CRC-64-AVRO fingerprint, the canonical
form of the C# side's full JSON re-parsed, and for every datum (given in the Avro JSON encoding, as the C# side
wrote it, with the C# binary encoding) python's binary encoding and whether python decodes the C# bytes to it.

Datum conversion (Avro JSON encoding -> python datum):
- bytes and fixed: ISO-8859-1 strings -> bytes;
- long with logicalType timestamp-millis/-micros: python 1.11.1 validates and writes these only as timezone-aware
  datetime objects, so the epoch count is turned into one (and python decodes them back to datetimes);
- unions: the JSON wrapper {"branch": value} names the branch. Python's own DatumWriter.write_union picks the LAST
  branch that validates (1.11.1), which is an API heuristic, not part of the format; so the datum carries the
  branch index and write_union is overridden to write that index, while everything else (varints, blocks,
  strings, floats, records, enums, fixed, logical types) is python's own code.
"""
import datetime
import io
import json
import sys
import warnings

import avro.io
import avro.schema
import avro.timezones

warnings.simplefilter("ignore")  # unknown logical types warn; they are expected in the corpus

EMPTY = 0xC15D213AA4D7A795
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=avro.timezones.utc)
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def _fingerprint_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        table.append(fp)
    return table


TABLE = _fingerprint_table()


def crc64_avro(data: bytes) -> int:
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp


def spec_canonical(canonical_text: str) -> str:
    """python 1.11.1 writes a primitive that carries extra attributes (a logicalType, say) as {"type":"long"};
    the specification's [PRIMITIVES] rule (and the Java implementation) make it "long". Apply that one rule."""

    def fix(node):
        if isinstance(node, dict):
            if set(node.keys()) == {"type"} and node["type"] in PRIMITIVES:
                return node["type"]
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return json.dumps(fix(json.loads(canonical_text)), separators=(",", ":"))


class Branch:
    def __init__(self, index, value):
        self.index = index
        self.value = value


def branch_name(schema):
    return schema.fullname if isinstance(schema, avro.schema.NamedSchema) else schema.type


def from_avro_json(schema, value):
    t = schema.type
    if t == "union":
        if value is None:
            index = next(i for i, b in enumerate(schema.schemas) if b.type == "null")
            return Branch(index, None)
        ((name, inner),) = value.items()
        index = next(i for i, b in enumerate(schema.schemas) if branch_name(b) == name)
        return Branch(index, from_avro_json(schema.schemas[index], inner))
    if t in ("record", "error"):
        return {f.name: from_avro_json(f.type, value[f.name]) for f in schema.fields}
    if t == "array":
        return [from_avro_json(schema.items, v) for v in value]
    if t == "map":
        return {k: from_avro_json(schema.values, v) for k, v in value.items()}
    if t in ("bytes", "fixed"):
        return value.encode("latin-1")
    if t in ("float", "double"):
        return float(value)
    logical = getattr(schema, "logical_type", None)
    if t == "long" and logical == "timestamp-millis":
        return EPOCH + datetime.timedelta(microseconds=value * 1000)
    if t == "long" and logical == "timestamp-micros":
        return EPOCH + datetime.timedelta(microseconds=value)
    return value


def untag(value):
    if isinstance(value, Branch):
        return untag(value.value)
    if isinstance(value, dict):
        return {k: untag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [untag(v) for v in value]
    return value


class BranchHonouringWriter(avro.io.DatumWriter):
    def write_union(self, writers_schema, datum, encoder):
        encoder.write_long(datum.index)
        self.write_data(writers_schema.schemas[datum.index], datum.value, encoder)


def parse_json_number_keeping_negative_zero(text):
    # The C# side writes the double -0.0 as "-0"; as a python int it would lose its sign.
    return -0.0 if text == "-0" else int(text)


def run_datum(schema, datum_case):
    result = {"bytes": None, "encodeError": None, "decodedEqual": False, "decodeError": None, "decoded": None}
    datum = from_avro_json(schema, json.loads(datum_case["json"], parse_int=parse_json_number_keeping_negative_zero))
    plain = untag(datum)
    try:
        avro.io.validate(schema, plain, raise_on_error=True)
        out = io.BytesIO()
        BranchHonouringWriter(schema).write_data(schema, datum, avro.io.BinaryEncoder(out))
        result["bytes"] = out.getvalue().hex()
    except Exception as ex:  # reported, and the C# test fails with it
        result["encodeError"] = f"{type(ex).__name__}: {ex}"
    try:
        ours = bytes.fromhex(datum_case["bytes"])
        stream = io.BytesIO(ours)
        decoded = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(stream))
        if stream.tell() != len(ours):
            result["decodeError"] = f"python read {stream.tell()} of {len(ours)} bytes"
        result["decodedEqual"] = decoded == plain
        result["decoded"] = repr(decoded)[:2000]
    except Exception as ex:
        result["decodeError"] = f"{type(ex).__name__}: {ex}"
    return result


def run_case(case):
    result = {"id": case["id"], "error": None}
    try:
        schema = avro.schema.parse(case["schema"])
        raw = schema.canonical_form
        canonical = spec_canonical(raw)
        result["canonicalRaw"] = raw
        result["canonical"] = canonical
        result["fingerprint"] = format(crc64_avro(canonical.encode("utf-8")), "016x")
        result["reparsedCanonical"] = spec_canonical(avro.schema.parse(case["fullJson"]).canonical_form)
        result["datums"] = [run_datum(schema, d) for d in case["datums"]]
    except Exception as ex:
        result["error"] = f"{type(ex).__name__}: {ex}"
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    results = {
        "avroVersion": getattr(avro, "__version__", "?"),
        "emptyFingerprint": format(crc64_avro(b""), "016x"),
        "results": [run_case(c) for c in cases["cases"]],
        "rawFingerprints": [format(crc64_avro(bytes.fromhex(h)), "016x") for h in cases["rawBytes"]],
    }
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
