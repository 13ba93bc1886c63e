"""Parse YAML (or JSON) while remembering where every value came from.

PyYAML's node graph carries line/column marks; we walk it ourselves so that every
value, and every mapping key, can be traced back to ``file:line:column`` by its
path, and so that duplicate keys — which PyYAML silently overwrites — are caught.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

Path = tuple  # of str | int


@dataclass
class Located:
    """A parsed document: plain Python data plus the position of each path."""

    data: Any
    file: str
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    raw_scalars: dict[Path, str] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> dict:
        """Keyword arguments for Problem: file, line, column and the dotted path."""
        spot = None
        if key:
            spot = self.key_positions.get(path)
        if spot is None:
            probe = path
            while probe and probe not in self.positions:
                probe = probe[:-1]
            spot = self.positions.get(probe)
        line, column = spot if spot else (None, None)
        return {"file": self.file, "line": line, "column": column, "path": format_path(path) or None}


def format_path(path: Path) -> str:
    """``("articles", 3, "doi")`` -> ``articles[3].doi``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, doc: Located, problems: list[Problem]):
        self.loader = loader
        self.doc = doc
        self.problems = problems
        self.collections: set[int] = set()

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.doc.positions[path] = _mark(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # An alias (*name) hands back a node seen before: following it could loop forever
            # or multiply the document, so a reused list or mapping is refused.
            if id(node) in self.collections:
                line, column = _mark(node)
                self.problems.append(Problem(
                    "manifest.alias", "error", f"'{format_path(path)}' reuses, through a YAML alias (*name), "
                    f"the list or mapping defined on line {line}; write the value out instead",
                    path=format_path(path) or None, file=self.doc.file, line=line, column=column))
                return None
            self.collections.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = _mark(key_node)
                    self.problems.append(Problem(
                        "manifest.key", "error", "a key must be a plain name, not a list or mapping",
                        path=format_path(path) or None, file=self.doc.file, line=line, column=column))
                    continue
                key = key_node.value
                child = path + (key,)
                if key in result:
                    line, column = _mark(key_node)
                    first_line = self.doc.key_positions[child][0]
                    self.problems.append(Problem(
                        "manifest.duplicate-key", "error",
                        f"the key '{key}' appears twice here (first on line {first_line}); keep one",
                        path=format_path(child), file=self.doc.file, line=line, column=column))
                    continue
                self.doc.key_positions[child] = _mark(key_node)
                result[key] = self.walk(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (index,)) for index, item in enumerate(node.value)]
        if node.style is None:  # a plain scalar: YAML may have turned it into a number, date, bool
            self.doc.raw_scalars[path] = node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:  # looks like a date or number but is not one (2025-13-01): keep the text
            return node.value


def parse(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    """Parse YAML or JSON text; problems instead of exceptions for malformed input."""
    problems: list[Problem] = []
    if file.endswith(".json"):
        text = text.replace("\t", " ")  # JSON allows tabs between tokens, YAML not in indentation
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if file.endswith(".json"):
            return _parse_json(text, file)
        message = (error.problem or error.context or "the file is not valid YAML").strip()
        return None, [Problem(
            "manifest.syntax", "error",
            f"this is not valid YAML: {message}; check indentation, colons and quotes near here",
            file=file, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)]
    except yaml.YAMLError as error:
        return None, [Problem("manifest.syntax", "error", f"this is not valid YAML: {error}", file=file)]
    except RecursionError:
        return None, [_too_deep(file)]
    finally:
        loader.dispose()
    doc = Located(None, file)
    if node is None:
        return doc, problems
    try:
        doc.data = _Walker(loader, doc, problems).walk(node, ())
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        return None, [Problem(
            "manifest.syntax", "error", f"this value cannot be read: {error.problem}",
            file=file, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)]
    except RecursionError:
        return None, [_too_deep(file)]
    return doc, problems


def _too_deep(file: str) -> Problem:
    return Problem("manifest.syntax", "error", "the file nests lists or mappings too deeply to be a manifest",
                   file=file)


def _parse_json(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    try:
        data = json.loads(text)
    except RecursionError:
        return None, [_too_deep(file)]
    except json.JSONDecodeError as error:
        return None, [Problem("manifest.syntax", "error", f"this is not valid JSON: {error.msg}",
                              file=file, line=error.lineno, column=error.colno)]
    return Located(data, file), []
