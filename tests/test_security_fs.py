"""Attacks on the file system side of a run, written as an attacker who has read the source.

A pull request controls what is in the checkout: articles, a configuration, a committed
``.lint-news-cache/`` folder, symbolic links, special files. None of it may make a defective
article pass, make lint-news read or print a file outside the checkout, or make it write,
clobber or delete anything outside its own cache folder. The cache's secret lives in the
XDG_CACHE_HOME that conftest points at a temporary folder (the victim's); the attacker's
own secret is another folder's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import resource
import shutil
import stat
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from conftest import BAD, BAD_NAME, CLEAN, Run, lint_news_command

#: The layouts an attacker may target: today's and the one before it.
LAYOUTS = ("v3", "v4")
#: Enough for any honest run; reading a 300 MB file into memory is not.
MEMORY_LIMIT = 300 * 1024 * 1024


def run(site: Path, *args: str, env: Optional[Dict[str, str]] = None, limit_memory: bool = False) -> Run:
    """The installed command in ``site``, bounded in time (a hang fails) and, when asked, memory."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})

    def bounded() -> None:
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    proc = subprocess.run(
        lint_news_command() + ["--jobs", "1", *args],
        input=b"",
        capture_output=True,
        cwd=str(site),
        env=full_env,
        timeout=60,
        preexec_fn=bounded,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def truth(site: Path, *args: str) -> Run:
    return run(site, "--no-cache", *args)


def tree(folder: Path) -> Dict[str, bytes]:
    """Every name below ``folder`` (links as their target), and every regular file's bytes."""
    found: Dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = os.readlink(path).encode()
        elif path.is_file():
            found[str(path)] = path.read_bytes()
        else:
            found[str(path)] = b"<folder>"
    return found


# -- the forger --------------------------------------------------------------------------------


class Forger:
    """Writes the best forgery it can into a cache folder: for every public input the old,
    unkeyed layout used, the records and entries that would vouch for the defective files; and
    the same records made the new way, with the exact algorithm of linter/batch/cache.py, under
    a secret of the attacker's own (from a real run of lint-news on the attacker's machine)."""

    def __init__(self, site: Path, attacker_home: Path) -> None:
        self.site = site
        self.attacker = {"XDG_CACHE_HOME": str(attacker_home)}
        self.home = attacker_home

    def forge(self, cache: Path, *args: str) -> None:
        run(self.site, "--cache-dir", str(cache), *args, "_news", env=self.attacker)  # a real cache
        files = sorted((self.site / "_news").iterdir())
        for layout in cache.iterdir():
            if layout.name in LAYOUTS:
                for folder in layout.iterdir():
                    self._forge_folder(folder, files, keyed=layout.name != "v2")
        for salt in self._old_salts():
            self._forge_folder(cache / "v2" / salt, files, keyed=False)

    def _forge_folder(self, folder: Path, files: List[Path], keyed: bool = True) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        records = [self._record(folder.name, f, keyed) for f in files]
        (folder / "clean-1-forged").write_bytes(b"".join(records))
        for record in records:  # and an entry that makes up a finding, for each file
            name = record.hex()
            entry = folder / name[:2] / name[2:]
            entry.parent.mkdir(exist_ok=True)
            rows = [[1, 1, "E000", "forged finding", "error", "forged", [], ""]]
            payload = json.dumps(rows).encode()
            entry.write_bytes(self._seal(folder.name, record, payload) if keyed else payload)

    def _secret(self) -> bytes:
        return (self.home / "lint-news" / "key").read_bytes()

    def _record(self, salt: str, path: Path, keyed: bool) -> bytes:
        data, name = path.read_bytes(), b"\0" + path.name.encode()
        if not keyed:
            return hashlib.blake2b(data + name, digest_size=20).digest()
        from linter.batch.cache import mac_key

        return hmac.new(mac_key(self._secret(), salt), data + name, hashlib.sha256).digest()[:20]

    def _seal(self, salt: str, record: bytes, payload: bytes) -> bytes:
        from linter.batch.cache import mac_key, seal

        return seal(mac_key(self._secret(), salt), record, payload)

    def _old_salts(self) -> List[str]:
        """The settings folder of the old layout, from its public inputs."""
        from linter import __version__
        from linter.settings import Settings
        from linter.validate.resources import bundled_schema_text

        schema = hashlib.sha256(bundled_schema_text().encode()).hexdigest()
        salts = []
        for settings in (Settings(), Settings(select=("",))):
            salt = json.dumps([__version__, repr(settings), schema])
            salts.append(hashlib.sha256(salt.encode()).hexdigest()[:16])
        return salts


@pytest.fixture
def forger(site: Path, tmp_path: Path) -> Forger:
    return Forger(site, tmp_path / "attacker-home")


def test_a_forged_committed_cache_vouches_for_nothing(site: Path, forger: Forger) -> None:
    expected = truth(site, "_news")
    assert expected.rc == 1 and BAD_NAME in expected.out
    forger.forge(site / ".lint-news-cache")
    assert run(site, "_news") == expected
    assert run(site, "_news") == expected  # and once more, with the victim's own entries


def test_the_forgeries_would_pass_under_the_victims_own_secret(site: Path) -> None:
    """Control for the two tests around it: the forger makes its records with the cache's
    exact algorithm, so with the victim's secret they vouch for the defective article. If
    the cache changed its keys and the forger did not follow, this fails, instead of the
    forgery tests passing for a reason that is not the secret."""
    expected = truth(site, "_news")
    assert expected.rc == 1 and BAD_NAME in expected.out
    Forger(site, Path(os.environ["XDG_CACHE_HOME"])).forge(site / ".lint-news-cache")
    fooled = run(site, "_news")
    assert fooled.rc == 0 and BAD_NAME not in fooled.out


def test_a_forged_cache_a_configuration_names_vouches_for_nothing(site: Path, forger: Forger) -> None:
    (site / ".lint-news.toml").write_text('cache-dir = "forged"\n', encoding="utf-8")
    expected = truth(site, "_news")
    assert expected.rc == 1 and BAD_NAME in expected.out
    forger.forge(site / "forged")
    assert run(site, "_news") == expected


def test_an_entry_sealed_for_another_file_is_a_miss(site: Path) -> None:
    """Even a genuine entry, moved to another file's name, does not verify there."""
    from test_cache import entries, reseal  # noqa: F401 - the helper proves resealing works

    cache = site / "c"
    run(site, "--cache-dir", str(cache), BAD, CLEAN)
    (log,) = [p for p in entries(cache) if p.name.startswith("clean-")]
    (bad_entry,) = [p for p in entries(cache) if p != log]
    key = log.read_bytes().hex()
    log.unlink()
    moved = log.parent / key[:2] / key[2:]
    moved.parent.mkdir(exist_ok=True)
    shutil.copyfile(bad_entry, moved)
    assert run(site, "--cache-dir", str(cache), CLEAN) == truth(site, CLEAN)


# -- the secret --------------------------------------------------------------------------------


def test_the_secret_is_made_once_private_and_random(site: Path, tmp_path: Path) -> None:
    homes = [tmp_path / "one", tmp_path / "two"]
    for home in homes:
        run(site, "_news", env={"XDG_CACHE_HOME": str(home)})
    keys = [home / "lint-news" / "key" for home in homes]
    assert [stat.S_IMODE(k.stat().st_mode) for k in keys] == [0o600, 0o600]
    assert stat.S_IMODE(keys[0].parent.stat().st_mode) == 0o700
    assert [len(k.read_bytes()) for k in keys] == [32, 32]
    assert keys[0].read_bytes() != keys[1].read_bytes()
    before = keys[0].read_bytes()
    run(site, "_news", env={"XDG_CACHE_HOME": str(homes[0])})
    assert keys[0].read_bytes() == before


def _bad_secret(kind: str, key: Path, elsewhere: Path) -> None:
    key.parent.mkdir(parents=True)
    if kind == "link":
        elsewhere.write_bytes(bytes(32))
        elsewhere.chmod(0o600)
        key.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(key, 0o600)
    elif kind == "folder":
        key.mkdir()
    else:
        key.write_bytes(bytes(31) if kind == "short" else bytes(32))
        key.chmod(0o644 if kind == "readable" else 0o600)
        if kind == "foreign":
            os.chown(key, 65534, -1)


@pytest.mark.parametrize("kind", ["link", "fifo", "folder", "short", "readable", "foreign"])
def test_a_secret_that_is_not_private_turns_the_cache_off(site: Path, tmp_path: Path, kind: str) -> None:
    if kind == "foreign" and os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    home = tmp_path / "home"
    _bad_secret(kind, home / "lint-news" / "key", tmp_path / "elsewhere")
    result = run(site, "_news", env={"XDG_CACHE_HOME": str(home)})
    assert result == truth(site, "_news")
    assert not (site / ".lint-news-cache").exists()  # no cache at all, and no error


# -- bounded reading ---------------------------------------------------------------------------


def _settings_folder(site: Path, cache: Path) -> Path:
    run(site, "--cache-dir", str(cache), CLEAN)
    (folder,) = cache.glob("v*/*")
    return folder


def _hostile(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    elif kind == "deep":
        path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    else:
        path.write_bytes(b'[[1e999, 1, "S001", "m", "error", "n", [], ""]]')


#: A folder where an entry or log should be was a miss already (tests/test_cache.py).
HOSTILE = ["fifo", "dev-zero", "huge", "deep", "overflow"]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])  # a log is bytes, not JSON
def test_a_hostile_log_is_a_miss(site: Path, kind: str) -> None:
    cache = site / "c"
    folder = _settings_folder(site, cache)
    for log in folder.glob("clean-*"):
        log.unlink()
    _hostile(folder / "clean-1-hostile", kind)
    assert run(site, "--cache-dir", str(cache), BAD, CLEAN, limit_memory=True) == truth(site, BAD, CLEAN)


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_entry_is_a_miss(site: Path, kind: str) -> None:
    """The hostile file sits at the exact name of the bad article's entry."""
    cache = site / "c"
    folder = _settings_folder(site, cache)
    run(site, "--cache-dir", str(cache), BAD)
    (entry,) = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("clean-")]
    entry.unlink()
    _hostile(entry, kind)
    assert run(site, "--cache-dir", str(cache), BAD, limit_memory=True) == truth(site, BAD)


# -- where a configuration can make lint-news write ---------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the checkout, holding files (some named like a cache's logs)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me\n", encoding="utf-8")
    for index in range(20):
        (folder / f"clean-{index}-0").write_bytes(b"x" * 20)
    (folder / "file").write_text("a file\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "where",
    # A file, or a link to one, was refused before too (the folder cannot be made); kept so it stays so.
    ["absolute", "dot-dot", "link-to-folder", "dev", "link-to-file", "file-inside"],
)
def test_a_configured_cache_dir_never_writes_outside_the_checkout(site: Path, outside: Path, where: str) -> None:
    name = {
        "absolute": str(outside),
        "dot-dot": "../outside",
        "link-to-folder": "link",
        "link-to-file": "link",
        "file-inside": "a-file",
        "dev": "/dev",
    }[where]
    assert outside.parent == site.parent  # so "../outside" is it
    if where.startswith("link"):
        (site / "link").symlink_to(outside / "file" if where == "link-to-file" else outside)
    (site / "a-file").write_text("a file in the checkout\n", encoding="utf-8")
    (site / ".lint-news.toml").write_text(f"cache-dir = {json.dumps(name)}\n", encoding="utf-8")
    before, site_before = tree(outside), tree(site)
    dev_before = sorted(os.listdir("/dev"))
    result = run(site, "_news")
    assert (result.rc, result.out) == truth(site, "_news")[:2]
    assert tree(outside) == before
    assert tree(site) == site_before
    assert sorted(os.listdir("/dev")) == dev_before


def test_a_configured_cache_dir_inside_the_checkout_is_used(site: Path) -> None:
    (site / ".lint-news.toml").write_text('cache-dir = "build/cache"\n', encoding="utf-8")
    assert run(site, "_news")[:2] == truth(site, "_news")[:2]
    assert (site / "build" / "cache" / "CACHEDIR.TAG").is_file()


def test_a_committed_link_inside_the_cache_folder_is_not_followed(site: Path, outside: Path) -> None:
    """``.lint-news-cache/v4`` committed as a link: nothing is read, written or deleted there."""
    cache = site / ".lint-news-cache"
    cache.mkdir()
    for name in LAYOUTS:
        (cache / name).symlink_to(outside)
    before = tree(outside)
    assert run(site, "_news") == truth(site, "_news")
    assert tree(outside) == before


@pytest.mark.parametrize("configured", [False, True])
def test_a_committed_link_for_the_cache_folder_itself_is_not_followed(
    site: Path, outside: Path, tmp_path: Path, configured: bool
) -> None:
    """The cache folder from the checkout (the default, or ``cache-dir`` in its configuration)
    committed as a link: nothing is read, written or deleted through it (not the cache's
    entries and logs, nor the memo, nor the archive index), and the run says why."""
    folder = _settings_folder(site, tmp_path / "probe").relative_to(tmp_path / "probe")
    # A configured folder must be inside the checkout, so its link points at another folder there.
    target = site / "elsewhere" if configured else outside
    planted = target / folder
    planted.mkdir(parents=True)
    for index in range(20):  # more logs than a merge takes: a merge would delete them
        (planted / f"clean-{index}-0").write_bytes(b"x" * 20)
    name = "cache" if configured else ".lint-news-cache"
    if configured:
        (site / ".lint-news.toml").write_text(f'cache-dir = "{name}"\n', encoding="utf-8")
    (site / name).symlink_to(target)
    _many_settled_articles(site)
    before = tree(target)
    env = {"LINT_NEWS_CACHE_DIR": ""}
    for _ in range(2):
        result = run(site, "_news", env=env)
        assert result[:2] == truth(site, "_news")[:2]
        shown = site / name if configured else name  # a configured folder is shown as resolved
        assert f"cache folder {shown} is a link or not a folder; the result cache is not used" in result.err
        assert tree(target) == before


def test_a_cache_folder_the_user_named_may_be_a_link(site: Path, tmp_path: Path) -> None:
    """``--cache-dir`` and ``$LINT_NEWS_CACHE_DIR`` are the user's choice: a link there is used."""
    _many_settled_articles(site)
    for how in ("option", "environment"):
        real = tmp_path / f"real-{how}"
        real.mkdir()
        (tmp_path / how).symlink_to(real)
        link = str(tmp_path / how)
        args, env = (["--cache-dir", link], {}) if how == "option" else ([], {"LINT_NEWS_CACHE_DIR": link})
        result = run(site, *args, "_news", env=env)
        assert result == truth(site, "_news")
        assert list(real.glob("v4/*/clean-*")) and list(real.glob("v4/*/stat-*"))  # the logs, the memo


def _many_settled_articles(site: Path) -> None:
    """Enough articles for a memo (``_AT_LEAST``), written long enough ago to be noted."""
    article = next((site / "_news").glob("*.md")).read_bytes()
    for index in range(40):
        copy = site / "_news" / f"2024-01-{index % 28 + 1:02d}-copy-{index}.md"
        copy.write_bytes(article)
        os.utime(copy, (1_600_000_000, 1_600_000_000))
    time.sleep(0.3)  # the ctime, which cannot be set back, settles (``memo._SETTLED_NS``)


def test_a_committed_link_for_the_settings_folder_is_not_followed(site: Path, outside: Path) -> None:
    cache = site / "c"
    folder = _settings_folder(site, cache)
    shutil.rmtree(folder)
    folder.symlink_to(outside)
    before = tree(outside)
    assert run(site, "--cache-dir", str(cache), "_news") == truth(site, "_news")
    assert tree(outside) == before


def test_a_committed_link_for_an_entry_folder_is_not_followed(site: Path, outside: Path) -> None:
    cache = site / "c"
    folder = _settings_folder(site, cache)
    run(site, "--cache-dir", str(cache), BAD)
    (entry,) = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("clean-")]
    shutil.rmtree(entry.parent)
    entry.parent.symlink_to(outside)
    before = tree(outside)
    assert run(site, "--cache-dir", str(cache), BAD) == truth(site, BAD)
    assert tree(outside) == before


# -- symbolic links and special files ------------------------------------------------------------

TOKEN = "ghp_FAKE0TOKEN0d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8"
FORMATS = ["text", "json", "github", "sarif", "junit", "gitlab"]


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    """A file outside the checkout shaped like /proc/self/environ, holding a token."""
    path = tmp_path / "environ"
    path.write_bytes(f"HOME=/root\0GITHUB_TOKEN={TOKEN}\0PATH=/usr/bin\0".encode())
    return path


def every_output(site: Path, *paths: str, env: Optional[Dict[str, str]] = None) -> List[Run]:
    """The run in every format, with --show-source and hints, to stdout and to a file."""
    runs = [run(site, "--no-cache", "--show-source", *paths, env=env)]
    runs.append(run(site, "--no-cache", "--statistics", *paths, env=env))
    for fmt in FORMATS:
        runs.append(run(site, "--no-cache", "--format", fmt, *paths, env=env))
        target = site.parent / f"report.{fmt}"
        runs.append(run(site, "--no-cache", "--format", fmt, "-o", str(target), *paths, env=env))
        runs.append(Run(0, target.read_text(encoding="utf-8"), ""))
    return runs


def leaked(runs: List[Run]) -> List[str]:
    return [text for r in runs for text in (r.out, r.err) if TOKEN in text or "GITHUB_TOKEN" in text]


@pytest.mark.parametrize("target", ["outside", "proc-environ", "beside-the-folder"])
def test_a_link_leaving_the_walked_folder_is_refused_unread(site: Path, secrets: Path, target: str) -> None:
    link = site / "_news" / "2024-01-01-leak.md"
    if target == "outside":
        link.symlink_to(secrets)
    elif target == "proc-environ":
        link.symlink_to("/proc/self/environ")
    else:  # inside the current folder, but not inside the folder walked
        shutil.copyfile(secrets, site / "environ")
        link.symlink_to("../environ")
    env = {"LINT_NEWS_LEAK": f"GITHUB_TOKEN={TOKEN}"}
    result = run(site, "--no-cache", "_news", env=env)
    assert result.rc == 2
    assert "_news/2024-01-01-leak.md:1:1: E016 symbolic link to a file outside '_news'; not read\n" in result.out
    assert leaked(every_output(site, "_news", env=env)) == []


def test_a_link_inside_the_walked_folder_is_read(site: Path) -> None:
    (site / "_news" / "2024-01-01-alias.md").symlink_to("2024-02-28-hedgehog-mowers.md")
    result = run(site, "--no-cache", "--select", "D001", "_news")
    assert result.out.count(" D001 ") == 2 and result.rc == 1


def test_a_link_to_a_special_file_inside_the_folder_is_not_opened(site: Path) -> None:
    os.mkfifo(site / "_news" / "pipe")
    (site / "_news" / "2024-01-01-pipe.md").symlink_to("pipe")
    result = run(site, "--no-cache", "_news")
    assert "_news/2024-01-01-pipe.md:1:1: E010 cannot read: not a regular file\n" in result.out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("outside.md", "outside.md:1:1: E016 symbolic link to a file outside the current folder; not read\n"),
        ("inside.md", "inside.md:1:1: E001 no frontmatter: line 1 must be '---'\n"),
    ],
)
def test_a_named_link_is_read_only_inside_the_current_folder(
    site: Path, secrets: Path, name: str, expected: str
) -> None:
    (site / "outside.md").symlink_to(secrets)
    shutil.copyfile(secrets, site / "copy")
    (site / "inside.md").symlink_to("copy")
    result = run(site, "--no-cache", name)
    assert result.out == expected
    assert leaked(every_output(site, name)) == []


def test_a_named_link_to_a_folder_outside_is_not_walked(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site / "_news", elsewhere)
    (site / "linked").symlink_to(elsewhere, target_is_directory=True)
    result = run(site, "--no-cache", "linked")
    assert result.out == "linked:1:1: E016 symbolic link to a file outside the current folder; not read\n"


REFUSED = ":1:1: E016 symbolic link to a file outside the current folder; not read\n"
ARTICLE = "2024-02-28-hedgehog-mowers.md"


@pytest.fixture
def linked(site: Path, tmp_path: Path) -> Path:
    """A checkout with committed links to folders: out of it (``dirlink``, and ``uplink`` to
    the folder above it), inside it (``inlink``), and through a hop outside back into it
    (``chain``). Outside waits an article whose every line --show-source would print."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    for folder in (elsewhere, elsewhere / "sub"):
        (folder / "2024-01-01-x.md").write_text(f"---\ntitle: GITHUB_TOKEN={TOKEN}\n---\n", encoding="utf-8")
    (site / "dirlink").symlink_to(elsewhere, target_is_directory=True)
    (site / "uplink").symlink_to("..", target_is_directory=True)
    (site / "inlink").symlink_to("_news", target_is_directory=True)
    (tmp_path / "hop").symlink_to(site / "_news", target_is_directory=True)
    (site / "chain").symlink_to("../hop", target_is_directory=True)
    return site


@pytest.mark.parametrize(
    "named",
    [
        "dirlink/2024-01-01-x.md",
        "./dirlink//2024-01-01-x.md",
        "_news/../dirlink/2024-01-01-x.md",
        "dirlink/sub/2024-01-01-x.md",
        "uplink/elsewhere/2024-01-01-x.md",
        "{site}/dirlink/2024-01-01-x.md",
        "dirlink/",
        "dirlink/.",
        "dirlink/sub",
        "uplink/elsewhere",
    ],
)
def test_a_path_through_a_link_to_a_folder_outside_is_refused_unread(linked: Path, named: str) -> None:
    """``O_NOFOLLOW`` guards a path's last part only: a shell glob (``*/*.md``) names the
    files of a committed link to a folder, and a folder named with a slash after it is no
    link to ``islink``. Each is refused, as a link to a file outside is, at 1:1, and
    --show-source prints nothing of the file outside."""
    named = named.format(site=linked)
    result = run(linked, "--no-cache", "--show-source", named)
    assert (result.rc, result.out) == (2, named + REFUSED)
    assert leaked(every_output(linked, named)) == []


@pytest.mark.parametrize("named", ["{mount}/2024-01-01-x.md", "{mount}/sub/2024-01-01-x.md", "{mount}/sub"])
def test_a_path_through_a_link_of_the_machine_outside_the_checkout_is_read(linked: Path, named: str) -> None:
    """A link that lies outside the current folder (``/tmp`` on macOS, a linked home or
    shared folder) is the machine's, not one a checkout can plant: a path its user names
    through it is read, as a path with no link on it is (the shared corpus in CI)."""
    mount = linked.parent / "mount"
    mount.symlink_to(linked.parent / "elsewhere", target_is_directory=True)
    named = named.format(mount=mount)
    result = run(linked, "--no-cache", named)
    assert result.rc == 1 and " E016 " not in result.out
    assert result.out.startswith(f"{mount}/sub/2024-01-01-x.md:" if named.endswith("sub") else f"{named}:")


@pytest.mark.parametrize("named", [f"inlink/{ARTICLE}", f"uplink/site/_news/{ARTICLE}", f"chain/{ARTICLE}"])
def test_a_path_through_a_link_to_a_folder_inside_is_read(linked: Path, named: str) -> None:
    """As a link to a file inside the current folder is: read, whatever the links on the way."""
    direct = run(linked, "--no-cache", "--show-source", f"_news/{ARTICLE}")
    result = run(linked, "--no-cache", "--show-source", named)
    assert " E016 " not in result.out and direct.rc == 1
    assert result.out == direct.out.replace(f"_news/{ARTICLE}", named)


@pytest.mark.parametrize("named", ["inlink", "inlink/", "chain", "uplink/site/_news"])
def test_a_named_link_to_a_folder_inside_is_walked(linked: Path, named: str) -> None:
    direct = run(linked, "--no-cache", "_news")
    result = run(linked, "--no-cache", named)
    assert direct.rc == 1 and result.out == direct.out.replace("_news/", named.rstrip("/") + "/")


def test_a_shell_glob_over_the_checkout_reads_nothing_outside(linked: Path) -> None:
    """``lint-news */*.md`` as a shell expands it: each file through ``dirlink`` refused."""
    named = sorted(str(path.relative_to(linked)) for path in linked.glob("*/*.md"))
    assert "dirlink/2024-01-01-x.md" in named and f"_news/{ARTICLE}" in named
    result = run(linked, "--no-cache", "--show-source", *named)
    assert "dirlink/2024-01-01-x.md" + REFUSED in result.out
    assert f"inlink/{ARTICLE}:" in result.out and f"chain/{ARTICLE}:" in result.out
    assert leaked(every_output(linked, *named)) == []


def test_standard_input_named_through_a_link_shows_only_itself(linked: Path) -> None:
    """``--stdin-filename`` only names what standard input holds: the file outside that the
    name leads to is neither read nor shown."""
    proc = subprocess.run(
        lint_news_command() + ["--no-cache", "--show-source", "--stdin-filename", "dirlink/2024-01-01-x.md", "-"],
        input=(linked / BAD).read_bytes(),
        capture_output=True,
        cwd=str(linked),
    )
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1 and out.startswith("dirlink/2024-01-01-x.md:")
    assert " E016 " not in out and "titel" in out and TOKEN not in out


def test_a_path_through_a_link_made_after_the_walk_is_refused(linked: Path) -> None:
    """The readers refuse it themselves (the compiled one and its twin, and --show-source's),
    whatever the walk saw: a folder swapped for a link after the walk."""
    from linter.engine import Linter, read_stated
    from linter.report.terminal import SourceLines
    from linter.safepath import Unreadable, reading_roots

    os.chdir(linked)
    roots = reading_roots(["."])
    path = "dirlink/2024-01-01-x.md"
    refused = ("E016", "symbolic link to a file outside the current folder; not read")
    result = Linter(roots=roots).lint_path(path)
    assert [(f.code, f.line, f.col, f.message) for f in result.findings] == [(refused[0], 1, 1, refused[1])]
    assert read_stated(path, 10**6, roots) == (Unreadable(*refused), None)
    assert SourceLines(roots=roots)(path, 2) is None


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(f"HOME=/root\0GITHUB_TOKEN={TOKEN}\0".encode(), id="environ-shaped"),
        pytest.param(f"---\ntitle: GITHUB_TOKEN={TOKEN}\0x\n---\n".encode(), id="nul-in-frontmatter"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + f"GITHUB_TOKEN={TOKEN}".encode() + b"\xff\x00", id="binary"),
    ],
)
def test_nothing_of_a_rejected_file_is_echoed(site: Path, content: bytes) -> None:
    """Named directly, a regular file is read; what is not an article is never shown."""
    (site / "data.md").write_bytes(content)
    runs = every_output(site, "data.md")
    assert runs[0].rc == 1
    assert leaked(runs) == []


def test_proc_self_environ_named_directly_is_not_echoed(site: Path) -> None:
    """``/proc/self`` is a link of the machine's (to ``/proc/<pid>``), not one a checkout can
    plant: the path is read as named, and what it holds is never echoed."""
    env = {"LINT_NEWS_LEAK": f"GITHUB_TOKEN={TOKEN}"}
    runs = every_output(site, "/proc/self/environ", env=env)
    assert runs[0].out.startswith("/proc/self/environ:1:1: E001 ")
    assert leaked(runs) == []


def test_a_file_swapped_for_a_link_after_the_walk_is_refused(site: Path, secrets: Path) -> None:
    """The race: the walk saw a regular file, the read finds a link to a secret."""
    from linter.batch.walk import discover
    from linter.engine import Linter
    from linter.safepath import reading_roots

    article = site / "_news" / "2024-02-28-hedgehog-mowers.md"
    os.chdir(site)
    found = [path for path, problem in discover(["_news"]) if problem is None]
    assert str(article.relative_to(site)) in found
    article.unlink()
    article.symlink_to(secrets)  # swapped between the walk and the read
    result = Linter(roots=reading_roots(["_news"])).lint_path(str(article.relative_to(site)))
    assert [(f.code, f.message) for f in result.findings] == [
        ("E016", "symbolic link to a file outside the current folder; not read")
    ]


# -- reports written over articles; names that are not UTF-8 ------------------------------------


def test_a_report_over_the_file_standard_input_names_is_refused(site: Path) -> None:
    article = site / BAD
    before = article.read_bytes()
    for flag in ("-o", "--write-baseline"):
        proc = subprocess.run(
            lint_news_command() + ["--no-cache", "--stdin-filename", BAD, flag, BAD, "-"],
            input=before,
            capture_output=True,
            cwd=str(site),
        )
        assert proc.returncode == 2
        assert b"is one of the files being checked; refusing to overwrite it" in proc.stderr
        assert article.read_bytes() == before


NON_UTF8 = os.fsdecode(b"2024-02-28-caf\xe9.md")
SHOWN = "2024-02-28-caf\\xe9.md"


@pytest.fixture
def non_utf8(site: Path) -> Path:
    shutil.copyfile(site / BAD, os.path.join(str(site / "_news"), NON_UTF8))
    return site


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "file"])
def test_a_name_that_is_not_utf8_is_reported_in_every_format(non_utf8: Path, fmt: str, to_file: bool) -> None:
    target = non_utf8.parent / "report"
    args = ["-o", str(target)] if to_file else []
    result = run(non_utf8, "--no-cache", "--format", fmt, "--select", "D001", *args, "_news")
    assert (result.rc, "Traceback" in result.err) == (1, False)
    report = target.read_bytes() if to_file else result.out.encode()
    report.decode("utf-8")  # valid UTF-8, whatever the format
    # SARIF's URI carries the name's own bytes; JSON escapes the backslash of ``\xe9``.
    shown = {"sarif": "caf%E9.md", "json": json.dumps(SHOWN)[1:-1], "gitlab": json.dumps(SHOWN)[1:-1]}.get(fmt, SHOWN)
    assert shown.encode() in report


def test_a_name_that_is_not_utf8_in_a_baseline(non_utf8: Path) -> None:
    baseline = non_utf8 / "baseline.json"
    written = run(non_utf8, "--no-cache", "--write-baseline", str(baseline), "_news")
    assert (written.rc, "Traceback" in written.err) == (0, False)
    paths = {row["path"] for row in json.loads(baseline.read_text(encoding="utf-8"))["findings"]}
    assert f"_news/{SHOWN}" in paths
    assert run(non_utf8, "--no-cache", "--baseline", str(baseline), "_news")[:2] == (0, "")


def test_a_name_that_is_not_utf8_with_show_source(non_utf8: Path) -> None:
    result = run(non_utf8, "--no-cache", "--show-source", "--select", "D001", "_news")
    assert f"_news/{SHOWN}:5:20: D001 " in result.out
    assert "  | publishedDateTime: 2024-02-30T10:00:00Z\n" in result.out
