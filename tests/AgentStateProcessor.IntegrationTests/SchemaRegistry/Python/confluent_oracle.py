"""The python3-avro side of the Confluent wire-format cross-check (Apache Avro 1.11.1, Debian python3-avro).

Usage: /usr/bin/python3 confluent_oracle.py cases.json results.json

cases.json: {"schemas": {"agent": "<path of AgentSnapshot.avsc>", "dn": "..."},
             "decode": [{"schema": "agent", "hex": "<Confluent-framed value written by Confluent's .NET serializer>"}],
             "encode": [{"schema": "dn", "id": <registry id>, "datum": {<plain datum>}}]}
Plain datums are as in snapshot_oracle.py (unions unwrapped, enums as symbols, timestamps as epoch microseconds).

results.json: {"decoded": [{"magic": 0, "id": <schema id>, "trailingBytes": 0, "datum": {...}}],
               "encoded": ["<magic byte 0, the id big-endian, python's body>"]}
"""
import io
import json
import struct
import sys

import avro.io

from snapshot_oracle import body, load_cases, to_plain


def decode(schema, message):
    magic, (schema_id,), body = message[0], struct.unpack(">i", message[1:5]), message[5:]
    decoder = avro.io.BinaryDecoder(io.BytesIO(body))
    datum = avro.io.DatumReader(schema, schema).read(decoder)
    return {"magic": magic, "id": schema_id, "trailingBytes": len(body) - decoder.reader.tell(), "datum": to_plain(datum)}


def encode(schema, schema_id, datum):
    return (b"\x00" + struct.pack(">i", schema_id) + body(schema, datum)).hex()


def main(cases_path, results_path):
    cases, schemas = load_cases(cases_path)
    results = {
        "decoded": [decode(schemas[c["schema"]], bytes.fromhex(c["hex"])) for c in cases["decode"]],
        "encoded": [encode(schemas[c["schema"]], c["id"], c["datum"]) for c in cases["encode"]],
    }
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
