"""The one registry of codes: what the parser and schema layers report, and every rule.

Codes are the public contract: stable, documented, never reused. The README's rule table,
`lint-news rules`, SARIF metadata and the docs are all generated from here.
"""

from __future__ import annotations

from typing import Dict, Tuple

from linter.model import RuleInfo, Severity
from linter.rules import content, dates, urls
from linter.rules.base import Rule, described

E, W = Severity.ERROR, Severity.WARNING

#: Codes reported by the parsing layer (E, Y) and the schema layer (S).
_REPORTED: Tuple[RuleInfo, ...] = (
    described(
        "E001",
        "no-frontmatter",
        E,
        """The file does not start with a `---` line.

        **Why**: without the opening fence Jekyll treats the file as a static page, not an
        article. TOML (`+++`) frontmatter is not supported.

        **Fix**: make `---` the first line.""",
    ),
    described(
        "E002",
        "unclosed-frontmatter",
        E,
        """The frontmatter is never closed.

        **Why**: without a closing `---` (or `...`) line the whole file is read as YAML, or
        the article is dropped.

        **Fix**: add a `---` line after the last key.""",
    ),
    described(
        "E003",
        "yaml-syntax-error",
        E,
        """The frontmatter is not valid YAML.

        Reported at the line and column the YAML parser names; nothing else in the file is
        checked until it parses.

        **Fix**: correct the YAML (quotes, indentation, a missing `:`).""",
    ),
    described(
        "E004",
        "root-not-mapping",
        E,
        """The frontmatter is empty or not a mapping of keys.

        **Why**: an article is a set of `key: value` lines; a list or a single value is not.

        **Fix**: write the article's keys.""",
    ),
    described(
        "E005",
        "duplicate-key",
        E,
        """A key appears twice in the same mapping.

        **Why**: YAML loaders silently keep the last value, so the first one is lost without
        a word.

        **Fix**: remove one of the two.""",
    ),
    described(
        "E006",
        "bad-encoding",
        E,
        """The file is not UTF-8.

        Reported at the first byte that is not UTF-8 (or at 1:1 for a UTF-16/32 file).

        **Fix**: save the file as UTF-8.""",
    ),
    described(
        "E007",
        "unsupported-tag",
        E,
        """A YAML tag outside the core schema (`!!python/...`, `!custom`).

        **Why**: such tags make some loaders run code or build objects. lint-news never
        constructs them; it reports them.

        **Fix**: remove the tag and write a plain value.""",
    ),
    described(
        "E008",
        "too-complex",
        E,
        """The frontmatter nests too deeply or expands too far through aliases.

        **Why**: billion-laughs documents and deep nesting exhaust the memory or the stack of
        the tools that read them. The limits are `max-depth` and `max-nodes`.

        **Fix**: write the data out plainly.""",
    ),
    described(
        "E009",
        "file-too-large",
        E,
        """The file is larger than the `max-file-size` limit (default 4 MiB).

        **Why**: real articles are at most about 150 KB; a huge file is a mistake and is not
        read into memory.

        **Fix**: split or shrink the file, or raise `max-file-size`.""",
    ),
    described(
        "E010",
        "unreadable-file",
        E,
        """The path cannot be read (missing, a directory, permissions, not a regular file).

        The run goes on with the other files and exits with 2.""",
    ),
    described(
        "E011",
        "non-string-key",
        E,
        """A mapping key is not a string (`1:`, `null:`, `? [a]`).

        **Why**: article fields are named by strings; other keys become numbers, nulls or
        lists that no site template reads.

        **Fix**: quote the key or remove the entry.""",
    ),
    described(
        "E012",
        "internal-error",
        E,
        """lint-news itself failed on this file.

        The message names the rule that failed; the other rules and files are still checked
        and the run exits with 2. Please report it.""",
    ),
    described(
        "E013",
        "fence-whitespace",
        W,
        """A frontmatter fence has trailing whitespace (`--- `).

        **Why**: Jekyll accepts it, but other frontmatter readers do not see a fence there.

        **Fix**: make the line exactly `---`.""",
    ),
    described(
        "N001",
        "unused-suppression",
        W,
        """A `# lint-news: ignore[...]` comment that suppresses nothing.

        Reported only with `--report-unused-suppressions` (or the setting of that name), so
        stale suppressions can be cleaned up.

        **Fix**: remove the comment or the code in it.""",
    ),
    described(
        "S001",
        "missing-field",
        E,
        """A required field is missing.

        Reported on the mapping that lacks it (its key when it has one). `type: article`
        requires `webUrl`, `type: video` requires `featuredContent`, and `ampWebUrl` and
        `cdnAmpWebUrl` go together.

        **Fix**: add the field.""",
    ),
    described(
        "S002",
        "wrong-type",
        E,
        """A value has the wrong type.

        **Why**: unquoted values change type in YAML: `name: No` is the boolean false and
        `name: 2020` a number, and an empty list item is null.

        **Fix**: quote text values; write numbers and booleans plainly.""",
    ),
    described(
        "S003",
        "unknown-field",
        E,
        """A key the schema does not know, usually a typo (`titel`).

        A close known key is suggested.

        **Fix**: correct or remove the key; a site that uses extra keys extends the schema.""",
    ),
    described(
        "S004",
        "value-out-of-range",
        E,
        """A number is outside its allowed range.

        `width`/`height` are at least 1, `quality` at least 0, `heat` at least -1.

        **Fix**: write the real value.""",
    ),
    described(
        "S005",
        "value-not-allowed",
        E,
        """A value is not one of the allowed values (`type` is `article` or `video`).

        **Fix**: use one of the values the message lists.""",
    ),
    described(
        "S006",
        "wrong-length",
        E,
        """A text is empty, or a list has too few or too many items.

        `topics` needs at least one item, `images` exactly one.

        **Fix**: fill in the value or fix the list.""",
    ),
    described(
        "S007",
        "pattern-mismatch",
        E,
        """A value does not match the pattern the schema requires.

        **Fix**: write the value in the required form.""",
    ),
    described(
        "S008",
        "invalid-format",
        E,
        """A value is not a valid `date-time` or `uri` as the schema's `format` demands.

        The more specific D and U rules usually report the same value; then only they do.

        **Fix**: write a valid value.""",
    ),
    described(
        "S009",
        "schema-violation",
        E,
        """A value breaks another rule of a (user) schema (`oneOf`, `not`, ...).

        **Fix**: see the message.""",
    ),
    described(
        "Y001",
        "yaml11-boolean",
        W,
        """An unquoted `yes`, `no`, `on`, `off` (in any case).

        **Why**: YAML 1.1 loaders (Jekyll, PyYAML) read them as booleans, YAML 1.2 loaders as
        text; the same file means two things.

        **Fix**: write `true`/`false`, or quote the text.""",
    ),
    described(
        "Y002",
        "non-decimal-number",
        W,
        """A number written as `0x1F`, `017`, `1_000` or `1:30`.

        **Why**: only YAML 1.1 loaders read these as numbers, and `017` is octal 15 there.

        **Fix**: write the plain decimal number.""",
    ),
    described(
        "Y003",
        "merge-key",
        W,
        """A YAML merge key `<<`.

        **Why**: merge keys are YAML 1.1 only; YAML 1.2 loaders keep a key named `<<`.

        **Fix**: write the merged keys out.""",
    ),
)

#: Every check function, in the order they run.
CHECKS: Tuple[Rule, ...] = (
    dates.invalid_date_time,
    dates.filename_date_mismatch,
    urls.invalid_url,
    urls.url_whitespace,
    urls.url_bad_escape,
    urls.url_credentials,
    urls.amp_cache_mismatch,
    urls.provider_domain_not_bare,
    urls.host_not_provider_domain,
    urls.weburl_mismatch,
    content.image_too_large,
    content.secured_malformed,
    content.stray_whitespace,
    content.duplicate_topic,
    content.duplicate_related,
    content.self_related,
    content.unpromoted_but_published,
)

RULES: Dict[str, RuleInfo] = {
    info.code: info for info in sorted(_REPORTED + tuple(r.info for r in CHECKS), key=lambda i: i.code)
}
BY_NAME: Dict[str, RuleInfo] = {info.name: info for info in RULES.values()}
