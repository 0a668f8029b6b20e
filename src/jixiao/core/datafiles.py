"""Data folders of JSON files: the bundled one and those an environment variable adds.

Templates (``resources/templates``, ``JIXIAO_TEMPLATES``) and the report wording
(``resources/reports``, ``JIXIAO_REPORTS``) are folders of JSON objects, each
naming itself by ``id``; a later folder's file replaces an earlier one's of
the same id. This module finds and reads them, and the vocabulary's files
(``vocabulary/*.json`` in the template folders); each caller says what its files
are called in messages and which exception it raises.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from jixiao.resources import resource_path


def data_dirs(folder: str, env: str) -> list[Path]:
    """The bundled ``resources/<folder>``, then the folders listed in ``env`` (separated like ``PATH``)."""
    dirs = [resource_path(folder)]
    extra = os.environ.get(env)
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


def read_json(path: Path, what: str, error: type[Exception]) -> Any:
    """The content of one JSON data file; one that cannot be read or parsed raises ``error``
    with a Chinese message naming ``what`` it is (``模板文件 x.json 无法读取：…``)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{what} {path.name} 无法读取：{exc}") from exc


def read_id_files(dirs: list[Path], what: str, error: type[Exception]) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every ``*.json`` of ``dirs`` (not their sub-folders) by its ``id``: id → (path, data).
    A file that cannot be read or names no id raises ``error`` with a Chinese message
    (``{what} x.json 无法读取：…``, ``{what} x.json 缺少 id``)."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.json")):
            data = read_json(path, what, error)
            if not isinstance(data, dict) or not isinstance(data.get("id"), str | int) or data["id"] == "":
                raise error(f"{what} {path.name} 缺少 id")
            found[str(data["id"])] = (path, data)
    return found
