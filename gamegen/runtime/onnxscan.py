"""Find the external-data references of an ONNX file without the ``onnx`` package.

Why: a model folder is untrusted input, and an ONNX tensor may keep its bytes
in another file, named by a ``location`` entry of its ``external_data``. A
location such as ``/etc/shadow`` or ``../../secrets.bin`` would make ONNX
Runtime read outside the model's folder. Recent ONNX Runtime releases refuse
such paths themselves, older ones (which ``gamegen[cpu]`` allows) may not,
and the run-time extras do not install ``onnx`` (only ``gamegen[train]``
does). So gamegen reads the protobuf wire format itself: a walk over exactly
the messages that can hold a tensor, in about a hundred lines, with a depth
limit and a field budget so that a crafted file ends in an error, never a hang.

Messages walked (field numbers of ``onnx.proto``)::

    ModelProto      graph 7, training_info 20, functions 25
    TrainingInfo    initialization 1, algorithm 2             → GraphProto
    FunctionProto   node 7, attribute_proto 11
    GraphProto      node 1, initializer 5, sparse_initializer 15
    NodeProto       attribute 5
    AttributeProto  t 5, g 6, tensors 10, graphs 11, sparse_tensor 22, sparse_tensors 23
    SparseTensor    values 1, indices 2                        → TensorProto
    TensorProto     name 8, external_data 13 (key 1, value 2), data_location 14

``tests/test_reliability_models.py`` checks the result against ``onnx``'s own
helper where ``onnx`` is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["ExternalRef", "OnnxScanError", "external_data_refs", "MAX_DEPTH", "MAX_FIELDS"]

MAX_DEPTH = 64  # nested messages; protobuf's own parsers stop at 100
MAX_FIELDS = 10_000_000  # fields visited in all (~5 s); a graph of 100k nodes needs about one million

_WIRE_VARINT, _WIRE_I64, _WIRE_LEN, _WIRE_I32 = 0, 1, 2, 5
_EXTERNAL = 1  # TensorProto.DataLocation.EXTERNAL

# message kind → {field number: kind of the sub-message held there}
_SCHEMA: dict[str, dict[int, str]] = {
    "model": {7: "graph", 20: "training", 25: "function"},
    "training": {1: "graph", 2: "graph"},
    "function": {7: "node", 11: "attribute"},
    "graph": {1: "node", 5: "tensor", 15: "sparse"},
    "node": {5: "attribute"},
    "attribute": {5: "tensor", 6: "graph", 10: "tensor", 11: "graph", 22: "sparse", 23: "sparse"},
    "sparse": {1: "tensor", 2: "tensor"},
}


class OnnxScanError(ValueError):
    """The bytes are not a well-formed ONNX protobuf (or exceed the scan's limits)."""


@dataclass(frozen=True)
class ExternalRef:
    tensor: str  # the tensor's name, for messages
    location: str  # as written in the file, not yet checked
    external: bool  # data_location says EXTERNAL


class _Budget:
    def __init__(self, fields: int):
        self.left = fields

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise OnnxScanError(f"more than {MAX_FIELDS:,} protobuf fields; refusing to scan further")


def _varint(buf, pos: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise OnnxScanError("truncated or overlong varint")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _fields(buf, start: int, end: int, budget: _Budget) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value): the int of a varint, (start, end) of a length-delimited field."""
    pos = start
    while pos < end:
        budget.spend()
        key, pos = _varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        value: Any  # the int of a varint, (start, end) of a length-delimited field, None for a fixed-size number
        if wire == _WIRE_VARINT:
            value, pos = _varint(buf, pos, end)
        elif wire == _WIRE_LEN:
            length, pos = _varint(buf, pos, end)
            value = (pos, pos + length)
            pos += length
        elif wire in (_WIRE_I64, _WIRE_I32):
            value = None
            pos += 8 if wire == _WIRE_I64 else 4
        else:  # groups (3, 4) are not used by ONNX; 6 and 7 do not exist
            raise OnnxScanError(f"unsupported protobuf wire type {wire}")
        if number == 0 or pos > end:
            raise OnnxScanError("malformed protobuf field")
        yield number, wire, value


def _text(buf, span: tuple[int, int]) -> str:
    try:
        return bytes(buf[span[0] : span[1]]).decode("utf-8")
    except UnicodeDecodeError:
        raise OnnxScanError("a string field is not UTF-8") from None


def _entry(buf, span, budget) -> tuple[str, str]:
    """A StringStringEntryProto → (key, value)."""
    key = value = ""
    for number, wire, v in _fields(buf, span[0], span[1], budget):
        if wire == _WIRE_LEN and number == 1:
            key = _text(buf, v)
        elif wire == _WIRE_LEN and number == 2:
            value = _text(buf, v)
    return key, value


def _tensor(buf, span, budget, out: list[ExternalRef]) -> None:
    name, locations, external = "", [], False
    for number, wire, value in _fields(buf, span[0], span[1], budget):
        if number == 8 and wire == _WIRE_LEN:
            name = _text(buf, value)
        elif number == 13 and wire == _WIRE_LEN:
            key, text = _entry(buf, value, budget)
            if key == "location":
                locations.append(text)
        elif number == 14 and wire == _WIRE_VARINT:
            external = value == _EXTERNAL
    if external and not locations:
        raise OnnxScanError(f"tensor {name!r} keeps its data externally but names no location")
    out.extend(ExternalRef(name, location, external) for location in locations)


def _walk(buf, kind: str, span, depth: int, budget: _Budget, out: list[ExternalRef]) -> None:
    if depth > MAX_DEPTH:
        raise OnnxScanError(f"messages nested deeper than {MAX_DEPTH}")
    children = _SCHEMA[kind]
    for number, wire, value in _fields(buf, span[0], span[1], budget):
        child = children.get(number)
        if child is None or wire != _WIRE_LEN:
            continue
        if child == "tensor":
            _tensor(buf, value, budget, out)
        else:
            _walk(buf, child, value, depth + 1, budget, out)


def external_data_refs(data, max_fields: int = MAX_FIELDS) -> list[ExternalRef]:
    """Every external-data ``location`` in a serialized ModelProto (bytes, memoryview or mmap), in file order."""
    out: list[ExternalRef] = []
    with memoryview(data) as buf:  # released even on an error, so a caller's mmap can close
        _walk(buf, "model", (0, len(buf)), 0, _Budget(max_fields), out)
    return out
