#!/usr/bin/python3
"""Regenerates serializer.json and serializer_invalid.json from Debian's python3-execnet 1.9.

    /usr/bin/python3 vectors/generate.py [OUTPUT_DIR]     (default: the folder of this script)

Every byte string and outcome is computed by the installed execnet; this file only lists the
cases (values, hand-written inputs, descriptions). One thing it cannot compute and carries over
from the committed serializer_invalid.json next to this script: the "execnet_2x" outcomes,
recorded once with execnet 2.x, which Debian does not ship. Set and dict orders depend on string hashing, so the script re-runs
itself with PYTHONHASHSEED=0.
"""
import json
import os
import struct
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import execnet  # noqa: E402
from execnet import gateway_base  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = "execnet %s (Debian python3-execnet) on CPython %s" % (
    execnet.__version__, ".".join(map(str, sys.version_info[:3])))


class Channel(gateway_base.Channel):
    """A stand-in channel: execnet dispatches on the type's name, and only the id is dumped."""

    def __init__(self, id):
        self.id = id

    def __del__(self):
        pass


class Custom:
    pass


class IntSub(int):
    pass


class MyList(list):
    pass


def nested(levels):
    value = 1
    for _ in range(levels):
        value = [value]
    return value


MIXED_ITEM = {"k": ("t", [1, {"n": None}], frozenset({2})), "b": b"\x01"}
CHANNEL_NOTE = ("public execnet.loads() cannot load channel refs (no gateway); "
                "inside a gateway the id is resolved to a Channel object")

VECTORS = [
    ("None", None), ("True", True), ("False", False),
    ("int zero", 0), ("int one", 1), ("int minus one", -1), ("int 255", 255), ("int 65536", 65536),
    ("int32 max 2**31-1 (largest value using INT)", 2**31 - 1),
    ("int32 min -2**31 (smallest value using INT)", -2**31),
    ("2**31: first value encoded as LONGINT decimal text", 2**31),
    ("2**63", 2**63), ("2**100", 2**100), ("10**40 + 7", 10**40 + 7),
    ("float 0.0", 0.0), ("float -0.0 (sign bit kept)", -0.0), ("float 1.5", 1.5),
    ("float pi", 3.141592653589793), ("float tiny denormal 5e-324", 5e-324), ("float -1e300", -1e300),
    ("float +inf", float("inf")), ("float -inf", float("-inf")),
    ("float nan (CPython default quiet NaN bits)", float("nan")),
    ("complex 1-2j", complex(1, -2)), ("complex 0+1j", complex(0, 1)),
    ("complex with inf and nan parts", complex(float("inf"), float("nan"))),
    ("bytes empty", b""), ("bytes 00 ff", b"\x00\xff"), ("bytes 0..255", bytes(range(256))),
    ("str empty", ""), ("str ascii", "abc"), ("str latin1+BMP 'h\u00e9llo \u2713'", "h\u00e9llo \u2713"),
    ("str astral emoji (4-byte UTF-8)", "\U0001F600"), ("str containing NUL and newline", "a\x00b\nc"),
    ("tuple empty", ()), ("tuple one element", (1,)), ("tuple mixed", (1, "two", None, 3.0)),
    ("list empty", []), ("list nested [1,[2]]", [1, [2]]), ("list of 300 ints", list(range(300))),
    ("dict empty", {}), ("dict {'a': 1}", {"a": 1}),
    ("dict with int/tuple/None/bool/frozenset keys (insertion order)",
     {1: "int key", (1, 2): "tuple key", None: "none key", False: "false key",
      frozenset({3}): "frozenset key", "x": [1]}),
    ("set empty", set()), ("set {1,2,3}", {1, 2, 3}),
    ("set of strings (order = CPython iteration order with PYTHONHASHSEED=0)", {"a", "b", "c"}),
    ("frozenset empty", frozenset()), ("frozenset {'a'}", frozenset({"a"})),
    ("list nested 41 levels deep", nested(40)),
    ("mixed nested structure", [MIXED_ITEM, (MIXED_ITEM, [MIXED_ITEM])]),
    ("large str 66000 chars / 110000 UTF-8 bytes (lengths > 65535)", "ab\u2713" * 22000),
    ("large bytes 66000 (byte i = i mod 251)", bytes(i % 251 for i in range(66000))),
    ("channel reference id 1 (host-allocated id)", Channel(1)),
    ("channel reference id 2 (remote-allocated id)", Channel(2)),
    ("tuple containing channel 5 and a str", (Channel(5), "x")),
]

DECODE_ONLY = [
    ("PY2STRING 'abc' with public loads defaults (py2str_as_py3str=False) -> bytes", "014d0000000361626351", {}),
    ("PY2STRING 'abc' with py2str_as_py3str=True -> str", "014d0000000361626351", {"py2str_as_py3str": True}),
    ("PY2STRING byte e9 with py2str_as_py3str=True -> latin-1 decoded '\u00e9'", "014d00000001e951",
     {"py2str_as_py3str": True}),
    ("PY2STRING byte e9 with py2str_as_py3str=False -> raw bytes", "014d00000001e951", {"py2str_as_py3str": False}),
    ("UNICODE (py2 unicode) '\u00e9\u2713' -> always UTF-8 decoded str", "015300000005c3a9e29c9351", {}),
    ("PY3STRING with py3str_as_py2str=True: execnet 1.9 on Python 3 ignores the flag -> str (2.x returns bytes!)",
     "014e00000002686951", {"py3str_as_py2str": True}),
    ("LONG (py2 long, 4-byte) 7 -> int", "01470000000751", {}),
    ("LONGLONG (py2 long, decimal text) '123456789012345678901234567890' -> int",
     "01490000001e" + b"123456789012345678901234567890".hex() + "51", {}),
    ("LONGINT holding a small value '5' -> int 5 (non-canonical but accepted)", "0148000000013551", {}),
    ("LONGINT holding negative -2**100 (how a better encoder can send big negative ints; "
     "execnet 1.9 itself cannot dump them)", "014800000020" + str(-2**100).encode().hex() + "51", {}),
    ("LONGINT with surrounding whitespace and underscore ' 1_000 ' (Python int() accepts it)",
     "01480000000720315f3030302051", {}),
    ("dict with a repeated key: later SETITEM wins", "014a4600000001460000000250460000000146000000035051", {}),
    ("NEWLIST 3 with only index 1 set -> [None, 5, None]", "014b00000003460000000146000000055051", {}),
    ("BUILDTUPLE count larger than stack -> takes what is there (lenient)", "014600000009400000000551", {}),
    ("NEWLIST negative length -> empty list (lenient)", "014bffffffff51", {}),
    ("trailing bytes after STOP are ignored", "014c5167617262616765", {}),
    ("SETITEM into a list with an out-of-order index (index 0 set last)",
     "014b00000002460000000143504600000000525051", {}),
    ("SETITEM only touches the three topmost stack entries: an int pushed earlier stays and becomes the "
     "first tuple element", "0146000000014a4c4c50400000000251", {}),
]

DUMP_ERRORS = [
    ("negative int below -2**31 (-2**31-1)", -2**31 - 1,
     "execnet 1.9 emits INT and struct.pack fails: raises struct.error, NOT DumpError"),
    ("negative int -2**100", -2**100, "same: struct.error, NOT DumpError"),
    ("str with lone surrogate U+D800", "\ud800", "DumpError: strings must be utf-8 encodable"),
    ("instance of a user class", Custom(), "DumpError: can't serialize <class ...>"),
    ("int subclass instance", IntSub(3), "DumpError: dispatch is on the exact type name, subclasses are rejected"),
    ("list subclass instance", MyList([1]), "DumpError"),
    ("dict containing an unserializable value", {"a": 1, "b": object()},
     "DumpError; note that partial output was produced before the failure"),
]

INVALID = [
    ("empty input (no version byte)", ""),
    ("version byte 0x02 (what execnet >= 2.0 dumps() writes)", "024c51"),
    ("version byte 0x00", "004c51"),
    ("opcode stream without version byte (wire/internal form passed to public loads)", "4c51"),
    ("unknown opcode 'Z' (0x5a)", "015a"),
    ("unknown opcode 0x3f (just below '@')", "013f51"),
    ("unknown opcode 0x55 (just above 'T')", "015551"),
    ("unknown opcode 0x00", "010051"),
    ("unknown opcode after a valid prefix", "014b0000000146000000004c507a"),
    ("STOP with empty stack", "0151"),
    ("STOP with two values on the stack", "014c4c51"),
    ("STOP with an unfinished dict plus key/value (missing SETITEM)", "014a4e0000000161460000000151"),
    ("SETITEM with empty stack", "015051"),
    ("SETITEM with only two stack items", "014c4c5051"),
    ("version byte only, stream ends (no opcode, no STOP)", "01"),
    ("valid value but STOP missing", "014c"),
    ("INT truncated to 2 of 4 bytes", "01460000"),
    ("FLOAT truncated (3 of 8 bytes)", "01443ff000"),
    ("BYTES declares 5 bytes, only 3 follow before end", "014100000005616251"),
    ("BYTES with negative length -1 (read(-1) swallows the rest)", "0141ffffffff51"),
    ("PY3STRING containing invalid UTF-8", "014e00000002fffe51"),
    ("LONGINT with non-numeric text", "01480000000361626351"),
    ("dict key that is unhashable (list)", "014a4b000000004c5051"),
    ("SETITEM target is an int", "014600000001460000000246000000035051"),
    ("NEWLIST then SETITEM with index out of range", "014b0000000146000000054c5051"),
    ("CHANNEL reference in public loads (no gateway to resolve it)", "01420000000151"),
    ("SET containing an unhashable list", "014b000000004f0000000151"),
]

FORMAT_NOTES = [
    "dumps_hex = execnet.dumps(value): 1 version byte 0x01 followed by the opcode stream ending with 'Q' (STOP).",
    "The wire (internal) form used inside CHANNEL_DATA / CHANNEL_EXEC / RECONFIGURE / CHANNEL_CLOSE_ERROR payloads "
    "is dumps_hex without its first byte (drop the leading '01').",
    "execnet >= 2.0 writes version byte 0x02 in dumps() and rejects 0x01 in loads(); everything after the version "
    "byte is identical in 1.9 and 2.x.",
    "Type tags: none, bool{value}, int{value: decimal string}, float{value: repr or inf/-inf/nan, bits: IEEE-754 "
    "big-endian hex (authoritative)}, complex{real,imag: float tags}, bytes{hex}, str{value: JSON string}, "
    "list{items}, tuple{items}, dict{items: [[key,value],...] in wire order}, set{items}, frozenset{items} "
    "(items in wire order), channel{id}.",
    "dict/set/frozenset items are listed in the exact order they appear on the wire; an encoder that preserves "
    "that order reproduces the bytes exactly. Decoders should compare sets/dicts order-insensitively.",
    "decode_only_vectors: byte strings accepted by the 1.9 loader that a Python-3 execnet never emits (Python-2 "
    "opcodes, non-canonical forms); 'expected' is what execnet.loads(hex, **loads_kwargs) returned.",
    "dump_errors: values that execnet 1.9 refuses (or fails) to serialize.",
]

INVALID_NOTES = [
    "raises_DataFormatError=true entries raise execnet.DataFormatError (concretely its subclass LoadError) in "
    "execnet 1.9.",
    "Entries with raises_DataFormatError=false show that execnet 1.9 leaks other exception types (EOFError, "
    "struct.error, UnicodeDecodeError, ValueError, TypeError, IndexError, AttributeError) for corrupt input. A "
    "re-implementation SHOULD map all of them to its DataFormatError equivalent; the 'exception' field documents "
    "the reference behaviour.",
    "Inside a running gateway any such exception while decoding a CHANNEL_DATA payload escapes the receiver loop "
    "and shuts the whole gateway down (see protocol.md).",
    "execnet_2x: outcome of execnet git HEAD (2.2.0.dev, same serializer as 2.1.2) for the same input with a "
    "leading 0x01 replaced by 0x02 (its dump format version); computed by importing the fetched upstream sources.",
]


def tag(value):
    """The type tag of a value, as the files' format_notes describe."""
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        return {"type": "int", "value": str(value)}
    if isinstance(value, float):
        return {"type": "float", "value": repr(value), "bits": struct.pack(">d", value).hex()}
    if isinstance(value, complex):
        return {"type": "complex", "real": tag(value.real), "imag": tag(value.imag)}
    if isinstance(value, bytes):
        return {"type": "bytes", "hex": value.hex()}
    if isinstance(value, str):
        return {"type": "str", "value": value}
    if isinstance(value, Channel):
        return {"type": "channel", "id": value.id}
    if isinstance(value, dict):
        return {"type": "dict", "items": [[tag(k), tag(v)] for k, v in value.items()]}
    for kind in (list, tuple, set, frozenset):
        if isinstance(value, kind):
            return {"type": kind.__name__, "items": [tag(item) for item in value]}
    raise TypeError("no tag for %r" % (value,))


def exception_name(error):
    kind = type(error)
    module = kind.__module__
    return kind.__name__ if module in ("builtins", gateway_base.__name__) else module + "." + kind.__name__


def serializer_json():
    vectors = []
    for description, value in VECTORS:
        entry = {"description": description, "value": tag(value)}
        if "channel" in json.dumps(entry["value"]):
            entry["dumps_hex"] = "01" + gateway_base.dumps_internal(value).hex()
            entry["note"] = CHANNEL_NOTE
        else:
            entry["dumps_hex"] = execnet.dumps(value).hex()
        vectors.append(entry)
    decode_only = [{"description": d, "hex": h, "loads_kwargs": kwargs,
                    "expected": tag(execnet.loads(bytes.fromhex(h), **kwargs))} for d, h, kwargs in DECODE_ONLY]
    errors = []
    for description, value, note in DUMP_ERRORS:
        try:
            execnet.dumps(value)
            raise AssertionError(description + ": dumps did not fail")
        except Exception as e:  # what execnet raises is the datum
            errors.append({"description": description, "exception": exception_name(e),
                           "is_DataFormatError": isinstance(e, execnet.DataFormatError),
                           "message": str(e), "note": note})
    return {"generator": GENERATOR + ", PYTHONHASHSEED=0", "format_notes": FORMAT_NOTES,
            "counts": {"vectors": len(vectors), "decode_only_vectors": len(decode_only), "dump_errors": len(errors)},
            "vectors": vectors, "decode_only_vectors": decode_only, "dump_errors": errors}


def serializer_invalid_json(previous):
    carried = {v["description"]: v.get("execnet_2x") for v in previous.get("vectors", [])}
    vectors = []
    for description, hex_input in INVALID:
        entry = {"description": description, "hex": hex_input}
        try:
            entry["outcome"] = "loaded"
            entry["value"] = tag(execnet.loads(bytes.fromhex(hex_input)))
        except Exception as e:  # what execnet raises is the datum
            del entry["outcome"]
            entry.pop("value", None)
            entry.update(outcome="error", exception=exception_name(e),
                         raises_DataFormatError=isinstance(e, execnet.DataFormatError), message=str(e))
        if carried.get(description) is not None:
            entry["execnet_2x"] = carried[description]
        vectors.append(entry)
    refused = sum(1 for v in vectors if v.get("raises_DataFormatError"))
    return {"generator": GENERATOR,
            "how_verified": "each hex string was passed to execnet.loads() with default arguments; "
                            "outcome recorded from the real library",
            "notes": INVALID_NOTES,
            "counts": {"total": len(vectors), "raises_DataFormatError": refused,
                       "other_exception": len(vectors) - refused},
            "vectors": vectors}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(HERE, "serializer_invalid.json"), encoding="utf-8") as f:
        previous_invalid = json.load(f)
    files = {"serializer.json": serializer_json(), "serializer_invalid.json": serializer_invalid_json(previous_invalid)}
    for name, content in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(content, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
