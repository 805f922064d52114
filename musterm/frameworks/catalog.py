"""Finding, loading and checking framework files; `extends` chains are resolved here and applied by `tailoring`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from musterm.errors import FileError, LocatedProblem, MustermError
from musterm.formats import tomlsource
from musterm.frameworks.tailoring import _Controls, _error_at, _Source, _Tailoring
from musterm.locations import bundled_frameworks_dir
from musterm.model import limits
from musterm.model.framework import Framework, Theme, semantic_problems

BUNDLED = "indbygget"


@dataclass(frozen=True)
class FrameworkEntry:
    framework: Framework
    file: Path
    origin: str




class Catalog:
    """The frameworks musterm can use, by id, and the files that could not be used."""

    def __init__(self, entries: dict[str, FrameworkEntry], errors: list[FileError]):
        self._entries = entries
        self.errors = errors

    @classmethod
    def discover(cls, extra_dirs: Sequence[Path] = (), include_bundled: bool = True) -> Catalog:
        folders = ([(bundled_frameworks_dir(), BUNDLED)] if include_bundled else []) + [
            (folder, str(folder)) for folder in extra_dirs
        ]
        files: list[tuple[Path, str]] = []
        errors: list[FileError] = []
        for folder, origin in folders:
            if not folder.is_dir():
                errors.append(FileError.single(folder, "mappen med rammer findes ikke"))
                continue
            files += [(file, origin) for file in sorted(folder.glob("*.toml"))]
        entries, load_errors = load_files(files)
        return cls(entries, errors + load_errors)

    def __iter__(self) -> Iterator[FrameworkEntry]:
        return iter(sorted(self._entries.values(), key=lambda entry: entry.framework.id))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._entries

    def get(self, framework_id: str) -> Framework:
        entry = self._entries.get(framework_id)
        if entry is None:
            for error in self.errors:  # a file of that name that could not be used: say why
                if Path(error.file).stem == framework_id:
                    raise error
            known = ", ".join(sorted(self._entries)) or "ingen"
            raise MustermError(f"rammen '{framework_id}' findes ikke (kendte rammer: {known})")
        return entry.framework

    def entry(self, framework_id: str) -> FrameworkEntry | None:
        return self._entries.get(framework_id)


def _parsed_within_limits(file: Path, text: str) -> dict:
    """The parsed file, refused when beyond musterm's size limits (before the slow validation)."""
    data = tomlsource.parse(file, text)
    tomlsource.refuse_beyond_limits(file, text, limits.framework_problems(data))
    return data


def load_files(files: Sequence[tuple[Path, str]]) -> tuple[dict[str, FrameworkEntry], list[FileError]]:
    """Load framework files; a later file with the same id replaces an earlier one."""
    errors: list[FileError] = []
    sources: dict[str, _Source] = {}
    unreadable: dict[str, Path] = {}
    for file, origin in files:
        try:
            text = tomlsource.read_text(file, limits.FRAMEWORK_FILE_BYTES, "en ramme")
            source = _Source(file, origin, text, _parsed_within_limits(file, text))
        except FileError as error:
            errors.append(error)
            unreadable[file.stem] = file
            continue
        if source.declared_id is None:
            errors.append(_missing_id_error(source))
            unreadable[file.stem] = file
            continue
        sources[source.declared_id] = source
    resolver = _Resolver(sources, unreadable)
    entries: dict[str, FrameworkEntry] = {}
    for framework_id, source in sources.items():
        try:
            entries[framework_id] = FrameworkEntry(resolver.resolve(framework_id), source.file, source.origin)
        except FileError as error:
            errors.append(error)
    return entries, errors


def check_files(files: Sequence[Path], search_dirs: Sequence[Path] = ()) -> list[LocatedProblem]:
    """Every problem in `files`; parents named by `extends` are looked up among them and the known folders."""
    known = [(bundled_frameworks_dir(), BUNDLED), *((folder, str(folder)) for folder in search_dirs)]
    background = [(file, origin) for folder, origin in known if folder.is_dir() for file in sorted(folder.glob("*.toml"))]
    checked = [file.resolve() for file in files]
    problems: list[LocatedProblem] = []
    sources: dict[str, _Source] = {}
    unreadable: dict[str, Path] = {}
    for file, origin in background:
        if file.resolve() in checked:
            continue
        try:
            text = tomlsource.read_text(file, limits.FRAMEWORK_FILE_BYTES, "en ramme")
            source = _Source(file, origin, text, _parsed_within_limits(file, text))
        except FileError:
            unreadable[file.stem] = file
            continue
        if source.declared_id:
            sources[source.declared_id] = source
        else:
            unreadable[file.stem] = file
    own_ids: dict[str, Path] = {}
    own_sources: list[_Source] = []
    seen_files: set[Path] = set()
    for file in files:
        if file.resolve() in seen_files:
            continue
        seen_files.add(file.resolve())
        try:
            text = tomlsource.read_text(file, limits.FRAMEWORK_FILE_BYTES, "en ramme")
            source = _Source(file, str(file.parent), text, _parsed_within_limits(file, text))
        except FileError as error:
            problems += error.problems
            unreadable[file.stem] = file
            continue
        if source.declared_id is None:
            problems += _missing_id_error(source).problems
            unreadable[file.stem] = file
            continue
        if source.declared_id in own_ids:
            line = tomlsource.locate(source.text, ("id",))
            message = f"id '{source.declared_id}' bruges også af {own_ids[source.declared_id]}"
            problems.append(LocatedProblem(file, line, ("id",), message))
        else:
            own_ids[source.declared_id] = file
            sources[source.declared_id] = source
        own_sources.append(source)
    resolver = _Resolver(sources, unreadable)
    for source in own_sources:
        framework_id = source.declared_id or ""
        # A file whose id another checked file already uses is still checked, on its own.
        chosen = resolver if sources.get(framework_id) is source else _Resolver({**sources, framework_id: source}, unreadable)
        try:
            chosen.resolve(framework_id)
        except FileError as error:
            problems += [problem for problem in error.problems if Path(problem.file) == source.file] or error.problems
    return problems


def _missing_id_error(source: _Source) -> FileError:
    if "id" in source.data:
        line = tomlsource.locate(source.text, ("id",))
        message = f"skal være en tekst i anførselstegn, ikke {tomlsource.toml_type(source.data['id'])}"
        return FileError.single(source.file, message, line, ("id",))
    return FileError.single(source.file, "mangler (hver ramme skal have et id)", 1, ("id",))








class _Resolver:
    """Resolves frameworks by id, following `extends` chains and catching loops."""

    def __init__(self, sources: dict[str, _Source], unreadable: dict[str, Path] | None = None):
        self._sources = sources
        self._unreadable = unreadable or {}  # files without a readable id, by file name
        self._done: dict[str, Framework] = {}
        self._failed: dict[str, FileError] = {}

    def resolve(self, framework_id: str, chain: tuple[str, ...] = ()) -> Framework:
        if framework_id in self._done:
            return self._done[framework_id]
        if framework_id in self._failed:
            raise self._failed[framework_id]
        source = self._sources[framework_id]
        try:
            if "extends" in source.data:
                framework = self._resolve_tailored(source, (*chain, framework_id))
            else:
                framework = _validate_plain(source)
        except FileError as error:
            self._failed[framework_id] = error
            raise
        self._done[framework_id] = framework
        return framework

    def _resolve_tailored(self, source: _Source, chain: tuple[str, ...]) -> Framework:
        try:
            controls = _Controls.model_validate(source.data)
        except ValidationError as error:
            raise FileError(source.file, tomlsource.locate_all(source.file, source.text, tomlsource.validation_problems(error))) from None
        parent_id = controls.extends
        loop = self._loop_from(source.declared_id or "") or ([*chain, parent_id] if parent_id in chain else None)
        if loop:
            raise _error_at(source, ("extends",), f"extends danner en løkke: {' → '.join(loop)}")
        if parent_id not in self._sources and parent_id in self._unreadable:
            raise _error_at(
                source,
                ("extends",),
                f"rammen '{parent_id}' findes ikke; {self._unreadable[parent_id]} kunne være den, men har selv fejl",
            )
        if parent_id not in self._sources:
            known = ", ".join(sorted(set(self._sources) - {source.declared_id or ""})) or "ingen"
            raise _error_at(source, ("extends",), f"rammen '{parent_id}' findes ikke (kendte rammer: {known})")
        try:
            parent = self.resolve(parent_id, chain)
        except FileError as error:
            raise _error_at(
                source, ("extends",), f"rammen '{parent_id}' har selv fejl ({self._sources[parent_id].file})"
            ) from error
        return _Tailoring(parent, source, controls).apply()

    def _loop_from(self, start: str) -> list[str] | None:
        """The `extends` chain from `start` when it leads back to `start` itself."""
        chain = [start]
        while True:
            source = self._sources.get(chain[-1])
            parent = source.data.get("extends") if source is not None else None
            if not isinstance(parent, str):
                return None
            chain.append(parent)
            if parent == start:
                return chain
            if parent in chain[:-1]:
                return None  # a loop further up, which `start` only leads into


def _validate_plain(source: _Source) -> Framework:
    framework = tomlsource.validate(Framework, source.file, source.text, source.data)
    problems = semantic_problems(framework)
    if problems:
        raise FileError(source.file, tomlsource.locate_all(source.file, source.text, problems))
    return framework
















__all__ = ["BUNDLED", "Catalog", "FrameworkEntry", "Theme", "check_files", "load_files"]
