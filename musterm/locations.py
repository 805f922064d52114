"""Where musterm finds things: bundled frameworks, extra framework folders, the sessions folder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

SESSIONS_ENV = "MUSTERM_SESSIONS"
FRAMEWORKS_ENV = "MUSTERM_FRAMEWORKS"

_PACKAGE = Path(__file__).resolve().parent


def bundled_frameworks_dir() -> Path:
    """Inside an installed wheel the frameworks sit in the package; in a checkout, beside it."""
    packaged = _PACKAGE / "_bundled" / "frameworks"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "frameworks"


def sessions_readme_text() -> str:
    for candidate in (_PACKAGE / "_bundled" / "sessions-README.md", _PACKAGE.parent / "sessions" / "README.md"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return "# MUS-samtaler\n\nSamtaler gemt af musterm: én mappe pr. medarbejder, én fil pr. samtale.\n"


def sessions_dir(option: str | None = None) -> Path:
    chosen = option or os.environ.get(SESSIONS_ENV) or "sessions"
    return Path(chosen).expanduser()


def extra_framework_dirs(options: Sequence[str] = ()) -> list[Path]:
    from_env = [part for part in os.environ.get(FRAMEWORKS_ENV, "").split(os.pathsep) if part]
    return [Path(part).expanduser() for part in [*from_env, *options]]


def default_manager_name() -> str:
    """Who is holding the conversation: $MUSTERM_MANAGER, git's user.name, or the account's full name."""
    import pwd
    import subprocess

    if os.environ.get("MUSTERM_MANAGER"):
        return os.environ["MUSTERM_MANAGER"]
    try:
        configured = subprocess.run(
            ["git", "config", "--global", "user.name"], capture_output=True, text=True, check=False, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        configured = ""
    if configured:
        return configured
    try:
        entry = pwd.getpwuid(os.getuid())
    except KeyError:
        return "Leder"
    return entry.pw_gecos.split(",")[0].strip() or entry.pw_name
