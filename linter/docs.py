"""Documentation generated from the registry: the README's rule table.

``python -m linter.docs`` prints the table; a test keeps the README equal to it.
"""

from __future__ import annotations

from linter import registry


def rules_table() -> str:
    """A Markdown table of every code, grouped by family in the order of ``FAMILIES``."""
    rows = ["| code | name | severity | area | what it reports |", "|---|---|---|---|---|"]
    order = list(registry.FAMILIES)
    for info in sorted(registry.RULES.values(), key=lambda i: (order.index(i.code[0]), i.code)):
        summary = info.summary.replace("|", "\\|")
        rows.append(f"| `{info.code}` | {info.name} | {info.severity.value} | {info.area} | {summary} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(rules_table(), end="")
