"""The README is a contract: its commands, rule table and examples are checked here."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import List, Tuple

import pytest
import yaml
from conftest import EXAMPLES, ROOT, run_cli

from linter import registry
from linter.docs import rules_table

README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCK = re.compile(r"<!-- readme-test(?:: file (?P<file>\S+))? -->\n```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)


def _blocks() -> List[Tuple[str, str, str]]:
    return [(m.group("file") or "", m.group("lang"), m.group("body")) for m in _BLOCK.finditer(README)]


def _setup_commands() -> List[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_readme_gives_exactly_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_setup_commands_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in _setup_commands():
        assert command in ci


def test_rule_table_matches_registry() -> None:
    section = README.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert section == rules_table()


@pytest.mark.parametrize("code", sorted(registry.RULES))
def test_every_code_is_documented(code: str) -> None:
    info = registry.RULES[code]
    assert info.summary and info.doc.startswith(info.summary)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", info.name)
    assert f"`{code}`" in README


def test_design_lists_every_module_of_the_package() -> None:
    """The folder listing in the README's Design section names every module and folder of
    ``linter/``, and nothing that is not there."""
    listing = README.split("## Design", 1)[1].split("```\nlinter/\n", 1)[1].split("```", 1)[0]
    listed = set(re.findall(r"\b[a-z_]+\.(?:py|c)\b|^  [a-z]+/", listing, re.M))
    package = ROOT / "linter"
    present = {p.name for p in package.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    present |= {p.name for p in package.rglob("*.c")}
    present |= {f"  {p.name}/" for p in package.iterdir() if (p / "__init__.py").exists()}
    assert listed == present


def test_codes_are_unique_and_grouped() -> None:
    names = [info.name for info in registry.RULES.values()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[A-Z]\d{3}", code) for code in registry.RULES)


def test_hook_file_agrees_with_package() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert [hook["id"] for hook in hooks] == ["lint-news", "lint-news-fix"]
    assert hooks[0]["entry"] == "lint-news" and hooks[0]["language"] == "python"
    assert hooks[0]["require_serial"] is True  # lint-news parallelises itself; one report
    assert hooks[1]["entry"] == "lint-news --fix" and hooks[1]["language"] == "python"
    assert {k: v for k, v in hooks[1].items() if k not in ("id", "name", "description", "entry")} == {
        k: v for k, v in hooks[0].items() if k not in ("id", "name", "description", "entry")
    }
    assert 'lint-news = "linter.cli:command"' in pyproject
    assert "id: lint-news" in README and "lint-news-fix" in README


def test_readme_examples_run_as_documented(tmp_path: Path) -> None:
    """Every marked console block gives the output shown; marked files are written first."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    blocks = _blocks()
    assert len(blocks) >= 4
    for filename, lang, body in blocks:
        if filename:
            (tmp_path / filename).write_text(body, encoding="utf-8")
            continue
        assert lang == "console"
        for command, expected in _commands(body):
            args = shlex.split(command)
            assert args[0] == "lint-news"
            result = run_cli(*args[1:], "--no-cache", cwd=tmp_path)
            assert result.out == expected, command
            assert result.rc == (1 if expected else 0), command


def _commands(body: str) -> List[Tuple[str, str]]:
    pairs: List[Tuple[str, str]] = []
    for chunk in body.split("$ ")[1:]:
        command, _, output = chunk.partition("\n")
        pairs.append((command, output))
    return pairs


def _fenced(lang: str) -> List[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def _documented_commands() -> List[str]:
    """Every ``lint-news`` invocation in the README's shell and CI snippets."""
    commands = []
    for block in _fenced("sh") + _fenced("yaml"):
        for line in block.splitlines():
            text = re.sub(r"^\s*(?:-\s+)?(?:run:\s*)?", "", line).split(" || ")[0].strip()
            if text.startswith("lint-news "):
                commands.append(text)
    return commands


def test_shell_and_ci_snippets_run(tmp_path: Path) -> None:
    """The baseline story, the CI steps and the plain shell step work as written."""
    shutil.copytree(EXAMPLES / "_news", tmp_path / "_news")
    commands = _documented_commands()
    assert any("--write-baseline" in c for c in commands) and any("--format gitlab" in c for c in commands)
    for command in commands:
        args = shlex.split(command)
        result = run_cli(*args[1:], cwd=tmp_path)
        assert result.rc in (0, 1) and "Traceback" not in result.err, (command, result)
        if "--baseline" in args:
            assert result.rc == 0, "a baseline excuses every recorded finding"
        if "-o" in args:
            report = json.loads((tmp_path / args[args.index("-o") + 1]).read_text(encoding="utf-8"))
            assert report, command


def test_user_schema_example_restricts_topics(tmp_path: Path) -> None:
    example = next(block for block in _fenced("json") if "allOf" in block)
    (tmp_path / "news.schema.json").write_text(example, encoding="utf-8")
    (tmp_path / ".lint-news.toml").write_text('schema = "news.schema.json"\n', encoding="utf-8")
    shutil.copytree(EXAMPLES / "_news", tmp_path / "_news")
    article = tmp_path / "_news" / "2024-03-11-robotics-library.md"
    assert run_cli("--no-cache", str(article.relative_to(tmp_path)), cwd=tmp_path).rc == 0
    article.write_text(article.read_text(encoding="utf-8").replace("- Education", "- Cooking"), encoding="utf-8")
    result = run_cli("--no-cache", str(article.relative_to(tmp_path)), cwd=tmp_path)
    line = article.read_text(encoding="utf-8").splitlines().index("  - Cooking") + 1
    assert result.out.startswith(f"_news/2024-03-11-robotics-library.md:{line}:5: S005 'Cooking' is not allowed")
    assert result.rc == 1


def test_rule_docs_are_cleaned_as_inspect_would() -> None:
    """model writes ``inspect.cleandoc`` out (importing inspect costs start-up time), and
    a code's summary, taken without cleaning the whole text, is the cleaned text's first line."""
    import inspect

    from linter.model import cleandoc, summary_line

    written = [info.docstring for info in registry.RULES.values()]
    docs = written + ["", "x", "  a\n\n    b\n  c\n\n", "\n\n  a\n\tb", "\n  first\n  second"]
    for doc in docs:
        assert cleandoc(doc) == inspect.cleandoc(doc)
        assert summary_line(doc) == (inspect.cleandoc(doc).split("\n") or [""])[0]
    assert all(info.docstring != info.doc for info in registry.RULES.values())  # indented as written
