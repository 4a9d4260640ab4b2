"""Tokenizer for ``.proto`` text: one compiled regular expression, positions on demand.

Tokens are ``(kind, text, offset)`` tuples; comments and whitespace are dropped.
Line and column are computed only when something needs them (an element's
position, an error), by bisecting the offsets of the line starts.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ...errors import SchemaParseError

__all__ = ["IDENT", "NUM", "STR", "SYM", "Lexer"]

IDENT, NUM, STR, SYM = "ident", "num", "str", "sym"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
   |(?P<lc>//[^\n]*)
   |(?P<bc>/\*.*?\*/)
   |(?P<badc>/\*)
   |(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
   |(?P<num>0[xX][0-9a-fA-F]+|(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
   |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
   |(?P<sym>[{}\[\]()<>;,=.:\-+/])
   |(?P<bad>.)
    """,
    re.S | re.X,
)
_SKIP = frozenset({"ws", "lc", "bc"})


class Lexer:
    """Splits a text into tokens and maps offsets to 1-based (line, column)."""

    __slots__ = ("_line_starts", "label", "text", "tokens")

    def __init__(self, text: str, label: str | None) -> None:
        self.text = text
        self.label = label
        self._line_starts: list[int] | None = None
        self.tokens = self._tokenize()

    def _tokenize(self) -> list[tuple[str, str, int]]:
        out: list[tuple[str, str, int]] = []
        append = out.append
        for m in _TOKEN.finditer(self.text):
            kind = m.lastgroup
            if kind in _SKIP:
                continue
            if kind == "bad":
                raise self._bad_char(m.start())
            if kind == "badc":
                raise self.error("unterminated /* comment", m.start())
            append((kind, m.group(), m.start()))  # type: ignore[arg-type]
        return out

    def _bad_char(self, pos: int) -> SchemaParseError:
        ch = self.text[pos]
        if ch in "\"'":
            return self.error("unterminated string literal (strings end on the same line)", pos)
        return self.error(f"unexpected character {ch!r}", pos)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of ``offset``."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def error(self, message: str, offset: int | None) -> SchemaParseError:
        """A :class:`SchemaParseError` located at ``offset`` (after the last token when ``None``)."""
        if offset is None:  # the end of the last token
            offset = self.tokens[-1][2] + len(self.tokens[-1][1]) if self.tokens else 0
        line, column = self.position(offset)
        return SchemaParseError(message, path=self.label, line=line, column=column)
