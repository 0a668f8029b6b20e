"""`jixiao report`: the 自评报告 from the command line."""

from __future__ import annotations

import docx
from pypdf import PdfReader

from jixiao.cli import main

from .core.selfreport_support import SANMENXIA, URUMQI


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_department_report_as_word_and_pdf(tmp_path, capsys):
    w, p = tmp_path / "部门.docx", tmp_path / "部门.pdf"
    code, out, err = run(capsys, "report", str(URUMQI), "--docx", str(w), "--pdf", str(p))
    assert code == 0, err
    assert "已生成部门整体支出绩效自评报告" in out and "处【请补充】" in out
    assert docx.Document(str(w)).paragraphs[0].text == "乌鲁木齐市科学技术局"
    assert "整体支出绩效自评报告" in PdfReader(str(p)).pages[0].extract_text().replace("\n", "")


def test_one_project_report_per_file(tmp_path, capsys):
    out_path = tmp_path / "项目.docx"
    code, out, _ = run(capsys, "report", str(SANMENXIA), "--kind", "project", "--forms", "1,科普活动", "--separate",
                       "--docx", str(out_path))
    assert code == 0
    files = sorted(p.name for p in tmp_path.glob("项目-*.docx"))
    # numbered by each project's own 序号 in the document (科普活动 is project 4), not by its place in the selection
    assert files == ["项目-01-科学技术管理与事务.docx", "项目-04-科普活动.docx"]
    assert docx.Document(str(tmp_path / files[1])).paragraphs[0].text == "科普活动"


def test_execution_report_and_a_warning_for_forms_with_errors(tmp_path, capsys):
    code, out, err = run(capsys, "report", str(SANMENXIA), "--kind", "execution", "--pdf", str(tmp_path / "x.pdf"))
    assert code == 0 and (tmp_path / "x.pdf").exists()
    assert "自评表中有" in err and "个错误" in err  # the 三门峡 example has typed totals the engine disputes


def test_usage_errors_say_what_is_wrong(tmp_path, capsys):
    out = str(tmp_path / "r.docx")
    cases = [
        (["report", str(URUMQI)], "--docx 或 --pdf"),
        (["report", str(URUMQI), "--docx", out, "--forms", "1"], "--forms 只用于项目报告"),
        (["report", str(URUMQI), "--docx", out, "--kind", "project", "--forms", "0"], "不是项目表"),
        (["report", str(URUMQI), "--docx", out, "--separate"], "--separate 只用于项目报告"),
        (["report", str(URUMQI), "--docx", out, "--kind", "project", "--forms", "没有这个项目"], "找不到表"),
        (["report", str(tmp_path / "无.jxzp"), "--docx", out], "文件不存在"),
        (["report", str(URUMQI), "--docx", str(tmp_path / "无" / "r.docx")], "不存在"),
    ]
    for args, message in cases:
        code, _, err = run(capsys, *args)
        assert code == 2 and message in err, (args, err)
