"""Characters a document cannot store.

A lone UTF-16 surrogate (U+D800–U+DFFF on its own) is not a character: UTF-8
cannot encode it, XML cannot hold it, Excel rejects it. Python lets it into a
``str`` through a JSON escape (``"\\ud800"``), Excel's ``_xD800_`` escape, the
clipboard or an input method. Every way into the model replaces it with
U+FFFD (the replacement character, shown as “�”), so what the officer sees is
what is saved; the writers replace any that slipped through the same way
instead of failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REPLACEMENT = "\ufffd"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def has_unstorable(text: str) -> bool:
    return _LONE_SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the same object when there is none)."""
    if _LONE_SURROGATE.search(text) is None:
        return text
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def count_unstorable(text: str) -> int:
    return len(_LONE_SURROGATE.findall(text))


def scrub(data: Any) -> tuple[Any, int]:
    """A parsed JSON value with lone surrogates replaced in every string and
    key, and how many were replaced. Iterative: nesting as deep as the JSON
    parser accepted costs no recursion here."""
    if isinstance(data, str):
        n = count_unstorable(data)
        return (clean_text(data) if n else data), n
    if not isinstance(data, (dict, list)):
        return data, 0
    count = 0
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            bad_keys = [k for k in node if isinstance(k, str) and has_unstorable(k)]
            for k in bad_keys:
                count += count_unstorable(k)
                value = node.pop(k)
                node.setdefault(clean_text(k), value)
        # values replaced in place (a dict's keys are final by now, so its size does not change)
        entries: Iterable[tuple[Any, Any]] = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in entries:
            if isinstance(v, str):
                n = count_unstorable(v)
                if n:
                    node[k] = clean_text(v)
                    count += n
            elif isinstance(v, (dict, list)):
                stack.append(v)
    return data, count


def replaced_note(count: int) -> str:
    """The officer's notice (Chinese) that ``count`` such characters were replaced."""
    return f"有 {count} 个无法保存的字符（孤立的 UTF-16 代理项，可能来自其他程序）已替换为“{REPLACEMENT}”，请核对"


def encode_utf8(text: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate that slipped past the ways in becomes U+FFFD instead of an error."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return clean_text(text).encode("utf-8")
