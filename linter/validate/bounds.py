"""A user's schema is checked once, before any file is linted, so that neither validator can
hang, recurse without end or reach outside: every ``$ref`` resolves inside the schema or to
the bundled schema (nothing is fetched, from the network or from files), no chain of
references and in-place keywords (``allOf``, ``not``, ``$ref``...) loops back on itself or
runs deeper than ``MAX_CHAIN``, the document nests at most ``MAX_DEPTH`` levels, and every
pattern runs on a linear-time engine. Each problem is one ``SchemaError`` naming it.
"""

from __future__ import annotations

from linter.validate.patterns import PatternError, check_all

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

#: Containers (objects and arrays) nested inside one another in the schema document.
MAX_DEPTH = 64
#: Schemas applied to the same value one inside another (``allOf``, ``anyOf``, ``oneOf``,
#: ``not``, ``if``/``then``/``else``, ``dependentSchemas``, ``$ref``).
MAX_CHAIN = 48
_REFS = ("$ref", "$dynamicRef", "$recursiveRef")
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE = ("not", "if", "then", "else")
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})
if TYPE_CHECKING:
    #: (target node id, what leads there: a reference as written, or a keyword)
    Edge = Tuple[int, str]


class BoundsError(ValueError):
    """A schema that could hang, recurse without end, or reach outside."""


def check_depth(document: Any, what: str) -> None:
    """Raise BoundsError when containers nest deeper than ``MAX_DEPTH`` (iteratively: the
    check itself must not recurse)."""
    stack: List[Tuple[Any, int]] = [(document, 1)]
    seen = set()
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (dict, list)) or (id(node), depth) in seen:
            continue
        if depth > MAX_DEPTH:
            raise BoundsError(f"{what} nests deeper than {MAX_DEPTH} levels")
        seen.add((id(node), depth))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)


def check_schema_bounds(schema: Dict[str, Any], registry: Any) -> None:
    """Every bound of the module docstring; raises BoundsError naming the first problem."""
    check_depth(schema, "the schema")
    try:
        check_all(schema)
    except PatternError as exc:
        raise BoundsError(str(exc)) from None
    if _uses(schema, "unevaluatedProperties") and _uses(schema, "patternProperties"):
        raise BoundsError("'patternProperties' together with 'unevaluatedProperties' is not supported")
    edges = _reference_graph(schema, registry)
    _check_chains(edges, id(schema))


def _uses(schema: Any, keyword: str) -> bool:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if keyword in node:
                return True
            stack.extend(v for k, v in node.items() if k not in _DATA_KEYWORDS)
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _reference_graph(schema: Dict[str, Any], registry: Any) -> Dict[int, List[Edge]]:
    """In-place edges between schema nodes (by object id), every reference resolved (as
    jsonschema resolves them: the schema as the root resource of ``registry``)."""
    from referencing import Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    root = Resource.from_contents(schema, default_specification=DRAFT202012)
    edges: Dict[int, List[Edge]] = {}
    stack: List[Tuple[Any, Any, str]] = [(schema, registry.resolver_with_root(root), "#")]
    while stack:
        node, resolver, where = stack.pop()
        if isinstance(node, list):
            stack.extend((item, resolver, f"{where}/{index}") for index, item in enumerate(node))
            continue
        if not isinstance(node, dict) or id(node) in edges:
            continue
        if isinstance(node.get("$id"), str):
            resolver = resolver.in_subresource(Resource.from_contents(node, default_specification=DRAFT202012))
        out = edges[id(node)] = []
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                continue
            if key in _REFS and isinstance(value, str):
                try:
                    resolved = resolver.lookup(value)
                except Unresolvable:
                    raise BoundsError(_unresolvable(value, f"{where}/{key}")) from None
                out.append((id(resolved.contents), value))
                stack.append((resolved.contents, resolved.resolver, value))
                continue
            out.extend(_in_place(key, value))
            stack.append((value, resolver, f"{where}/{key}"))
    return edges


def _unresolvable(reference: str, where: str) -> str:
    return (
        f"reference '{reference}' (at {where}) cannot be resolved: lint-news resolves references "
        "only inside the schema and to the bundled schema's $id, and never fetches URLs or files"
    )


def _in_place(key: str, value: Any) -> List[Edge]:
    if key in _IN_PLACE_LISTS and isinstance(value, list):
        return [(id(item), key) for item in value if isinstance(item, dict)]
    if key in _IN_PLACE and isinstance(value, dict):
        return [(id(value), key)]
    if key == "dependentSchemas" and isinstance(value, dict):
        return [(id(item), key) for item in value.values() if isinstance(item, dict)]
    return []


def _check_chains(edges: Dict[int, List[Edge]], root: int) -> None:
    """No cycle of in-place edges (it would apply a schema to the same value forever), and
    no chain longer than ``MAX_CHAIN``; iterative depth-first search with colours."""
    longest: Dict[int, int] = {}
    for start in edges:
        if start in longest:
            continue
        on_path: Dict[int, Optional[str]] = {start: None}
        path: List[Tuple[int, int, Optional[str]]] = [(start, 0, None)]  # node, next edge, how reached
        while path:
            node, index, how = path[-1]
            out = edges.get(node, [])
            if index < len(out):
                path[-1] = (node, index + 1, how)
                target, label = out[index]
                if target in on_path:
                    raise BoundsError(_loop([h for _, _, h in path] + [label]))
                if target not in longest:
                    on_path[target] = label
                    path.append((target, 0, label))
                continue
            longest[node] = 1 + max((longest.get(t, 0) for t, _ in out), default=0)
            if longest[node] > MAX_CHAIN:
                raise BoundsError(f"the schema applies more than {MAX_CHAIN} schemas in place, one inside another")
            del on_path[node]
            path.pop()


def _loop(labels: List[Optional[str]]) -> str:
    """Name the last reference on the loop (a keyword only when the loop has none)."""
    keywords = _IN_PLACE_LISTS + _IN_PLACE + ("dependentSchemas",)
    references = [label for label in labels if label and label not in keywords]
    named = references[-1] if references else labels[-1]
    return f"reference '{named}' loops back to itself without reading any value: it would never end"
