"""An invalid document's schema errors from jsonschema-rs, as jsonschema reports them.

jsonschema is the reference engine, but asking it for an invalid file's errors costs about
3 ms a file and, once per process, 213 ms and 11 MB to import it. jsonschema-rs finds the
same errors in microseconds. Here each of its errors becomes what
``linter.validate.schema._hits`` reads of a jsonschema error: the keyword, the keyword's
value as the schema writes it, the instance, the instance's path and the schema node; and
the errors are put in the order jsonschema yields them (a depth-first walk of the schema:
a node's keywords in the order written, ``properties`` in the order written, array items
and ``allOf`` members by index), since a finding's folded notes follow that order.

Only what is certain to be identical is carried over; anything else makes ``translate``
answer None and the caller asks jsonschema, so the findings never depend on the path:

- the schema: draft 2020-12, references only to a JSON pointer in the same document or in
  the bundled schema, ``$id`` and ``$schema`` only at a document's top, no anchors, every
  number in it an integer of at most 53 bits or a finite float (``usable``);
- the document: plain JSON values (dicts with ``str`` keys, lists, ``str``, ``bool``,
  None, integers of at most 53 bits, finite floats), which both engines read and compare
  alike (``_weights``; jsonschema-rs misses ``-inf < 0``, reads a tuple as an array...),
  and few enough errors and copies that jsonschema-rs, which makes all its errors at once,
  each with a copy of its instance, holds no more than importing jsonschema would
  (``MAX_ERRORS``, ``MAX_COPIED``, ``MAX_NODES``);
- every error: reached through ``properties``, ``items`` (without ``prefixItems``),
  ``allOf``, ``$ref``, ``then``/``else`` only, from a keyword in ``KINDS`` that
  jsonschema-rs reports with the matching kind, and a ``format`` whose check jsonschema
  runs with the very same function. ``anyOf``, ``oneOf``, ``not``, ``patternProperties``,
  ``uniqueItems``, ``multipleOf`` and the rest are left to jsonschema.

``tests/test_rust_errors.py`` holds the two paths to the same hits on generated documents.
"""

from __future__ import annotations

import math
from urllib.parse import unquote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Set, Tuple

    from linter.model import DataPath
else:
    from linter.named import NamedTuple

#: keyword -> the kind jsonschema-rs gives its errors (``ValidationErrorKind.name``).
KINDS: Dict[str, str] = {
    "type": "type",
    "required": "required",
    "dependentRequired": "required",
    "enum": "enum",
    "const": "const",
    "pattern": "pattern",
    "format": "format",
    "additionalProperties": "additionalProperties",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusiveMinimum",
    "exclusiveMaximum": "exclusiveMaximum",
    "minLength": "minLength",
    "maxLength": "maxLength",
    "minItems": "minItems",
    "maxItems": "maxItems",
}
DRAFTS = ("https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#")
#: Integers both engines hold and compare exactly (jsonschema-rs compares some through f64).
_EXACT = 2**53
#: Keywords whose values are data, not schemas.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})
#: Keywords that change how references resolve: a schema holding one is left to jsonschema.
_RESOLVING = frozenset({"$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor"})
#: Keywords that give no error at the place they are in (annotations, and those that only
#: apply subschemas to its parts).
_SILENT = frozenset(
    {"title", "description", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly", "$defs"}
    | {"$schema", "$id", "properties", "patternProperties", "items", "prefixItems", "propertyNames", "contains"}
    | {"unevaluatedItems", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"}
)
#: Keywords whose subschemas apply to the instance itself (not to a part of it).
_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")
#: What jsonschema-rs may make for one document before its first error is read. It makes
#: every error at once, each about 1.5 KB with its own copy of the instance, where
#: jsonschema makes one at a time and copies nothing: a schema requiring 1,000 names of a
#: 1 MB mapping took 7 GB and 19 s, 100,000 errors 178 MB. A document that could get more
#: than MAX_ERRORS errors, or copies of more than MAX_COPIED nodes and characters, is left
#: to jsonschema; below both this path holds about what importing jsonschema takes (11 MB).
MAX_ERRORS = 4_000
MAX_COPIED = 2_000_000
#: Documents of more nodes are left to jsonschema unweighed (the walks here stay a small
#: part of what jsonschema's own walk of such a document costs).
MAX_NODES = 16_000
#: Subschemas applied to the places of one document, at most, while counting (a schema
#: may apply ever more of them, place after place: the count stops here).
MAX_APPLIED = 50_000


class Error(NamedTuple):
    """The fields of a jsonschema ValidationError that ``_hits`` reads."""

    validator: str
    validator_value: Any
    instance: Any
    absolute_path: DataPath
    schema: Dict[str, Any]
    message: str = ""  # read only for keywords outside KINDS, never translated


class Translator:
    """Carries jsonschema-rs's errors over for one schema (see the module's docstring).
    ``documents`` maps the ``$id`` of each document a reference may name to its root;
    ``formats`` names the formats jsonschema-rs checks with jsonschema's own functions."""

    def __init__(self, schema: Dict[str, Any], documents: Dict[str, Dict[str, Any]], formats: Set[str]) -> None:
        self.schema = schema
        self.documents = documents
        self.formats = formats
        self._positions: Dict[int, Dict[Any, int]] = {}

    def translate(self, errors: Callable[[Any], Iterable[Any]], data: Any) -> Optional[List[Error]]:
        """The errors ``errors(data)`` gives, as jsonschema yields them, or None where that is
        not certain or could cost more than jsonschema (``MAX_ERRORS``, ``MAX_COPIED``)."""
        weights = _weights(data)
        if weights is None or not self._affordable(data, weights):
            return None
        placed: Dict[Tuple[int, ...], Error] = {}
        for error in errors(data):
            found = self._place(error, data)
            if found is None:
                return None
            placed.setdefault(*found)
        return [placed[key] for key in sorted(placed)]

    def _place(self, error: Any, data: Any) -> Optional[Tuple[Tuple[int, ...], Error]]:
        """(the error's place in jsonschema's order, the error), walking the schema along
        the error's evaluation path and the document along its instance path."""
        steps, where = list(error.evaluation_path), list(error.instance_path)
        node: Any = self.schema
        root, instance, taken, index = self.schema, data, 0, 0
        key: List[int] = []
        while index < len(steps):
            word = steps[index]
            if not isinstance(node, dict) or not isinstance(word, str) or word not in node:
                return None
            if index == len(steps) - 1:
                if KINDS.get(word) != error.kind.name or taken != len(where) or not self._certain(word, node):
                    return None
                key.append(self._position(node, word))
                return tuple(key), Error(word, node[word], instance, tuple(where), node)
            if word == "properties":
                name = steps[index + 1]
                children = node[word]
                if not isinstance(name, str) or not isinstance(children, dict) or name not in children:
                    return None
                if taken >= len(where) or where[taken] != name or not isinstance(instance, dict):
                    return None
                key += (self._position(node, word), self._position(children, name))
                node, instance, taken, index = children[name], instance[name], taken + 1, index + 2
            elif word == "items":
                item = where[taken] if taken < len(where) else None
                if "prefixItems" in node or type(item) is not int or not isinstance(instance, list):
                    return None
                key += (self._position(node, word), item)
                node, instance, taken, index = node[word], instance[item], taken + 1, index + 1
            elif word == "allOf":
                member = steps[index + 1]
                if type(member) is not int or not isinstance(node[word], list) or not 0 <= member < len(node[word]):
                    return None
                key += (self._position(node, word), member)
                node, index = node[word][member], index + 2
            elif word in ("then", "else") and "if" in node:
                key.append(self._position(node, "if"))
                node, index = node[word], index + 1
            elif word == "$ref":
                target = self._resolve(node[word], root)
                if target is None:
                    return None
                key.append(self._position(node, word))
                root, node = target
                index += 1
            else:
                return None
            if isinstance(node, dict) and node is not root and ("$id" in node or "$schema" in node):
                return None
        return None

    def _certain(self, keyword: str, node: Dict[str, Any]) -> bool:
        """Whether jsonschema would report this keyword's error with the same meaning."""
        if keyword == "format":
            return node[keyword] in self.formats
        if keyword == "additionalProperties":  # a schema there is descended into: not a leaf
            return node[keyword] is False
        return True

    def _position(self, node: Dict[Any, Any], word: Any) -> int:
        """The place of a key in a schema node (a node's keywords, a ``properties`` table),
        looked up in a table made once per node: linear in the schema, not in the errors."""
        table = self._positions.get(id(node))
        if table is None:
            table = self._positions[id(node)] = {name: place for place, name in enumerate(node)}
        return table[word]

    def _affordable(self, data: Any, weights: Dict[int, int]) -> bool:
        """Whether the errors jsonschema-rs can give ``data`` stay within MAX_ERRORS and
        their copies within MAX_COPIED: every subschema applied to every place of the
        document is counted (``_could_fail``), stopping at the first bound passed
        (``MAX_APPLIED`` too: a schema that applies ever more subschemas costs no more)."""
        errors = copied = applications = 0
        stack: List[Tuple[Any, Dict[str, Any], Any]] = [(self.schema, self.schema, data)]
        while stack:
            node, root, instance = stack.pop()
            could = _could_fail(node, instance) if isinstance(node, dict) else node is not True
            errors += could
            copied += could * _weight(instance, weights)
            if errors > MAX_ERRORS or copied > MAX_COPIED:
                return False
            if isinstance(node, dict):
                closed, refused = _boolean_items(node) if type(instance) is dict and instance else (0, 0)
                if closed:  # booleans applied to every value, counted at once
                    applications += closed * len(instance)
                    errors += refused * len(instance)
                    copied += refused * (weights[id(instance)] - 1 - sum(map(len, instance)))  # the values'
                    if errors > MAX_ERRORS or copied > MAX_COPIED or applications > MAX_APPLIED:
                        return False
                for applied in self._applied(node, root, instance):
                    applications += 1
                    if applications > MAX_APPLIED:
                        return False
                    stack.append(applied)
        return True

    def _applied(self, node: Dict[str, Any], root: Dict[str, Any], instance: Any) -> Iterator[Tuple[Any, Any, Any]]:
        """(subschema, its document, the place) for each subschema the node applies, to
        the instance itself or to its parts (every part a keyword may reach: more than it
        does is still a bound)."""
        kind = type(instance)
        for word, value in node.items():
            if word in _IN_PLACE:
                yield from ((member, root, instance) for member in _members(word, value))
            elif word == "$ref":
                target = self._resolve(value, root)
                if target is not None:
                    yield target[1], target[0], instance
            elif kind is dict and word == "properties" and isinstance(value, dict):
                yield from ((value[name], root, instance[name]) for name in _shared(value, instance))
            elif kind is dict and word == "patternProperties" and isinstance(value, dict):
                yield from ((sub, root, item) for sub in value.values() for item in instance.values())
            elif kind is dict and word in ("additionalProperties", "unevaluatedProperties") and type(value) is not bool:
                yield from ((value, root, item) for item in instance.values())  # a boolean: see _boolean_items
            elif kind is dict and word == "propertyNames":
                yield from ((value, root, key) for key in instance)
            elif kind is list and word in ("items", "contains", "unevaluatedItems"):
                yield from ((value, root, item) for item in instance)
            elif kind is list and word == "prefixItems" and isinstance(value, list):
                yield from ((sub, root, item) for sub, item in zip(value, instance))

    def _resolve(self, ref: Any, root: Dict[str, Any]) -> Optional[Tuple[Dict[str, Any], Any]]:
        """(the document, the node) a reference names: a JSON pointer into the current
        document or into one of ``documents``; None for anything else."""
        if not isinstance(ref, str):
            return None
        base, _, pointer = ref.partition("#")
        document = root if base == "" else self.documents.get(base)
        if document is None or (pointer and not pointer.startswith("/")):
            return None
        node: Any = document
        for part in pointer.split("/")[1:] if pointer else ():
            part = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return document, node


def _boolean_items(node: Dict[str, Any]) -> Tuple[int, int]:
    """(how many, how many of them false) of the node's ``additionalProperties`` and
    ``unevaluatedProperties`` that are booleans: each is applied to every value of a
    mapping, and a false one can fail each, copying it. ``_affordable`` counts them for all
    the values at once (a value's weight summed from its mapping's), not value by value."""
    closed = refused = 0
    for word in ("additionalProperties", "unevaluatedProperties"):
        value = node.get(word)
        if type(value) is bool:
            closed += 1
            refused += value is False
    return closed, refused


def _could_fail(node: Dict[str, Any], instance: Any) -> int:
    """How many errors a schema node's own keywords could give an instance: those that
    apply to its type and, for a size, a bound or a type, are not met (a bound that only
    has to hold, not a verdict: it weighs, it never decides)."""
    count = 0
    kind = type(instance)
    named = instance if kind is dict else {}
    for word, value in node.items():
        if word in _SILENT:
            continue
        if word == "type":
            count += not _has_type(instance, value)
        elif word == "required" and isinstance(value, list):
            count += sum(1 for name in value if name not in named)
        elif word == "dependentRequired" and isinstance(value, dict):
            needed = (names for field, names in value.items() if field in named and isinstance(names, list))
            count += sum(1 for names in needed for name in names if name not in named)
        elif word in ("additionalProperties", "unevaluatedProperties"):
            known = node.get("properties") if "patternProperties" not in node else None
            count += sum(1 for key in named if not isinstance(known, dict) or key not in known)
        elif word in _BOUNDS:
            applies, size = _BOUNDS[word]
            measured = size(instance) if applies(instance) else None
            count += measured is not None and not _within(word, measured, value)
        elif word in _ONLY_FOR:
            count += kind is _ONLY_FOR[word]
        else:
            count += 1
    return count


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _has_type(instance: Any, wanted: Any) -> bool:
    names = wanted if isinstance(wanted, list) else [wanted]
    kind = type(instance)
    for name in names:
        if (
            (name == "string" and kind is str)
            or (name == "integer" and (kind is int or (kind is float and instance.is_integer())))
            or (name == "number" and _is_number(instance))
            or (name == "boolean" and kind is bool)
            or (name == "null" and instance is None)
            or (name == "object" and kind is dict)
            or (name == "array" and kind is list)
        ):
            return True
    return False


def _within(word: str, measured: Any, bound: Any) -> bool:
    if not _is_number(bound):
        return False
    if word in ("minLength", "minItems", "minimum"):
        return bool(measured >= bound)
    if word in ("maxLength", "maxItems", "maximum"):
        return bool(measured <= bound)
    return bool(measured > bound) if word == "exclusiveMinimum" else bool(measured < bound)


def _length(value: Any) -> int:
    return len(value)


def _itself(value: Any) -> Any:
    return value


#: Keywords of a bound: (whether it applies to a value, what of the value is bounded).
_BOUNDS: Dict[str, Tuple[Callable[[Any], bool], Callable[[Any], Any]]] = {
    "minLength": (lambda value: type(value) is str, _length),
    "maxLength": (lambda value: type(value) is str, _length),
    "minItems": (lambda value: type(value) is list, _length),
    "maxItems": (lambda value: type(value) is list, _length),
    "minimum": (_is_number, _itself),
    "maximum": (_is_number, _itself),
    "exclusiveMinimum": (_is_number, _itself),
    "exclusiveMaximum": (_is_number, _itself),
}
#: Keywords that apply to one type of value only.
_ONLY_FOR: Dict[str, type] = {
    "pattern": str,
    "format": str,
    "uniqueItems": list,
    "minProperties": dict,
    "maxProperties": dict,
}


def _shared(properties: Dict[str, Any], instance: Dict[str, Any]) -> Iterator[str]:
    """The names both hold, looked up from the smaller."""
    small, large = (properties, instance) if len(properties) <= len(instance) else (instance, properties)
    return (name for name in small if name in large)


def _members(word: str, value: Any) -> List[Any]:
    if word == "dependentSchemas":
        return list(value.values()) if isinstance(value, dict) else []
    return value if isinstance(value, list) else [value]


def usable(schema: Any, top: bool = True) -> bool:
    """Whether a schema document is one whose errors ``Translator`` may carry over (draft
    2020-12, no anchors, ``$id`` and ``$schema`` only at the top, every number exact)."""
    if top and isinstance(schema, dict) and schema.get("$schema", DRAFTS[0]) not in DRAFTS:
        return False
    stack: List[Tuple[Any, bool, bool]] = [(schema, top, False)]
    while stack:
        node, at_top, data = stack.pop()
        if isinstance(node, dict):
            if not data and (not _RESOLVING.isdisjoint(node) or (not at_top and ("$id" in node or "$schema" in node))):
                return False
            stack.extend((value, False, data or key in _DATA_KEYWORDS) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((item, False, data) for item in node)
        elif not _exact(node):
            return False
    return True


def _exact(value: Any) -> bool:
    if type(value) is int:
        return -_EXACT <= value <= _EXACT
    if type(value) is float:
        return math.isfinite(value)
    return True


def _weights(data: Any) -> Optional[Dict[int, int]]:
    """None unless every value is plain JSON that both engines read and compare alike, in
    at most MAX_NODES nodes; else what a copy of each container costs (by its id): its nodes, and its strings' and keys'
    characters."""
    containers: List[Any] = []
    stack = [data]
    nodes = 0
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return None
        kind = type(node)
        if kind is dict:
            if any(type(key) is not str for key in node):
                return None
            containers.append(node)
            stack.extend(node.values())
        elif kind is list:
            containers.append(node)
            stack.extend(node)
        elif kind is int:
            if not -_EXACT <= node <= _EXACT:
                return None
        elif kind is float:
            if not math.isfinite(node):
                return None
        elif kind is not str and kind is not bool and node is not None:
            return None
    weights: Dict[int, int] = {}
    for container in reversed(containers):  # each after the containers inside it
        if type(container) is dict:
            own = 1 + sum(map(len, container)) + sum(_weight(value, weights) for value in container.values())
        else:
            own = 1 + sum(_weight(item, weights) for item in container)
        weights[id(container)] = own
    return weights


def _weight(value: Any, weights: Dict[int, int]) -> int:
    kind = type(value)
    if kind is dict or kind is list:
        return weights[id(value)]
    return 1 + len(value) if kind is str else 1
