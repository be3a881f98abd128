"""One mistake, one diagnostic: which of a file's findings are reported, and with what text.

Every layer reports what it sees, so one mistake is often seen more than once: a URL with a
space is not a valid `uri` (S008) and holds whitespace (U002); a misspelled `titel` is an
unknown field (S003) and leaves `title` missing (S001); a `webUrl` on the wrong site differs
from `originalUrl` (U008) and is off the provider's domain (U007). The engine reports one
finding per mistake, decided here and nowhere else, by two rules:

1. **Tiers, per node.** On one node (a value, or a key) only the findings of the lowest
   tier are kept (``linter.model.Tier``: parse < type < schema < rule < hint; a code's tier
   is in the registry). Inside a subtree the parser gave up on, only parse-tier findings
   are kept.
2. **Folds, per cause.** ``FOLDS`` lists pairs of codes, a *specific* one and a *general*
   one, each with the condition under which two such findings have one cause: correcting
   the value the specific finding points at, as its documentation says, also clears the
   general one (or, for E003 and Y003, both are about one `<<` key). Then the specific
   finding is kept, with the general one's information added to its message in
   parentheses (``unknown field 'titel'; did you mean 'title'? (required, missing)``),
   and the general one is dropped.

Both rules weigh only the findings that are *reported*: selected, not ignored (by the
configuration, the command line or ``per-file-ignores``) and not silenced by a comment. A
finding that is not reported takes nothing away: ignoring the specific code and silencing it
with a comment do the same, and what it would have replaced (a higher tier's finding on its
node, the findings folded into it) is reported instead, each with its own message.

A message never depends on the selection: a specific finding names what is folded into it
whether or not the general code is selected. So a rule whose findings fold into a selected
code runs even when it is not selected itself (``needed``); its own findings are then not
reported.
"""

from __future__ import annotations

from linter import registry
from linter.model import Tier

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import (
        Any,
        Callable,
        Dict,
        FrozenSet,
        Hashable,
        Iterable,
        Iterator,
        List,
        NamedTuple,
        Optional,
        Sequence,
        Set,
        Tuple,
    )

    from linter.model import DataPath
else:
    from linter.named import NamedTuple


class Raw(NamedTuple):
    """A finding before it is placed and filtered: code, position (when known: findings
    about the file itself), data path, text, and the data path of the field it names when
    that is not where it is reported (a missing field, the field a typo was meant to be)."""

    code: str
    message: str
    path: DataPath = ()
    on_key: bool = False
    position: Optional[Tuple[int, int]] = None
    hint: str = ""
    subject: DataPath = ()


if TYPE_CHECKING:
    #: The cause two findings share (equal values: one cause), or None: not this fold's case.
    Cause = Callable[[Raw, Any], Optional[Hashable]]


class Fold(NamedTuple):
    """``general`` findings are folded into ``specific`` ones that name the same cause."""

    specific: str
    general: str
    cause: Cause
    #: What a general finding adds to the specific one's message.
    note: Callable[[Raw, Any], str]


def one_per_cause(raws: Sequence[Raw], reported: Sequence[bool], data: Any) -> List[Raw]:
    """The findings to report, in their order, with folded information in their messages.
    ``raws`` are every finding of the file outside the subtrees the parser gave up on
    (``outside``), ``reported`` says which of them pass the selection and the comments."""
    notes = _notes(raws, data)
    kept = _lowest_tier_per_node(raws, reported)
    folded = _folded_into(raws, kept, data)
    out = []
    for index in kept:
        if index in folded:
            continue
        raw = raws[index]
        out.append(raw._replace(message=f"{raw.message} ({'; '.join(notes[index])})") if notes[index] else raw)
    return out


def outside(raws: Iterable[Raw], skipped: Set[DataPath]) -> List[Raw]:
    """Drop the findings inside subtrees the parser gave up on (a bad tag, too deep), but
    the parse-tier ones: nothing else said about such a subtree would be about what was
    written."""
    return [r for r in raws if _tier(r) is Tier.PARSE or not _inside(r.path, skipped)]


def _lowest_tier_per_node(raws: Sequence[Raw], reported: Sequence[bool]) -> List[int]:
    best: Dict[Tuple[DataPath, bool], Tier] = {}
    for raw, shown in zip(raws, reported):
        if shown and not _file_level(raw):  # about the file (a BOM, a fence), not the root mapping
            node = (raw.path, raw.on_key)
            best[node] = min(best.get(node, Tier.HINT), _tier(raw))
    return [
        index
        for index, (raw, shown) in enumerate(zip(raws, reported))
        if shown and (_file_level(raw) or _tier(raw) == best[(raw.path, raw.on_key)])
    ]


def _notes(raws: Sequence[Raw], data: Any) -> List[List[str]]:
    """What each finding would say of the findings folded into it: computed over every
    finding, reported or not, so that a message never depends on the selection. FOLDS is
    ordered so that a finding gathers its own notes before it is folded into another."""
    notes: List[List[str]] = [[] for _ in raws]
    for fold, specifics, generals in _pairs(raws, data):
        for index, cause in specifics:
            for other in generals.get(cause, ()):
                for note in [fold.note(raws[other], data)] + notes[other]:
                    if note not in notes[index]:
                        notes[index].append(note)
    return notes


def _folded_into(raws: Sequence[Raw], kept: Sequence[int], data: Any) -> Set[int]:
    """Indexes of the findings that a kept finding explains."""
    chosen = set(kept)
    folded: Set[int] = set()
    for _fold, specifics, generals in _pairs(raws, data):
        for index, cause in specifics:
            if index in chosen:
                folded.update(generals.get(cause, ()))
    return folded


if TYPE_CHECKING:
    #: One fold's findings in a file: the fold, its specific findings with their cause, its
    #: general findings by cause.
    _Pairs = Tuple[Fold, List[Tuple[int, Hashable]], Dict[Hashable, List[int]]]


def _pairs(raws: Sequence[Raw], data: Any) -> Iterator[_Pairs]:
    """For each fold with findings of both codes: its specific findings with their cause,
    and its general findings by cause (found by lookup, so the cost stays linear)."""
    codes = {raw.code for raw in raws}
    for fold in FOLDS:
        if fold.specific not in codes or fold.general not in codes:
            continue
        generals: Dict[Hashable, List[int]] = {}
        specifics: List[Tuple[int, Hashable]] = []
        for index, raw in enumerate(raws):
            if raw.code in (fold.specific, fold.general):
                cause = fold.cause(raw, data)
                if cause is None:
                    continue
                if raw.code == fold.general:
                    generals.setdefault(cause, []).append(index)
                else:
                    specifics.append((index, cause))
        if generals and specifics:
            yield fold, specifics, generals


def _tier(raw: Raw) -> Tier:
    return registry.RULES[raw.code].tier


def _file_level(raw: Raw) -> bool:
    return raw.position is not None and not raw.path


def _inside(path: DataPath, roots: Set[DataPath]) -> bool:
    """Whether ``path`` lies in one of ``roots``: its own prefixes looked up, so the cost
    is the path's depth, not the number of roots."""
    return any(path[:depth] in roots for depth in range(len(path) + 1)) if roots else False


# -- the folds ---------------------------------------------------------------------------------


def _named_field(raw: Raw, data: Any) -> Optional[Hashable]:
    """S003 and S001: the field a typo was meant to be, the field that is missing."""
    return raw.subject or None


def _missing_note(raw: Raw, data: Any) -> str:
    if raw.path == raw.subject[:-1]:  # ``required``: reported on the mapping that lacks it
        return "required, missing"
    return f"needed beside '{raw.path[-1]}', missing"  # ``dependentRequired``: on the other key


_PAIR = (("originalUrl",), ("webUrl",))


def _same_once_encoded(raw: Raw, data: Any) -> Optional[Hashable]:
    """U002/U009 and U008: webUrl and originalUrl differ only in characters that the
    whitespace and non-ASCII fixes percent-encode, and the finding is on one of them."""
    if raw.path not in _PAIR or not isinstance(data, dict):
        return None
    original, web = data.get("originalUrl"), data.get("webUrl")
    if not isinstance(original, str) or not isinstance(web, str) or original == web:
        return None
    return "webUrl" if _encoded(original) == _encoded(web) else None


def _encoded(url: str) -> str:
    """A URL as the U002 fix and then the U009 fix leave it."""
    from linter.fix.fixers import encode_whitespace  # only when U008 meets U002 or U009
    from linter.rules.urls import encode_url

    return encode_url(encode_whitespace(url))


def _amp_same_once_encoded(raw: Raw, data: Any) -> Optional[Hashable]:
    """U002/U009 on an ampWebUrl and U005 on its cdnAmpWebUrl: cdnAmpWebUrl is the AMP
    Cache URL of ampWebUrl once ampWebUrl is encoded."""
    from linter.rules.urls import amp_cache_url

    if not raw.path or raw.path[-1] != ("cdnAmpWebUrl" if raw.code == "U005" else "ampWebUrl"):
        return None
    entry = _at(data, raw.path[:-1])
    amp = entry.get("ampWebUrl") if isinstance(entry, dict) else None
    cdn = entry.get("cdnAmpWebUrl") if isinstance(entry, dict) else None
    if not isinstance(amp, str) or not isinstance(cdn, str) or amp == _encoded(amp):
        return None
    return raw.path[:-1] if amp_cache_url(_encoded(amp)) == cdn else None


def _at(data: Any, path: DataPath) -> Any:
    """The node at a data path, or None."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _same_key(raw: Raw, data: Any) -> Optional[Hashable]:
    """E003 and Y003: the parser's position of both, the `<<` key of a merge of a scalar."""
    return raw.position


def _weburl_wrong(raw: Raw, data: Any) -> Optional[Hashable]:
    """U008 and U007: the article's webUrl is off its provider's domain while originalUrl
    is on it, so making webUrl equal to originalUrl clears both."""
    from linter.rules.urls import host_of, on_domain

    if raw.path != ("webUrl",) or not isinstance(data, dict):
        return None
    original, provider = data.get("originalUrl"), data.get("provider")
    domain = provider.get("domain") if isinstance(provider, dict) else None
    if not isinstance(original, str) or not isinstance(domain, str):
        return None
    return "webUrl" if on_domain(host_of(original), domain) else None


def _provider_note(raw: Raw, data: Any) -> str:
    return f"webUrl is not on provider domain '{data['provider']['domain'].lower().strip('.')}'"


#: Every fold. A code that is folded into one fold's specific code and is itself the specific
#: code of another (U008) comes first as specific, so it gathers its notes before it is folded.
FOLDS: Tuple[Fold, ...] = (
    Fold("U008", "U007", _weburl_wrong, _provider_note),
    Fold("U002", "U008", _same_once_encoded, lambda raw, data: "webUrl and originalUrl are the same once encoded"),
    Fold("U009", "U008", _same_once_encoded, lambda raw, data: "webUrl and originalUrl are the same once encoded"),
    Fold("U002", "U005", _amp_same_once_encoded, lambda raw, data: "cdnAmpWebUrl matches it once encoded"),
    Fold("U009", "U005", _amp_same_once_encoded, lambda raw, data: "cdnAmpWebUrl matches it once encoded"),
    Fold("S003", "S001", _named_field, _missing_note),
    Fold("E003", "Y003", _same_key, lambda raw, data: "merge keys are YAML 1.1 only; write the keys out"),
)


def _explainers() -> Dict[str, FrozenSet[str]]:
    """General code -> every code a finding of it can be folded into, through chains."""
    direct: Dict[str, Set[str]] = {}
    for fold in FOLDS:
        direct.setdefault(fold.general, set()).add(fold.specific)
    closed: Dict[str, FrozenSet[str]] = {}
    for general in direct:
        seen: Set[str] = set()
        todo = list(direct[general])
        while todo:
            code = todo.pop()
            if code not in seen:
                seen.add(code)
                todo.extend(direct.get(code, ()))
        closed[general] = frozenset(seen)
    return closed


#: General code -> the codes that fold it, directly or through another fold.
EXPLAINERS: Dict[str, FrozenSet[str]] = _explainers()


def needed(code: str, enabled: Callable[[str], bool]) -> bool:
    """Whether the rule of ``code`` must run: it is enabled, or a code it folds into is
    (that finding's message names it whatever the selection)."""
    return enabled(code) or any(enabled(other) for other in EXPLAINERS.get(code, ()))
