"""Proving a document valid in pure Python, so that a valid file never imports a validator.

``import jsonschema_rs`` alone costs about 36 ms, a third of a one-file run's CPU (it pulls
in ``email``, ``socket``, ``decimal``, ``datetime``...). This module interprets a small,
exact subset of JSON Schema 2020-12, enough for the bundled schema, and answers only
"certainly valid": jsonschema and jsonschema-rs, run as ``linter.validate.schema`` runs them
(the same format functions), would both accept the document. Everything else (a keyword
outside the table below, a value it is not sure of) is "not proven", and the file goes to
the engines exactly as before, which give the findings and their messages.

It is a generic interpreter of the schema rather than code written for the article's
fields, so a change of the schema cannot leave it behind: a keyword it does not know makes
it refuse the whole schema (``compile_subset`` returns None) and the engines do all the
work, as they do for a user's schema that needs more.

Keywords and what they decide, each exactly as JSON Schema 2020-12 defines it:

- ``type`` on Python's exact types: ``str``, ``int`` (not ``bool``; within 64 bits, which
  jsonschema-rs holds exactly), ``bool``, ``None``, ``dict``, ``list``. A float, a huge
  integer or anything else (a subclass, a tag the parser kept) is "not sure": jsonschema
  counts ``1.0`` as an integer and jsonschema-rs converts only plain JSON values.
- ``enum``, ``const`` (on strings only: a string equals only an equal string, in both
  engines), ``required``, ``dependentRequired``, ``properties``, ``additionalProperties``,
  ``items`` (a schema), ``minLength`` (code points, as both count), ``minItems``,
  ``maxItems``, ``minimum`` (an integer bound), ``allOf``, ``if``/``then``/``else``, ``$ref``
  (``#/$defs/NAME`` only), ``format`` (the functions both engines are given; a value they
  reject is "not sure", never "invalid": the messages are the engines' job).
- Annotations are ignored (``title``, ``description``, ``$comment``, ``default``...);
  ``$schema`` must be 2020-12's and, with ``$id``, appear only at the top.

Verdicts are three-valued inside (``True``, ``False``, ``None`` for not sure) because ``if``
needs to know for certain that its schema fails before ``else`` is applied instead of
``then``; a keyword answers ``False`` only where both engines certainly reject.

Every value of a document must reach a ``type`` check, so that nothing jsonschema-rs cannot
convert hides where no keyword looks: the bundled schema guarantees it (every object has
``additionalProperties: false``, every array ``items``, every field a ``type``); for a
schema that does not (``_covers``), each document is first walked for plain JSON values.
Strings need no such walk: the parser builds them from strict UTF-8 and refuses escapes of
surrogates, as libyaml does. Its documents have no cycles (an alias names a finished node)
and a bounded size once aliases are expanded.

``linter.validate.schema`` decides when to ask (``SchemaChecker._subset_pays``); the tests
in ``tests/test_subset.py`` hold it to the engines on corpora, mutants and random schemas.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Set

if TYPE_CHECKING:
    #: True: valid for certain; False: invalid for certain; None: not sure.
    Verdict = Optional[bool]
if TYPE_CHECKING:
    Check = Callable[[Any], Verdict]
if TYPE_CHECKING:
    FormatCheck = Callable[[Any], bool]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: Keywords that never change a verdict (``$defs`` is read through ``$ref``).
IGNORED = frozenset(
    {"title", "description", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly", "$defs"}
)
_LOW, _HIGH = -(2**63), 2**63 - 1
#: Python types whose meaning both engines agree on; a keyword that does not apply to one of
#: them is certainly satisfied, while any other object makes every keyword unsure.
_JSON = frozenset({str, int, float, bool, type(None), dict, list})
_SCALAR_KEYWORDS = {
    "string": frozenset({"type", "minLength", "format", "enum", "const"}),
    "integer": frozenset({"type", "minimum"}),
}
_TYPES: Dict[str, Any] = {
    "string": (str,),
    "integer": (int,),
    "number": (int,),
    "boolean": (bool,),
    "null": (type(None),),
    "object": (dict,),
    "array": (list,),
}


class Unsupported(Exception):
    """The schema uses something outside the subset: it is never interpreted here."""


def compile_subset(schema: Any, formats: Dict[str, FormatCheck]) -> Optional[Callable[[Any], bool]]:
    """A function answering True only for documents both engines accept, or None when the
    schema is outside the subset. ``formats`` are the functions the engines are given."""
    try:
        compiler = _Compiler(schema, formats)
        root = compiler.compile(schema, top=True)
        covered = compiler.covers(schema)
    except Unsupported:
        return None

    def proves_valid(data: Any) -> bool:
        if not covered and not _plain(data):
            return False
        try:
            return root(data) is True
        except RecursionError:  # a document nested past Python's stack: let the engines decide
            return False

    return proves_valid


def _plain(data: Any) -> bool:
    """Every value plain JSON that both engines read alike (no float, 64-bit integers)."""
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            if any(type(key) is not str for key in node):
                return False
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
        elif kind is int:
            if not _LOW <= node <= _HIGH:
                return False
        elif kind not in (str, bool, type(None)):
            return False
    return True


def _true(value: Any) -> Verdict:
    return True


def _false(value: Any) -> Verdict:
    return False


def _all(checks: List[Check]) -> Check:
    """Every check holds: False as soon as one certainly fails, None if one is unsure."""
    if not checks:
        return _true
    if len(checks) == 1:
        return checks[0]

    def conjunction(value: Any) -> Verdict:
        return _every(check(value) for check in checks)

    return conjunction


class _Compiler:
    """Turns each schema node into a ``Check`` (closures: the schema is read once)."""

    def __init__(self, root: Any, formats: Dict[str, FormatCheck]) -> None:
        if not isinstance(root, dict):
            raise Unsupported("the top of the schema is not an object")
        self.root = root
        self.formats = formats
        self.refs: Dict[str, List[Optional[Check]]] = {}
        self.covered: Dict[int, bool] = {}
        self.busy: Set[int] = set()

    def compile(self, node: Any, top: bool = False) -> Check:
        if node is True or node is False:
            return _true if node else _false
        if not isinstance(node, dict):
            raise Unsupported("a schema that is neither an object nor a boolean")
        scalar = self._scalar(node)
        if scalar is not None:
            return scalar
        checks: List[Check] = []
        for keyword, argument in node.items():
            if keyword in IGNORED or keyword in ("then", "else", "additionalProperties"):
                continue  # then/else belong to if, additionalProperties to properties
            if keyword in ("$schema", "$id"):
                self._top_only(keyword, argument, top)
                continue
            build = _KEYWORDS.get(keyword)
            if build is None:
                raise Unsupported(keyword)
            checks.append(build(self, argument, node))
        if "additionalProperties" in node and "properties" not in node:
            checks.append(self._properties({}, node))
        return _all(checks)

    def _scalar(self, node: Dict[str, Any]) -> Optional[Check]:
        """The most common node, a string or an integer field with its bounds, as one
        function rather than one per keyword (this halves the time of an article). The
        same rules as the keywords' own functions below."""
        kind = node.get("type")
        keywords = set(node) - IGNORED
        if kind not in ("string", "integer") or not keywords <= _SCALAR_KEYWORDS[kind]:
            return None
        plain: Any = str if kind == "string" else int
        shortest = _count(node.get("minLength", 0), "minLength")
        lowest = node.get("minimum", _LOW)
        texts = self._texts(node)
        conforms = self._conforms(node["format"]) if "format" in node else None
        if type(lowest) is not int:
            raise Unsupported("minimum")

        def check(value: Any) -> Verdict:
            if type(value) is not plain:
                return None if type(value) is float or type(value) not in _JSON else False
            if plain is int:
                return value >= lowest if _LOW <= value <= _HIGH else None
            if len(value) < shortest or (texts is not None and value not in texts):
                return False
            return True if conforms is None or conforms(value) else None

        return check

    def _texts(self, node: Dict[str, Any]) -> Optional[FrozenSet[str]]:
        """The strings ``enum`` and ``const`` allow (None: any)."""
        allowed: Optional[FrozenSet[str]] = None
        if "enum" in node:
            if not isinstance(node["enum"], list):
                raise Unsupported("enum")
            allowed = frozenset(item for item in node["enum"] if type(item) is str)
        if "const" in node:
            const = frozenset([node["const"]] if type(node["const"]) is str else [])
            allowed = const if allowed is None else allowed & const
        return allowed

    def _conforms(self, name: Any) -> FormatCheck:
        conforms = self.formats.get(name) if isinstance(name, str) else None
        if conforms is None:
            raise Unsupported(f"format {name!r}")
        return conforms

    def _top_only(self, keyword: str, argument: Any, top: bool) -> None:
        if not top or not isinstance(argument, str) or (keyword == "$schema" and argument != DRAFT):
            raise Unsupported(keyword)
        bundled = _bundled()
        if keyword == "$id" and argument == bundled.get("$id") and self.root is not bundled and self.root != bundled:
            raise Unsupported("a schema posing as the bundled one")  # which would $ref win?

    def resolve(self, ref: Any) -> Any:
        """The node of ``#/$defs/NAME`` (nothing else is followed)."""
        name = ref[len("#/$defs/") :] if isinstance(ref, str) and ref.startswith("#/$defs/") else ""
        defs = self.root.get("$defs")
        if not name or any(c in name for c in "/~%") or not isinstance(defs, dict) or name not in defs:
            raise Unsupported(f"$ref {ref!r}")
        return defs[name]

    def ref(self, ref: Any, node: Dict[str, Any]) -> Check:
        target = self.resolve(ref)
        cell = self.refs.get(ref)
        if cell is None:
            cell = self.refs[ref] = [None]
            cell[0] = self.compile(target)
        compiled = cell[0]
        if compiled is not None:
            return compiled

        def later(value: Any) -> Verdict:  # a reference inside its own target: compiled by now
            check = cell[0]
            return None if check is None else check(value)

        return later

    def covers(self, node: Any) -> bool:
        """Whether every value this node accepts, and each value inside it, meets a ``type``
        check: no value of a valid document escapes the guard on plain JSON values.
        Remembered per node: a schema's references may fan out (a user's schema, where two
        properties name the next definition forty times over, must not take 2**40 steps).
        A node met again on its own path counts as not covering, which is only cautious,
        so every remembered answer is sound."""
        if node is False:
            return True
        if not isinstance(node, dict) or id(node) in self.busy:
            return False  # True accepts anything; a cycle is simply not relied on
        known = self.covered.get(id(node))
        if known is None:
            self.busy.add(id(node))
            known = self.covered[id(node)] = self._covers(node)
            self.busy.discard(id(node))
        return known

    def _covers(self, node: Dict[str, Any]) -> bool:
        if "$ref" in node and self.covers(self.resolve(node["$ref"])):
            return True
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not kinds:
            return False
        if "object" in kinds:
            extra = node.get("additionalProperties", True)
            if not (extra is False or self.covers(extra)):
                return False
            if not all(self.covers(sub) for sub in node.get("properties", {}).values()):
                return False
        return "array" not in kinds or ("items" in node and self.covers(node["items"]))

    # -- the keywords ------------------------------------------------------------------

    def _type(self, argument: Any, node: Dict[str, Any]) -> Check:
        names = [argument] if isinstance(argument, str) else argument
        if not isinstance(names, list) or not names or any(name not in _TYPES for name in names):
            raise Unsupported("type")
        wanted = frozenset(kind for name in names for kind in _TYPES[name])

        def check(value: Any) -> Verdict:
            kind = type(value)
            if kind is float or kind not in _JSON:
                return None  # 1.0 is an integer to jsonschema; other objects are not JSON
            if kind is int and not _LOW <= value <= _HIGH:
                return None  # beyond what jsonschema-rs converts exactly
            return kind in wanted

        return check

    def _enum(self, argument: Any, node: Dict[str, Any]) -> Check:
        if not isinstance(argument, list):
            raise Unsupported("enum")
        texts = frozenset(item for item in argument if type(item) is str)

        def check(value: Any) -> Verdict:
            return value in texts if type(value) is str else None

        return check

    def _const(self, argument: Any, node: Dict[str, Any]) -> Check:
        return self._enum([argument], node)

    def _required(self, argument: Any, node: Dict[str, Any]) -> Check:
        names = frozenset(_names(argument, "required"))

        def check(value: Any) -> Verdict:
            if type(value) is dict:
                return value.keys() >= names
            return _ignored(value)

        return check

    def _dependent_required(self, argument: Any, node: Dict[str, Any]) -> Check:
        if not isinstance(argument, dict):
            raise Unsupported("dependentRequired")
        pairs = [(field, frozenset(_names(needed, "dependentRequired"))) for field, needed in argument.items()]

        def check(value: Any) -> Verdict:
            if type(value) is dict:
                return all(value.keys() >= needed for field, needed in pairs if field in value)
            return _ignored(value)

        return check

    def _properties(self, argument: Any, node: Dict[str, Any]) -> Check:
        if not isinstance(argument, dict):
            raise Unsupported("properties")
        known = {name: self.compile(sub) for name, sub in argument.items()}
        extra = node.get("additionalProperties")
        # Keys outside ``properties``: refused (False), checked, or not looked at (None here).
        other = None if extra is None or extra is True else self.compile(extra)

        def check(value: Any) -> Verdict:
            if type(value) is not dict:
                return _ignored(value)
            verdict: Verdict = True
            for key, item in value.items():
                if type(key) is not str:
                    return None
                sub = known.get(key, other)
                if sub is not None:
                    answer = sub(item)
                    if answer is not True:
                        if answer is False:
                            return False
                        verdict = None
            return verdict

        return check

    def _items(self, argument: Any, node: Dict[str, Any]) -> Check:
        each = self.compile(argument)

        def check(value: Any) -> Verdict:
            if type(value) is not list:
                return _ignored(value)
            return _every(map(each, value))

        return check

    def _minimum(self, argument: Any, node: Dict[str, Any]) -> Check:
        if type(argument) is not int:
            raise Unsupported("minimum")

        def check(value: Any) -> Verdict:
            kind = type(value)
            if kind is int:
                return bool(value >= argument)
            return None if kind is float else _ignored(value)

        return check

    def _format(self, argument: Any, node: Dict[str, Any]) -> Check:
        conforms = self._conforms(argument)

        def check(value: Any) -> Verdict:
            if type(value) is str:
                return True if conforms(value) else None  # rejected: the engines say how
            return _ignored(value)

        return check

    def _all_of(self, argument: Any, node: Dict[str, Any]) -> Check:
        if not isinstance(argument, list) or not argument:
            raise Unsupported("allOf")
        return _all([self.compile(sub) for sub in argument])

    def _if(self, argument: Any, node: Dict[str, Any]) -> Check:
        condition = self.compile(argument)
        then = self.compile(node["then"]) if "then" in node else _true
        otherwise = self.compile(node["else"]) if "else" in node else _true

        def check(value: Any) -> Verdict:
            holds = condition(value)
            if holds is None:
                return None
            return then(value) if holds else otherwise(value)

        return check


if TYPE_CHECKING:
    _Build = Callable[[_Compiler, Any, Dict[str, Any]], Check]


def _size(keyword: str, kind: Any, at_least: bool) -> _Build:
    """``minLength``, ``minItems`` or ``maxItems``: a bound on ``len`` of one type of value."""

    def build(compiler: _Compiler, argument: Any, node: Dict[str, Any]) -> Check:
        _count(argument, keyword)

        def check(value: Any) -> Verdict:
            if type(value) is not kind:
                return _ignored(value)
            size = len(value)
            return bool(size >= argument if at_least else size <= argument)

        return check

    return build


def _every(answers: Iterable[Verdict]) -> Verdict:
    """False once one answer is False; else None if one is not sure; else True."""
    verdict: Verdict = True
    for answer in answers:
        if answer is not True:
            if answer is False:
                return False
            verdict = None
    return verdict


def _count(argument: Any, keyword: str) -> int:
    if type(argument) is not int or argument < 0:
        raise Unsupported(keyword)
    return int(argument)


def _ignored(value: Any) -> Verdict:
    """A keyword that does not apply to this value's type: satisfied, if the type is one
    both engines see as plain JSON."""
    return True if type(value) in _JSON else None


def _names(argument: Any, keyword: str) -> List[str]:
    if not isinstance(argument, list) or any(type(name) is not str for name in argument):
        raise Unsupported(keyword)
    return list(argument)


def _bundled() -> Any:
    from linter.validate.schema import bundled_schema

    return bundled_schema()


_KEYWORDS: Dict[str, _Build] = {
    "type": _Compiler._type,
    "enum": _Compiler._enum,
    "const": _Compiler._const,
    "required": _Compiler._required,
    "dependentRequired": _Compiler._dependent_required,
    "properties": _Compiler._properties,
    "items": _Compiler._items,
    "minLength": _size("minLength", str, True),
    "minItems": _size("minItems", list, True),
    "maxItems": _size("maxItems", list, False),
    "minimum": _Compiler._minimum,
    "format": _Compiler._format,
    "allOf": _Compiler._all_of,
    "if": _Compiler._if,
    "$ref": _Compiler.ref,
}
