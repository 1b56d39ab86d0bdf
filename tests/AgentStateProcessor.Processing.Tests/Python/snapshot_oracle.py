"""The python3-avro side of the snapshot cross-check (Apache Avro 1.11.1, Debian python3-avro), also the
producer of Avro event input for the intake's cross-check.

Usage: /usr/bin/python3 snapshot_oracle.py cases.json results.json

cases.json: {"schemas": {"agent": "<path of AgentSnapshot.avsc>", "dn": "...", "dnV1": "<an earlier version>"},
             "decode": [{"schema": "agent", "hex": "<single-object message written by SnapshotCodec>",
                         "reader": "<optional: the schema to resolve to, as a consumer holding another version does>"}],
             "encode": [{"schema": "dn", "datum": {<plain datum>}}],
             "compatibility": [{"reader": "dn", "writer": "dnV1"}]}
A plain datum is what a consumer means by the value: unions unwrapped, enums as their symbol, maps as objects and
timestamps as microseconds since the epoch (python itself reads and writes those as datetime objects).

results.json: {"fingerprints": {"agent": "<16 hex digits>", ...},
               "decoded": [{"header": "c301", "fingerprint": "<hex>", "fingerprintMatches": bool, "datum": {...}}],
               "encoded": ["<single-object message: C3 01, python's fingerprint, python's body>"],
               "compatibility": [{"compatible": bool, "messages": [...]}]}
Compatibility is python3-avro's ReaderWriterCompatibilityChecker: can data written with "writer" be read with "reader".
"""
import datetime
import io
import json
import struct
import sys
import warnings

import avro.compatibility
import avro.io
import avro.schema

from avro_spec import fingerprint

warnings.simplefilter("ignore")

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def is_timestamp_micros(schema):
    return schema.type == "long" and schema.get_prop("logicalType") == "timestamp-micros"


def to_plain(value):
    if isinstance(value, datetime.datetime):
        return (value - EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value


def to_python(schema, value):
    if schema.type == "union":
        if value is None:
            return None
        branch = next(b for b in schema.schemas if b.type != "null")
        return to_python(branch, value)
    if schema.type == "record":
        return {field.name: to_python(field.type, value[field.name]) for field in schema.fields}
    if schema.type == "array":
        return [to_python(schema.items, item) for item in value]
    if schema.type == "map":
        return {key: to_python(schema.values, item) for key, item in value.items()}
    if is_timestamp_micros(schema):
        return EPOCH + datetime.timedelta(microseconds=value)
    return value


def decode(schema, expected_fingerprint, message, reader=None):
    header, fp_bytes, body = message[:2], message[2:10], message[10:]
    (written_fingerprint,) = struct.unpack("<Q", fp_bytes)
    decoder = avro.io.BinaryDecoder(io.BytesIO(body))
    datum = avro.io.DatumReader(schema, reader or schema).read(decoder)
    return {
        "header": header.hex(),
        "fingerprint": "%016x" % written_fingerprint,
        "fingerprintMatches": written_fingerprint == expected_fingerprint,
        "trailingBytes": len(body) - decoder.reader.tell(),
        "datum": to_plain(datum),
    }


def body(schema, datum):
    """The Avro binary body of a plain datum, as python3-avro writes it."""
    buffer = io.BytesIO()
    avro.io.DatumWriter(schema).write(to_python(schema, datum), avro.io.BinaryEncoder(buffer))
    return buffer.getvalue()


def encode(schema, schema_fingerprint, datum):
    return (b"\xc3\x01" + struct.pack("<Q", schema_fingerprint) + body(schema, datum)).hex()


def compatibility(reader, writer):
    result = avro.compatibility.ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    return {
        "compatible": result.compatibility == avro.compatibility.SchemaCompatibilityType.compatible,
        "messages": sorted(str(message) for message in result.messages),
    }


def load_cases(cases_path):
    """The cases file and its schemas, parsed by name."""
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    schemas = {}
    for name, path in cases["schemas"].items():
        with open(path, encoding="utf-8") as f:
            schemas[name] = avro.schema.parse(f.read())
    return cases, schemas


def main(cases_path, results_path):
    cases, schemas = load_cases(cases_path)
    fingerprints = {name: fingerprint(schema) for name, schema in schemas.items()}
    results = {
        "fingerprints": {name: "%016x" % fp for name, fp in fingerprints.items()},
        "decoded": [
            decode(schemas[c["schema"]], fingerprints[c["schema"]], bytes.fromhex(c["hex"]), schemas.get(c.get("reader")))
            for c in cases["decode"]
        ],
        "encoded": [encode(schemas[c["schema"]], fingerprints[c["schema"]], c["datum"]) for c in cases["encode"]],
        "compatibility": [compatibility(schemas[c["reader"]], schemas[c["writer"]]) for c in cases.get("compatibility", [])],
    }
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
