"""The Python API: lint text or paths in-process, with the command line's configuration.

Everything here is exported from ``linter`` itself (``linter.lint_text`` ...), loaded on
first use so that ``import linter`` stays cheap. Findings are immutable ``Finding``
records, sorted by path and position, with the ``secured`` value already hidden.

    import linter

    config = linter.load_config("site/_news")
    for finding in linter.lint_paths(["site/_news"], config=config):
        print(finding.path, finding.line, finding.column, finding.code, finding.message)
"""

from __future__ import annotations

from pathlib import Path

from linter.config import Config
from linter.config import load_config as _load_config
from linter.model import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, List, Optional, Tuple, Union

    from linter.engine import FileResult

__all__ = ["Config", "Finding", "lint_text", "lint_paths", "load_config"]


def load_config(folder: Union[str, Path, None] = None, file: Union[str, Path, None] = None) -> Config:
    """The configuration the command line would use when run in ``folder`` (default: the
    working directory): the nearest ``.lint-news.toml`` or ``pyproject.toml`` with a
    ``[tool.lint-news]`` table, or ``file`` when given. Raises ``linter.config.ConfigError``
    naming the file and key for a broken configuration."""
    start = Path(folder) if folder is not None else None
    return _load_config(str(file) if file is not None else None, cwd=start)


def lint_text(text: Union[str, bytes], path: str = "-", config: Optional[Config] = None) -> Tuple[Finding, ...]:
    """Lint one article given as text (or its bytes), reported under the name ``path``.

    ``path`` also decides per-file ignores and the file-name date check (``D002``), as
    ``--stdin-filename`` does. Without ``config`` the defaults apply (no file is read)."""
    from linter.engine import Linter

    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    settings = (config or Config()).settings
    return tuple(Linter(settings).lint_bytes(path, data).findings)


def lint_paths(
    paths: Iterable[Union[str, Path]], config: Optional[Config] = None, jobs: Optional[int] = None
) -> Tuple[Finding, ...]:
    """Lint files and directories as ``lint-news PATH...`` does (same walk, same
    ``include``/``exclude``, unreadable paths as ``E010``), with ``jobs`` worker processes
    (default: one per core; ``1`` stays in this process), and the files compared with the
    rest of their archive (A001). No cache is read or written."""
    from linter.batch.runner import default_jobs, run
    from linter.batch.walk import discover
    from linter.engine import Linter
    from linter.safepath import reading_roots

    config = config or Config()
    named = [str(p) for p in paths]
    found = list(discover(named, config.include, config.exclude))
    unusable = [Linter(config.settings).unusable(p, why) for p, why in found if why]
    readable = [p for p, why in found if not why and p != "-"]
    roots = reading_roots(named)
    results = list(run(readable, config.settings, jobs or default_jobs(), roots=roots))
    across = _across(results, config, roots)
    return tuple(sorted([f for r in results + unusable for f in r.findings] + across))


def _across(results: List[FileResult], config: Config, roots: Tuple[str, ...]) -> List[Finding]:
    """The archive check (A001) over the files checked, as the command runs it (no index)."""
    from linter.archive.compare import Checked, Scope, check

    checked = Checked(config.archive)
    for result in results:
        if not result.failed:
            checked.add(result.path, result.keys, result.stat)
    return check(checked, Scope(config.settings, config.include, config.exclude, config.archive, None, roots))[0]
