"""Line and column of any JSON pointer in a JSON text, computed only when asked.

``json.loads`` is fast but forgets positions. Findings are few, so positions are
recovered lazily: the first :meth:`JsonPositions.locate` scans the text once with a
small tokenizer and remembers where each member key and array element starts.
"""

from __future__ import annotations

import re

__all__ = ["JsonPositions", "escape_pointer_token"]

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token as RFC 6901 says (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


class JsonPositions:
    """Maps JSON pointers (``/fields/3/type``) to 1-based (line, column) in ``text``.

    Object members map to the position of their key; array elements to the start of
    the element. The root (``""``) maps to the first value.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._table: dict[str, tuple[int, int]] | None = None
        self._line_starts: list[int] = []

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Return (line, column) of ``pointer`` or of its nearest existing ancestor.

        A leading ``#`` is ignored, so JSON Schema style ``#/properties/a`` works too.
        Returns ``None`` only when the text is not JSON at all.
        """
        if self._table is None:
            self._table = self._scan()
        pointer = pointer[1:] if pointer.startswith("#") else pointer
        pointer = pointer.rstrip("/") if pointer != "/" else pointer
        while True:
            hit = self._table.get(pointer)
            if hit is not None or not pointer:
                return hit
            pointer = pointer.rsplit("/", 1)[0]

    def line_of(self, pointer: str) -> int | None:
        """Return the 1-based line of ``pointer`` (see :meth:`locate`)."""
        hit = self.locate(pointer)
        return hit[0] if hit else None

    def _position(self, offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def _scan(self) -> dict[str, tuple[int, int]]:
        text = self._text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        table: dict[str, tuple[int, int]] = {}
        try:
            self._value(_WS.match(text, 0).end(), "", table)  # type: ignore[union-attr]
        except (IndexError, ValueError):
            pass  # keep what was located before the text went wrong
        return table

    def _value(self, i: int, pointer: str, table: dict[str, tuple[int, int]]) -> int:
        text = self._text
        table.setdefault(pointer, self._position(i))
        ch = text[i]
        if ch == "{":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == "}":
                return i + 1
            while True:
                m = _STRING.match(text, i)
                if m is None:
                    raise ValueError("expected a key")
                import json

                key = json.loads(m.group(0))
                child = pointer + "/" + escape_pointer_token(key)
                table[child] = self._position(i)
                i = _WS.match(text, m.end()).end()  # type: ignore[union-attr]
                if text[i] != ":":
                    raise ValueError("expected ':'")
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                i = self._value(i, child, table)
                i = _WS.match(text, i).end()  # type: ignore[union-attr]
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                    continue
                if text[i] == "}":
                    return i + 1
                raise ValueError("expected ',' or '}'")
        if ch == "[":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                child = f"{pointer}/{index}"
                table[child] = self._position(i)
                i = self._value(i, child, table)
                i = _WS.match(text, i).end()  # type: ignore[union-attr]
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
                    index += 1
                    continue
                if text[i] == "]":
                    return i + 1
                raise ValueError("expected ',' or ']'")
        if ch == '"':
            m = _STRING.match(text, i)
        else:
            m = _SCALAR.match(text, i)
        if m is None:
            raise ValueError("unexpected character")
        return m.end()
