"""Types of the compiled block reader (linter/parse/_blockreader.c)."""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

def read(
    text: str,
    max_depth: int,
    max_nodes: int,
    resolved_first: str,
    plain: Callable[[str], Tuple[Any, bool]],
    unescape: Callable[[str], str],
) -> Optional[
    Tuple[
        Dict[str, Any],
        List[Tuple[Any, ...]],
        bytes,
        Dict[Tuple[Any, ...], str],
        Dict[Tuple[Any, ...], str],
        List[Tuple[Any, ...]],
    ]
]: ...

# The archive listing's folder scan (POSIX builds only; linter.archive.members.scan_python is its twin).
def scan(
    folder: bytes,
    prefix: bytes,
    suffixes: Tuple[bytes, ...],
    room: int,
    names: bytearray,
    sigs: bytearray,
    batch: int = ...,
) -> Tuple[int, bool, List[Tuple[int, bytes]]]: ...

# Where the closing fence's line starts (linter.parse.frontmatter.fence_python is its twin).
def fence(text: str, at: int) -> int: ...

# One file's bytes as linter.engine.read_limited reads them (POSIX builds only; its twin is
# linter.engine.read_stated): the bytes, None past the limit, or (step, number) why not.
def read_file(path: str, limit: int) -> Optional[Union[bytes, Tuple[int, int]]]: ...

# Whether text holds an 8-character window of a secret (linter.redact's twin: Secrets.shares_window_python);
# None when the secrets' windows crowd the hash table (made to): the twin answers then.
def shares_window(text: str, secrets: Sequence[str]) -> Optional[bool]: ...
