"""The `jixiao` command line, run as users and scripts run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from jixiao.cli import main
from jixiao.core.validation import CODES

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_validate_score(tmp_path, capsys):
    p = tmp_path / "a.jxzp"
    code, out, _ = run(capsys, "new", "-t", "henan", "--unit", "三门峡市科学技术局", "--year", "2024", "-o", str(p))
    assert code == 0 and p.exists() and "河南" in out
    code, out, _ = run(capsys, "new", "-t", "henan", "--unit", "x", "--year", "2024", "-o", str(p))
    assert code == 2  # refuses to overwrite
    code, out, _ = run(capsys, "validate", str(p), "--format", "json")
    rep = json.loads(out)
    assert code == 1 and rep["counts"]["error"] > 0
    assert {"form_index", "form_id", "form", "field", "severity", "code", "message"} <= set(rep["findings"][0])


def test_validate_exit_status_follows_errors(capsys):
    code, out, _ = run(capsys, "validate", str(SEEDS / "s002_p03.json"))
    assert code == 0 and "错误 0 个" in out
    code, out, _ = run(capsys, "validate", str(SEEDS / "s003_department.json"))
    assert code == 1 and "score-exceeds-weight" in out


def test_validate_text_names_each_cell_as_the_findings_panel_does(capsys):
    """The text output says where a finding is in the form's words, never an internal path; the JSON keeps
    ``field`` (stable for scripts) and adds the same readable ``location``."""
    from jixiao.core.fields import locate
    from jixiao.core.fileio import load_document
    from jixiao.core.validation import validate_document

    path = SEEDS / "s003_department.json"
    code, out, _ = run(capsys, "validate", str(path))
    lines = out.splitlines()[:-1]
    assert code == 1 and lines
    assert not any("indicators[" in line or "funds." in line or "goals." in line for line in lines)
    doc = load_document(path)
    findings = validate_document(doc)
    assert lines == [f"[{ {'error': '错误', 'warning': '警告', 'info': '提示'}[f.severity]}] "
                     f"{locate(doc, f.form_id, f.field)} · {f.code}：{f.message}" for f in findings]
    assert any("第" in line and "条指标“" in line for line in lines)  # 部门整体 · 第N条指标“…” · 得分
    _, out, _ = run(capsys, "validate", str(path), "--format", "json")
    rep = json.loads(out)["findings"]
    assert [(f["field"], f["location"]) for f in rep] == [(f.field, locate(doc, f.form_id, f.field))
                                                          for f in findings]
    assert any(f["field"].startswith("indicators[") for f in rep)


def test_validate_json_codes_are_documented(capsys):
    _, out, _ = run(capsys, "validate", str(SEEDS / "s004_p_baowu_yanfa_zhongxin.json"), "--format", "json")
    rep = json.loads(out)
    assert rep["report_version"] == 1
    assert {f["code"] for f in rep["findings"]} <= set(CODES)
    assert sum(rep["counts"].values()) == len(rep["findings"])


def test_score_json_figures_are_two_decimal_strings(capsys):
    code, out, _ = run(capsys, "score", str(SEEDS / "s002_department.json"), "--format", "json")
    rep = json.loads(out)
    f = rep["forms"][0]
    assert code == 0
    assert f["execution_rate"] == "97.99" and f["execution_score"] == "9.80"
    assert f["total"] == "99.80" and f["grade"] == "优" and f["weight_total"] == "100.00"
    assert f["levels"][0] == {"name": "管理效率", "weight": "90.00", "score": "90.00", "rate": "100.00"}
    ind = f["indicators"][0]
    assert ind["weight"] == "20.00" and ind["score"] == "20.00" and ind["deviation"] == "120.00"


def test_score_text_uses_the_forms_words_and_printed_total(capsys):
    """The text output names the deviation as the form does (河南 ``偏差度 %`` → 偏差度; never 偏差率)
    and shows the 总分 the form prints, the engine's beside it (三门峡 部门 93.98 typed, 75.98 computed)."""
    example = Path(__file__).resolve().parents[1] / "resources" / "examples" / "三门峡市科学技术局-2024.jxzp"
    code, out, _ = run(capsys, "score", str(example))
    assert code == 0
    assert "偏差率" not in out and "  偏差度 760.00%" in out
    assert "总分 93.98（分值合计 82.00，按规则计算为 75.98） 等级 优" in out
    assert "总分 90.00（分值合计 100.00） 等级 优" in out  # typed and computed agree: one figure
    _, js, _ = run(capsys, "score", str(example), "--format", "json")
    dept = json.loads(js)["forms"][0]
    assert dept["deviation_label"] == "偏差度"
    assert json.loads(js)["forms"][1]["deviation_label"] == "偏差度"  # the project form's column reads "偏差度 %"
    printed = (dept["printed_total"], dept["printed_grade"], dept["total"], dept["grade"])
    assert printed == ("93.98", "优", "75.98", "中")
    # a form without a 偏差度 column calls the figure 偏差度 too (what `deviation` holds)
    _, out, _ = run(capsys, "score", str(SEEDS / "s002_department.json"))
    assert "  偏差度 120.00%" in out and "偏差率" not in out


def test_score_includes_the_summary(capsys):
    _, out, _ = run(capsys, "score", str(SEEDS / "s004_p_kepu_huodong.json"), "--format", "json")
    rep = json.loads(out)
    s = rep["summary"][0]
    assert s["execution_rate"] == "28.25" and s["rates"]["产出指标"] == "83.33" and s["total"] == "87.83"


def test_commands_tell_files_apart_by_content(tmp_path, capsys):
    odd = tmp_path / "interchange.dat"
    shutil.copy(SEEDS / "s002_p03.json", odd)
    assert run(capsys, "score", str(odd))[0] == 0
    native = tmp_path / "native.json"
    assert run(capsys, "convert", str(odd), "-o", str(native), "--to", "jxzp")[0] == 0
    assert json.loads(native.read_text(encoding="utf-8"))["format"] == "jixiao-document"
    assert run(capsys, "score", str(native))[0] == 0
    garbage = tmp_path / "x.jxzp"
    garbage.write_bytes(b"\x89PNG....")
    code, _, err = run(capsys, "validate", str(garbage))
    assert code == 2 and "不是绩效自评文件" in err


def test_convert_round_trips_the_interchange(tmp_path, capsys):
    out = tmp_path / "out.json"
    assert run(capsys, "convert", str(SEEDS / "s004_department.json"), "-o", str(out))[0] == 0
    a = json.loads((SEEDS / "s004_department.json").read_text(encoding="utf-8"))
    b = json.loads(out.read_text(encoding="utf-8"))
    assert b["forms"][0]["indicators"] == [{k: v for k, v in i.items() if v} for i in a["forms"][0]["indicators"]]
    assert b["forms"][0]["年度主要任务"] == a["forms"][0]["年度主要任务"]


def test_missing_file_and_unknown_template(tmp_path, capsys):
    assert run(capsys, "validate", str(tmp_path / "nope.jxzp"))[0] == 2
    code, _, err = run(capsys, "new", "-t", "mars", "--unit", "u", "--year", "2024", "-o", str(tmp_path / "m.jxzp"))
    assert code == 2 and "未知的模板" in err and "national" in err


def test_templates_listed(capsys):
    code, out, _ = run(capsys, "templates")
    assert code == 0 and "national" in out and "xinjiang" in out and "henan" in out
    lines = {line.split("\t")[0]: line for line in out.splitlines()}
    assert "四川（一体化）" in lines["sichuan"] and "510000_0013zp" in lines["sichuan"]
    assert "重庆" in lines["chongqing"] and "部门整体绩效自评表" in lines["chongqing"]


def test_new_regional_documents_from_the_command_line(capsys, tmp_path):
    for tid in ("sichuan", "chongqing"):
        doc = tmp_path / f"{tid}.jxzp"
        code, _, err = run(capsys, "new", "-t", tid, "--unit", "某单位", "--year", "2023", "-o", str(doc))
        assert code == 0, err
        code, out, err = run(capsys, "export", str(doc), "--pdf", str(tmp_path / f"{tid}.pdf"),
                             "--xlsx", str(tmp_path / f"{tid}.xlsx"))
        assert code == 0, err
        assert (tmp_path / f"{tid}.pdf").stat().st_size > 0 and (tmp_path / f"{tid}.xlsx").stat().st_size > 0


def test_console_script_and_version():
    exe = shutil.which("jixiao")
    assert exe, "the jixiao console script is installed"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    from jixiao import __version__

    assert out.stdout.strip() == f"jixiao {__version__}"


def test_core_never_imports_qt():
    code = ("import sys, jixiao.core.layout, jixiao.core.validation, jixiao.core.fileio, jixiao.core.report, "
            "jixiao.core.recovery, jixiao.cli; "
            "bad=[m for m in sys.modules if m.startswith(('PySide6','shiboken6'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_export_scale_fit_and_actual(capsys, tmp_path):
    from pypdf import PdfReader

    from jixiao.resources import resource_path

    example = next(resource_path("examples").glob("乌鲁木齐*.jxzp"))
    fit, actual = tmp_path / "fit.pdf", tmp_path / "actual.pdf"
    assert run(capsys, "export", str(example), "--pdf", str(fit))[0] == 0
    assert run(capsys, "export", str(example), "--pdf", str(actual), "--scale", "actual")[0] == 0
    assert len(PdfReader(str(fit)).pages) < len(PdfReader(str(actual)).pages)


def test_import_names_the_template_it_chose_and_stops_on_cells_it_cannot_place(tmp_path, capsys):
    from tests.excel import officer_forms
    from tests.excel.test_reader_layouts import write_rows

    book = write_rows(tmp_path / "anhui.xlsx", {"临时救助": officer_forms.anhui_rows()})
    code, out, err = run(capsys, "import", str(book), "-o", str(tmp_path / "a.jxzp"))
    assert code == 0 and "按表格中的标签判断为“全国通用”模板（national）" in out and "-t" in out
    code, out, _ = run(capsys, "import", str(book), "-o", str(tmp_path / "b.jxzp"), "-t", "xinjiang")
    assert code == 0 and "按指定的模板“新疆”（xinjiang）导入" in out
    book = write_rows(tmp_path / "extra.xlsx", {"临时救助": officer_forms.anhui_rows(), "说明": [["请于3月底前报送"]]})
    code, out, err = run(capsys, "import", str(book), "-o", str(tmp_path / "c.jxzp"))
    assert code == 2 and not (tmp_path / "c.jxzp").exists()
    assert "'说明'!A1：请于3月底前报送" in err and "已停止导入" in err
