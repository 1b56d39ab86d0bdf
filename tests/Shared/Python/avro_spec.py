"""What the Avro specification says and python3-avro 1.11.1 does not quite: the Parsing Canonical Form of a
primitive that carries attributes, and the CRC-64-AVRO fingerprint, computed here bit by bit."""
import json

CRC64_EMPTY = 0xC15D213AA4D7A795
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def crc64_avro(data):
    """The Avro specification's 64-bit Rabin fingerprint, bit by bit."""
    fp = CRC64_EMPTY
    for byte in data:
        fp ^= byte
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC64_EMPTY & -(fp & 1))
    return fp


def canonical_form(schema):
    """python 1.11.1's Parsing Canonical Form, except that it writes a primitive carrying a logicalType as
    {"type":"long"} where the specification's [PRIMITIVES] rule makes it "long"; that one rule is applied here."""

    def primitive(node):
        if isinstance(node, dict):
            if set(node) == {"type"} and node["type"] in PRIMITIVES:
                return node["type"]
            return {key: primitive(value) for key, value in node.items()}
        if isinstance(node, list):
            return [primitive(value) for value in node]
        return node

    return json.dumps(primitive(json.loads(schema.canonical_form)), separators=(",", ":"))


def fingerprint(schema):
    """CRC-64-AVRO of the specification's canonical form."""
    return crc64_avro(canonical_form(schema).encode("utf-8"))
