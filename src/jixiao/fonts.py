"""The bundled CJK font (no Qt here; the GUI registers the file itself)."""

from __future__ import annotations

from pathlib import Path

from jixiao.resources import resource_path

CJK_FONT_FILE = "ARPLUMingCN.ttf"
CJK_FAMILY = "AR PL UMing CN"


def cjk_font_path() -> Path:
    return resource_path("fonts", CJK_FONT_FILE)
