"""Line and column of any JSON pointer in a JSON text, computed only when asked.

``json.loads`` is fast but forgets positions. Findings are few, so positions are
recovered lazily: the first :meth:`JsonPositions.locate` scans the text once with a
small tokenizer and remembers where each member key and array element starts.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

__all__ = ["JsonPositions", "escape_pointer_token"]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token as RFC 6901 says (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


class JsonPositions:
    """Maps JSON pointers (``/fields/3/type``) to 1-based (line, column) in ``text``.

    Object members map to the position of their key; array elements to the start of
    the element. The root (``""``) maps to the first value. Each lookup walks the
    tokens once, stops as soon as the pointer (or the place it would be) is passed,
    and is cached.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._cache: dict[str, tuple[int, int] | None] = {}

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Return (line, column) of ``pointer`` or of its nearest existing ancestor.

        A leading ``#`` is ignored, so JSON Schema style ``#/properties/a`` works too.
        Returns ``None`` only when the text holds no JSON value at all.
        """
        pointer = pointer[1:] if pointer.startswith("#") else pointer
        if pointer not in self._cache:
            tokens = [_unescape(t) for t in pointer.split("/")[1:]] if pointer else []
            offset = self._find(tokens)
            self._cache[pointer] = None if offset is None else self._position(offset)
        return self._cache[pointer]

    def line_of(self, pointer: str) -> int | None:
        """Return the 1-based line of ``pointer`` (see :meth:`locate`)."""
        hit = self.locate(pointer)
        return hit[0] if hit else None

    def _position(self, offset: int) -> tuple[int, int]:
        line = self._text.count("\n", 0, offset)
        start = self._text.rfind("\n", 0, offset) + 1
        return line + 1, offset - start + 1

    def _find(self, target: list[str]) -> int | None:
        """Offset of the deepest prefix of ``target`` present in the text.

        Walks down the pointer only: members and elements that are not on the path
        are skipped by the C JSON scanner, so a lookup costs little more than a parse.
        """
        text = self._text
        i = _ws(text, 0)
        best: int | None = i if i < len(text) else None
        try:
            for token in target:
                if text[i] == "{":
                    i = _ws(text, i + 1)
                    while text[i] != "}":
                        key_at = i
                        key, i = scanstring(text, i + 1)
                        i = _ws(text, _ws(text, i) + 1)  # past the ':'
                        if key == token:
                            best = key_at
                            break
                        i = _ws(text, _DECODER.raw_decode(text, i)[1])
                        if text[i] == ",":
                            i = _ws(text, i + 1)
                    else:
                        return best
                elif text[i] == "[" and token.isdigit():
                    i = _ws(text, i + 1)
                    for _ in range(int(token)):
                        if text[i] == "]":
                            return best
                        i = _ws(text, _DECODER.raw_decode(text, i)[1])
                        if text[i] == ",":
                            i = _ws(text, i + 1)
                    if text[i] == "]":
                        return best
                    best = i
                else:
                    return best
            return best
        except (IndexError, ValueError):  # the text breaks before the pointer is reached
            return best


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _unquote(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        return str(json.loads(token))
    except ValueError:
        return token[1:-1]
