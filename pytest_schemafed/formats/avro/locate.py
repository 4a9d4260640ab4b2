"""Find the (line, column) of one JSON pointer in a JSON text, scanning only as far as needed.

A finding needs the position of one element. Tabulating every position of a large
file (what :class:`~pytest_schemafed.formats.jsonpos.JsonPositions` does, well suited to
many look-ups) costs more than the whole comparison, so this follows the pointer
with a structural tokenizer and stops at the target. Object members map to their
key, array elements to their first character, like ``JsonPositions``; a pointer that
does not exist maps to its nearest existing ancestor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

__all__ = ["locate_pointer"]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]', re.S)
_WS = re.compile(r"[ \t\n\r]*")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _unescape(token: str) -> str:
    return json.loads(token) if "\\" in token else token[1:-1]


def _skip(first: re.Match[str], tokens: Iterator[re.Match[str]]) -> None:
    """Skip the value that starts with ``first`` (a string or an opening bracket)."""
    if first.group() not in "{[":
        return
    depth = 1
    for m in tokens:
        t = m.group()
        if t in "{[":
            depth += 1
        elif t in "}]":
            depth -= 1
            if depth == 0:
                return


def locate_pointer(text: str, pointer: str) -> tuple[int, int] | None:
    """1-based (line, column) of ``pointer`` in ``text``, or of its nearest ancestor."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]] if pointer else []
    start = _WS.match(text).end()  # type: ignore[union-attr]
    if start >= len(text):
        return None
    best = start
    tokens = _TOKEN.finditer(text, start)
    here = next(tokens, None)  # the token where the current value starts
    if here is None or here.start() != start:
        return _line_col(text, best)
    for part in parts:
        opener = here.group()
        if opener == "{":
            found = False
            while True:
                key = next(tokens, None)
                if key is None or key.group() == "}":
                    break
                if key.group() == ",":
                    continue
                colon = next(tokens, None)
                if colon is None:
                    break
                value_start = _WS.match(text, colon.end()).end()  # type: ignore[union-attr]
                if _unescape(key.group()) == part:
                    best = key.start()
                    found = True
                    here_or_none = next(tokens, None) if text[value_start] in '{["' else None
                    break
                if text[value_start] in '{["':
                    _skip(next(tokens), tokens)
            if not found:
                return _line_col(text, best)
            if here_or_none is None:
                return _line_col(text, best)
            here = here_or_none
        elif opener == "[":
            if not part.isdigit():
                return _line_col(text, best)
            wanted, index = int(part), 0
            position = _WS.match(text, here.end()).end()  # type: ignore[union-attr]
            while index < wanted:
                if text[position] in '{["':
                    _skip(next(tokens), tokens)
                sep = next(tokens, None)
                if sep is None or sep.group() != ",":
                    return _line_col(text, best)
                position = _WS.match(text, sep.end()).end()  # type: ignore[union-attr]
                index += 1
            if text[position] == "]":
                return _line_col(text, best)
            best = position
            if text[position] not in '{["':
                here_next = None
            else:
                here_next = next(tokens, None)
            if here_next is None:
                return _line_col(text, best)
            here = here_next
        else:
            return _line_col(text, best)
    return _line_col(text, best)
