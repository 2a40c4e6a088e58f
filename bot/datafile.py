"""Reading the project's YAML data files so that every error can name the file, the line and the field.

Staff edit `knowledge/*.yaml` by hand; a mistake there must stop start-up with a message they can act on
("knowledge/synonyms.yaml:42: entries[3].words: expected a list"), never a traceback or a half-loaded file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import OperatorError


class DataFileError(OperatorError):
    """A data file is unreadable or breaks its schema; the message is meant for the operator."""

    def __init__(self, path: Path | str, line: int | None, field: str, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


class Node:
    """A YAML value with the place it stood, so a validator can point at the line and the field."""

    def __init__(self, raw: yaml.Node, path: Path, field: str) -> None:
        self.raw = raw
        self.path = path
        self.field = field
        self.line = raw.start_mark.line + 1

    def fail(self, problem: str) -> DataFileError:
        return DataFileError(self.path, self.line, self.field, problem)

    @property
    def is_null(self) -> bool:
        return isinstance(self.raw, yaml.ScalarNode) and self.raw.tag.endswith(":null")

    def _child(self, key: str | int, raw: yaml.Node) -> Node:
        if isinstance(key, int):
            return Node(raw, self.path, f"{self.field}[{key}]")
        return Node(raw, self.path, f"{self.field}.{key}" if self.field else key)

    def _mapping(self) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(self.raw, yaml.MappingNode):
            raise self.fail("expected a mapping")
        return list(self.raw.value)

    def required(self, key: str) -> Node:
        """A required field."""
        found = self.optional(key)
        if found is None:
            raise self.fail(f"missing field {key!r}")
        return found

    def optional(self, key: str) -> Node | None:
        """A field that may be absent or null."""
        for key_node, value_node in self._mapping():
            if key_node.value == key:
                child = self._child(key, value_node)
                return None if child.is_null else child
        return None

    def field_names(self) -> list[str]:
        return [str(key_node.value) for key_node, _ in self._mapping()]

    def items(self) -> list[Node]:
        if not isinstance(self.raw, yaml.SequenceNode):
            raise self.fail("expected a list")
        return [self._child(index, item) for index, item in enumerate(self.raw.value)]

    def scalar(self) -> Any:
        if not isinstance(self.raw, yaml.ScalarNode):
            raise self.fail("expected a single value")
        try:
            return yaml.SafeLoader("").construct_object(self.raw)
        except yaml.constructor.ConstructorError as exc:
            raise self.fail(str(exc.problem)) from None

    def text(self) -> str:
        """A non-empty string. A bare number or yes/no is taken as written: ids like 1.8 are often left
        unquoted, and "no" (nynorsk for "now") is a word, not YAML 1.1's false."""
        if self.is_null:
            raise self.fail("must not be empty")
        value = self.scalar()
        if not isinstance(value, str | int | float):
            raise self.fail("expected text")
        text = str(value).strip() if isinstance(value, str) else str(self.raw.value).strip()
        if not text:
            raise self.fail("must not be empty")
        return text

    def texts(self) -> list[str]:
        """A list of non-empty strings; one string alone is a list of one."""
        if isinstance(self.raw, yaml.ScalarNode):
            return [self.text()]
        return [item.text() for item in self.items()]

    def integer(self) -> int:
        value = self.scalar()
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail("expected a whole number")
        return value


# libyaml's parser where PyYAML has it: the same nodes and marks, fifteen times faster (the knowledge files
# took a tenth of the bot's start-up in the pure-Python one).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path) -> Node:
    """Parse one YAML file into a `Node` tree; a missing file or a syntax error is a `DataFileError`."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, None, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, None, "", f"cannot read: {exc}") from None
    try:
        root = yaml.compose(source, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataFileError(path, line, "", f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(path, None, "", f"not valid YAML: {exc}") from None
    if root is None:
        raise DataFileError(path, None, "", "the file is empty")
    return Node(root, path, "")
