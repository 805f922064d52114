"""The user's config file (`musterm.config` reads it): every key optional, an unknown key an error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

_EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+")
_BINDING_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_KEYS = re.compile(r"[^\s,]+(,[^\s,]+)*")


def _folder(text: str) -> str:
    if not text.strip():
        raise ValueError("må ikke være tom")
    if not Path(text).expanduser().is_absolute():
        raise ValueError(f"'{text}' skal være en fuld sti (begynd med / eller ~/), ikke en sti i forhold til en mappe")
    return text


def _email(text: str) -> str:
    if text and not _EMAIL.fullmatch(text):
        raise ValueError(f"'{text}' er ikke en e-mailadresse (som navn@kommune.dk)")
    return text


def _binding_id(text: str) -> str:
    if not _BINDING_ID.fullmatch(text):
        raise ValueError(f"'{text}' er ikke et kommando-id (små bogstaver, cifre, '-', '_' og '.', fx 'new')")
    return text


def _keys(text: str) -> str:
    if not _KEYS.fullmatch(text):
        raise ValueError(f"'{text}' er ikke en tast: skriv fx 'ctrl+n', eller flere adskilt af komma: 'f2,ctrl+pgup'")
    return text


Folder = Annotated[str, AfterValidator(_folder)]
Email = Annotated[str, StringConstraints(max_length=200), AfterValidator(_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class ManagerConfig(BaseModel):
    """[manager]: who holds the conversations; in new conversations, commits, letters and signatures."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: Name = ""
    email: Email = ""


class ConfigFile(BaseModel):
    """What the config file may say. Every key is optional; an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    sessions: Folder | None = None
    frameworks: list[Folder] = []
    theme: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    manager: ManagerConfig = ManagerConfig()
    keys: dict[Annotated[str, AfterValidator(_binding_id)], Annotated[str, AfterValidator(_keys)]] = {}
    retention_years: Annotated[int, Field(ge=1, le=100)] | None = None
    """Years after an employee leaves before `musterm retention` says their conversations are due."""
