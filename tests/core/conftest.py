"""Fixtures of the core tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jixiao.core.templates import reload_templates


@pytest.fixture
def office_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, object], Path]]:
    """An office's own template folder (``JIXIAO_TEMPLATES``): ``office_templates(name, content)``
    writes a file there (a dict as JSON, text, or bytes as they are; ``vocabulary/x.json`` too)
    and has the templates and the vocabulary read again. Afterwards only the bundled ones count."""
    folder = tmp_path / "office-templates"
    folder.mkdir()

    def add(name: str, content: object) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setenv("JIXIAO_TEMPLATES", str(folder))
        reload_templates()
        return path

    yield add
    monkeypatch.delenv("JIXIAO_TEMPLATES", raising=False)
    reload_templates()
