"""All of one employee's conversations as employee copies, for their own copy of everything
(GDPR art. 15, the right of access, and art. 20, data portability): no private manager notes."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import FileError, MustermError
from musterm.store import durable
from musterm.store.layout import _session_names

if TYPE_CHECKING:
    from musterm.frameworks.catalog import Catalog
    from musterm.store.repository import Store

README = """\
# Dine MUS-samtaler

Her er alle dine MUS-samtaler hos {manager}, som de står i lederens samtalearkiv
({count} samtale{plural}, ældste først), i den udgave, medarbejderen får: uden lederens
private noter. Udskrevet {today} af musterm.

{files}
"""


def employee_copies(store: Store, folder: str, catalog: Catalog | None, fmt: str = "md") -> dict[str, bytes]:
    """File name -> content: each conversation as the employee's copy, and a README listing them."""
    import datetime as dt

    from musterm.documents.export import EMPLOYEE, export_html, export_markdown

    render = export_html if fmt == "html" else export_markdown
    files: dict[str, bytes] = {}
    problems = []
    managers: dict[str, None] = {}
    for name in _session_names(store.root / folder):
        relative = f"{folder}/{name}"
        try:
            session = store.load(relative)
        except FileError as error:
            problems.append(str(error))
            continue
        entry = catalog.entry(session.framework.id) if catalog is not None else None
        files[f"{Path(name).stem}.{fmt}"] = render(session, EMPLOYEE, entry.framework if entry else None).encode("utf-8")
        managers.setdefault(session.manager.name, None)
    if problems:
        raise MustermError("Ikke alle samtaler kan læses, så kopien ville være ufuldstændig:\n" + "\n".join(problems))
    if not files:
        raise MustermError(f"{folder} har ingen samtaler.")
    listing = "\n".join(f"- {name}" for name in files)
    files["LÆSMIG.md"] = README.format(
        manager=" og ".join(managers) or "lederen", count=len(files), plural="r" if len(files) != 1 else "",
        today=dt.date.today().isoformat(), files=listing,
    ).encode("utf-8")
    return files


def write_folder(target: Path, files: dict[str, bytes]) -> Path:
    """A new private folder with the files (never into a folder that holds something already)."""
    target = Path(os.path.abspath(target))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise MustermError(f"{target} findes allerede og er ikke en tom mappe; vælg en ny mappe eller et .zip-navn.")
    if not target.parent.is_dir():
        raise MustermError(f"Mappen {target.parent} findes ikke; opret den, eller vælg en anden.")
    durable.make_private_dir(target)
    for name, data in files.items():
        durable.write_atomic(target / name, data)
    return target


def zipped(files: dict[str, bytes], top: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.external_attr = 0o600 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
