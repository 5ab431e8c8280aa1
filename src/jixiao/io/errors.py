"""Input errors: user data that cannot be read, reported in Chinese with where it is."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file."""

    message: str
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def describe(self, source: str) -> str:
        where = source
        if self.line is not None:
            where += f" 第{self.line}行"
            if self.column is not None:
                where += f"第{self.column}列"
        if self.field:
            # The labels come from the pydantic model: loaded only when a problem names a field, so
            # importing the CLI (which catches InputError) does not load pydantic.
            from jixiao.core.labels import field_label

            where += f"，{field_label(self.field)}"
        return f"{where}：{self.message}"


@dataclass
class InputError(Exception):
    """A file could not be turned into valid data. Maps to exit code 2 / HTTP 400."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.describe(self.source) for p in self.problems)
