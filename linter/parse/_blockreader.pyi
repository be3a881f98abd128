"""Types of the compiled block reader (linter/parse/_blockreader.c)."""

from typing import Any, Callable, Dict, List, Optional, Tuple

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
        Dict[Tuple[Any, ...], Tuple[int, int, int, int]],
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
