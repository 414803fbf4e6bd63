"""Domain errors. Each problem names the file, the rule (or section) and the key."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # event id, "[section]" or "" for the whole file
    key: str
    message: str
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else self.file
        parts = [loc]
        if self.where:
            parts.append(self.where)
        if self.key:
            parts.append(self.key)
        prefix = "cảnh báo: " if self.warning else ""
        return f"{': '.join(parts)}: {prefix}{self.message}"


class ReminderdError(Exception):
    """Base class; the CLI prints these as one line each and exits 1."""


class ValidationError(ReminderdError):
    """One or more problems in config or catalog, reported all at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if not p.warning]
        self.warnings = [p for p in problems if p.warning]
        super().__init__("\n".join(str(p) for p in self.problems))


class DateFormError(ValueError):
    """A date form that cannot be parsed; the message says what would be right."""
