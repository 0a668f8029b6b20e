"""jixiao — 绩效自评表填报工具.

The domain core lives in :mod:`jixiao.core` and never imports Qt; the GUI
(:mod:`jixiao.gui`), the Excel and PDF renderers and the command line depend
on it, never the reverse.
"""

from __future__ import annotations

from importlib import metadata as _metadata


def _version() -> str:
    import sys

    if getattr(sys, "frozen", False):  # PyInstaller: no metadata lookup (saves ~15 ms of start-up)
        from jixiao._version import VERSION

        return VERSION
    try:
        return _metadata.version("jixiao")
    except _metadata.PackageNotFoundError:  # running from a source tree or a frozen build
        from jixiao._version import VERSION

        return VERSION


__version__ = _version()
