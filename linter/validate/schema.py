"""Layer 2: JSON Schema validation -> schema hits with a data path, a code and a message.

``jsonschema`` is the reference engine. Two quicker answers to "is this document valid?"
come first, so valid files (the vast majority) skip the slower pass: a pure-Python proof
for schemas within a small subset (``linter.validate.subset``: a one-file run on a valid
article imports no validator at all), then ``jsonschema_rs`` when installed, with the very
same format functions. Any doubt falls back to ``jsonschema``.
"""

from __future__ import annotations

import json
from functools import cache
from operator import itemgetter

from linter import registry
from linter.files import MAX_SCHEMA_BYTES, UnreadableFile, read_bounded
from linter.model import SchemaHit
from linter.parse.scalars import RubyTime, reading_text, ruby_readings, same_reading
from linter.regex import lazy
from linter.validate.bounds import MAX_DEPTH, BoundsError, check_depth, check_schema_bounds
from linter.validate.format_checks import formats_used, light_formats, plain_first, plain_shapes
from linter.validate.patterns import rust_schema
from linter.validate.patterns import search as pattern_search
from linter.validate.resources import bundled_schema_text
from linter.validate.subset import compile_subset
from linter.values import is_secret, kind, shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Set, Tuple, Union

    import jsonschema
    from jsonschema import FormatChecker

    from linter.model import DataPath
    from linter.validate.rust_errors import Error, Translator

#: jsonschema validator keyword -> lint-news code (the registry's ``keywords``); any other
#: keyword is reported as OTHER_CODE.
CODES: Dict[str, str] = registry.SCHEMA_KEYWORDS
OTHER_CODE = "S009"
#: Formats a checker must really check; jsonschema skips them silently when an optional
#: package is missing, so their absence is an internal error, never a quiet pass.
REQUIRED_FORMATS = ("date-time", "uri")
#: Nodes a YAML schema may expand to through its aliases.
MAX_SCHEMA_NODES = 200_000
#: The jsonschema-rs validator before its first use (None: not installed or not usable).
_UNBUILT: Any = object()
#: Files a process checks with the subset alone before it builds jsonschema-rs's validator
#: (its import's cost over the difference per file: see ``_subset_pays``).
SUBSET_FILES = 200


#: What a field declared ``format: date-time`` takes from Jekyll's readers.
_TIMELY = (RubyTime, str)
#: A UTC date-time to the second on a day the month has in every year (01 to 28; 29 and 30
#: except in February; 31 in the seven long months), as nearly every article writes its
#: dates: both of Jekyll's readers read it as a time (``ruby_readings``: ``_UTC_SECONDS`` on
#: a civil day), so a field that takes a time takes it. A strict subset of what that
#: function reads as a time, asked in C; February 29th is left to it.
_PLAIN_UTC = lazy(
    r"[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
)
_LAST = itemgetter(-1)


class SchemaError(Exception):
    """The schema itself cannot be used (unreadable, invalid, missing format support)."""


@cache
def bundled_schema() -> Dict[str, Any]:
    loaded: Dict[str, Any] = json.loads(bundled_schema_text())
    return loaded


def load_schema(path: Optional[str]) -> Dict[str, Any]:
    """The bundled schema, or a user's schema file (JSON, or YAML for convenience).

    Read with bounds: only a regular file, at most ``MAX_SCHEMA_BYTES``; JSON nested past
    Python's recursion limit and YAML whose aliases expand too far or nest too deeply are
    refused (YAML is read by lint-news's own bounded builder, never PyYAML's constructor)."""
    if path is None:
        return bundled_schema()
    try:
        text = read_bounded(path, MAX_SCHEMA_BYTES).decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read schema {path}: {exc}") from exc
    loaded = _parse_schema(path, text)
    if not isinstance(loaded, dict):
        raise SchemaError(f"schema {path} is not a JSON object")
    try:
        check_depth(loaded, f"schema {path}")
    except BoundsError as exc:
        raise SchemaError(str(exc)) from None
    return loaded


def _parse_schema(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise SchemaError(f"schema {path} nests deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        pass  # not JSON: YAML, below
    from linter.parse import Limits, parse

    parsed = parse(text, Limits(max_depth=MAX_DEPTH, max_nodes=MAX_SCHEMA_NODES))
    fatal = next((p for p in parsed.problems if p.fatal or p.code in ("E005", "E007", "E011")), None)
    if fatal is not None:
        raise SchemaError(f"cannot parse schema {path}: line {fatal.line + 1}: {fatal.message}")
    return parsed.data


def format_checker() -> FormatChecker:
    import jsonschema

    checker: FormatChecker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    missing = [name for name in REQUIRED_FORMATS if name not in checker.checkers]
    if missing:
        raise SchemaError(
            f"format checks unavailable ({', '.join(missing)}): install rfc3339-validator and rfc3986-validator"
        )
    return checker


class SchemaChecker:
    """A schema compiled once per process; ``check`` is called once per file.

    The validators are built on first need: a run over valid files that the subset proves
    valid imports neither jsonschema-rs nor jsonschema. ``accelerate=False`` leaves only the
    reference engine; ``subset=False`` skips the pure-Python proof.
    """

    def __init__(self, schema: Dict[str, Any], accelerate: bool = True, subset: bool = True) -> None:
        self.schema = schema
        self._validator: Any = None
        self._jekyll_validator: Any = None
        self._time_keys: Optional[Set[str]] = None
        self._accelerate = accelerate
        self._fast: Any = _UNBUILT
        self._explainer: Any = _UNBUILT
        self._named: Any = _UNBUILT
        self._asked = 0
        formats = light_formats() if accelerate else None
        self._formats = formats
        self.proves_valid = compile_subset(schema, formats) if subset and formats is not None else None

    @property
    def fast(self) -> Optional[Callable[[Any], bool]]:
        """jsonschema-rs's "valid?", or None without it (imported on first need: about 30 ms)."""
        if self._fast is _UNBUILT:
            self._fast = _fast_validator(self.schema, self._formats) if self._accelerate else None
        fast: Optional[Callable[[Any], bool]] = self._fast
        return fast

    @property
    def validator(self) -> Any:
        """The reference validator; raises SchemaError for a schema that cannot be used."""
        if self._validator is None:
            self._validator = _reference_validator(self.schema)
        return self._validator

    def check(
        self, data: Any, raw: Mapping[DataPath, str], jekyll: Optional[Mapping[DataPath, str]] = None
    ) -> List[SchemaHit]:
        """Schema hits for one document; ``raw`` holds the written text of non-strings,
        ``jekyll`` that of strings Jekyll's readers read as something else (for Y004)."""
        pending = self._pending(jekyll) if jekyll else None
        jekyll_hits = self._jekyll_hits(data, pending) if pending else []
        if self.proves_valid is not None and self._subset_pays() and self.proves_valid(data):
            return jekyll_hits
        fast = self.fast
        if fast is not None and fast(data):
            return jekyll_hits
        errors: Optional[Iterable[Any]] = self._rust_errors(data) if fast is not None else None
        if errors is None:
            errors = self.validator.iter_errors(data)
        hits: Dict[SchemaHit, None] = {}  # ordered and without repeats
        for error in errors:
            hits.update(dict.fromkeys(_hits(error, raw)))
        return list(hits) + jekyll_hits

    def _rust_errors(self, data: Any) -> Optional[List[Error]]:
        """An invalid document's errors from jsonschema-rs, as jsonschema would give them,
        or None where that is not certain (``linter.validate.rust_errors``)."""
        parts = self._explainer_parts()
        if parts is None:
            return None
        validator, translator = parts
        try:
            return translator.translate(validator.iter_errors, data)
        except Exception:  # values it cannot convert: jsonschema decides
            return None

    def _explainer_parts(self) -> Optional[Tuple[Any, Translator]]:
        """jsonschema-rs's validator for errors and their translator, built on first need."""
        if self._explainer is _UNBUILT:
            self._explainer = _rust_explainer(self.schema, self._formats)
        parts: Optional[Tuple[Any, Translator]] = self._explainer
        return parts

    def _subset_pays(self) -> bool:
        """Whether to ask the subset first. Per valid article it costs about three times
        jsonschema-rs's answer (0.23 M instructions more, measured over 2,000 generated
        articles), while it saves importing jsonschema-rs and building its validator (43 M,
        a sixth of a one-file run). So it is asked for a process's first ``SUBSET_FILES``
        files only: a run of a few files (pre-commit) never imports jsonschema-rs, and a
        long one pays at most twice what the better choice would have; never once
        jsonschema-rs is built anyway (a file it could not prove); and always without
        jsonschema-rs (jsonschema alone is far slower)."""
        if self._fast is _UNBUILT:
            self._asked += 1
            return self._asked <= SUBSET_FILES
        return self._fast is None

    def _pending(self, jekyll: Mapping[DataPath, str]) -> Dict[DataPath, str]:
        """The strings Jekyll reads as another type that the schema must be asked about.
        Usually there are none: every such string is a plain UTC time (``_PLAIN_UTC``) under a
        key that takes times, found here without a Python step per string (``_takes_time``
        would say the same of each, tests/test_schema_times.py holds them equal)."""
        if self._time_keys is None:
            self._time_keys = time_keys(self.schema)
        keys = () not in jekyll and self._time_keys.issuperset(map(_LAST, jekyll))  # () has no last key
        if keys and all(map(_PLAIN_UTC.fullmatch, jekyll.values())):
            return {}
        return {path: text for path, text in jekyll.items() if not self._takes_time(path, text)}

    def _takes_time(self, path: DataPath, text: str) -> bool:
        """A time where every declaration of the field says ``format: date-time`` (the date in
        every article): no need to ask the schema about it."""
        if self._time_keys is None:
            self._time_keys = time_keys(self.schema)
        if self._named is _UNBUILT:
            self._named = property_names(self.schema)
        if self._named is not None and any(type(part) is str and part not in self._named for part in path):
            return True  # under a key no subschema is applied to: no type keyword sees it
        if not path or path[-1] not in self._time_keys:
            return False  # asked first: most such strings are not times at all
        readings = ruby_readings(text)
        return readings is None or (isinstance(readings[0], _TIMELY) and isinstance(readings[1], _TIMELY))

    def _jekyll_hits(self, data: Any, pending: Mapping[DataPath, str]) -> List[SchemaHit]:
        """Y004: validate once more with each such string marked, where the schema's ``type``
        keyword refuses a marked string unless the field takes a time and Jekyll reads one."""
        if self._jekyll_validator is None:
            self._jekyll_validator = _jekyll_validator(self.schema)
        hits: Dict[SchemaHit, None] = {}
        for error in self._jekyll_validator.iter_errors(_marked(data, pending)):
            if error.message == _JEKYLL_MARK:
                path: DataPath = tuple(error.absolute_path)
                hits[_jekyll_hit(path, pending[path])] = None
        return list(hits)


def check_user_schema(schema: Dict[str, Any]) -> None:
    """Everything that makes a user's schema unusable, found before any file is linted and
    the same whether jsonschema-rs is installed or not: an invalid schema, a pattern no
    linear-time engine runs, a reference that is remote, missing or loops, nesting too deep
    (``linter.validate.bounds``). Raises SchemaError naming the problem."""
    _reference_validator(schema)
    try:
        check_schema_bounds(schema, _registry())
    except BoundsError as exc:
        raise SchemaError(str(exc)) from None


def _reference_validator(schema: Dict[str, Any]) -> Any:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(part) for part in exc.absolute_path) or "the top level"
        raise SchemaError(f"invalid schema at {where}: {exc.message}") from exc
    except RecursionError:
        raise SchemaError(f"the schema nests too deeply to be checked (more than {MAX_DEPTH} levels)") from None
    linear = jsonschema.validators.extend(cls, _linear_keywords())  # type: ignore[no-untyped-call]
    return linear(schema, registry=_registry(), format_checker=format_checker())


def _linear_keywords() -> Dict[str, Callable[..., Iterator[Any]]]:
    """jsonschema's three keywords that run schema patterns, with RE2 instead of ``re``
    (same logic as ``jsonschema._keywords``; patterns were compiled and checked up front)."""
    from jsonschema import ValidationError

    def pattern(validator: Any, wanted: str, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not pattern_search(wanted, instance):
            yield ValidationError(f"{instance!r} does not match {wanted!r}")

    def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for wanted, subschema in patterns.items():
            for key, value in instance.items():
                if pattern_search(wanted, key):
                    yield from validator.descend(value, subschema, path=key, schema_path=wanted)

    def additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        known = schema.get("properties", {})
        patterns = list(schema.get("patternProperties", {}))
        extras = [k for k in instance if k not in known and not any(pattern_search(p, k) for p in patterns)]
        if validator.is_type(allowed, "object"):
            for extra in extras:
                yield from validator.descend(instance[extra], allowed, path=extra)
        elif not allowed and extras:
            yield ValidationError(f"Additional properties are not allowed ({', '.join(map(repr, extras))})")

    return {"pattern": pattern, "patternProperties": pattern_properties, "additionalProperties": additional_properties}


def _registry() -> Any:
    """Lets a user's schema ``$ref`` the bundled one by its ``$id``."""
    from referencing import Registry, Resource

    bundled = bundled_schema()
    return Registry().with_resource(bundled["$id"], Resource.from_contents(bundled))


# -- Y004: values that Jekyll's readers do not read as text ---------------------------------

_JEKYLL_MARK = "read as another type by Jekyll"


class JekyllText(str):
    """A string of the document that Jekyll's readers read as something else; it is still a
    string to every keyword but ``type`` (see ``_jekyll_validator``)."""

    __slots__ = ("readings",)
    readings: Tuple[Any, ...]


def _marked(data: Any, pending: Mapping[DataPath, str]) -> Any:
    """A copy of ``data`` (only the containers on the way) with each pending string marked."""
    for path in pending:
        data = _mark(data, path, 0)
    return data


def _mark(node: Any, path: DataPath, depth: int) -> Any:
    if depth == len(path):
        marked = JekyllText(node)
        marked.readings = ruby_readings(node) or ()
        return marked
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    copy[path[depth]] = _mark(node[path[depth]], path, depth + 1)
    return copy


def _jekyll_validator(schema: Dict[str, Any]) -> Any:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    plain_type = cls.VALIDATORS["type"]

    def jekyll_type(validator: Any, types: Any, instance: Any, subschema: Dict[str, Any]) -> Iterator[Any]:
        wanted = types if isinstance(types, list) else [types]
        if isinstance(instance, JekyllText) and "string" in wanted and not _time_is_fine(instance, subschema):
            yield jsonschema.ValidationError(_JEKYLL_MARK)
        else:
            yield from plain_type(validator, types, instance, subschema)

    extend: Any = jsonschema.validators.extend  # untyped in jsonschema
    # The schema's patterns run on the linear-time engine here too (see _linear_keywords).
    extended = extend(cls, {**_linear_keywords(), "type": jekyll_type})
    return extended(schema, registry=_registry(), format_checker=format_checker())


def _time_is_fine(instance: JekyllText, subschema: Dict[str, Any]) -> bool:
    """A field declared ``format: date-time`` (or ``date``) takes what Jekyll reads as a time."""
    takes = subschema.get("format") in ("date-time", "date")
    return takes and all(isinstance(r, _TIMELY) for r in instance.readings)


def _jekyll_hit(path: DataPath, text: str) -> SchemaHit:
    psych, safe = ruby_readings(text) or (text, text)
    if same_reading(psych, safe):
        jekyll = f"{reading_text(psych, path)} by Jekyll's readers (Psych and SafeYAML)"
    else:
        jekyll = f"{reading_text(psych, path)} by Psych (Debian's Jekyll) and {reading_text(safe, path)} by SafeYAML"
    message = f"expected string, but {shown(text, path)} is read as {jekyll}"
    hint = "" if is_secret(path) else f'quote it to keep it as text: "{text}"'
    return SchemaHit("Y004", path, message, hint=hint)


def property_names(schema: Dict[str, Any]) -> Optional[Set[str]]:
    """Every name a ``properties`` table of this schema or the bundled one holds; None when
    a subschema may be applied to other keys too (``patternProperties``, a schema as
    ``additionalProperties`` or ``unevaluatedProperties``, ``propertyNames``)."""
    names: Set[str] = set()
    stack: List[Any] = [schema, bundled_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        if not isinstance(node, dict):
            continue
        if "patternProperties" in node or "propertyNames" in node:
            return None
        if any(isinstance(node.get(word), dict) for word in ("additionalProperties", "unevaluatedProperties")):
            return None
        if isinstance(node.get("properties"), dict):
            names.update(name for name in node["properties"] if isinstance(name, str))
        stack.extend(value for key, value in node.items() if key not in ("enum", "const", "default", "examples"))
    return names


def time_keys(schema: Dict[str, Any]) -> Set[str]:
    """Property names that every declaration, in this schema and the bundled one, gives
    ``format: date-time`` (following local ``$ref`` and ``allOf``)."""
    formats: Dict[str, Set[Any]] = {}
    bundled = bundled_schema()
    for document in (schema,) if schema is bundled else (schema, bundled):  # once for the usual run
        _collect_formats(document, document, formats, 0)
    return {name for name, found in formats.items() if found <= {"date-time", "date"}}


def _collect_formats(node: Any, root: Dict[str, Any], formats: Dict[str, Set[Any]], depth: int) -> None:
    if depth > 64:
        return
    if isinstance(node, list):
        for item in node:
            _collect_formats(item, root, formats, depth + 1)
    if not isinstance(node, dict):
        return
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            formats.setdefault(name, set()).add(_format_of(sub, root, 0))
    for value in node.values():
        _collect_formats(value, root, formats, depth + 1)


def _format_of(sub: Any, root: Dict[str, Any], depth: int) -> Any:
    """The ``format`` a property's schema declares, through local ``$ref``s (None if none)."""
    if not isinstance(sub, dict) or depth > 16:
        return None
    if "format" in sub:
        return sub["format"]
    ref = sub.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        return _format_of(target, root, depth + 1)
    return None


def _fast_validator(
    schema: Dict[str, Any], light: Optional[Dict[str, Callable[[Any], bool]]]
) -> Optional[Callable[[Any], bool]]:
    try:
        import jsonschema_rs  # noqa: F401 (only whether it is installed)
    except ImportError:
        return None
    formats = _accelerator_formats(schema, light)
    shapes = plain_shapes() if formats is light else {}
    validator = _rust_validator(plain_first(schema, shapes), formats)
    if validator is None:
        return None

    def is_valid(data: Any) -> bool:
        try:
            return bool(validator.is_valid(data))
        except Exception:  # values it cannot convert (huge ints, NaN): let jsonschema decide
            return False

    return is_valid


def _rust_validator(schema: Dict[str, Any], formats: Dict[str, Callable[[Any], bool]]) -> Any:
    """jsonschema-rs's validator of a schema, given jsonschema's format functions and
    patterns as ``rust_schema`` writes them; None if it cannot take the schema."""
    import jsonschema_rs

    try:
        registry = jsonschema_rs.Registry([(bundled_schema()["$id"], bundled_schema())], retriever=_never_fetch)
        return jsonschema_rs.validator_for(
            rust_schema(schema),
            formats=formats,
            validate_formats=True,
            registry=registry,
            retriever=_never_fetch,
            pattern_options=jsonschema_rs.RegexOptions(),
        )
    except Exception:  # an accelerator that cannot take this schema is simply not used
        return None


def _rust_explainer(
    schema: Dict[str, Any], light: Optional[Dict[str, Callable[[Any], bool]]]
) -> Optional[Tuple[Any, Translator]]:
    """jsonschema-rs's validator of the schema as written (the accelerator's asks plain
    shapes first, which changes where a format's error is) and its errors' translator;
    None where the translation is never certain (``rust_errors.usable``)."""
    from linter.validate.rust_errors import Translator, usable  # only once a file is invalid

    bundled = bundled_schema()
    documents = {bundled["$id"]: bundled}
    if not usable(schema) or (schema is not bundled and schema.get("$id") in documents):
        return None
    formats = _accelerator_formats(schema, light)
    validator = _rust_validator(schema, formats)
    return None if validator is None else (validator, Translator(schema, documents, set(formats)))


def _never_fetch(uri: str) -> Any:
    """References were all resolved up front (``check_user_schema``): nothing is fetched."""
    raise ValueError(f"lint-news does not fetch {uri}")


def _accelerator_formats(
    schema: Dict[str, Any], light: Optional[Dict[str, Callable[[Any], bool]]]
) -> Dict[str, Callable[[Any], bool]]:
    """The same format functions jsonschema runs: the light ones when they cover every
    format the schema names, else jsonschema's own checker."""
    if light is not None and formats_used(schema) <= set(light):
        return light
    checker = format_checker()
    return {name: _format_function(checker, name) for name in checker.checkers}


def _format_function(checker: FormatChecker, name: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return bool(checker.conforms(value, name))

    return check


# -- jsonschema errors -> hits ---------------------------------------------------------------

if TYPE_CHECKING:  # (a Union of names made at run time would compile them: see test_startup)
    #: A jsonschema error, or one of jsonschema-rs's carried over (``rust_errors.Error``).
    Reported = Union[jsonschema.ValidationError, Error]


def _hits(error: Reported, raw: Mapping[DataPath, str]) -> Iterator[SchemaHit]:
    path: DataPath = tuple(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "required":
        yield from _missing(path, error.instance, error.validator_value)
    elif keyword == "dependentRequired":
        yield from _dependent(path, error)
    elif keyword in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown(path, error)
    else:
        code = CODES.get(keyword, OTHER_CODE)
        written = raw.get(path)
        hint = "" if is_secret(path) else _hint(keyword, error, written)
        yield SchemaHit(code, path, _message(keyword, error, path, written), hint=hint)


def _hint(keyword: str, error: Reported, written: Optional[str]) -> str:
    """Unquoted text that YAML turned into a boolean, number or null: say how to keep it."""
    wanted = error.validator_value
    wants_text = wanted == "string" or (isinstance(wanted, list) and "string" in wanted)
    if keyword == "type" and wants_text and written:
        return f'quote it to keep it as text: "{written}"'
    return ""


def _missing(path: DataPath, instance: Any, required: Any) -> Iterator[SchemaHit]:
    for name in required:
        if isinstance(instance, dict) and name not in instance:
            yield SchemaHit("S001", path, f"missing required field '{name}'", on_key=bool(path), subject=path + (name,))


def _dependent(path: DataPath, error: Reported) -> Iterator[SchemaHit]:
    instance: Any = error.instance
    dependencies: Any = error.validator_value
    for field, needed in dependencies.items():
        if field in instance:
            for name in needed:
                if name not in instance:
                    message = f"'{field}' needs '{name}' beside it"
                    yield SchemaHit("S001", path + (field,), message, on_key=True, subject=path + (name,))


def _unknown(path: DataPath, error: Reported) -> Iterator[SchemaHit]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = list(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    instance: Any = error.instance
    for key in instance:
        if key in known or any(pattern_search(p, key) for p in patterns):
            continue
        import difflib  # only for unknown fields: most runs never need it

        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        if close:
            message, meant = f"unknown field '{key}'; did you mean '{close[0]}'?", path + (close[0],)
            yield SchemaHit("S003", path + (key,), message, on_key=True, subject=meant)
        else:
            yield SchemaHit("S003", path + (key,), f"unknown field '{key}'", on_key=True)


def _message(keyword: str, error: Reported, path: DataPath, raw: Optional[str]) -> str:
    value, wanted = error.instance, error.validator_value
    quoted = shown(value, path, raw)
    build = _MESSAGES.get(keyword)
    if build is not None:
        return build(quoted, value, wanted)
    detail = "" if is_secret(path) else f": {error.message[:200]}"
    return f"{quoted} does not satisfy the schema's '{keyword}' rule{detail}"


if TYPE_CHECKING:
    #: keyword -> message builder(quoted value, value, keyword argument)
    _Builder = Callable[[str, Any, Any], str]


def _type_message(quoted: str, value: Any, wanted: Any) -> str:
    names = " or ".join(wanted) if isinstance(wanted, list) else str(wanted)
    if value is None and quoted in ("''", "'~'", "'null'", "'None'"):
        return f"expected {names}, got an empty value"
    if isinstance(value, (dict, list)):
        return f"expected {names}, got {quoted}"
    return f"expected {names}, got {kind(value)} {quoted}"


def _range_message(word: str) -> _Builder:
    return lambda quoted, value, limit: f"{quoted} is {word} {limit}"


def _size_message(unit: str, word: str) -> _Builder:
    need = "allowed" if word == "at most" else "needed"

    def build(quoted: str, value: Any, limit: Any) -> str:
        if unit == "characters" and limit == 1 and word == "at least":
            return "must not be empty"
        return f"has {len(value)} {unit}; {word} {limit} {need}"

    return build


def _choices(quoted: str, value: Any, wanted: Any) -> str:
    options = ", ".join(repr(item) for item in (wanted if isinstance(wanted, list) else [wanted]))
    return f"{quoted} is not allowed; expected one of: {options}"


def _format_reason(value: Any, wanted: Any) -> str:
    if wanted == "uri" and isinstance(value, str) and not value.isascii():
        return " (non-ASCII characters must be percent-encoded)"
    return ""


_MESSAGES: Dict[str, _Builder] = {
    "type": _type_message,
    "minimum": _range_message("below the minimum"),
    "maximum": _range_message("above the maximum"),
    "exclusiveMinimum": _range_message("not above"),
    "exclusiveMaximum": _range_message("not below"),
    "enum": _choices,
    "const": _choices,
    "minItems": _size_message("items", "at least"),
    "maxItems": _size_message("items", "at most"),
    "minLength": _size_message("characters", "at least"),
    "maxLength": _size_message("characters", "at most"),
    "uniqueItems": lambda quoted, value, wanted: "has duplicate items",
    "pattern": lambda quoted, value, wanted: f"{quoted} does not match the pattern {wanted!r}",
    "format": lambda quoted, value, wanted: f"{quoted} is not a valid {wanted}{_format_reason(value, wanted)}",
}
