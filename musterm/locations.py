"""Where musterm keeps things: the bundled frameworks, the user's config file, sessions folder and crash logs.

musterm's own folders follow the platform's convention (platformdirs: XDG on Linux,
~/Library on macOS), never the current directory: started from two folders, musterm
must not silently keep two archives. What the user chooses (an option, an environment
variable, the config file) is resolved in `musterm.config`; this module only knows the
defaults and how to create musterm's folders privately.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from musterm.errors import MustermError

APP_NAME = "musterm"
CONFIG_ENV = "MUSTERM_CONFIG"
SESSIONS_ENV = "MUSTERM_SESSIONS"
FRAMEWORKS_ENV = "MUSTERM_FRAMEWORKS"
PRIVATE_DIR_MODE = 0o700

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


def _dirs():  # noqa: ANN202 - a platformdirs.PlatformDirs
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False)


def default_config_file(environment: Mapping[str, str] = os.environ) -> Path:
    """$MUSTERM_CONFIG, or config.toml in the user's config folder (~/.config/musterm on Linux)."""
    chosen = environment.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(_dirs().user_config_dir) / "config.toml"


def default_sessions_dir() -> Path:
    """The sessions folder when nobody chose one: in the user's data folder (~/.local/share/musterm/sessions)."""
    return Path(_dirs().user_data_dir) / "sessions"


def cache_dir() -> Path:
    """What musterm can always make again, such as the result of checking the config file."""
    return Path(_dirs().user_cache_dir)


def state_dir() -> Path:
    """Where musterm writes what is only for diagnosis, such as the report of an unexpected error."""
    return Path(_dirs().user_state_dir)


def make_private_dirs(folder: Path) -> Path:
    """Create `folder` and every missing folder above it as 0700, whatever the umask.

    Folders that already exist are left as they are: ~/.local may be shared by other programs.
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        except OSError as error:
            raise MustermError(f"Mappen {path} kunne ikke oprettes: {error.strerror or error}.") from None
        os.chmod(path, PRIVATE_DIR_MODE)
    if not folder.is_dir():
        raise MustermError(f"{folder} er en fil, ikke en mappe.")
    return folder


def shown_path(path: Path) -> str:
    """A path as a person reads it: the home folder as ~."""
    home = Path.home()
    try:
        return "~/" + path.relative_to(home).as_posix() if path != home else "~"
    except ValueError:
        return str(path)
