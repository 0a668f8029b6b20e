"""Persistent preferences: recent files, last document, window geometry.

``JIXIAO_CONFIG_DIR`` (used by tests and portable installs) puts the INI file
in that folder; otherwise Qt's per-user location is used.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


def make_qsettings() -> QSettings:
    folder = os.environ.get("JIXIAO_CONFIG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "jixiao.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "jixiao", "jixiao")


class AppSettings:
    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or make_qsettings()

    # ----------------------------------------------------------- strings
    def _get_str(self, key: str) -> str:
        v = self.q.value(key, "")
        return v if isinstance(v, str) else ""

    def _get_json(self, key: str, default):
        raw = self._get_str(key)
        if not raw:
            return default
        import json  # here: reading the settings at start-up needs no JSON

        try:
            return json.loads(raw)
        except ValueError:
            return default

    # ----------------------------------------------------------- documents
    def recent_files(self) -> list[str]:
        v = self._get_json("recent_files", [])
        return [p for p in v if isinstance(p, str)] if isinstance(v, list) else []

    def add_recent(self, path: str | os.PathLike) -> None:
        import json

        p = str(Path(path).resolve())
        items = [x for x in self.recent_files() if x != p]
        items.insert(0, p)
        self.q.setValue("recent_files", json.dumps(items[:MAX_RECENT], ensure_ascii=False))
        self.q.sync()

    def clear_recent(self) -> None:
        self.q.setValue("recent_files", "[]")
        self.q.sync()

    @property
    def last_document(self) -> str:
        return self._get_str("last_document")

    @last_document.setter
    def last_document(self, path: str) -> None:
        self.q.setValue("last_document", str(path))
        self.q.sync()

    @property
    def last_unit(self) -> str:
        """The unit of the officer's own last new document (never the example's)."""
        return self._get_str("last_unit")

    @last_unit.setter
    def last_unit(self, unit: str) -> None:
        self.q.setValue("last_unit", unit)
        self.q.sync()

    @property
    def last_template(self) -> str:
        return self._get_str("last_template")

    @last_template.setter
    def last_template(self, template_id: str) -> None:
        self.q.setValue("last_template", template_id)
        self.q.sync()

    @property
    def launched_before(self) -> bool:
        return self._get_str("launched_before") == "1"

    def mark_launched(self) -> None:
        self.q.setValue("launched_before", "1")
        self.q.sync()

    # ----------------------------------------------------------- geometry
    def save_bytes(self, key: str, data: QByteArray) -> None:
        self.q.setValue(key, bytes(data.toBase64()).decode("ascii"))

    def load_bytes(self, key: str) -> QByteArray | None:
        raw = self._get_str(key)
        if not raw:
            return None
        return QByteArray.fromBase64(raw.encode("ascii"))

    def sync(self) -> None:
        self.q.sync()
