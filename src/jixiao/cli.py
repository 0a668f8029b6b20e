"""The ``jixiao`` command line: batch work and tests.

``jixiao`` with no arguments starts the desktop app. Document commands accept
a ``.jxzp`` document, a plain JSON interchange file or an ``.xlsx`` workbook,
told apart by content. JSON outputs are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import __version__

if TYPE_CHECKING:
    from jixiao.core.model import Document

# The engine is imported inside the commands, not here: `jixiao` with no
# arguments starts the desktop app, whose first window needs none of it
# (docs/performance.md, time to first window).

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    pass


def open_any(path: str) -> Document:
    """Open a document, an interchange file or a workbook (imported)."""
    from jixiao.core.fileio import load_document, sniff

    p = Path(path)
    if not p.exists():
        raise CliError(f"文件不存在：{path}")
    if sniff(p) == "xlsx":
        from jixiao.excel.reader import ExcelImportError, read_workbook

        try:
            result = read_workbook(p)
        except ExcelImportError as exc:
            raise CliError(str(exc)) from exc
        for prob in result.problems:
            print(f"导入提示：{prob}", file=sys.stderr)
        return result.document
    return load_document(p)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_new(a: argparse.Namespace) -> int:
    from jixiao.core.fileio import save_document
    from jixiao.core.model import new_document

    out = Path(a.output)
    if out.exists() and not a.force:
        raise CliError(f"{out} 已存在；如要覆盖请加 --force")
    doc = new_document(a.template, a.unit, a.year, projects=a.projects)
    save_document(doc, out, backup=False)
    _out(f"已创建 {out}（模板：{doc.template.name}，{len(doc.forms)} 张表）")
    return EXIT_OK


def cmd_validate(a: argparse.Namespace) -> int:
    from jixiao.core.report import findings_report
    from jixiao.core.validation import SEVERITY_NAMES, count_by_severity, validate_document

    doc = open_any(a.file)
    findings = validate_document(doc)
    if a.format == "json":
        _out(json.dumps(findings_report(doc, findings), ensure_ascii=False, indent=2))
    else:
        names = {f.id: f.display_name() for f in doc.forms}
        for f in findings:
            _out(f"[{SEVERITY_NAMES[f.severity]}] {names.get(f.form_id or '', '文档')} · {f.field} · {f.code}：{f.message}")
        c = count_by_severity(findings)
        _out(f"共 {len(doc.forms)} 张表：错误 {c['error']} 个，警告 {c['warning']} 个，提示 {c['info']} 个")
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def cmd_score(a: argparse.Namespace) -> int:
    from jixiao.core.report import score_report

    doc = open_any(a.file)
    rep = score_report(doc)
    if a.format == "json":
        _out(json.dumps(rep, ensure_ascii=False, indent=2))
        return EXIT_OK
    for f in rep["forms"]:
        _out(f"{'项目' if f['kind'] == 'project' else '部门'}：{f['name']}")
        _out(f"  执行率 {f['execution_rate'] or '—'}%  执行率得分 {f['execution_score'] or '—'}")
        for ind in f["indicators"]:
            dev = f"  偏差率 {ind['deviation']}%" if ind["deviation"] is not None else ""
            _out(f"  {ind['level1']}/{ind['level2']}/{ind['level3']}：分值 {ind['weight'] or '—'} "
                 f"建议 {ind['suggested_score'] or '—'} 采用 {ind['score'] or '—'}{dev}")
        for lv in f["levels"]:
            _out(f"  【{lv['name']}】分值 {lv['weight']} 得分 {lv['score']} 得分率 {lv['rate'] or '—'}%")
        _out(f"  总分 {f['total']}（分值合计 {f['weight_total']}） 等级 {f['grade']}")
    return EXIT_OK


def cmd_convert(a: argparse.Namespace) -> int:
    from jixiao.core.fileio import save_document, save_interchange

    doc = open_any(a.file)
    out = Path(a.output)
    if a.to == "json":
        save_interchange(doc, out)
    else:
        save_document(doc, out)
    _out(f"已写入 {out}")
    return EXIT_OK


def cmd_templates(a: argparse.Namespace) -> int:
    from jixiao.core.templates import available_templates

    for t in available_templates():
        _out(f"{t.id}\t{t.name}\t{t.description}")
    return EXIT_OK


def cmd_export(a: argparse.Namespace) -> int:
    if not (a.xlsx or a.pdf or a.report_pdf):
        raise CliError("请至少指定 --xlsx、--pdf 或 --report-pdf 之一")
    doc = open_any(a.file)
    ids = _select_forms(doc, a.forms)
    fit = a.scale != "actual"
    if a.xlsx:
        from jixiao.excel.writer import write_workbook

        write_workbook(doc, a.xlsx, fit=fit)
        _out(f"已导出 Excel：{a.xlsx}")
    if a.pdf:
        from jixiao.pdf.writer import write_pdf

        boxes = write_pdf(doc, a.pdf, form_ids=ids, fit=fit)
        _out(f"已导出 PDF：{a.pdf}")
        if boxes:
            _out(f"注意：字体中没有这些字符，PDF 中印为“□”（复制文字时仍是原字符）：{'、'.join(boxes)}")
    if a.report_pdf:
        from jixiao.pdf.writer import write_findings_pdf

        write_findings_pdf(doc, a.report_pdf)
        _out(f"已导出校验报告：{a.report_pdf}")
    return EXIT_OK


def _select_forms(doc: Document, spec: str | None) -> list[str] | None:
    if not spec:
        return None
    ids = []
    for part in spec.split(","):
        part = part.strip()
        if part.isdigit() and 0 <= int(part) < len(doc.forms):
            ids.append(doc.forms[int(part)].id)
        else:
            match = [f.id for f in doc.forms if f.display_name() == part or f.id == part]
            if not match:
                raise CliError(f"找不到表“{part}”（可用序号 0–{len(doc.forms) - 1} 或项目名称）")
            ids.extend(match)
    return ids


def cmd_import(a: argparse.Namespace) -> int:
    from jixiao.core.fileio import save_document
    from jixiao.excel.reader import ExcelImportError, read_workbook

    out = Path(a.output)
    if out.exists() and not a.force:
        raise CliError(f"{out} 已存在；如要覆盖请加 --force")
    try:
        result = read_workbook(Path(a.input), template_id=a.template)
    except ExcelImportError as exc:
        raise CliError(str(exc)) from exc
    for prob in result.problems:
        print(f"导入提示：{prob}", file=sys.stderr)
    save_document(result.document, out, backup=False)
    _out(f"已导入 {len(result.document.forms)} 张表到 {out}（{len(result.problems)} 条提示）")
    return EXIT_OK


def cmd_gui(a: argparse.Namespace) -> int:
    from jixiao.gui.app import run_gui

    return run_gui(a.file, screenshot=a.screenshot)


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors reported as one Chinese line and exit status 2."""
    from jixiao.core.fileio import DocumentError
    from jixiao.core.templates import TemplateError

    return CliError, DocumentError, TemplateError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jixiao", description="绩效自评表填报工具：填报、校验、导出预算绩效自评表")
    p.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("new", help="新建自评文件")
    s.add_argument("-t", "--template", required=True, help="模板编号，如 national、xinjiang、henan（见 jixiao templates）")
    s.add_argument("--unit", required=True, help="单位名称")
    s.add_argument("--year", required=True, type=int, help="年度，如 2024")
    s.add_argument("--projects", type=int, default=1, help="初始项目表数量（默认 1）")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    s.set_defaults(func=cmd_new)

    for name, func, helptext in (("validate", cmd_validate, "校验，有错误时退出码为 1"),
                                 ("score", cmd_score, "计算执行率、得分、一级小计、总分和等级")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("file")
        s.add_argument("--format", choices=("text", "json"), default="text")
        s.set_defaults(func=func)

    s = sub.add_parser("export", help="导出 Excel / PDF")
    s.add_argument("file")
    s.add_argument("--xlsx", help="输出的 .xlsx")
    s.add_argument("--pdf", help="输出的 .pdf")
    s.add_argument("--report-pdf", help="另出一份校验报告 PDF")
    s.add_argument("--forms", help="只导出部分表（PDF）：序号或项目名称，逗号分隔")
    s.add_argument("--scale", choices=("fit", "actual"), default="fit",
                   help="fit：缩放到一页（默认，能以 80%% 以上比例放进一页的表打印在一页上）；actual：实际大小")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import", help="从 Excel 导入")
    s.add_argument("input")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("-t", "--template", help="模板编号（默认由表格内容判断）")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("convert", help="在 .jxzp 与 JSON 交换文件之间转换")
    s.add_argument("file")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--to", choices=("json", "jxzp"), default="json")
    s.set_defaults(func=cmd_convert)

    s = sub.add_parser("templates", help="列出可用模板")
    s.set_defaults(func=cmd_templates)

    s = sub.add_parser("gui", help="启动桌面程序")
    s.add_argument("file", nargs="?")
    s.add_argument("--screenshot", metavar="OUT.png", help="离屏渲染主窗口并保存为 PNG 后退出")
    s.set_defaults(func=cmd_gui)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        argv = ["gui"]
    a = parser.parse_args(argv)
    if not getattr(a, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(a.func(a))
    except _user_errors() as exc:  # evaluated only when something was raised
        print(f"jixiao：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - `jixiao score x | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
