"""Where the bundled resources (templates, examples, fonts, icons) live.

Looked up in this order: the ``JIXIAO_RESOURCES`` environment variable, the
folder PyInstaller unpacks (``sys._MEIPASS``), then ``resources/`` at the root
of a source checkout (the package is installed in editable mode).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def resource_dir() -> Path:
    env = os.environ.get("JIXIAO_RESOURCES")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def example_document() -> Path:
    return resource_path("examples", "乌鲁木齐市科学技术局-2024.jxzp")
