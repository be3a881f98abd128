"""Documentation generated from the registry: the README's rule table.

``python -m linter.docs`` prints the table; a test keeps the README equal to it.
"""

from __future__ import annotations

from linter import registry
from linter.fix.codes import DOES
from linter.model import RuleInfo


def rules_table() -> str:
    """A Markdown table of every code, grouped by family in the order of ``FAMILIES``."""
    rows = ["| code | name | severity | area | fix | what it reports |", "|---|---|---|---|---|---|"]
    order = list(registry.FAMILIES)
    for info in sorted(registry.RULES.values(), key=lambda i: (order.index(i.code[0]), i.code)):
        summary = info.summary.replace("|", "\\|")
        fix = info.fixable or ""
        rows.append(f"| `{info.code}` | {info.name} | {info.severity.value} | {info.area} | {fix} | {summary} |")
    return "\n".join(rows) + "\n"


def fix_text(info: RuleInfo) -> str:
    """What ``--fix`` does for a code, as ``lint-news rule CODE`` says it."""
    if not info.fixable:
        return "Not fixable automatically."
    flag = "--fix" if info.fixable == "safe" else "--fix --unsafe-fixes"
    return f"Fixable ({info.fixable}, with `{flag}`): {DOES[info.code]}."


if __name__ == "__main__":
    print(rules_table(), end="")
