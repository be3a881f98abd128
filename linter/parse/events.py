"""Layer 1b, the reference: frontmatter YAML text -> plain data, node positions and parse
problems, for every document (``blockparse`` reads the common block-style subset faster and
hands everything else here).

The data is built straight from the parser's event stream instead of PyYAML's composer and
constructor, for three reasons: timestamps stay the text that was written (so date formats
can be checked), duplicate keys and non-core tags become findings instead of being dropped
or executed, and depth and alias expansion are bounded before any recursion happens.

Scalars are resolved as YAML 1.1 (PyYAML and Jekyll's Psych agree on it), so ``name: No`` is
the boolean false here too, as it is on the site; the schema then reports it.
"""

from __future__ import annotations

import bisect
import re

import yaml
from yaml import events as ev

from linter.parse.scalars import (
    CORE_COLLECTION_TAGS,
    CORE_SCALAR_TAGS,
    MERGE,
    TAG,
    TAG_NAMES,
    BadNumber,
    Tagged,
    construct,
    plain_problem,
    resolve,
    ruby_readings,
)
from linter.parse.types import Limits, Parsed, ParseProblem, file_position
from linter.values import SECRET_KEY, shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple, Union

    from linter.model import DataPath
    from linter.parse.types import Mark, Span

try:  # libyaml's C parser when PyYAML was built with it; the pure-Python one otherwise
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: libyaml's own nesting limit (1,000 levels) is hit before ours in flow collections,
#: because its scanner reads ahead over unclosed brackets.
_PARSER_DEPTH = "maximum nesting depth"
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_YAML_BREAK = re.compile("[\n\x85\u2028\u2029]")
#: Plain scalars PyYAML resolves to a tag that none of its loaders constructs outside a key.
_INDICATOR_VALUES = {"=": "value indicator", "<<": "merge key indicator"}
_NO_KEY: Any = object()
_BAD_KEY: Any = object()


class _TooComplex(Exception):
    """Raised inside the builder only; turned into a fatal E008 problem."""


class _Frame:
    __slots__ = ("node", "path", "is_map", "key", "key_mark", "size", "anchor", "merges", "secret", "start", "anchored")

    def __init__(self, node: Any, path: DataPath, anchor: Optional[str]) -> None:
        self.node = node
        self.path = path
        self.is_map = isinstance(node, dict)
        self.key: Any = _NO_KEY
        self.key_mark = (0, 0)
        self.size = 1
        self.anchor = anchor
        self.merges: List[Tuple[Any, Tuple[int, int]]] = []
        self.secret = False  # the collection is, or lies inside, a secured value
        self.start = (0, 0)
        self.anchored = -1  # the anchored node it opens (an index into _Secrets.nodes), if any


class _Secrets:
    """Which source spans hold a ``secured`` value, decided by structure.

    A node is secret when it is the value of a key that resolves to ``secured`` (any
    spelling: quoted, escaped, tagged, explicit, in a flow mapping), lies inside one, or is
    an anchored node that an alias inside a secret reaches (``title: &t ...`` then
    ``secured: *t``): its own span is hidden then, wherever it was written. Anchored nodes
    are linked to the anchored nodes and aliases inside them, so hiding one hides what it
    holds; the links are followed once, at the end (linear in the document).
    """

    def __init__(self) -> None:
        self.spans: List[Span] = []
        #: Per anchored node: its span (once complete) and the anchored nodes it holds.
        self.nodes: List[Tuple[Optional[Span], List[int]]] = []
        self.current: Dict[str, int] = {}  # anchor name -> its latest anchored node
        self.open: List[int] = []  # anchored collections being read, innermost last
        self.hidden: List[int] = []

    def anchor(self, name: str, span: Optional[Span], secret: bool) -> int:
        index = len(self.nodes)
        self.nodes.append((span, []))
        self.current[name] = index
        self.link(index, secret)
        return index

    def link(self, index: int, secret: bool) -> None:
        """``index`` is held by the innermost open anchored node; hidden when secret."""
        if self.open:
            self.nodes[self.open[-1]][1].append(index)
        if secret:
            self.hidden.append(index)

    def close(self, index: int, span: Span) -> None:
        self.nodes[index] = (span, self.nodes[index][1])

    def finish(self) -> List[Span]:
        seen = set(self.hidden)
        todo = list(self.hidden)
        spans = list(self.spans)
        while todo:
            span, held = self.nodes[todo.pop()]
            if span is not None:
                spans.append(span)
            for index in held:
                if index not in seen:
                    seen.add(index)
                    todo.append(index)
        return spans


def parse(text: str, limits: Optional[Limits] = None) -> Parsed:
    """Parse one YAML document into plain data; every problem is returned, none raised."""
    builder = _Builder(limits or Limits(), _MarkReader(text))
    loader = None
    try:
        loader = _Loader(text)
        builder.run(loader.get_event)
    except yaml.MarkedYAMLError as exc:
        builder.fail_syntax(exc, text)
    except yaml.reader.ReaderError as exc:
        builder.fail_reader(exc, text)
    except _TooComplex:
        pass
    finally:
        if loader is not None:
            loader.dispose()
    builder.finish()
    return builder.result


class _MarkReader:
    """Reads a parser mark as a 0-based (line, col) of the text counted in LF lines.

    YAML 1.1 parsers also end a line at NEL, LS and PS (U+0085, U+2028, U+2029); the file,
    and every editor, does not. Only a text that holds one of them needs converting.
    """

    def __init__(self, text: str) -> None:
        self.odd = _ODD_BREAK.search(text) is not None
        self.yaml_starts = [0] + [m.end() for m in _YAML_BREAK.finditer(text)] if self.odd else []
        self.lf_starts = [0] + [m.end() for m in re.finditer("\n", text)] if self.odd else []

    def __call__(self, mark: Any) -> Tuple[int, int]:
        if not self.odd:
            return mark.line, mark.column
        if mark.line >= len(self.yaml_starts):  # the stream end, past the last line
            return len(self.lf_starts), 0
        offset = self.yaml_starts[mark.line] + mark.column
        line = bisect.bisect_right(self.lf_starts, offset) - 1
        return line, offset - self.lf_starts[line]


class _Builder:
    def __init__(self, limits: Limits, at: _MarkReader) -> None:
        self.limits = limits
        self.at = at
        self.result = Parsed()
        self.stack: List[_Frame] = []
        self.anchors: Dict[str, Tuple[Any, int]] = {}
        self.total = 0
        self.documents = 0
        self.secrets = _Secrets()
        self.done: Any = None  # the last event fully taken in

    def finish(self) -> None:
        """Record the secret spans and, after a fatal problem, how far the text was read:
        up to the last event taken in, and never into a secured value still open."""
        self.result.secret_spans = self.secrets.finish()
        if self.result.fatal:
            until = self.at(self.done.end_mark) if self.done is not None else (0, 0)
            opened = [frame.start for frame in self.stack if frame.secret]
            self.result.known_until = min([until, *opened])

    # -- driving -------------------------------------------------------------------------
    def run(self, next_event: Callable[[], Any]) -> None:
        """Consume events until the stream ends (calling the loader's ``get_event`` directly
        skips ``yaml.parse``'s generator and ``check_event`` round trips)."""
        event = next_event()
        while event is not None:
            kind = type(event)
            if kind is ev.ScalarEvent:
                self.scalar(event)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                self.start(event, {} if kind is ev.MappingStartEvent else [])
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                self.end(event)
            elif kind is ev.AliasEvent:
                self.alias(event)
            elif kind is ev.DocumentStartEvent:
                self.document(event)
            self.done = event
            event = next_event()

    def document(self, event: ev.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            line, col = self.at(event.start_mark)
            self.problem("E003", line, col, "more than one YAML document in the frontmatter", fatal=True)
            raise _TooComplex

    # -- nodes ---------------------------------------------------------------------------
    def in_secret(self) -> bool:
        """Whether the node about to be placed is, or lies inside, a secured value."""
        if not self.stack:
            return False
        frame = self.stack[-1]
        return frame.secret or (frame.is_map and frame.key == SECRET_KEY)

    def scalar(self, event: ev.ScalarEvent) -> None:
        line, col = self.at(event.start_mark)
        secret = self.in_secret()
        again = bool(event.anchor) and event.anchor in self.secrets.current
        if secret or event.anchor:
            span = (line, col, *self.at(event.end_mark))
            if secret:
                self.secrets.spans.append(span)
            if event.anchor:
                self.secrets.anchor(event.anchor, span, secret)
        value = self.scalar_value(event)
        self.count(1, line, col)
        if isinstance(value, Tagged):
            # Never constructed: the data keeps the text, the tag or value becomes a finding.
            path = self.add(value.text, 1, line, col, None)
            self.refuse(value, line, col, path)
            value = value.text
        else:
            path = self.add(value, 1, line, col, event)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
            if again:
                self.named_again(event.anchor, line, col, path, secret)

    def scalar_value(self, event: ev.ScalarEvent) -> Any:
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return text  # quoted, or a block scalar: always a string
            tag = resolve(text)
        elif tag not in CORE_SCALAR_TAGS:
            return Tagged(tag, text)
        try:
            return construct(tag, text)
        except (ValueError, OverflowError) as exc:
            return Tagged(tag, text, str(exc) if isinstance(exc, BadNumber) else "not a valid value of that type")

    def start(self, event: Union[ev.MappingStartEvent, ev.SequenceStartEvent], node: Any) -> None:
        line, col = self.at(event.start_mark)
        if len(self.stack) >= self.limits.max_depth:
            self.too_deep(line, col)
            raise _TooComplex
        self.count(1, line, col)
        secret = self.in_secret()
        path = self.add(node, 0, line, col, event)
        frame = _Frame(node, path, event.anchor)
        frame.secret, frame.start = secret, (line, col)
        if event.anchor:
            if event.anchor in self.secrets.current:
                self.named_again(event.anchor, line, col, path, secret)
            frame.anchored = self.secrets.anchor(event.anchor, None, secret)
            self.secrets.open.append(frame.anchored)
        if event.tag not in (None, "!") and event.tag not in CORE_COLLECTION_TAGS:
            self.bad_tag(event.tag, line, col, path)
        self.stack.append(frame)

    def end(self, event: Union[ev.MappingEndEvent, ev.SequenceEndEvent]) -> None:
        frame = self.stack.pop()
        if frame.secret or frame.anchored >= 0:
            span = (*frame.start, *self.at(event.end_mark))
            if frame.secret and not (self.stack and self.stack[-1].secret):
                self.secrets.spans.append(span)  # the outermost secret collection covers the rest
            if frame.anchored >= 0:
                self.secrets.close(frame.anchored, span)
                self.secrets.open.pop()
        if frame.merges:
            self.apply_merges(frame)
        if self.stack:
            self.stack[-1].size += frame.size
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.node, frame.size)

    def named_again(self, name: str, line: int, col: int, path: DataPath, secret: bool) -> None:
        """Y007: an anchor named a second time. Psych (Jekyll) and libyaml let the later one
        stand for it from there on, as the data here does; PyYAML refuses the document."""
        what = "an anchor in the secured value" if secret else f"anchor '&{name}'"
        message = f"{what} is named again: PyYAML refuses the file; Jekyll reads the later one from here on"
        self.problem("Y007", line, col, message, path)

    def alias(self, event: ev.AliasEvent) -> None:
        line, col = self.at(event.start_mark)
        if event.anchor not in self.anchors:
            unknown = f"unknown alias '*{event.anchor}'"
            message = "unknown alias in the secured value (name hidden)" if self.in_secret() else unknown
            self.problem("E003", line, col, message, fatal=True)
            raise _TooComplex
        value, size = self.anchors[event.anchor]
        secret = self.in_secret()
        self.secrets.link(self.secrets.current[event.anchor], secret)
        if secret:
            self.secrets.spans.append((line, col, *self.at(event.end_mark)))
        self.count(size, line, col)
        self.add(value, size, line, col, None)

    def count(self, size: int, line: int, col: int) -> None:
        self.total += size
        if self.total > self.limits.max_nodes:
            message = f"document expands to more than {self.limits.max_nodes} nodes (aliases or size)"
            self.problem("E008", line, col, message, fatal=True)
            raise _TooComplex

    # -- placing a node in its parent ----------------------------------------------------
    def add(self, value: Any, size: int, line: int, col: int, event: Optional[ev.NodeEvent]) -> DataPath:
        """Put a finished scalar/alias (size > 0) or a new collection (size 0) in its parent."""
        if not self.stack:
            self.result.data = value
            self.result.marks[()] = (line, col, line, col)
            return ()
        frame = self.stack[-1]
        frame.size += size
        if not frame.is_map:
            items = frame.node
            path = frame.path + (len(items),)
            items.append("<<" if value is MERGE else value)
            self.record(path, (line, col, line, col), value, event)
            return path
        if frame.key is _NO_KEY:
            self.take_key(frame, value, line, col, event)
            return frame.path + ("<key>",)
        if value is MERGE:
            value = "<<"
        return self.take_value(frame, value, line, col, event)

    def take_key(self, frame: _Frame, key: Any, line: int, col: int, event: Optional[ev.NodeEvent]) -> None:
        frame.key_mark = (line, col)
        if key is MERGE or isinstance(key, str):
            frame.key = key
            return
        frame.key = _BAD_KEY
        if isinstance(key, (dict, list)):
            written = "a mapping" if isinstance(key, dict) else "a list"
        else:
            text = event.value if isinstance(event, ev.ScalarEvent) else _yaml_text(key)
            written = shown(text, frame.path)
        self.problem("E011", line, col, f"mapping key {written} is not a string; quote it", frame.path)

    def take_value(self, frame: _Frame, value: Any, line: int, col: int, event: Optional[ev.NodeEvent]) -> DataPath:
        key, (kline, kcol) = frame.key, frame.key_mark
        frame.key = _NO_KEY
        if key is _BAD_KEY:
            path = frame.path + ("<bad key>",)
            self.result.suppressed.add(path)
            return path
        if key is MERGE:
            frame.merges.append((value, (kline, kcol)))
            self.problem("Y003", kline, kcol, "merge key '<<' is YAML 1.1 only; write the keys out", frame.path)
            return frame.path + ("<<",)
        mapping = frame.node
        path = frame.path + (key,)
        if key in mapping:
            first, _ = file_position(self.result.marks[path][0], 0)
            written = "(value hidden)" if frame.secret else f"'{key}'"
            message = f"duplicate key {written} (previously defined on line {first}); the last one wins"
            self.problem("E005", kline, kcol, message, path)
        mapping[key] = value
        self.record(path, (kline, kcol, line, col), value, event)
        return path

    def record(self, path: DataPath, mark: Mark, value: Any, event: Optional[ev.NodeEvent]) -> None:
        self.result.marks[path] = mark
        if event is None or type(event) is not ev.ScalarEvent:
            return
        if event.implicit[0] and event.value in _INDICATOR_VALUES:
            self.note_indicator(path, event.value, mark)
        if type(value) is not str:
            self.note_plain(path, event, value, mark)
        elif event.implicit[0] and event.tag is None and ruby_readings(event.value) is not None:
            self.note_jekyll(path, event, value, mark)

    def note_plain(self, path: DataPath, event: ev.ScalarEvent, value: Any, mark: Mark) -> None:
        """Keep the source text of non-string scalars; flag YAML 1.1-only spellings."""
        self.result.raw[path] = event.value
        problem = plain_problem(path, event.value, value, mark[2], mark[3])
        if problem is not None:
            self.result.problems.append(problem)

    def note_jekyll(self, path: DataPath, event: ev.ScalarEvent, value: Any, mark: Mark) -> None:
        """Keep the source text of a plain string that Jekyll's readers read otherwise."""
        self.result.jekyll[path] = event.value
        problem = plain_problem(path, event.value, value, mark[2], mark[3])
        if problem is not None:
            self.result.problems.append(problem)

    def note_indicator(self, path: DataPath, text: str, mark: Mark) -> None:
        """Y006: a plain ``=`` or ``<<`` as a value (not a key): YAML 1.1 gives them tags that
        PyYAML's safe loaders cannot construct, so those loaders refuse the whole document."""
        what = _INDICATOR_VALUES[text]
        message = f"plain {shown(text, path)} as a value is YAML 1.1's {what}: PyYAML's loaders refuse the file"
        message += "; quote it"
        self.problem("Y006", mark[2], mark[3], message, path)

    def apply_merges(self, frame: _Frame) -> None:
        mapping = frame.node
        for value, (line, col) in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    self.problem("E003", line, col, "merge key '<<' needs a mapping or a list of mappings", frame.path)
                    continue
                for key, item in source.items():
                    if key not in mapping:
                        mapping[key] = item
                        self.result.marks[frame.path + (key,)] = (line, col, line, col)

    # -- problems ------------------------------------------------------------------------
    def problem(self, code: str, line: int, col: int, message: str, path: DataPath = (), fatal: bool = False) -> None:
        self.result.problems.append(ParseProblem(code, line, col, message, path, fatal))

    def refuse(self, value: Tagged, line: int, col: int, path: DataPath) -> None:
        """Report a scalar that was not constructed; later layers skip its subtree."""
        tag = value.tag.replace(TAG, "!!")
        if value.reason:
            what = TAG_NAMES.get(tag, tag)
            message = f"{shown(value.text, path)} cannot be read as {what}: {value.reason}; quote it"
            self.problem("E003", line, col, message, path)
        else:
            self.problem("E007", line, col, f"tag '{tag}' is not allowed; only plain YAML values are", path)
        self.result.suppressed.add(path)

    def bad_tag(self, tag: str, line: int, col: int, path: DataPath) -> None:
        self.refuse(Tagged(tag, ""), line, col, path)

    def too_deep(self, line: int, col: int) -> None:
        self.problem("E008", line, col, f"nesting deeper than {self.limits.max_depth} levels", fatal=True)

    def fail_syntax(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and _context_names_culprit(exc):
            mark = exc.context_mark
        line, col = self.at(mark) if mark is not None else (0, 0)
        if _PARSER_DEPTH in (exc.problem or ""):
            self.too_deep(line, col)
            return
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        if _char_at(text, line, col) == "\t":
            message = "tab character: YAML indents with spaces only"
        self.problem("E003", line, col, f"YAML syntax error: {message}", fatal=True)

    def fail_reader(self, exc: yaml.reader.ReaderError, text: str) -> None:
        encoded = text.encode("utf-8")[: exc.position]
        line = encoded.count(b"\n")
        col = len(encoded[encoded.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
        message = exc.reason
        if isinstance(exc.character, int):
            message = f"control character U+{exc.character:04X} is not allowed in YAML"
        self.problem("E003", line, col, f"YAML syntax error: {message}", fatal=True)


def _yaml_text(value: Any) -> str:
    """How YAML writes a plain value (for messages about keys that came from an alias)."""
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _char_at(text: str, line: int, col: int) -> str:
    """The character at a 0-based mark of ``text`` ("" past its end)."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + col : start + col + 1]


def _context_names_culprit(exc: yaml.MarkedYAMLError) -> bool:
    """A key without its ':' or a construct left open at the end: the context mark is where
    the mistake is, the problem mark only where the parser gave up (the next line, the end)."""
    return (exc.context or "").startswith("while scanning a simple key") or "end of stream" in (exc.problem or "")
