"""Documentation generated from the registry: the README's rule table.

``python -m linter.docs`` prints the table; a test keeps the README equal to it.
"""

from __future__ import annotations

from linter import registry

AREAS = {
    "E": "structure and YAML",
    "N": "suppressions",
    "S": "schema",
    "Y": "YAML 1.1 pitfalls",
    "D": "dates",
    "U": "URLs",
    "I": "images",
    "X": "secured",
    "T": "text and topics",
    "R": "related articles",
    "C": "consistency",
}


def rules_table() -> str:
    """A Markdown table of every code, grouped by area in the order of ``AREAS``."""
    rows = ["| code | name | severity | area | what it reports |", "|---|---|---|---|---|"]
    order = list(AREAS)
    for info in sorted(registry.RULES.values(), key=lambda i: (order.index(i.code[0]), i.code)):
        summary = info.summary.replace("|", "\\|")
        rows.append(f"| `{info.code}` | {info.name} | {info.severity.value} | {AREAS[info.code[0]]} | {summary} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(rules_table(), end="")
