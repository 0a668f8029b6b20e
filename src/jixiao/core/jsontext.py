"""Reading the JSON of documents, interchange and recovery files.

Stricter than :func:`json.loads` where the default would lose or invent data:

- a number keeps the digits it was written with (:class:`JsonNumber`): ``1e16``
  is the amount ``10000000000000000`` and a 20-digit decimal keeps all its
  digits (a binary float keeps 17);
- ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON, but Python writes them)
  are refused;
- a key given twice in one object (``"forms"`` twice) is refused: the
  default keeps the last silently. Comment keys (``"_note"``) may repeat.

:func:`cut_short` tells a file cut short (a save interrupted, a copy
stopped) from a damaged one: every byte up to the cut is valid JSON that
merely has not ended.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_PLAIN_EXPONENT = 40  # numbers beyond ±1e40 keep their written form (the engine reports them)


class JsonRefused(ValueError):
    """Valid JSON syntax the program refuses to guess about; ``str()`` is Chinese."""


class JsonNumber(float):
    """A JSON number with a fraction or an exponent: a float (for code that
    computes with it) that remembers how it was written."""

    text: str

    def __new__(cls, text: str) -> JsonNumber:
        obj = super().__new__(cls, text)
        obj.text = text
        return obj


def number_text(value: float | int | Decimal) -> str:
    """A number as the officer's digits: no exponent (``1e16`` → ``10000000000000000``,
    ``1.50`` stays ``1.50``); a float read from JSON by its written form."""
    if isinstance(value, bool):  # pragma: no cover - callers handle booleans first
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    written = value.text if isinstance(value, JsonNumber) else None
    try:
        d = value if isinstance(value, Decimal) else Decimal(written if written is not None else repr(value))
    except (InvalidOperation, ValueError):
        return written if written is not None else str(value)
    if not d.is_finite() or abs(d.adjusted()) > MAX_PLAIN_EXPONENT:
        return written if written is not None else str(value)
    return format(d, "f")


def _constant(name: str) -> Any:
    raise JsonRefused(f"数值 {name} 不是有效的数字（JSON 不允许 NaN 和 Infinity）")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen and not k.startswith("_"):
                raise JsonRefused(f"同一对象中“{k}”出现了两次，无法确定以哪个为准")
            seen.add(k)
    return out


def loads(text: str) -> Any:
    """Parse a document's JSON. Raises :class:`json.JSONDecodeError` for a syntax
    error, :class:`JsonRefused` for NaN/Infinity or a repeated key,
    RecursionError / ValueError for absurd nesting or a number with thousands of digits."""
    return json.loads(text, parse_float=JsonNumber, parse_constant=_constant, object_pairs_hook=_pairs)


# ---------------------------------------------------------------- prefixes
_STRING_BODY = re.compile(r'(?:[^"\\\x00-\x1f]+|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*')
_PARTIAL_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{0,3})?\Z")
_NUMBER_RUN = re.compile(r"[-+0-9.eE]+")
_NUMBER_START = re.compile(r"-?(0|[1-9][0-9]*)?(\.[0-9]*)?([eE][-+]?[0-9]*)?")
_LITERALS = ("true", "false", "null")


def cut_short(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the syntax error ``error`` only says that ``text`` stopped early:
    everything before the error parsed (the decoder got that far), and what
    follows is the beginning of a token running to the end – a string, a
    number, ``true``/``false``/``null`` – or nothing. A file cut at any byte
    ends this way; a damaged one does not."""
    p = error.pos
    n = len(text)
    if text[p:].strip() == "":
        return True
    if error.msg.startswith("Unterminated string"):
        return _string_unfinished(text, p)
    if error.msg.startswith("Invalid \\uXXXX escape"):  # "\u12" cut inside (or right after) the escape
        return p > 0 and text[p - 1] == "\\" and _body_to_end(text, p - 1)
    if error.msg == "Expecting value":  # a value begins at the end: "-", "tr", "nu" …
        rest = text[p:]
        return rest == "-" or any(w.startswith(rest) for w in _LITERALS)
    if error.msg.startswith("Expecting ',' delimiter") and text[p] in ".eE+-":
        q = p  # the decoder read the digits of a number and stopped at its "." or exponent
        while q > 0 and text[q - 1] in "0123456789.eE+-":
            q -= 1
        run = _NUMBER_RUN.match(text, q)
        return run is not None and run.end() >= n and _number_start(text[q:])
    return False


def _number_start(s: str) -> bool:
    """Whether ``s`` begins some JSON number (``-``, ``1.``, ``2e+`` do; ``01``, ``1.e5``, ``.5`` do not)."""
    m = _NUMBER_START.fullmatch(s)
    if m is None:
        return False
    whole, frac, exp = m.groups()
    if whole is None:
        return frac is None and exp is None and s in ("", "-")
    return not (frac == "." and exp is not None)


def _string_unfinished(text: str, i: int) -> bool:
    """The string starting at ``i`` runs to the end of the text with nothing invalid in it."""
    return _body_to_end(text, i + 1)


def _body_to_end(text: str, j: int) -> bool:
    """From ``j`` to the end, ``text`` is valid string content (ending, perhaps, in half an escape)."""
    m = _STRING_BODY.match(text, j)
    k = m.end() if m else j
    return k >= len(text) or _PARTIAL_ESCAPE.match(text, k) is not None


def utf8_cut(raw: bytes) -> int:
    """How many bytes at the end of ``raw`` are the start of a UTF-8 character
    cut short (0 when the bytes end on a character boundary)."""
    for back in range(1, min(4, len(raw)) + 1):
        b = raw[-back]
        if b & 0xC0 == 0x80:  # a continuation byte: look further back
            continue
        need = 2 if b & 0xE0 == 0xC0 else 3 if b & 0xF0 == 0xE0 else 4 if b & 0xF8 == 0xF0 else 1
        return back if back < need else 0
    return 0
