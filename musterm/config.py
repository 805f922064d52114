"""The user's settings: a TOML file read into a strict model, then options and environment on top.

Precedence, for every setting: command-line option > environment variable > config file >
default. Framework folders are a list: those of the file, the environment and the options
all count, and a later folder's framework replaces an earlier one with the same id.

The file (`musterm config` prints where) is written by a person, or by `musterm config set`,
which keeps the comments and layout a person wrote (tomlkit). A mistake in it is refused
with its file, line and key, like a framework file.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from musterm.errors import FileError, MustermError
from musterm.locations import (
    FRAMEWORKS_ENV,
    SESSIONS_ENV,
    cache_dir,
    default_config_file,
    default_sessions_dir,
    make_private_dirs,
)

MANAGER_ENV = "MUSTERM_MANAGER"
MANAGER_EMAIL_ENV = "MUSTERM_MANAGER_EMAIL"
THEME_ENV = "MUSTERM_THEME"
DEFAULT_THEME = "ansi-dark"

FROM_OPTION = "kommandolinjen"
FROM_FILE = "indstillingsfilen"
FROM_DEFAULT = "standard"


@dataclass(frozen=True)
class FileSettings:
    """What the config file says; all empty when there is no file."""

    sessions: str | None = None
    frameworks: tuple[str, ...] = ()
    theme: str | None = None
    manager_name: str = ""
    manager_email: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    retention_years: int | None = None


def load_file(file: Path) -> FileSettings:
    """The config file, checked against its model (musterm.model.config_file); errors name file:line:key.

    Checking imports pydantic, which would double the time of a quick command such as
    `musterm list`; so a file once found valid is remembered by its content (a hash) in the
    user's cache folder, and only a changed file is checked again. Without a file, nothing
    is imported or written.
    """
    if not file.exists() and not file.is_symlink():
        return FileSettings()
    try:
        data = file.read_bytes()
    except OSError:
        data = None  # the check below says why, with the file's name
    key = _cache_key(file, data) if data is not None else None
    remembered = _remembered(key) if key else None
    if remembered is not None:
        return remembered
    settings = _checked(file, data)
    if key:
        _remember(key, settings)
    return settings


def _checked(file: Path, data: bytes | None) -> FileSettings:
    from musterm.formats import tomlsource
    from musterm.model.config_file import ConfigFile

    if data is None:
        model = tomlsource.load(ConfigFile, file)
    else:
        text = tomlsource.decode(file, data)
        model = tomlsource.validate(ConfigFile, file, text, tomlsource.parse(file, text))
    return FileSettings(
        sessions=model.sessions,
        frameworks=tuple(model.frameworks),
        theme=model.theme,
        manager_name=model.manager.name,
        manager_email=model.manager.email,
        keys=dict(model.keys),
        retention_years=model.retention_years,
    )


def _cache_key(file: Path, data: bytes) -> str:
    """What a check's result depends on: the file's path and content, musterm and its model."""
    import hashlib

    from musterm import __version__

    model = Path(__file__).with_name("model") / "config_file.py"
    try:
        stamp = model.stat()
        model_stamp = f"{stamp.st_mtime_ns}:{stamp.st_size}"
    except OSError:
        model_stamp = ""
    digest = hashlib.sha256(f"{__version__}\0{model_stamp}\0{file.absolute()}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def _remembered(key: str) -> FileSettings | None:
    import json

    try:
        cached = json.loads(_cache_file().read_text(encoding="utf-8"))
        if cached.get("key") != key:
            return None
        values = cached["settings"]
        return FileSettings(**{**values, "frameworks": tuple(values["frameworks"])})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _remember(key: str, settings: FileSettings) -> None:
    """Best effort: a cache that cannot be written only means checking again next time."""
    import dataclasses
    import json
    import secrets

    folder = _cache_file().parent
    try:
        make_private_dirs(folder)
        temp = folder / f".config-checked.{secrets.token_hex(4)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "settings": dataclasses.asdict(settings)}, handle, ensure_ascii=False)
        os.replace(temp, _cache_file())
    except (OSError, MustermError):
        with contextlib.suppress(OSError, UnboundLocalError):
            temp.unlink()


def _cache_file() -> Path:
    return cache_dir() / "config-checked.json"


@dataclass(frozen=True)
class Manager:
    name: str
    email: str
    origin: str


@dataclass(frozen=True)
class Settings:
    """Every setting of one run of musterm, with where it came from."""

    config_file: Path
    file: FileSettings
    sessions: Path
    sessions_origin: str
    frameworks: tuple[Path, ...]
    theme: str
    theme_origin: str
    environment: dict[str, str] = field(default_factory=dict, repr=False)

    def prepare_sessions_folder(self) -> None:
        """Create the folders above the default sessions folder (0700); a chosen folder's parent must exist."""
        if self.sessions_origin == FROM_DEFAULT:
            make_private_dirs(self.sessions.parent)

    @property
    def keymap(self) -> dict[str, str]:
        """Binding ids → keys, for Textual's App.set_keymap (ids the app does not have are ignored)."""
        return dict(self.file.keys)

    def _manager_given(self) -> tuple[str | None, str, str | None]:
        """The manager's name, where it came from, and e-mail, as the environment and the file give them."""
        env = self.environment
        name, origin = _first((env.get(MANAGER_ENV), f"${MANAGER_ENV}"), (self.file.manager_name, FROM_FILE))
        return name, origin, env.get(MANAGER_EMAIL_ENV) or self.file.manager_email

    @property
    def manager_needs_git(self) -> bool:
        """`manager` would ask git (a subprocess): the environment and the file don't give both."""
        name, _, email = self._manager_given()
        return not (name and email)

    @functools.cached_property
    def manager(self) -> Manager:
        """The manager's name and e-mail, each from the first place that has it: $MUSTERM_MANAGER and
        $MUSTERM_MANAGER_EMAIL, the config file, git's global user.name and user.email, and for the
        name the account's full name."""
        name, origin, email = self._manager_given()
        if not name or not email:
            git_name, git_email = _git_identity()
            if not name and git_name:
                name, origin = git_name, "git config user.name"
            email = email or git_email
        if not name:
            name, origin = _account_name(), "brugerkontoen"
        return Manager(name, email, origin)


def resolve(
    sessions: str | None = None, frameworks: Sequence[str] = (), environment: dict[str, str] | None = None
) -> Settings:
    """The settings for this run: the options given here, then the environment, then the config file."""
    env = dict(os.environ if environment is None else environment)
    config_file = default_config_file(env)
    file = load_file(config_file)
    folder, origin = _first(
        (sessions, FROM_OPTION), (env.get(SESSIONS_ENV), f"${SESSIONS_ENV}"), (file.sessions, FROM_FILE)
    )
    from_env = [part for part in env.get(FRAMEWORKS_ENV, "").split(os.pathsep) if part]
    theme, theme_origin = _first((env.get(THEME_ENV), f"${THEME_ENV}"), (file.theme, FROM_FILE))
    return Settings(
        config_file=config_file,
        file=file,
        sessions=Path(folder).expanduser() if folder else default_sessions_dir(),
        sessions_origin=origin,
        frameworks=tuple(Path(part).expanduser() for part in [*file.frameworks, *from_env, *frameworks]),
        theme=theme or DEFAULT_THEME,
        theme_origin=theme_origin,
        environment=env,
    )


def keymap(settings: Settings | None = None) -> dict[str, str]:
    """The user's key map (binding id → keys, e.g. {"new": "ctrl+n"}) from the config file's [keys]."""
    return (settings or resolve()).keymap


def _first(*candidates: tuple[str | None, str]) -> tuple[str | None, str]:
    for value, origin in candidates:
        if value:
            return value, origin
    return None, FROM_DEFAULT


def _git_identity() -> tuple[str, str]:
    """The account's global git identity (user.name, user.email), if it has one."""
    try:
        listed = subprocess.run(
            ["git", "config", "--global", "--get-regexp", r"^user\.(name|email)$"],
            capture_output=True, text=True, check=False, timeout=5, stdin=subprocess.DEVNULL,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "", ""
    found = dict(line.partition(" ")[::2] for line in listed.splitlines())
    return found.get("user.name", "").strip(), found.get("user.email", "").strip()


def _account_name() -> str:
    import pwd

    try:
        entry = pwd.getpwuid(os.getuid())
    except KeyError:
        return "Leder"
    return entry.pw_gecos.split(",")[0].strip() or entry.pw_name


# --- changing the file: `musterm config set` --------------------------------------------------

NEW_FILE_HEADER = (
    "# Indstillinger for musterm. Ret dem her i en teksteditor, eller med\n"
    "#   musterm config set NØGLE VÆRDI\n"
    "# Linjer, der begynder med #, er kommentarer. `musterm config` viser, hvad der gælder.\n"
)
SETTABLE = ("sessions", "frameworks", "theme", "manager.name", "manager.email", "keys.ID")


def edited_text(file: Path, text: str, key: str, values: Sequence[str] | None) -> str:
    """The config file's text with `key` set to `values` (None: removed), comments kept.

    The result is checked as a whole before it is returned, so an invalid value never
    reaches the file.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from musterm.formats import tomlsource
    from musterm.model.config_file import ConfigFile

    path = _settable_path(key)
    tomlsource.validate(ConfigFile, file, text, tomlsource.parse(file, text))  # the file as it is must be valid
    try:
        document = tomlkit.parse(text) if text.strip() else tomlkit.parse(NEW_FILE_HEADER)
    except TOMLKitError as error:
        raise FileError.single(file, f"kan ikke ændres automatisk: {error}") from None
    table = document
    for part in path[:-1]:
        if part not in table:
            if values is None:
                return text
            table.add(part, tomlkit.table())
        table = table[part]
    if values is None:
        if path[-1] in table:
            del table[path[-1]]
    else:
        table[path[-1]] = list(values) if path == ("frameworks",) else _single(key, values)
    result = tomlkit.dumps(document)
    try:
        tomlsource.validate(ConfigFile, file, result, tomllib.loads(result))
    except FileError as error:
        messages = "; ".join(problem.message for problem in error.problems)
        raise MustermError(f"{key}: {messages}. Indstillingsfilen er ikke ændret.") from None
    return result


def _settable_path(key: str) -> tuple[str, ...]:
    if key.startswith("keys.") and len(key) > len("keys."):
        return ("keys", key.removeprefix("keys."))  # a binding id may hold dots itself
    path = tuple(key.split("."))
    if path in (("sessions",), ("frameworks",), ("theme",), ("manager", "name"), ("manager", "email")):
        return path
    raise MustermError(f"ukendt indstilling '{key}' (mulige: {', '.join(SETTABLE)})")


def _single(key: str, values: Sequence[str]) -> Any:
    if len(values) != 1:
        raise MustermError(f"{key} tager én værdi, ikke {len(values)} (sæt anførselstegn om tekst med mellemrum)")
    return values[0]
