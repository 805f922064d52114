"""Writing files so that a crash at any moment leaves the old version or the new one, never a mix.

Temp file in the same folder, fsync, os.replace, fsync of the folder. Temp files
carry a recognisable suffix so a later start can sweep up what a killed process left.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from musterm.errors import StoreError

TEMP_SUFFIX = ".musterm-tmp"
FILE_MODE = 0o600
DIR_MODE = 0o700


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, durably, readable by the owner only."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        _write_and_sync(temp, data)
        os.replace(temp, path)
    except OSError as error:
        _remove_quietly(temp)
        raise StoreError(describe_os_error(error, path)) from error
    sync_directory(path.parent)


def create_exclusive(path: Path, data: bytes) -> bool:
    """Create `path` holding `data`, durably, only if no file has that name; False if one has.

    The temp file is linked into place: link() fails when the name exists, so two processes
    creating the same name can never overwrite each other, and a reader never sees half a file.
    On a filesystem without hard links the file is created with O_EXCL and written in place.
    """
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        _write_and_sync(temp, data)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
                raise
            return _create_in_place(path, data)
        return True
    except OSError as error:
        raise StoreError(describe_os_error(error, path)) from error
    finally:
        _remove_quietly(temp)
        sync_directory(path.parent)


def _create_in_place(path: Path, data: bytes) -> bool:
    try:
        _write_and_sync(path, data)
    except FileExistsError:
        return False
    return True


def _write_and_sync(temp: Path, data: bytes) -> None:
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_directory(folder: Path) -> None:
    """Make a rename or a new entry in `folder` survive a power cut."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename itself is still atomic
    finally:
        os.close(fd)


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and missing parents inside it) as 0700, whatever the umask."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=DIR_MODE, parents=False)
    except FileExistsError:
        return
    except OSError as error:
        raise StoreError(_describe_mkdir_error(error, folder)) from error
    os.chmod(folder, DIR_MODE)
    sync_directory(folder.parent)


def make_private_dirs(folder: Path) -> None:
    """`folder` and any missing parents as 0700: mkdir(parents=True) would give parents the umask's mode."""
    if folder.is_dir():
        return
    make_private_dirs(folder.parent)
    make_private_dir(folder)


def remove_temp_files(folder: Path) -> list[Path]:
    """Sweep temp files a killed process left in `folder`."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX) and entry.is_file(follow_symlinks=False):
            _remove_quietly(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def describe_os_error(error: OSError, path: Path) -> str:
    """A Danish sentence saying what went wrong and what to do."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"Disken er fuld: {path} kunne ikke gemmes. Frigør plads; teksten er ikke tabt, og den gamle fil er urørt."
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"Ingen skriveadgang til {path.parent}: {path.name} kunne ikke gemmes. Den gamle fil er urørt."
    if error.errno == errno.EROFS:
        return f"{path.parent} ligger på et skrivebeskyttet drev: {path.name} kunne ikke gemmes. Den gamle fil er urørt."
    return f"{path} kunne ikke gemmes: {error.strerror or error}. Den gamle fil er urørt."


def _describe_mkdir_error(error: OSError, folder: Path) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"Disken er fuld: mappen {folder} kunne ikke oprettes. Frigør plads; intet er gemt."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Ingen skriveadgang til {folder.parent}: mappen {folder.name} kunne ikke oprettes. Intet er gemt."
    return f"Mappen {folder} kunne ikke oprettes: {error.strerror or error}. Intet er gemt."
