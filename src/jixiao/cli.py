"""The ``jixiao`` command line: batch work and tests.

``jixiao`` with no arguments starts the desktop app. Document commands accept
a ``.jxzp`` document, a plain JSON interchange file or an ``.xlsx`` workbook,
told apart by content. JSON outputs are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
        print(f"导入：{result.template_note}", file=sys.stderr)
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
    if a.previous:
        return _new_from_previous(a, out)
    if not a.template or not a.unit:
        raise CliError("请指定 -t 模板和 --unit 单位名称（或用 --from 从上年文档结转）")
    doc = new_document(a.template, a.unit, a.year, projects=a.projects)
    save_document(doc, out, backup=False)
    _out(f"已创建 {out}（模板：{doc.template.name}，{len(doc.forms)} 张表）")
    return EXIT_OK


def _new_from_previous(a: argparse.Namespace, out: Path) -> int:
    """``jixiao new --from LAST --year Y``: carry last year's document over (docs/cli.md)."""
    from jixiao.core.carryover import CarryOverError, carry_over
    from jixiao.core.compare import link_path
    from jixiao.core.fileio import save_document
    from jixiao.inputs import InputError, read_input

    try:
        last = read_input(a.previous)
    except InputError as exc:
        raise CliError(str(exc)) from exc
    for prob in last.problems:
        print(f"导入提示：{prob}", file=sys.stderr)
    try:
        doc, report = carry_over(last.doc, a.year, template_id=a.template, budget_to_initial=a.budget_to_initial,
                                 previous_file=link_path(last.path, out))
    except CarryOverError as exc:
        raise CliError(str(exc)) from exc
    if a.unit:
        doc.unit = a.unit
    save_document(doc, out, backup=False)
    lines = report.detail_lines(doc, last.doc) if a.details else report.summary_lines(doc, last.doc)
    for line in lines:
        _out(line)
    _out(f"已创建 {out}（模板：{doc.template.name}，{len(doc.forms)} 张表；已关联上年文档 {last.name}）")
    return EXIT_OK


def cmd_merge(a: argparse.Namespace) -> int:
    """``jixiao merge UNIT… -o DEPT.jxzp [--into DEPT.jxzp]`` (docs/cli.md)."""
    from jixiao.core.fileio import save_document
    from jixiao.core.merge import MergeError, UnitFile, merge_units
    from jixiao.inputs import InputError, read_input, read_inputs

    out = Path(a.output)
    into = Path(a.into) if a.into else None
    if out.exists() and not a.force and (into is None or into.resolve() != out.resolve()):
        raise CliError(f"{out} 已存在；如要把单位文件合并进它请加 --into {out}，如要覆盖请加 --force")
    try:
        units = read_inputs(a.units, refuse_open_elsewhere=True)
        base = read_input(into, refuse_open_elsewhere=True).doc if into is not None else None
    except InputError as exc:
        raise CliError(f"{exc}。合并已停止，{out.name} 未改动") from exc
    for u in units:
        for prob in u.problems:
            print(f"导入提示：{u.name}：{prob}", file=sys.stderr)
    try:
        result = merge_units([UnitFile(u.name, u.doc) for u in units], into=base, unit=a.unit)
    except MergeError as exc:
        raise CliError(f"{exc}（{out.name} 未改动）") from exc
    if into is not None:
        _rebase_previous(result.doc, into, out)
    save_document(result.doc, out)
    for line in result.notes:
        _out(line)
    _out(f"已写入 {out}（{len(result.doc.forms)} 张表，其中项目 {len(result.doc.projects)} 个）")
    return EXIT_OK


def cmd_link(a: argparse.Namespace) -> int:
    """``jixiao link FILE --previous LAST`` / ``--clear`` (docs/cli.md)."""
    from jixiao.core.compare import CompareError, link_path, link_previous
    from jixiao.core.fileio import save_document, sniff
    from jixiao.inputs import InputError, read_input

    out = Path(a.output or a.file)
    if a.output is None and sniff(Path(a.file)) != "native":
        raise CliError(f"{a.file} 不是 .jxzp 文档，请用 -o 指定输出的 .jxzp")
    try:
        doc = read_input(a.file).doc
        if a.clear:
            doc.previous = None
            message = "已取消与上年文档的关联"
        elif a.previous:
            last = read_input(a.previous)
            link = link_previous(doc, last.doc, link_path(last.path, out))
            message = f"已关联 {link.year} 年度文档 {last.name}（{len(link.projects)} 个项目）"
        else:
            raise CliError("请指定 --previous 上年文档，或 --clear 取消关联")
    except InputError as exc:
        raise CliError(str(exc)) from exc
    except CompareError as exc:
        raise CliError(str(exc)) from exc
    save_document(doc, out)
    _out(f"{message}；已写入 {out}")
    return EXIT_OK


def cmd_validate(a: argparse.Namespace) -> int:
    from jixiao.core.report import findings_report
    from jixiao.core.validation import SEVERITY_NAMES, count_by_severity, validate_document

    doc = open_any(a.file)
    findings = validate_document(doc)
    if a.format == "json":
        _out(json.dumps(findings_report(doc, findings), ensure_ascii=False, indent=2))
    else:
        for f in findings:  # where it is in the form's own words, as the findings panel and the PDF say it
            _out(f"[{SEVERITY_NAMES[f.severity]}] {f.location(doc)} · {f.code}：{f.message}")
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
            dev = f"  {f['deviation_label']} {ind['deviation']}%" if ind["deviation"] is not None else ""
            name = "/".join(x for x in (ind["level1"], ind["level2"], ind["level3"]) if x)  # a flat list has no levels
            _out(f"  {name}：分值 {ind['weight'] or '—'} "
                 f"建议 {ind['suggested_score'] or '—'} 采用 {ind['score'] or '—'}{dev}")
        for lv in f["levels"]:
            _out(f"  【{lv['name']}】分值 {lv['weight']} 得分 {lv['score']} 得分率 {lv['rate'] or '—'}%")
        # the 总分 the form prints (as the 汇总表 and the app show it), the engine's beside it if different
        computed = f"，按规则计算为 {f['total']}" if f["printed_total"] not in (None, f["total"]) else ""
        _out(f"  总分 {f['printed_total'] or '—'}（分值合计 {f['weight_total']}{computed}） "
             f"等级 {f['printed_grade'] or '—'}")
    return EXIT_OK


def _rebase_previous(doc: Document, source: str | Path, out: Path) -> None:
    """A document written somewhere else keeps finding last year's file (core.compare.rebase_link)."""
    if doc.previous is not None:
        from jixiao.core.compare import rebase_link

        doc.previous = rebase_link(doc.previous, source, out)


def cmd_convert(a: argparse.Namespace) -> int:
    from jixiao.core.fileio import save_document, save_interchange

    doc = open_any(a.file)
    out = Path(a.output)
    _rebase_previous(doc, a.file, out)
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


def cmd_report(a: argparse.Namespace) -> int:
    """自评报告: a Word and/or PDF report drafted from the forms (docs/reports.md)."""
    from jixiao.core.selfreport import KIND_NAMES, build_report
    from jixiao.core.validation import count_by_severity, validate_document

    if not (a.docx or a.pdf):
        raise CliError("请至少指定 --docx 或 --pdf 之一")
    doc = open_any(a.file)
    kind = a.kind or ("department" if doc.department is not None else "project")
    ids = _select_forms(doc, a.forms)
    if ids is not None:
        if kind == "department":
            raise CliError("--forms 只用于项目报告（--kind project）和预算执行情况报告（--kind execution）")
        projects = {f.id for f in doc.projects}
        wrong = [f.display_name() for f in doc.forms if f.id in ids and f.id not in projects]
        if wrong:
            raise CliError(f"--forms 只能选择项目表，“{'、'.join(wrong)}”不是项目表")
    if a.separate and kind != "project":
        raise CliError("--separate 只用于项目报告（--kind project）：每个项目写一个文件")
    errors = count_by_severity(validate_document(doc))["error"]
    if errors:
        print(f"提示：自评表中有 {errors} 个错误（可用 jixiao validate 查看），报告中的数字按表内现有内容计算，"
              "请核对后再报送", file=sys.stderr)
    if a.separate:
        from jixiao.core.fields import project_number

        chosen = [f for f in doc.projects if ids is None or f.id in ids]  # numbered by their own 序号
        jobs = [(build_report(doc, kind, [f.id]), project_number(doc, f), f.display_name()) for f in chosen]
    else:
        jobs = [(build_report(doc, kind, ids), 0, "")]
    for report, n, name in jobs:
        for option, writer in ((a.docx, _write_docx), (a.pdf, _write_report_pdf)):
            if not option:
                continue
            out = _numbered(Path(option), n, name) if n else Path(option)
            writer(report, out)
            _out(f"已生成{KIND_NAMES[kind]}：{out}（待补充 {report.placeholders} 处【请补充】）")
    return EXIT_OK


def _write_docx(report, path: Path) -> None:  # noqa: ANN001
    from jixiao.word.writer import write_docx

    write_docx(report, path)


def _write_report_pdf(report, path: Path) -> None:  # noqa: ANN001
    from jixiao.pdf.selfreport import write_report_pdf

    write_report_pdf(report, path)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _numbered(path: Path, n: int, name: str) -> Path:
    """``报告.docx`` → ``报告-03-项目名称.docx``: one file per project, names safe on every OS."""
    safe = _UNSAFE.sub("_", name).strip(" .")[:60] or "项目"
    return path.with_name(f"{path.stem}-{n:02d}-{safe}{path.suffix}")


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
    _rebase_previous(result.document, a.input, out)
    save_document(result.document, out, backup=False)
    _out(result.template_note + ("；如不对，可用 -t 指定模板" if result.detection is not None else ""))
    _out(f"已导入 {len(result.document.forms)} 张表到 {out}（{len(result.problems)} 条提示）")
    return EXIT_OK


def cmd_gui(a: argparse.Namespace) -> int:
    from jixiao.gui.app import run_gui

    return run_gui(a.file, screenshot=a.screenshot)


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors reported as one Chinese line and exit status 2."""
    from jixiao.core.fileio import DocumentError
    from jixiao.core.selfreport import ReportError, WordingError
    from jixiao.core.templates import TemplateError

    return CliError, DocumentError, TemplateError, ReportError, WordingError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jixiao", description="绩效自评表填报工具：填报、校验、导出预算绩效自评表")
    p.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("new", help="新建自评文件（或用 --from 从上年文档结转）")
    s.add_argument("-t", "--template",
                   help="模板编号，如 national、xinjiang、henan（见 jixiao templates）；--from 时默认沿用上年")
    s.add_argument("--unit", help="单位名称（--from 时默认沿用上年）")
    s.add_argument("--year", required=True, type=int, help="年度，如 2024")
    s.add_argument("--projects", type=int, default=1, help="初始项目表数量（默认 1）")
    s.add_argument("--from", dest="previous", metavar="LAST",
                   help="上年的自评文件（.jxzp、JSON 或 .xlsx）：结转项目和指标")
    s.add_argument("--budget-to-initial", action="store_true", help="结转时把上年全年预算数填入今年年初预算数")
    s.add_argument("--details", action="store_true", help="结转时逐项列出结转和清空的内容")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    s.set_defaults(func=cmd_new)

    s = sub.add_parser("merge", help="合并下级单位的自评文件")
    s.add_argument("units", nargs="+", metavar="UNIT", help="单位文件（.jxzp、JSON 或 .xlsx）")
    s.add_argument("-o", "--output", required=True, help="合并结果 .jxzp")
    s.add_argument("--into", metavar="DEPT", help="合并进这份部门文件（同一单位再次合并时替换该单位原有的表）")
    s.add_argument("--unit", help="合并结果的单位名称（默认：部门文件的单位，或各项目共同的主管部门）")
    s.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    s.set_defaults(func=cmd_merge)

    s = sub.add_parser("link", help="关联上年文档，汇总表对比上年执行率和得分")
    s.add_argument("file")
    s.add_argument("--previous", metavar="LAST", help="上年的自评文件")
    s.add_argument("--clear", action="store_true", help="取消关联")
    s.add_argument("-o", "--output", help="写入的 .jxzp（默认写回 FILE）")
    s.set_defaults(func=cmd_link)

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

    s = sub.add_parser("report", help="生成自评报告（Word / PDF）")
    s.add_argument("file")
    s.add_argument("--docx", metavar="OUT.docx", help="输出的 Word 文件")
    s.add_argument("--pdf", metavar="OUT.pdf", help="输出的 PDF 文件")
    s.add_argument("--kind", choices=("department", "project", "execution"),
                   help="department 部门整体支出绩效自评报告（默认，文件没有部门表时为 project）；"
                        "project 项目支出绩效自评报告；execution 部门预算执行情况自评报告")
    s.add_argument("--forms", help="项目报告、预算执行情况报告只含这些项目：序号或项目名称，逗号分隔")
    s.add_argument("--separate", action="store_true", help="项目报告每个项目一个文件（文件名后加序号和项目名称）")
    s.set_defaults(func=cmd_report)

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
