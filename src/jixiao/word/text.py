"""Text as Word can hold it.

XML 1.0 cannot carry most control characters, unpaired surrogates or the
non-characters U+FFFE/U+FFFF; python-docx refuses them. Everything else an
officer typed (``<b>``, ``R&D``, ``=SUM(1)``) is written literally: the XML
serialiser escapes it, Word shows it as typed and never evaluates it.
"""

from __future__ import annotations

import re

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with line ends unified and the characters XML cannot hold dropped."""
    return _INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
