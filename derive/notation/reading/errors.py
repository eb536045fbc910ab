"""The error of an input that cannot be read: one line "column N: what is wrong", and a pointer
to the place."""

from __future__ import annotations

from derive.core.errors import NotationError


class NotationSyntaxError(NotationError):
    """The input could not be read; `column` (from 0) is where, `pointer()` shows it."""

    def __init__(self, message: str, text: str, column: int) -> None:
        self.message = " ".join(message.split())
        self.text = text
        self.column = column
        super().__init__(f"column {column}: {self.message}")

    def pointer(self) -> str:
        """Two lines: the input (a window of at most 80 characters of it) and a caret under
        the column."""
        start = max(0, min(self.column - 40, len(self.text) - 80))
        window = self.text[start:start + 80]
        shown = "".join(" " if c.isspace() else c for c in window)
        return f"{shown}\n{' ' * (self.column - start)}^"
