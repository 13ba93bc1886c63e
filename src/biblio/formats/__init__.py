"""The format registry: one entry per output format, shared by the API and the CLI.

A format module registers a ``Format`` whose functions work on the model; ``biblio
build`` writes and validates every registered format, so the build grows as formats
are added. The registry starts empty: the manifest and the checks come first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Issue
from ..problems import Problem

Writer = Callable[[Issue, Path], tuple[list[Path], list[Problem]]]
Validator = Callable[[Path], list[Problem]]


@dataclass(frozen=True)
class Format:
    """What biblio needs to know about one output format.

    ``write`` puts the issue into a directory and returns the files it wrote and the
    problems it met (including fields the format cannot carry); ``validate`` checks
    one written file against the format's official schema.
    """

    name: str
    description: str
    write: Writer
    validate: Validator


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    if fmt.name in _REGISTRY:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[Format]:
    """The formats in registration order."""
    return list(_REGISTRY.values())


def get(name: str) -> Format | None:
    return _REGISTRY.get(name)
