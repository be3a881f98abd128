"""The one registry of codes: every fact about every code is read from here.

Codes are the public contract: stable, documented, never reused. The engine (tiers,
positions, severities, filters), suppressions, the README's rule table, `lint-news rules`,
SARIF metadata and the docs all read a code's ``RuleInfo`` from ``RULES``.

How to add a code (one place each; then ``python -m linter.docs`` for the README table):

* A rule, i.e. a check on the article's plain data: a function in a module of
  ``linter/rules/`` decorated with ``@rule(code, name, severity)`` whose docstring has Why,
  Example and Fix sections. The registry finds it there: nothing to add in this file.
* A code the parsing layer (E, Y) or the schema layer (S) reports: a ``described(...)``
  entry in ``_REPORTED`` below; the layer reports it by its code string.
* A new family (a new first letter): a line in ``FAMILIES`` (its area and default tier).

The facts, as keywords of ``described()`` (``rule()`` takes ``fixable``) and fields of
``linter.model.RuleInfo``:

* ``severity``: the default; configuration can change it (``warn``/``error``).
* ``tier``: one mistake, one diagnostic: on one node only the reported findings of the
  lowest tier are kept (``Tier.PARSE`` < ``TYPE`` < ``SCHEMA`` < ``RULE`` < ``HINT``).
  Default: the family's. Parse-tier findings are also kept inside subtrees the parser gave
  up on. Findings of one cause on different nodes, or in one tier, are folded into the
  most specific one by the pairs in ``linter.fold.FOLDS``, which say why; a code in a fold
  says so in its documentation (**Folded**). ``linter.fold`` holds the whole rule.
* ``on_key``: a parse-layer problem points at the key, not the value (schema hits and
  rule hits say so per hit instead).
* ``silenceable=False``: trouble with the tool or the path (E010, E012), not a finding about
  the file: no selection, ignore or comment hides it, so a run never exits 2 without a word.
* ``fixable``: None, "safe" or "unsafe": whether ``--fix`` repairs it (and how sure it is).
* ``keywords``: the JSON Schema validator keywords reported as this code (S codes);
  ``linter.validate.schema`` maps any other keyword to S009.
* ``area``: not given; it comes from the family in ``FAMILIES``.
"""

from __future__ import annotations

import importlib
import os

from linter import rules
from linter.model import RuleInfo, Severity, Tier, summary_line
from linter.rules.base import Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Optional, Tuple

E, W = Severity.ERROR, Severity.WARNING


class Family:
    """What the codes of one first letter share: their area in the docs, a default tier.

    (A plain class: making a record class costs about 0.4 M instructions at every start.)"""

    __slots__ = ("area", "tier")

    def __init__(self, area: str, tier: Tier) -> None:
        self.area = area
        self.tier = tier


#: Families in the order of the README's table.
FAMILIES: Dict[str, Family] = {
    "E": Family("structure and YAML", Tier.PARSE),
    "N": Family("suppressions", Tier.RULE),
    "S": Family("schema", Tier.SCHEMA),
    "Y": Family("YAML 1.1 pitfalls", Tier.HINT),
    "D": Family("dates", Tier.RULE),
    "U": Family("URLs", Tier.RULE),
    "I": Family("images", Tier.RULE),
    "X": Family("secured", Tier.RULE),
    "T": Family("text and topics", Tier.RULE),
    "H": Family("HTML in text", Tier.RULE),
    "R": Family("related articles", Tier.RULE),
    "C": Family("consistency", Tier.RULE),
    # Found by comparing the files of one archive after the per-file checks (linter.archive).
    "A": Family("archive (across files)", Tier.RULE),
}

#: The family found across the files of an archive (``linter.archive``), after each file's own check.
ARCHIVE = "A"


def described(
    code: str,
    name: str,
    severity: Severity,
    doc: str,
    *,
    tier: Optional[Tier] = None,
    on_key: bool = False,
    silenceable: bool = True,
    fixable: Optional[str] = None,
    keywords: Tuple[str, ...] = (),
) -> RuleInfo:
    """A code the parser or the schema layer reports (no check function of its own)."""
    chosen = FAMILIES[code[0]].tier if tier is None else tier
    return RuleInfo(code, name, severity, summary_line(doc), doc, chosen, on_key, silenceable, fixable, keywords)


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

        **Example** (fails): `+++` as the first line (TOML frontmatter), a blank line or
        an indented `---` before the keys.

        **Jekyll**: without `---` as the first line Jekyll does not read the file as an
        article: it copies the `.md` file unchanged into the site as a static file, so the
        whole text, `secured` included, is published at `/news/<name>.md`, and no article
        page is built.

        **Fix**: make `---` the first line.""",
    ),
    described(
        "E002",
        "unclosed-frontmatter",
        E,
        """The frontmatter is never closed.

        **Why**: without a closing `---` (or `...`) line the whole file is read as YAML, or
        the article is dropped.

        **Example** (fails): the keys run into the Markdown body with no `---` line
        after them; a `----` line does not close them either.

        **Jekyll**: Jekyll sees the opening fence but no closing one, so the file has no
        data: the frontmatter text, `secured` included, becomes the body of the page, and
        the title is made from the file name.

        **Fix**: add a `---` line after the last key.""",
    ),
    described(
        "E003",
        "yaml-syntax-error",
        E,
        """The frontmatter is not valid YAML.

        Reported at the line and column the YAML parser names; nothing else in the file is
        checked until it parses.

        **Why**: a frontmatter that does not parse has no data: every reader drops it or
        stops on it.

        **Example** (fails): `type article` (no `:`), a tab used for indentation, an
        unclosed quote, an alias `*bay` with no `&bay` anchor.

        **Jekyll**: the build logs "YAML Exception reading ...", builds the page with no data
        at all (no title, no date from the file, no `published: false`) and exits with 0,
        so a CI build stays green. Easy to miss.

        **Folded**: a merge key `<<` of a scalar (`<<: 5`) is this error, at the key, with
        Y003's advice in its message; Y003 is not reported apart for the same key.

        **Fix**: correct the YAML (quotes, indentation, a missing `:`).""",
    ),
    described(
        "E004",
        "root-not-mapping",
        E,
        """The frontmatter is empty or not a mapping of keys.

        **Why**: an article is a set of `key: value` lines; a list or a single value is not.

        **Example** (fails): a frontmatter of comments only, or a list at the
        top (`- category: news`).

        **Jekyll**: an empty frontmatter gives a page with no data and a title made from the
        file name; a list or a single value logs "could not read file" and builds the page
        with no data. The build exits with 0 either way.

        **Fix**: write the article's keys.""",
    ),
    described(
        "E005",
        "duplicate-key",
        E,
        """A key appears twice in the same mapping.

        **Why**: YAML loaders silently keep the last value, so the first one is lost without
        a word.

        **Example** (fails): `quality: 14` and, further down the same
        mapping, `quality: 15`.

        **Jekyll**: both of Jekyll's YAML readers keep the last value without a word.

        **Fix**: remove one of the two.""",
        on_key=True,
    ),
    described(
        "E006",
        "bad-encoding",
        E,
        """The file is not UTF-8.

        Reported at the first byte that is not UTF-8 (or at 1:1 for a UTF-16/32 file).

        **Why**: every reader of the file (Jekyll, editors, lint-news's positions)
        expects UTF-8; another encoding is read as other characters, or not at all.

        **Example** (fails): a title saved in Latin-1 (`café` as the single byte `E9`),
        a file saved as UTF-16.

        **Jekyll**: a Latin-1 (or other non-UTF-8) byte stops the whole site build ("invalid
        byte sequence in UTF-8"); a UTF-16 or UTF-32 file is not seen as an article and is
        copied as it is into the site, `secured` included.

        **Fix**: save the file as UTF-8.""",
    ),
    described(
        "E007",
        "unsupported-tag",
        E,
        """A YAML tag outside the core schema (`!!python/...`, `!custom`).

        **Why**: such tags make some loaders run code or build objects. lint-news never
        constructs them; it reports them.

        **Example** (fails): `heat: !!python/object/apply:os.system ["echo hi"]`,
        `title: !shout "Ferry crews ..."`.

        **Jekyll**: Debian's Jekyll (Psych) ignores most tags and keeps the value beside them
        (`!custom x` is `x`, `!!python/name:os.system` is null) but refuses `!ruby/object`
        and `!!set` with a "YAML Exception" and a page without data; upstream Jekyll
        (SafeYAML) ignores every tag, `!!str` included (`!!str 5` is the number 5).
        lint-news is stricter than both: PyYAML's full loaders construct such tags and run
        code, and what Jekyll makes of them is not what was written.

        **Fix**: remove the tag and write a plain value.""",
    ),
    described(
        "E008",
        "too-complex",
        E,
        """The frontmatter nests too deeply or expands too far through aliases.

        **Why**: billion-laughs documents and deep nesting exhaust the memory or the stack of
        the tools that read them. The limits are `max-depth` and `max-nodes`.

        **Example** (fails): aliases of aliases (`l4: &l4 [*l3, *l3, *l3, ...]`, ten
        copies on each level), lists nested more than 64 deep.

        **Jekyll**: lint-news is stricter than Jekyll here. Jekyll's readers keep one copy
        of an aliased value and build the page; but every tool that writes the data out (JSON
        output, a template that loops over it, a search index) expands it in full.

        **Fix**: write the data out plainly.""",
    ),
    described(
        "E009",
        "file-too-large",
        E,
        """The file is larger than the `max-file-size` limit (default 4 MiB).

        **Why**: real articles are at most about 150 KB; a huge file is a mistake and is not
        read into memory.

        **Example** (fails): a 5 MiB article under the default limit, such as one with
        an image pasted in as base64.

        **Jekyll**: Jekyll reads and builds a file of any size; the limit is lint-news's own,
        a guard against mistakes and against exhausting a CI machine.

        **Fix**: split or shrink the file, or raise `max-file-size`.""",
    ),
    described(
        "E010",
        "unreadable-file",
        E,
        """The path cannot be read (missing, a directory, permissions, not a regular file).

        The run goes on with the other files and exits with 2.

        **Why**: a path that was not read was not checked, so the run must not pass as
        clean.

        **Example**: `lint-news _news/missing.md`, an article without read permission,
        a FIFO named on the command line.

        **Jekyll**: not about an article's content: Jekyll reads no article from such a
        path either.

        **Fix**: name an existing article file, or make it readable.""",
        silenceable=False,
    ),
    described(
        "E011",
        "non-string-key",
        E,
        """A mapping key is not a string (`1:`, `null:`, `? [a]`).

        **Why**: article fields are named by strings; other keys become numbers, nulls or
        lists that no site template reads.

        **Example** (fails): `2024: launch year`, `~: unnamed` in `provider`.

        **Jekyll**: Debian's Jekyll (Psych) keeps a non-string key as it is (the number `1`,
        null), which no template reads; lint-news is stricter because JSON (its own output,
        search indexes, feeds) has string keys only. Upstream Jekyll (SafeYAML) reads a null key `~:` as
        a missing one, so every later key takes the next value: after `~: x` the keys and
        values of the rest of the mapping are shifted by one and `secured` is lost.

        **Fix**: quote the key or remove the entry.""",
        on_key=True,
    ),
    described(
        "E012",
        "internal-error",
        E,
        """lint-news itself failed on this file.

        The message names the rule that failed; the other rules and files are still checked
        and the run exits with 2. Please report it.

        **Why**: a rule that failed has not checked the file, so the run must not pass
        as clean.

        **Example**: a rule such as `X001` raising an exception on an article; E012 names
        it, and the other rules' findings are reported as usual.

        **Jekyll**: not about the file; see the message.

        **Fix**: report it with the message and the file (its `secured` value left out);
        the file's other findings still hold.""",
        silenceable=False,
    ),
    described(
        "E013",
        "fence-whitespace",
        W,
        """A frontmatter fence has trailing whitespace (`--- `).

        **Why**: Jekyll accepts it, but other frontmatter readers do not see a fence there.

        **Example** (fails): `--- ` (a trailing space) as the opening fence, or a tab
        after the closing one.

        **Jekyll**: Jekyll accepts `--- ` as a fence; other frontmatter readers (Python's
        `python-frontmatter`, many editors) do not, so lint-news warns.

        **Fix**: make the line exactly `---`.""",
        fixable="safe",
    ),
    described(
        "E014",
        "bom-before-frontmatter",
        E,
        """A UTF-8 byte order mark before the opening `---`.

        **Why**: the site publishes the file's raw text, `secured` included, instead of the
        article.

        **Jekyll**: Jekyll decides whether a file is an article by reading its raw first bytes;
        with a BOM in front they are not `---`, so Jekyll copies the `.md` file unchanged
        into the site as a static file: the whole frontmatter, `secured` included, is
        published at `/news/<name>.md`, and no article page is built. lint-news reads such
        a file as UTF-8 all the same, so every other finding keeps its exact position.

        **Example** (fails): a file saved by an editor as "UTF-8 with BOM".

        **Fix**: save the file as UTF-8 without a BOM (remove the three bytes `EF BB BF`);
        `--fix` does it.""",
        fixable="safe",
    ),
    described(
        "E015",
        "cr-line-endings",
        E,
        """A frontmatter fence line ends with a bare CR (CR-only line endings).

        **Why**: the site publishes the frontmatter's raw text, `secured` included, instead
        of the article.

        **Jekyll**: Jekyll finds the opening fence only as `---` followed by LF or CRLF, and the
        closing fence only at the start of a line after an LF. In a file with CR-only line
        endings (classic Mac OS) the opening fence is not seen: Jekyll publishes the raw
        file, `secured` included, as a static file. A bare CR before or after the closing
        fence hides that fence: the frontmatter text, `secured` included, becomes the body
        of the page. Inside the YAML a bare CR is a line break to every YAML reader,
        Jekyll's too, and is not reported. Positions count a bare CR as a line ending.

        **Example** (fails): a file whose lines end in `\r` alone.

        **Fix**: convert the line endings to LF (or CRLF); `--fix` writes every bare CR as
        LF.""",
        fixable="safe",
    ),
    described(
        "E016",
        "link-outside-folder",
        E,
        """A symbolic link whose target lies outside the folder being checked.

        A link found while walking a folder is read only when it resolves to a regular
        file inside that folder; a link named on the command line, only when it resolves
        inside the current folder; so is a named path through a link to a folder
        (`dirlink/x.md`, as a shell glob names it). Anything else is reported here without
        a byte of it being read, and the run exits with 2.

        **Why**: a pull request can commit `_news/x.md` as a link to `/proc/self/environ`,
        `~/.ssh/id_rsa` or another project's files; reading it would print the CI job's
        secrets (`--show-source`) and lint a file that is not part of the site. Jekyll in
        safe mode (GitHub Pages) refuses such links too.

        **Example**: `_news/2024-01-01-leak.md -> /proc/self/environ`; `lint-news */*.md`
        with `dirlink -> /home/runner`, which names `dirlink/x.md`.

        **Jekyll**: Jekyll in safe mode (GitHub Pages) refuses such links too; the code is
        about what lint-news may read, not about the article.

        **Fix**: commit the article itself instead of a link, or make the link point to a
        file inside the folder.""",
        silenceable=False,
    ),
    described(
        "N001",
        "unused-suppression",
        W,
        """A `# lint-news: ignore[...]` comment that suppresses nothing.

        Reported only with `--report-unused-suppressions` (or the setting of that name), so
        stale suppressions can be cleaned up.

        **Why**: a suppression that hides nothing today will hide the next real finding
        of its code on that line.

        **Example** (fails): `heat: 6  # lint-news: ignore[C001]` on an article that
        C001 does not flag.

        **Jekyll**: comments are ignored by Jekyll; this is about lint-news's own comments.

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

        **Why**: templates and feeds read these fields on every article; a missing one
        gives an empty headline, link or date.

        **Example** (fails): an article without a `title:` line; `ampWebUrl` without
        `cdnAmpWebUrl`; an image without `height`.

        **Jekyll**: Jekyll builds the page; the templates print an empty value where the
        field is missing (no title, no link, no date).

        **Folded**: when the same mapping has an unknown key that is a near miss of the
        missing field (`titel` for `title`), the mistake is that key: it is reported once,
        as S003 at the key, whose message ends by saying the field is missing
        (`(required, missing)`, or `(needed beside 'ampWebUrl', missing)`). With S003 not
        reported (not selected, ignored or silenced), this finding is reported on its own.

        **Fix**: add the field.""",
        keywords=("required", "dependentRequired"),
    ),
    described(
        "S002",
        "wrong-type",
        E,
        """A value has the wrong type.

        **Why**: unquoted values change type in YAML: `name: No` is the boolean false and
        `name: 2020` a number, and an empty list item is null.

        **Example** (fails): `heat: 6.5` (a whole number is required), `name: No`,
        `width: 800px`.

        **Jekyll**: the page shows what YAML read: `name: No` prints `false`, `heat: 1:30`
        prints `5400`, `.inf` prints `Infinity`; a `title` that reads as `false` or null is
        replaced by one made from the file name; `published: "false"` (text, not the boolean)
        publishes the article. A date-like text, `10,000` or `1:30` where text belongs is
        Y004 or Y005, which name what each of Jekyll's readers makes of it.

        **Fix**: quote text values; write numbers and booleans plainly.""",
        tier=Tier.TYPE,
        fixable="safe",
        keywords=("type",),
    ),
    described(
        "S003",
        "unknown-field",
        E,
        """A key the schema does not know, usually a typo (`titel`).

        A close known key is suggested in the message. When that key is required and
        missing, the missing field is not reported apart (S001 is folded into this one):
        `unknown field 'titel'; did you mean 'title'? (required, missing)`.

        **Why**: an unknown key is usually a misspelt known one, whose real field then
        stays empty.

        **Example** (fails): `titel: "Ferry crews rehearse a winter rescue drill"` (with
        S001 for the missing `title`).

        **Jekyll**: Jekyll keeps unknown keys as page data, and acts on some of them: `layout`
        changes the page's template (a missing one gives a page without any), `permalink`
        moves the article to another URL, `date` replaces the date taken from the file name,
        `published` hides or shows it. A typo (`titel`) leaves the real field empty.

        **Fix**: correct or remove the key; a site that uses extra keys extends the schema.""",
        keywords=("additionalProperties", "unevaluatedProperties"),
    ),
    described(
        "S004",
        "value-out-of-range",
        E,
        """A number is outside its allowed range.

        `width`/`height` are at least 1, `quality` at least 0, `heat` at least -1.

        **Why**: the site's pipeline gives these numbers a meaning; out of range they
        have none (a zero-wide image, a negative quality).

        **Example** (fails): `quality: -1`, `width: 0`, `heat: -2`.

        **Jekyll**: Jekyll prints the number as it is; only the site's templates and the
        pipeline give it a meaning, and a value out of range breaks that meaning.

        **Fix**: write the real value.""",
        keywords=("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
    ),
    described(
        "S005",
        "value-not-allowed",
        E,
        """A value is not one of the allowed values (`type` is `article` or `video`).

        **Why**: templates branch on these values; any other value takes no branch.

        **Example** (fails): `type: podcast`, `category: sports`, `type: blog` in a
        related item.

        **Jekyll**: Jekyll prints the value as it is; templates that branch on it (`article`
        or `video`) take neither branch.

        **Fix**: use one of the values the message lists.""",
        keywords=("enum", "const"),
    ),
    described(
        "S006",
        "wrong-length",
        E,
        """A text is empty, or a list has too few or too many items.

        `topics` needs at least one item, `images` exactly one.

        **Why**: an empty title or topic list gives a page with an empty headline or no
        topic links.

        **Example** (fails): `topics: []`, `title: ""`, two entries under `images`.

        **Jekyll**: Jekyll builds the page with the empty text or list; templates print
        nothing (an empty headline, no topic links, no image).

        **Fix**: fill in the value or fix the list.""",
        keywords=("minItems", "maxItems", "minLength", "maxLength", "uniqueItems"),
    ),
    described(
        "S007",
        "pattern-mismatch",
        E,
        """A value does not match the pattern the schema requires.

        **Why**: a site's schema fixes the form of its values (capitalised topics,
        identifiers); what relies on that form breaks on others.

        **Example** (fails): with a site schema whose topics match
        `^[A-Z0-9]`: `- safety` under `topics`.

        **Jekyll**: Jekyll prints the value as it is; the pattern is the site's own rule.

        **Fix**: write the value in the required form.""",
        keywords=("pattern",),
    ),
    described(
        "S008",
        "invalid-format",
        E,
        """A value is not a valid `date-time` or `uri` as the schema's `format` demands.

        The more specific D and U rules usually report the same value; then only they do
        (its tier is the last). When they are not reported (not selected, ignored, or
        silenced by a comment), this one is, so silencing U002 on a URL with a space shows
        S008 for it.

        **Why**: a value that is not a date-time or a URI cannot be sorted, parsed or
        followed.

        **Example** (fails): `url: "https://harbour.example.org/img/{slipway}.jpg"`
        (braces are not allowed in a URI).

        **Jekyll**: Jekyll prints the value as it is; links and dates built from it break.

        **Fix**: write a valid value.""",
        tier=Tier.HINT,  # the D and U rules say more about the same value
        keywords=("format",),
    ),
    described(
        "S009",
        "schema-violation",
        E,
        """A value breaks another rule of a (user) schema (`oneOf`, `not`, ...).

        **Why**: a site's own schema may add any JSON Schema rule; lint-news reports the
        breaches of those rules under this one code.

        **Example** (fails): with a site schema that says
        `"name": {"not": {"const": "TBD"}}`: `name: TBD` in `provider`.

        **Jekyll**: Jekyll builds the page; the rule is the site's own.

        **Fix**: see the message.""",
    ),
    described(
        "Y001",
        "yaml11-boolean",
        W,
        """An unquoted `yes`, `no`, `on`, `off` (in any case).

        **Why**: YAML 1.1 loaders (Jekyll, PyYAML) read them as booleans, YAML 1.2 loaders as
        text; the same file means two things.

        **Example** (fails): `published: yes`, `isCached: on`.

        **Jekyll**: both of Jekyll's readers read these words as booleans, as PyYAML does;
        YAML 1.2 tools (and JavaScript's `yaml`) read text.

        **Fix**: write `true`/`false`, or quote the text.""",
        fixable="safe",
    ),
    described(
        "Y002",
        "non-decimal-number",
        W,
        """A number written as `0x1F`, `017` or `1_000`.

        **Why**: only YAML 1.1 loaders read these as numbers, and `017` is octal 15 there.
        (A base-60 number such as `1:30` is Y005: Jekyll's own readers disagree on it.)

        **Example** (fails): `quality: 017`, `heat: 0x1F`, `width: 1_024`.

        **Jekyll**: Jekyll's readers and PyYAML agree on these; YAML 1.2 tools do not.

        **Fix**: write the plain decimal number.""",
    ),
    described(
        "Y003",
        "merge-key",
        W,
        """A YAML merge key `<<`.

        **Why**: merge keys are YAML 1.1 only; YAML 1.2 loaders keep a key named `<<`.

        **Example** (fails): `<<: *bay` in a related item's `provider`.

        **Jekyll**: both of Jekyll's readers apply merge keys; YAML 1.2 tools keep `<<` as a
        key.

        **Folded**: a merge key that does not even merge (`<<: 5`) is E003 at the same key,
        which carries this advice; this warning is then not reported apart.

        **Fix**: write the merged keys out.""",
        on_key=True,
    ),
    described(
        "Y004",
        "jekyll-reads-other-type",
        E,
        """A text field holds a value that Jekyll's YAML readers read as something else.

        Reported where the schema wants a string and the value is plain (unquoted) text to
        lint-news but a time, a date, a number, a boolean or null to Psych (Debian's Jekyll)
        or SafeYAML (upstream Jekyll): `2024-04-15T10:30:00Z`, `2024-04-15 10:30:00`,
        `2001-12-14 21:59:43.10 -5`, `10,000`, `yEs`, `nUll`. A field whose schema says
        `format: date-time` takes a time, as `publishedDateTime` does.

        **Why**: Jekyll renders what its reader made of the value, not what was written:
        `title: 2024-04-15T10:30:00+02:00` shows `2024-04-15 10:30:00 +0200` (fractions
        dropped, the zone rewritten), `title: 10,000` shows `10000`, `name: yEs` shows `true`.

        **Jekyll**: as above; the page is built with the changed value and no warning.

        **Example** (fails): `title: 2024-04-15T10:30:00Z`, `excerpt: 10,000`.

        **Fix**: quote the value: `title: "2024-04-15T10:30:00Z"`.""",
        tier=Tier.TYPE,
    ),
    described(
        "A001",
        "duplicate-url",
        W,
        """An article's `webUrl` or `originalUrl` is that of an older article of the same archive.

        Reported on every article of the group but the oldest (by `publishedDateTime`, then
        path), at the URL, naming the oldest article's file and line (SARIF
        `relatedLocations`, JSON `related`). Articles are compared only within one archive:
        each `_news` folder, a root named by the `archive` key of the configuration, or
        else the folder of the file; a run given one file still compares it with the rest
        of its archive on disk. URLs are compared after lower-casing the scheme and host,
        dropping a default port (`:80`, `:443`) and the slash that ends a path; the query,
        the fragment and the case of the path are kept, as they can name other pages.
        An article with `published: false` is not a page and is not compared.

        **Why**: the same story published twice splits its search ranking between two
        pages, and readers meet it twice in lists and feeds.

        **Jekyll**: Jekyll builds both articles, each at its own page built from its file
        name, and both link to the same story; lists, feeds and sitemaps show it twice.

        **Example** (fails): `_news/2021-06-10-stories.md` with
        `webUrl: "https://Example.com/stories/"` beside `_news/2020-12-21-stories.md` with
        `webUrl: "https://example.com/stories"`.

        **Fix**: delete the later copy, or give it the URL of its own story; to keep a
        deliberate repeat, write `# lint-news: ignore-file[A001]` in either file (or
        `# lint-news: ignore[A001]` on the URL's line).""",
    ),
    described(
        "Y005",
        "readers-disagree",
        E,
        """Jekyll's YAML readers read a plain value differently, or one of them fails on it.

        The message names what Psych (Debian's Jekyll), SafeYAML (upstream Jekyll) and
        PyYAML make of it. Sexagesimal numbers are the usual case: `heat: 1:30` is 5400 to
        Psych, 90.0 to SafeYAML and 90 to PyYAML. Other cases: `-017` (SafeYAML keeps the
        text), `+.inf`, `1.0_0`, `0X1F`; a plain `:name` is a symbol that Psych refuses.
        No range check runs on such a value: which of its values would it check?

        **Why**: the same file gives a different site depending on which Jekyll builds it.

        **Jekyll**: Psych's reading is what Debian's Jekyll shows (`5400`); upstream Jekyll
        shows SafeYAML's (`90.0`); a reader that fails logs a "YAML Exception" and the
        page is built with no data.

        **Example** (fails): `heat: 1:30`, `quality: -017`, `title: :sports`.

        **Fix**: write numbers in plain decimal (`heat: 90`); quote text.""",
        tier=Tier.PARSE,  # before the schema's type and range checks on the same value
    ),
    described(
        "Y006",
        "yaml11-indicator-value",
        W,
        """A plain `=` or `<<` written as a value (`key: =`, `- <<`).

        **Why**: YAML 1.1 gives these two scalars tags of their own (the value and merge
        indicators) that PyYAML's loaders cannot construct: `yaml.safe_load` refuses the
        whole file ("could not determine a constructor for the tag"), so every PyYAML-based
        tool (feeds, search indexes, the site's own scripts) fails on it. (`<<` as a key is
        a merge key: Y003.)

        **Jekyll**: both of Jekyll's readers read them as the text written; lint-news warns
        for the other readers of the file.

        **Example** (fails): `title: =`, `- <<`.

        **Fix**: quote the value: `title: "="`.""",
    ),
    described(
        "Y007",
        "anchor-named-again",
        W,
        """An anchor name used a second time (`a: &x 1` ... `b: &x 2`).

        **Why**: YAML lets a later anchor of the same name replace the earlier one for the
        aliases after it, and libyaml reads it so; PyYAML's loaders refuse the whole file
        ("found duplicate anchor"), so every PyYAML-based tool fails on it.

        **Jekyll**: Psych reads the file, an alias after the second anchor standing for the
        second node; lint-news reads it the same way and checks the rest.

        **Example** (fails): `quality: &score 14` then `heat: &score 6`.

        **Fix**: give each anchor a name of its own (or write the values out).""",
    ),
)


def _found_rules() -> Tuple[Rule, ...]:
    """Every Rule defined in a module of ``linter/rules/``, in the order of their codes."""
    found: Dict[str, Rule] = {}
    for filename in sorted(os.listdir(os.path.dirname(rules.__file__))):
        if not filename.endswith(".py") or filename.startswith("_") or filename == "base.py":
            continue
        module = importlib.import_module(f"linter.rules.{filename[:-3]}")
        for value in vars(module).values():
            if isinstance(value, Rule) and found.setdefault(value.info.code, value) is not value:
                raise RuntimeError(f"two rules claim {value.info.code}")  # caught by the suite
    return tuple(found[code] for code in sorted(found))


def _complete(info: RuleInfo) -> RuleInfo:
    return info._replace(area=FAMILIES[info.code[0]].area)


#: Every check function, in the order they run (by code).
CHECKS: Tuple[Rule, ...] = tuple(r._replace(info=_complete(r.info)) for r in _found_rules())

RULES: Dict[str, RuleInfo] = {
    info.code: info for info in sorted((*map(_complete, _REPORTED), *(r.info for r in CHECKS)), key=lambda i: i.code)
}
BY_NAME: Dict[str, RuleInfo] = {info.name: info for info in RULES.values()}
#: Codes ``--fix`` can repair (some occurrences, at least).
FIXABLE = frozenset(code for code, info in RULES.items() if info.fixable)
#: JSON Schema validator keyword -> code.
SCHEMA_KEYWORDS: Dict[str, str] = {keyword: info.code for info in RULES.values() for keyword in info.keywords}
