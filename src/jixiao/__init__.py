"""jixiao — 绩效自评表填报工具.

The domain core lives in :mod:`jixiao.core` and never imports Qt; the GUI
(:mod:`jixiao.gui`), the Excel and PDF renderers and the command line depend
on it, never the reverse.
"""

from __future__ import annotations

from jixiao._version import VERSION as __version__

# The version lives in one place, pyproject.toml; build/build.py --write-version
# copies it into _version.py and tests/build checks that the two agree. Reading
# it from a module instead of package metadata keeps ~15 ms off every start-up.

__all__ = ["__version__"]
