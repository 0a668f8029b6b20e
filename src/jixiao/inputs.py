"""Reading the files a command or a dialog is handed: a ``.jxzp`` document,
an interchange JSON or an ``.xlsx`` workbook, told apart by content.

Used where several files are read before anything is written (merging the
units' files, carrying over last year's): every failure is one
:class:`InputError` whose Chinese message names the file, and a file that is
open in another jixiao window (it may hold unsaved changes) can be refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jixiao.core.fileio import DocumentError, load_document, sniff
from jixiao.core.model import Document


class InputError(Exception):
    """A file cannot be read; ``str()`` names it, in Chinese."""


@dataclass(slots=True)
class Input:
    path: Path
    doc: Document
    problems: list[str] = field(default_factory=list)  # import hints of a workbook

    @property
    def name(self) -> str:
        return self.path.name


def read_input(path: str | Path, *, refuse_open_elsewhere: bool = False) -> Input:
    """Read one file. With ``refuse_open_elsewhere`` a document that another
    jixiao window has open (see :mod:`jixiao.gui.locking`) is refused."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"文件不存在：{p}")
    if refuse_open_elsewhere:
        from jixiao.gui.locking import current_owner  # no Qt: lock files only

        owner = current_owner(p)
        if owner is not None:
            raise InputError(f"{p.name} 正在{owner.describe()}中打开，可能有未保存的修改；请先保存并关闭它")
    try:
        kind = sniff(p)
        if kind == "xlsx":
            from jixiao.excel.reader import ExcelImportError, read_workbook

            try:
                result = read_workbook(p)
            except ExcelImportError as exc:
                msg = str(exc)
                raise InputError(msg if p.name in msg else f"{p.name}：{msg}") from exc
            return Input(p, result.document, list(result.problems))
        return Input(p, load_document(p))
    except DocumentError as exc:
        msg = str(exc)
        raise InputError(msg if p.name in msg else f"{p.name}：{msg}") from exc


def read_inputs(paths: list[str | Path], *, refuse_open_elsewhere: bool = False) -> list[Input]:
    """Read every file, stopping at the first that cannot be read."""
    return [read_input(p, refuse_open_elsewhere=refuse_open_elsewhere) for p in paths]
