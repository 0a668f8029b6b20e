"""Every dialog opens within the available screen (a 1366×768 laptop, a
1920×1080 screen at 150 % scale): all of its frame and every button on the
screen. Each screen is simulated by Qt's offscreen platform in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.gui import screen_fit

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
URUMQI = next(p for p in EXAMPLES.glob("*.jxzp") if "乌鲁木齐" in p.name)
SANMENXIA = next(p for p in EXAMPLES.glob("*.jxzp") if "三门峡" in p.name)

SCRIPT = r"""
import importlib, json, pkgutil, sys
from pathlib import Path
from jixiao.gui.app import create_app
app = create_app()
from PySide6.QtWidgets import QAbstractButton, QDialog, QMessageBox, QProgressDialog
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
import jixiao.gui
for m in pkgutil.iter_modules(jixiao.gui.__path__):
    importlib.import_module(f"jixiao.gui.{m.name}")
from jixiao.core.fileio import load_document
from jixiao.core.previous import PreviousLink
from jixiao.core.recovery import RecoveryEntry
from jixiao.gui import carry_dialog, dialogs, help, previous_dialog, printing, summary_info_dialog
from jixiao.gui.locking import LockInfo
from jixiao.gui.main_window import MainWindow
from jixiao.gui.report_dialog import ReportDialog
from jixiao.gui.settings import AppSettings
from jixiao.inputs import read_input

urumqi, sanmenxia = sys.argv[1], sys.argv[2]
w = MainWindow(settings=AppSettings())
w.set_document(load_document(urumqi), None)
w.show()
for _ in range(5):
    app.processEvents()
avail = w.screen().availableGeometry()
out = {"avail": [avail.x(), avail.y(), avail.width(), avail.height()], "dialogs": {}, "classes": []}
name = {"current": ""}


def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]


def probe(dlg):
    dlg.show()
    for _ in range(5):
        app.processEvents()
    buttons = {}
    for b in dlg.findChildren(QAbstractButton):
        if b.isVisibleTo(dlg) and b.text():
            top_left = b.mapToGlobal(b.rect().topLeft())
            buttons[b.text()] = [top_left.x(), top_left.y(), b.width(), b.height()]
    ms = dlg.minimumSizeHint()
    out["dialogs"][name["current"] or type(dlg).__name__] = {
        "class": f"{type(dlg).__module__}.{type(dlg).__qualname__}", "frame": rect(dlg.frameGeometry()),
        "min": [ms.width(), ms.height()], "buttons": buttons}
    dlg.hide()
    return QDialog.DialogCode.Rejected


for cls in (QDialog, QMessageBox, QPrintDialog, QPrintPreviewDialog, QProgressDialog):
    cls.exec = probe


def run(label, make):
    name["current"] = label
    d = make()
    if isinstance(d, QDialog):
        probe(d)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


out["classes"] = sorted({f"{c.__module__}.{c.__qualname__}" for c in subclasses(QDialog)
                         if c.__module__.startswith("jixiao.")})
doc = w.session.doc
many = [f"第 {i} 行：项目“某某专项资金（第 {i} 批）”的年度指标值已结转，实际完成值、得分已清空" for i in range(120)]
long_text = "\n".join(many[:60])
run("新建", lambda: dialogs.NewDocumentDialog(w, unit="某某县财政局"))
def properties():
    d = dialogs.DocumentPropertiesDialog(w, doc)
    d.template.setCurrentIndex(d.template.findData("henan"))
    return d
run("文档属性", properties)
run("结转选项", lambda: carry_dialog.CarryOptionsDialog(w, read_input(urumqi)))
run("结转结果", lambda: carry_dialog.ReportDialog(w, "结转结果", many, many + many))
run("汇总表信息", lambda: summary_info_dialog.SummaryInfoDialog(w, load_document(sanmenxia)))
run("自评报告", lambda: ReportDialog(w, doc, Path(urumqi).parent, "报告"))
run("使用说明", lambda: help.show_help(w))
run("打印预览", lambda: printing.preview_document(w, doc))
run("打印", lambda: printing.print_document(w, doc))
run("进度", lambda: QProgressDialog("正在排版打印页面…", "", 0, 0, w))
run("恢复", lambda: dialogs.ask_recovery(w, [RecoveryEntry(Path("x"), None, "2025-03-01 10:00", "某某局", 2024, 21)]))
run("已打开", lambda: dialogs.ask_locked(w, "某某局.jxzp", LockInfo(1, "pc", "user", "10:00")))
run("导出前检查", lambda: dialogs.ask_export_anyway(w, "导出", 12, 30))
run("保存更改", lambda: dialogs.ask_save_changes(w, "某某局.jxzp"))
run("确认", lambda: dialogs.confirm(w, "删除项目", "确定删除项目表“某某专项”吗？"))
run("长错误", lambda: dialogs.show_error(w, "导入失败", long_text))
run("长说明", lambda: dialogs.show_info(w, "导入完成", long_text, long_text))
run("关联上年", lambda: previous_dialog._ask_relink(w, PreviousLink("上年.jxzp", 2023, "某某局", "xinjiang", "今天")))
w.shutdown()
print(json.dumps(out, ensure_ascii=False))
"""

LABELS = ["新建", "文档属性", "结转选项", "结转结果", "汇总表信息", "自评报告", "使用说明", "打印预览", "打印", "进度",
          "恢复", "已打开", "导出前检查", "保存更改", "确认", "长错误", "长说明", "关联上年"]
SCREENS = {"1366×768": (1366, 768, 1), "1920×1080 at 150 %": (1920, 1080, 1.5)}


@pytest.fixture(scope="module", params=list(SCREENS))
def screen(request, tmp_path_factory):
    width, height, scale = SCREENS[request.param]
    tmp = tmp_path_factory.mktemp("screen")
    cfg = tmp / "screen.json"
    cfg.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={cfg}", JIXIAO_CONFIG_DIR=str(tmp / "cfg"),
               QT_SCALE_FACTOR=str(scale))
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(URUMQI), str(SANMENXIA)], env=env,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["expected"] = [round(width / scale), round(height / scale)]
    return out


def test_the_screen_is_simulated(screen):
    assert screen["avail"][2:] == screen["expected"]


def test_every_dialog_class_is_checked(screen):
    probed = {d["class"] for d in screen["dialogs"].values()}
    assert set(screen["classes"]) <= probed, set(screen["classes"]) - probed
    assert sorted(screen["dialogs"]) == sorted(LABELS)


@pytest.mark.parametrize("label", LABELS)
def test_dialog_opens_within_the_screen(screen, label):
    ax, ay, aw, ah = screen["avail"]
    d = screen["dialogs"][label]
    x, y, fw, fh = d["frame"]
    assert ax <= x and ay <= y and x + fw <= ax + aw and y + fh <= ay + ah, (label, d["frame"], screen["avail"])
    assert d["min"][0] <= aw and d["min"][1] <= ah, (label, d["min"])
    assert d["buttons"] or label == "进度", label  # a busy indicator has no button
    for text, (bx, by, bw, bh) in d["buttons"].items():
        assert ax <= bx and ay <= by and bx + bw <= ax + aw and by + bh <= ay + ah, (label, text, screen["avail"])


def test_size_within_screen_keeps_the_preferred_size_where_there_is_room(app):
    from PySide6.QtCore import QRect, QSize

    big = QRect(0, 0, 2560, 1440)
    assert screen_fit.bounded_size(QSize(1200, 820), big) == QSize(1200, 820)
    small = QRect(0, 0, 1366, 728)  # 1366×768 less a task bar
    s = screen_fit.bounded_size(QSize(1200, 820), small)
    assert s.width() == 1200 and s.height() + screen_fit.FRAME.height() <= 728
