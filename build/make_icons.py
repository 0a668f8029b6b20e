"""Regenerate resources/icons/ from resources/icons/jixiao.svg (build-time only).

    python build/make_icons.py

Renders the SVG with QtSvg at 16–256 px (jixiao-<size>.png, jixiao.png = 256)
and packs the sizes into jixiao.ico for Windows with Pillow when it is
installed (``pip install pillow``; a build tool, never a runtime dependency).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_pngs() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(ICONS / "jixiao.svg"))
    if not renderer.isValid():
        raise SystemExit("jixiao.svg is not a valid SVG")
    out = []
    for size in SIZES:
        img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(p)
        p.end()
        path = ICONS / f"jixiao-{size}.png"
        img.save(str(path), "PNG")
        out.append(path)
    (ICONS / "jixiao.png").write_bytes((ICONS / "jixiao-256.png").read_bytes())
    return out


def make_ico(pngs: list[Path]) -> Path | None:
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: jixiao.ico not regenerated (pip install pillow)", file=sys.stderr)
        return None
    images = [Image.open(p).convert("RGBA") for p in pngs]
    ico = ICONS / "jixiao.ico"
    big = images[-1]
    big.save(ico, format="ICO", sizes=[im.size for im in images], append_images=images[:-1])
    return ico


def main() -> None:
    pngs = render_pngs()
    ico = make_ico(pngs)
    for p in [*pngs, ico]:
        if p:
            print(f"wrote {p.relative_to(ICONS.parents[1])} ({p.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
