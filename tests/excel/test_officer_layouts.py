"""Other provinces' forms as their officers lay them out: imported whole, scored as printed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.extras import EXTRAS
from jixiao.core.figures import q2
from jixiao.core.interchange import document_from_json, document_to_json
from jixiao.core.layout import form_grid
from jixiao.core.scoring import score_form
from jixiao.core.summary import summary_rows
from jixiao.core.validation import validate_document
from jixiao.core.vocabulary import normalize_label, vocabulary
from jixiao.excel.doc_labels import is_title
from jixiao.excel.reader import ExcelImportError, read_workbook
from jixiao.excel.writer import write_workbook
from tests.core.test_vocabulary import FUND_COLUMN_FAMILIES, FUND_ROW_FAMILIES, INDICATOR_FAMILIES
from tests.excel import officer_forms as of
from tests.excel.test_reader_layouts import project_rows, write_rows

REAL_FORMS = Path(__file__).resolve().parents[1] / "data" / "real-forms"  # public transcriptions (README.md there)


def result_of(doc, form):
    return score_form(doc.template, doc.template.form(form.kind), form)


def dropped_cells(path: Path, res) -> list[str]:
    """Cells of the workbook whose text is nowhere in the imported document (as a field,
    a label of the template or the vocabulary, the year, or a figure the engine computes)."""
    import openpyxl

    doc = res.document
    texts: set[str] = {doc.unit, str(doc.year), *doc.signoff.values()}

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                texts.add(str(k))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif v is not None:
            texts.add(str(v))

    walk(document_to_json(doc, native=False))
    texts |= {f"{k}：{v}" for k, v in doc.signoff.items()}
    texts |= {f"{r.get('栏目')}：{r.get('内容')}" for f in doc.forms for r in f.tables.get(EXTRAS, [])}
    figures: set[Decimal] = set()
    for f in doc.forms:
        r = result_of(doc, f)
        figures |= {r.total, r.weight_total}
        for fr in r.funds.values():
            figures |= {x for x in (fr.score, fr.rate * 100 if fr.rate is not None else None) if x is not None}
        figures |= {s.suggested for s in r.indicators if s.suggested is not None}
    vocab = vocabulary()
    labels = {n for c in ("header", "fund_column", "fund_row", "text_column", "indicator_column", "section", "document")
              for k in vocab.keys(c) for n in vocab.normalized(c, k)}
    for fd in doc.template.forms.values():
        for s in fd.sections:
            labels |= {normalize_label(x) for x in [s.label or "", s.row_header] + [c.label for c in s.columns]}
    ws = openpyxl.load_workbook(path).worksheets[0]
    out = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            t = str(c.value).strip()
            n = normalize_label(t)
            if any(t in x for x in texts) or n in labels or is_title(n, frozenset()) or t in ("/", "—", "定性"):
                continue
            if t.startswith(("（", "(", "附件")) and ("年度" in t or t.startswith("附件")):
                continue
            try:
                if q2(Decimal(t.rstrip("%"))) in {q2(x) for x in figures}:
                    continue
            except ArithmeticError:
                pass
            out.append(f"{c.coordinate}:{t}")
    return out


# ------------------------------------------------------------------ 安徽


def test_anhui_layout_imports_whole_and_scores_as_printed(tmp_path):
    path = write_rows(tmp_path / "anhui.xlsx", {"临时救助": of.anhui_rows()})
    res = read_workbook(path)
    assert res.template_id == "national" and res.detection is not None
    assert res.problems == []
    doc = res.document
    assert doc.year == 2019 and dropped_cells(path, res) == []
    form = doc.forms[0]
    assert form.header == {"项目名称": "临时救助", "主管部门": "[155]濉溪县民政局"}
    # 全年预算数(A) / 全年执行数(B) / 执行率(B/A); 执行率 100% and 得分 10 are the engine's own figures
    assert form.funds["年度资金总额"] == {"全年预算数": "30", "全年执行数": "30", "分值": "10"}
    # 其中:本年财政拨款 repeats 分值 and 得分: kept as typed, shown, and not counted twice
    assert form.funds["当年财政拨款"] == {"全年预算数": "30", "全年执行数": "30", "分值": "10", "执行率": "100%",
                                    "得分": "10"}
    assert form.texts["goals"]["预期目标"] == "为建档立卡扶贫户解决临时性的困难"
    assert form.texts["goals"]["实际完成情况"].startswith("全年救助建档立卡扶贫户")
    inds = form.indicators
    assert len(inds) == 10
    assert [i.get("一级指标") for i in inds[:1] + inds[8:]] == [
        "产出指标(50分)", "效益指标（30分）", "满意度指标(10分)"]
    assert {i.level1 for i in inds} == {"产出指标", "效益指标", "满意度指标"}
    assert inds[3].get("年度指标值") == ">=4754人" and inds[3].get("实际完成值") == "4604人"
    assert inds[3].get("得分") == "5"  # the printed score, not the rule's 4.84
    assert inds[3].get("偏差原因分析及改进措施") == "特困人员实行动态管理"
    r = result_of(doc, form)
    assert r.execution_score == Decimal("10.00")
    assert [(lv.name, lv.weight, lv.score) for lv in r.levels] == [
        ("产出指标", 50, 50), ("效益指标", 30, 30), ("满意度指标", 10, 10)]
    assert r.total == 100 and r.weight_total == 100
    codes = [f.code for f in validate_document(doc)]
    assert "level-weight-mismatch" not in codes and "unknown-level" not in codes and "unit-mismatch" not in codes
    assert "fund-total-mismatch" not in codes  # the 其中 row's repeated 分值 is not an amount
    # the 汇总表's 得分率 per 一级 (产出指标(50分) is 产出指标)
    (srow,) = summary_rows(doc)
    assert srow.得分率["产出指标"] == 1 and srow.得分率["满意度指标"] == 1 and srow.自评得分 == 100
    # the 其中 row's typed figures are on the form, in their column's format (as the total row's)
    g = form_grid(doc, form)
    assert [c.text for c in g.cells if c.path == "funds.当年财政拨款.得分"] == ["10.00"]
    assert [c.text for c in g.cells if c.path == "funds.当年财政拨款.分值"] == ["10"]
    assert [c.text for c in g.cells if c.path == "indicators[0].一级指标"] == ["产出指标(50分)"]


def test_a_stated_weight_that_disagrees_is_a_finding(tmp_path):
    rows = of.anhui_rows()
    rows[11][4] = "15"  # 分值 of the first 产出 row: the 产出 indicators now sum to 60, not the stated 50
    path = write_rows(tmp_path / "anhui.xlsx", {"S": rows})
    doc = read_workbook(path).document
    found = [f for f in validate_document(doc) if f.code == "level-weight-mismatch"]
    assert [(f.field, f.severity) for f in found] == [("indicators[0].一级指标", "warning")]
    assert "标明 50 分" in found[0].message and "合计为 60" in found[0].message


# ------------------------------------------------------------------ 四川


def test_sichuan_layout_is_read_into_the_sichuan_template(tmp_path):
    path = write_rows(tmp_path / "sichuan.xlsx", {"安可": of.sichuan_rows()})
    res = read_workbook(path)
    assert res.template_id == "sichuan" and res.detection is not None  # picked from its own labels
    doc = res.document
    assert dropped_cells(path, res) == [] and res.problems == []
    assert doc.year == 2023 and doc.unit == "大英县司法局"
    assert doc.signoff == {"财务负责人": "唐勇", "项目负责人": "查小兵"}
    form = doc.forms[0]
    assert EXTRAS not in form.tables
    total = form.funds["总额"]
    assert {k: total[k] for k in ("年初预算数", "全年预算数", "全年执行数", "分值")} == {
        "年初预算数": "0.00", "全年预算数": "3.36", "全年执行数": "3.36", "分值": "10"}
    assert total["原因"] == of.SICHUAN_REASON
    assert form.funds["财政资金"]["全年执行数"] == "3.36" and form.funds["单位资金"]["全年预算数"] == "0.00"
    assert form.texts["goals"] == {"预期目标": "根据要求购买安可设备,并完成项目资金支付。", "实际完成情况": "完成",
                                   "项目实施内容及过程概述": "2023年购买13台安可电脑,并于12月前完成资金支付。"}
    assert form.texts["conclusion"] == {"评价结论": "根据财政局资金下达的管理办法,将资金支付给项目施工方。",
                                        "存在问题": "无", "改进措施": "无"}
    inds = form.indicators
    # the template has 指标性质 and 度量单位 columns: kept apart, as printed
    assert [(i.get("指标性质"), i.get("年度指标值"), i.get("度量单位"), i.get("实际完成值")) for i in inds] == [
        ("=", "100", "%", "100"), ("≥", "13", "台", "13"), ("≥", "90", "%", "100"),
        ("定性", "有效提升", "", "明显提升"), ("≥", "90", "%", "95")]
    assert [i.get("分值") for i in inds] == ["20", "30", "10", "20", "10"] and inds[3].get("得分") == "18"
    r = result_of(doc, form)
    assert r.execution_score == Decimal("10.00") and r.total == Decimal("98.00") and r.weight_total == 100
    assert "fund-total-mismatch" not in {f.code for f in validate_document(doc)}


def test_sichuan_layout_read_into_the_national_template_keeps_every_figure(tmp_path):
    path = write_rows(tmp_path / "sichuan.xlsx", {"安可": of.sichuan_rows()})
    res = read_workbook(path, template_id="national")
    doc = res.document
    assert dropped_cells(path, res) == []
    assert doc.signoff == {"财务负责人": "唐勇"}  # 项目负责人 is no sign-off of the national form: kept below
    form = doc.forms[0]
    assert form.funds["年度资金总额"] == {"年初预算数": "0.00", "全年预算数": "3.36", "全年执行数": "3.36",
                                    "分值": "10"}
    assert form.funds["当年财政拨款"]["全年执行数"] == "3.36"
    # rows the national form lacks: kept, shown, counted in the total check, reported
    assert form.funds["财政专户管理资金"] == {"年初预算数": "0.00", "全年预算数": "0.00", "全年执行数": "0.00",
                                      "执行率": "0.00%"}
    assert "单位资金" in form.funds
    extras = {r["栏目"]: r["内容"] for r in form.tables[EXTRAS]}
    assert extras == {"总额·原因": of.SICHUAN_REASON,
                      "项目实施内容及过程概述": "2023年购买13台安可电脑,并于12月前完成资金支付。",
                      "评价结论": "根据财政局资金下达的管理办法,将资金支付给项目施工方。",
                      "存在问题": "无", "改进措施": "无", "项目负责人": "查小兵"}
    assert any("财政专户管理资金" in p and "附加行" in p for p in res.problems)
    found = {f.field for f in validate_document(doc) if f.code == "extra-content"}
    assert "funds.单位资金.年初预算数" in found and "附加内容[0].内容" in found
    inds = form.indicators
    # 指标性质 | 指标值 | 度量单位 read as one target where the template has no such columns
    assert [i.get("年度指标值") for i in inds] == ["=100%", "≥13台", "≥90%", "有效提升", "≥90%"]
    assert [i.get("实际完成值") for i in inds] == ["100%", "13台", "100%", "明显提升", "95%"]
    r = result_of(doc, form)
    assert r.execution_score == Decimal("10.00") and r.total == Decimal("98.00") and r.weight_total == 100
    assert "fund-total-mismatch" not in {f.code for f in validate_document(doc)}


@pytest.mark.parametrize("with_total", [False, True], ids=["no-total-row", "total-row"])
def test_sichuan_footer_below_the_indicators_is_the_footer(tmp_path, with_total):
    """评价结论 / 存在问题 / 改进措施 right below the last indicator end the indicator block."""
    path = write_rows(tmp_path / "sichuan.xlsx", {"司法": of.sichuan_tail_rows(with_total)})
    res = read_workbook(path)
    assert res.template_id == "sichuan" and res.problems == [] and dropped_cells(path, res) == []
    form = res.document.forms[0]
    assert [i.get("三级指标") for i in form.indicators] == ["成本控制数"]
    assert form.texts["conclusion"] == of.SICHUAN_TAIL_FOOTER
    assert res.document.signoff == {"财务负责人": "唐勇", "项目负责人": "查小兵"}
    assert "unknown-level" not in {f.code for f in validate_document(res.document)}
    # into a template without a footer block: kept as label and text in 附加内容, never as indicators
    res = read_workbook(path, template_id="national")
    form = res.document.forms[0]
    assert [i.get("三级指标") for i in form.indicators] == ["成本控制数"]
    extras = {r["栏目"]: r["内容"] for r in form.tables[EXTRAS]}
    assert {k: extras.get(k) for k in of.SICHUAN_TAIL_FOOTER} == of.SICHUAN_TAIL_FOOTER


# ------------------------------------------------------------------ 云南


def test_yunnan_layout_imports_whole_and_scores_as_printed(tmp_path):
    path = write_rows(tmp_path / "yunnan.xlsx", {"Sheet1": of.yunnan_rows()})
    res = read_workbook(path)
    doc = res.document
    assert dropped_cells(path, res) == []
    assert doc.year == 2022 and doc.unit == "保山市退役军人事务局" and doc.signoff == {"填报日期": "2023年4月6日"}
    (form,) = doc.forms
    assert form.kind == "project"  # 单位名称 above 项目名称 is the unit, not a department form
    assert form.header == {"项目名称": "春节走访慰问经费", "主管部门": "保山市退役军人事务局",
                           "实施单位": "保山市退役军人事务局"}
    # 预算数(A) / 执行数(B); the block "预算执行情况(万元)(20分)" states the 分值 the sheet has no column for
    assert form.funds["年度资金总额"] == {"全年预算数": "34.64", "全年执行数": "34.64", "分值": "20"}
    assert [i.get("得分") for i in form.indicators] == ["20", "20", "20", "10", "10"]
    assert [i.level1 for i in form.indicators] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]
    extras = {r["栏目"]: r["内容"] for r in form.tables[EXTRAS]}
    assert extras["项目类别"].startswith("1、部门预算项目") and extras["自评等级"] == "优"
    assert extras["备注"] == of.YUNNAN_NOTE and extras["偏差大或目标未完成原因分析"] == "无"
    r = result_of(doc, form)
    assert r.execution_score == 20 and r.total == 100 and r.grade == "优"


# ------------------------------------------------------------------ 天津


def test_tianjin_department_flat_list_imports_whole_and_scores_as_printed(tmp_path):
    path = write_rows(tmp_path / "tianjin.xlsx", {"部门": of.tianjin_department_rows()})
    res = read_workbook(path)
    doc = res.document
    assert dropped_cells(path, res) == []
    dep = doc.department
    assert dep is not None and dep.name == "天津市某区科学技术局"
    assert dep.funds["上级资金"] == {"年初预算数": "100", "全年预算数": "100", "全年执行数": "100"}
    # 计算符号 | 指标值 | 计量单位 read as one value, the unit given to the actual too
    assert [(i.get("三级指标"), i.get("年度指标值"), i.get("实际完成值")) for i in dep.indicators] == [
        ("举办科普活动场次", "≥20场", "22场"), ("政务服务事项按时办结率", "≥98%", "99.5%"),
        ("行政运行成本", "≤120万元", "118万元"), ("服务对象满意度", "≥90%", "92%")]
    r = result_of(doc, dep)
    assert r.total == Decimal("99.81") and dep.total == ""  # the printed 99.81 is the engine's figure


# ------------------------------------------------------------------ the same forms typed into JSON


def _real(name: str) -> dict:
    data = json.loads((REAL_FORMS / name).read_text(encoding="utf-8"))
    form = {k: data[k] for k in ("header", "funds", "goals", "indicators") if k in data}
    form["kind"] = data["kind"]
    if "footer" in data:
        form["footer"] = data["footer"]
    return {"template": "national", "year": data["year"], "forms": [form]}


def test_published_forms_typed_into_json_keep_every_figure():
    anhui = document_from_json(_real("anhui-suixi-2019.json"))
    f = anhui.forms[0]
    assert f.funds["当年财政拨款"] == {"全年预算数": "30", "全年执行数": "30", "分值": "10", "执行率": "100%",
                                 "得分": "10"}
    assert f.indicators[0].get("一级指标") == "产出指标(50分)" and f.indicators[0].level1 == "产出指标"
    assert f.indicators[3].get("偏差原因分析及改进措施") == "特困人员实行动态管理"
    assert EXTRAS not in f.tables  # every key of the transcription has its field
    yunnan = document_from_json(_real("yunnan-baoshan-2022.json"))
    f = yunnan.forms[0]
    assert f.funds["年度资金总额"] == {"全年预算数": "34.64", "全年执行数": "34.64", "执行率": "100%", "分值": "20",
                                 "得分": "20"}
    extras = {r["栏目"]: r["内容"] for r in f.tables[EXTRAS]}
    assert extras["单位名称"] == "保山市退役军人事务局" and extras["自评等级"] == "优" and f.total == "100"
    assert result_of(yunnan, f).total == 100
    sichuan = document_from_json(_real("sichuan-daying-2023.json"))
    f = sichuan.forms[0]
    assert f.funds["年度资金总额"]["全年预算数"] == "3.36" and f.funds["财政专户管理资金"]["全年预算数"] == "0.00"
    assert {r["栏目"] for r in f.tables[EXTRAS]} >= {"总额·原因", "项目实施内容及过程概述"}
    assert f.indicators[0].get("年度指标值") == "=100"  # 指标性质 "=" read into the target
    linxiang = document_from_json(_real("yunnan-linxiang-2023.json"))
    f = linxiang.forms[0]
    assert f.funds["当年财政拨款"]["得分"] == "9" and f.funds["年度资金总额"]["执行率"] == "97.80%"


# ------------------------------------------------------------------ one test per synonym family, in a workbook


def _sheet(tmp_path, *, fund_row=None, fund_col=None, ind_col=None):
    rows = project_rows("同义词项目")
    if fund_row is not None:
        rows[6][1] = fund_row  # the 其中：当年财政拨款 row
    if fund_col is not None:
        key, label = fund_col
        rows[4][rows[4].index(key)] = label
    if ind_col is not None:
        key, label = ind_col
        rows[11][rows[11].index(key)] = label
    return write_rows(tmp_path / "s.xlsx", {"S": rows})


@pytest.mark.parametrize("key", ["当年财政拨款", "上年结转资金"])
def test_fund_row_synonyms_in_a_workbook(tmp_path, key):
    for label in FUND_ROW_FAMILIES[key]:
        rows = project_rows("同义词项目")
        rows[6][1] = label if key == "当年财政拨款" else rows[6][1]
        rows[7][1] = label if key == "上年结转资金" else rows[7][1]
        res = read_workbook(write_rows(tmp_path / "s.xlsx", {"S": rows}), template_id="national")
        form = res.document.forms[0]
        assert form.funds[key]["全年预算数"] == ("80" if key == "当年财政拨款" else "20"), label
        assert not form.tables and res.problems == [], label


def test_total_row_synonyms_in_a_workbook(tmp_path):
    for label in FUND_ROW_FAMILIES["年度资金总额"]:
        rows = project_rows("同义词项目")
        rows[5][1] = label
        res = read_workbook(write_rows(tmp_path / "s.xlsx", {"S": rows}), template_id="national")
        assert res.document.forms[0].funds["年度资金总额"]["全年执行数"] == "95", label
        assert res.problems == [], label


@pytest.mark.parametrize("key", list(FUND_COLUMN_FAMILIES))
def test_fund_column_synonyms_in_a_workbook(tmp_path, key):
    expected = {"全年预算数": "100", "全年执行数": "95", "执行率": None, "分值": "10"}[key]
    for label in FUND_COLUMN_FAMILIES[key]:
        res = read_workbook(_sheet(tmp_path, fund_col=(key, label)), template_id="national")
        cells = res.document.forms[0].funds["年度资金总额"]
        assert cells.get(key) == expected and res.problems == [], (label, cells, res.problems)


@pytest.mark.parametrize("key", list(INDICATOR_FAMILIES))
def test_indicator_column_synonyms_in_a_workbook(tmp_path, key):
    expected = {"分值": "20分", "年度指标值": "≥500人次", "实际完成值": "450人次",
                "偏差原因分析及改进措施": "=疫情影响，部分培训取消"}[key]
    for label in INDICATOR_FAMILIES[key]:
        res = read_workbook(_sheet(tmp_path, ind_col=(key, label)), template_id="national")
        ind = res.document.forms[0].indicators[1]
        assert ind.get(key) == expected and res.problems == [], (label, ind.cells, res.problems)


# ------------------------------------------------------------------ nothing dropped, ever


def test_an_unknown_fund_row_is_kept_shown_exported_and_read_back(tmp_path):
    rows = project_rows("自筹项目")
    rows[8][1] = "自筹资金"  # instead of 其他资金: 100 = 80 + 20 + 0 still holds with the extra row counted
    res = read_workbook(write_rows(tmp_path / "in.xlsx", {"S": rows}), template_id="national")
    doc = res.document
    form = doc.forms[0]
    assert form.funds["自筹资金"] == {"年初预算数": "0", "全年预算数": "0", "全年执行数": "0"}
    assert any(p.startswith("S!B9：") and "自筹资金" in p and "附加行" in p for p in res.problems)
    findings = validate_document(doc)
    assert [f.field for f in findings if f.code == "extra-content"] == ["funds.自筹资金.年初预算数"]
    assert not [f for f in findings if f.code == "fund-total-mismatch"]
    g = form_grid(doc, form)
    assert any(c.text == "自筹资金" and c.section == "funds" for c in g.cells)
    out = tmp_path / "out.xlsx"
    write_workbook(doc, out)
    again = read_workbook(out)
    assert again.used_metadata and again.document.forms[0].funds["自筹资金"] == form.funds["自筹资金"]


def test_a_total_left_empty_while_its_rows_hold_money_is_a_mismatch(tmp_path):
    rows = project_rows("空合计项目", fund_total=(None, None, None))
    res = read_workbook(write_rows(tmp_path / "in.xlsx", {"S": rows}), template_id="national")
    found = {f.field for f in validate_document(res.document) if f.code == "fund-total-mismatch"}
    assert found == {"funds.年度资金总额.年初预算数", "funds.年度资金总额.全年预算数", "funds.年度资金总额.全年执行数"}
    rows = project_rows("零合计项目", fund_total=("0", "0", "0"))
    res = read_workbook(write_rows(tmp_path / "in.xlsx", {"S": rows}), template_id="national")
    found = {f.field for f in validate_document(res.document) if f.code == "fund-total-mismatch"}
    assert found == {"funds.年度资金总额.年初预算数", "funds.年度资金总额.全年预算数", "funds.年度资金总额.全年执行数"}


def test_unplaceable_cells_stop_the_import_and_are_listed(tmp_path):
    sheets = {"项目": project_rows("甲"), "备用": [[None, "某某说明"], ["合计", 12.5]]}
    with pytest.raises(ExcelImportError) as info:
        read_workbook(write_rows(tmp_path / "in.xlsx", sheets))
    text = str(info.value)
    assert "'备用'!B1：某某说明" in text and "'备用'!A2：合计" in text and "'备用'!B2：12.5" in text
