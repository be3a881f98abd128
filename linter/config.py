"""Configuration files: ``.lint-news.toml`` or ``[tool.lint-news]`` in ``pyproject.toml``.

Found by walking up from the working directory (``--config`` names one instead); command
line flags override the file. Every mistake in a file is a ``ConfigError`` naming the file
and the key, which the CLI reports with exit code 2.
"""

from __future__ import annotations

import os
import sys

from linter import registry
from linter.batch.walk import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from linter.files import MAX_CONFIG_BYTES, UnreadableFile, read_bounded
from linter.model import Severity
from linter.parse.types import Limits
from linter.rules.base import Options
from linter.settings import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple
else:
    from linter.named import NamedTuple

CONFIG_NAMES = (".lint-news.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration mistake: ``file: key: what is wrong``."""


class Config(NamedTuple):
    """Settings for the engine plus what only the CLI uses."""

    settings: Settings = Settings()
    include: Tuple[str, ...] = DEFAULT_INCLUDE
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    strict: bool = False
    baseline: Optional[str] = None
    cache_dir: Optional[str] = None
    #: Folders whose files form one archive each (``linter.archive``), absolute.
    archive: Tuple[str, ...] = ()
    source: Optional[str] = None  # the file this came from, for messages


def find_config(start: str) -> Optional[str]:
    """The nearest ``.lint-news.toml``, or ``pyproject.toml`` with a ``[tool.lint-news]`` table,
    in the folder ``start`` or above it."""
    folder = start
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    try:
        text = read_bounded(path, MAX_CONFIG_BYTES)
    except UnreadableFile:
        return True  # reported when loaded
    if b"lint-news" not in text and b"\\u" not in text and b"\\U" not in text:
        return False  # no such table can be spelled here: skip parsing (and importing) TOML
    try:
        return "lint-news" in _tools(_read_toml(path, text))
    except ConfigError:
        return True  # a broken pyproject is reported when loaded, not skipped silently


def load_config(explicit: Optional[str], cwd: Optional[Path] = None) -> Config:
    """The configuration in force: ``explicit`` if given, else the nearest file, else defaults."""
    found = explicit or find_config(os.path.realpath(cwd or os.getcwd()))
    if found is None:
        return Config()
    from pathlib import Path  # only with a file to read (see the import for type checking)

    path = Path(found)
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    table: Any = _read_toml(str(path))
    if path.name == "pyproject.toml":
        table = _tools(table).get("lint-news", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.lint-news] must be a table of keys, not {type(table).__name__} {table!r}")
    return _build(path, table)


def _tools(document: Dict[str, Any]) -> Dict[str, Any]:
    tools = document.get("tool", {})
    return tools if isinstance(tools, dict) else {}


def _read_toml(path: str, data: Optional[bytes] = None) -> Dict[str, Any]:
    """The TOML document at ``path`` (``data``: its bytes, when already read)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11
        import tomli as tomllib
    try:
        text = (read_bounded(path, MAX_CONFIG_BYTES) if data is None else data).decode("utf-8")
        return tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None
    except (UnreadableFile, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


# -- keys ------------------------------------------------------------------------------------


def _build(path: Path, table: Mapping[str, Any]) -> Config:
    values: Dict[str, Any] = {}
    for key, raw in table.items():
        parser = _KEYS.get(key)
        if parser is None:
            hint = _did_you_mean(key, list(_KEYS))
            raise ConfigError(f"{path}: unknown key '{key}'{hint} (known: {', '.join(sorted(_KEYS))})")
        values[key] = parser(path, key, raw)
    return _apply(path, values)


def _apply(path: Path, values: Dict[str, Any]) -> Config:
    base = path.parent
    select = tuple(values.get("select", [""])) + tuple(values.get("extend-select", []))
    ignore = tuple(values.get("ignore", [])) + tuple(values.get("extend-ignore", []))
    severities = tuple((c, Severity.WARNING) for c in values.get("warn", [])) + tuple(
        (c, Severity.ERROR) for c in values.get("error", [])
    )
    defaults = Settings()
    settings = Settings(
        select=select,
        ignore=ignore,
        per_file_ignores=tuple(values.get("per-file-ignores", {}).items()),
        severities=severities,
        options=Options(max_image_dimension=values.get("max-image-dimension", Options().max_image_dimension)),
        limits=Limits(values.get("max-depth", Limits().max_depth), values.get("max-nodes", Limits().max_nodes)),
        max_file_size=values.get("max-file-size", defaults.max_file_size),
        schema_path=str(base / values["schema"]) if "schema" in values else None,
        report_unused_suppressions=values.get("report-unused-suppressions", False),
    )
    return Config(
        settings=settings,
        include=tuple(values.get("include", DEFAULT_INCLUDE)),
        exclude=tuple(values.get("exclude", DEFAULT_EXCLUDE)) + tuple(values.get("extend-exclude", [])),
        strict=values.get("strict", False),
        baseline=str(base / values["baseline"]) if "baseline" in values else None,
        cache_dir=str(base / values["cache-dir"]) if "cache-dir" in values else None,
        archive=tuple(values.get("archive", ())),
        source=str(path),
    )


def _fail(path: Path, key: str, wanted: str, raw: Any) -> ConfigError:
    return ConfigError(f"{path}: key '{key}' must be {wanted}, not {type(raw).__name__} {raw!r}")


def _codes(path: Path, key: str, raw: Any) -> List[str]:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise _fail(path, key, "a list of codes", raw)
    return [check_code(c, f"{path}: key '{key}'") for c in raw]


def check_code(code: str, where: str) -> str:
    """A code or code prefix in upper case, or a rule's name (``amp-cache-mismatch``) as its
    code; unknown ones are errors (a typo would silently select or ignore nothing)."""
    named = registry.BY_NAME.get(code.strip().lower())
    if named is not None:
        return named.code
    wanted = code.strip().upper()
    if not wanted or not any(known.startswith(wanted) for known in registry.RULES):
        raise ConfigError(
            f"{where}: unknown code, prefix or rule name '{code}'{_did_you_mean(code)} (see 'lint-news rules')"
        )
    return wanted


def _did_you_mean(word: str, choices: Optional[Sequence[str]] = None) -> str:
    """``; did you mean 'x'?`` for a near miss among ``choices`` (codes and rule names)."""
    import difflib  # only on the error path: it costs start-up

    pool = list(choices) if choices is not None else [*registry.RULES, *registry.BY_NAME]
    close = difflib.get_close_matches(word.strip(), pool, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _globs(path: Path, key: str, raw: Any) -> List[str]:
    if not isinstance(raw, list) or not all(isinstance(g, str) and g for g in raw):
        raise _fail(path, key, "a list of glob patterns", raw)
    return list(raw)


def _per_file(path: Path, key: str, raw: Any) -> Dict[str, Tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise _fail(path, key, "a table of glob = [codes]", raw)
    return {glob: tuple(_codes(path, f"{key}.{glob}", codes)) for glob, codes in raw.items()}


def _archive_roots(path: Path, key: str, raw: Any) -> List[str]:
    """Folders relative to the configuration's own; one outside it is refused, as a
    cache-dir is: a repository's file may not make lint-news read elsewhere."""
    if not isinstance(raw, list) or not all(isinstance(r, str) and r for r in raw):
        raise _fail(path, key, "a list of folders", raw)
    base = os.path.realpath(path.parent)
    roots = []
    for root in raw:
        absolute = os.path.normpath(os.path.join(os.path.abspath(path.parent), root))
        real = os.path.realpath(absolute)
        if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
            raise ConfigError(f"{path}: key '{key}': folder '{root}' is outside {path.parent}")
        roots.append(absolute)
    return roots


def _positive(path: Path, key: str, raw: Any) -> int:
    if type(raw) is not int or raw < 1:
        raise _fail(path, key, "a whole number of at least 1", raw)
    return raw


def _flag(path: Path, key: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise _fail(path, key, "true or false", raw)
    return raw


def _text(path: Path, key: str, raw: Any) -> str:
    if not isinstance(raw, str) or not raw:
        raise _fail(path, key, "a non-empty string", raw)
    return raw


_KEYS: Dict[str, Callable[[Path, str, Any], Any]] = {
    "select": _codes,
    "extend-select": _codes,
    "ignore": _codes,
    "extend-ignore": _codes,
    "per-file-ignores": _per_file,
    "warn": _codes,
    "error": _codes,
    "include": _globs,
    "exclude": _globs,
    "extend-exclude": _globs,
    "max-image-dimension": _positive,
    "max-file-size": _positive,
    "max-depth": _positive,
    "max-nodes": _positive,
    "schema": _text,
    "baseline": _text,
    "cache-dir": _text,
    "archive": _archive_roots,
    "strict": _flag,
    "report-unused-suppressions": _flag,
}
KNOWN_KEYS: Sequence[str] = tuple(sorted(_KEYS))


def with_overrides(config: Config, **changes: Any) -> Config:
    """A copy with CLI overrides applied to the settings (only keys given as not None)."""
    given = {k: v for k, v in changes.items() if v is not None}
    return config._replace(settings=config.settings._replace(**given)) if given else config
