"""The project's version as pyproject.toml writes it, the one place it is written by hand.

Read without ``tomllib`` (Python 3.11+), so that building and the tests work on the
Python 3.10 the project supports (Ubuntu 22.04). Used by build/build.py, installer.spec
and tests/build.
"""

from __future__ import annotations

import re
from pathlib import Path

_TABLE = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]\s*(?:#.*)?$")
_VERSION = re.compile(r"""^\s*version\s*=\s*(["'])([^"']+)\1\s*(?:#.*)?$""")


def project_version(root: Path) -> str:
    """``version`` of the ``[project]`` table of ``root/pyproject.toml``."""
    table = ""
    for line in (root / "pyproject.toml").read_text(encoding="utf-8").splitlines():
        m = _TABLE.match(line)
        if m:
            table = m.group(1)
            continue
        if table == "project":
            v = _VERSION.match(line)
            if v:
                return v.group(2)
    raise ValueError(f"{root / 'pyproject.toml'}: no version in [project]")
