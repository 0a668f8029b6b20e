"""PyInstaller runtime hook (installer.spec): the frozen app ships without Pillow.

reportlab.lib.utils does ``from PIL import Image`` at module level and treats
``Image is None`` as "no raster image support" (``haveImages``). jixiao's PDFs hold
text and lines only, so the frozen app gives reportlab a ``PIL`` module whose
``Image`` is None instead of ~9 MB of Pillow and its codec libraries
(build/qt_prune.py PY_EXCLUDES). Runs before the app's own code; does nothing
where a real Pillow is importable (a development checkout).
"""


def _install() -> None:
    import sys
    import types

    try:
        import PIL  # noqa: F401 - a real Pillow (a development checkout): nothing to do
        return
    except ImportError:
        pass
    stub = types.ModuleType("PIL", "Stand-in for Pillow in the frozen jixiao (build/rthook_no_pil.py).")
    stub.Image = None
    sys.modules["PIL"] = stub


_install()
