"""Where the bundled resources (templates, examples, fonts, icons) live, and
how the data files among them are read.

Looked up in this order: the ``JIXIAO_RESOURCES`` environment variable, the
folder PyInstaller unpacks (``sys._MEIPASS``), then ``resources/`` at the root
of a source checkout (the package is installed in editable mode).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any


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


def data_dirs(name: str, env_var: str) -> list[Path]:
    """The bundled ``resources/<name>`` folder, then each folder listed in the
    environment variable ``env_var`` (separated like ``PATH``): where an office
    adds templates (``JIXIAO_TEMPLATES``) or report wordings (``JIXIAO_REPORTS``)."""
    dirs = [resource_path(name)]
    extra = os.environ.get(env_var)
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


def read_json(path: Path, what: str, error: type[Exception]) -> Any:
    """The content of a JSON data file; one that cannot be read or parsed raises
    ``error`` with a Chinese message naming ``what`` it is (``"模板文件"``)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{what} {path.name} 无法读取：{exc}") from exc


def files_by_id(dirs: Iterable[Path], what: str, error: type[Exception]) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every ``*.json`` object in ``dirs`` by its ``"id"``, in file-name order within each
    folder; a later folder's file replaces an earlier one of the same id. A file that
    cannot be read, or has no text ``id``, raises ``error`` (see :func:`read_json`)."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.json")):
            data = read_json(path, what, error)
            if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                raise error(f"{what} {path.name} 缺少 id")
            found[data["id"]] = (path, data)
    return found


def example_document() -> Path:
    return resource_path("examples", "乌鲁木齐市科学技术局-2024.jxzp")
