"""The window's actions as one table: text, shortcut, what it does, where it
appears (menu, toolbar, context menus) and when it is enabled.

Adding a command is one entry in :data:`ACTIONS`. ``slot`` is either a callable
taking the main window, or ``"module:function"`` (imported on first use, so the
first window loads none of it) called with the main window. The action is then
``window.actions_by_name[name]`` and, for the existing names, ``window.a_<name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from jixiao.gui.main_window import MainWindow

K = QKeySequence.StandardKey

# Menus in menu-bar order: key → title.
MENUS = {"file": "文件(&F)", "edit": "编辑(&E)", "table": "表格(&T)", "help": "帮助(&H)"}

# When an action is enabled (see MainWindow.update_actions):
#   always · document (a document is open) · writable (open, not read-only)
#   editable (open and writable, not the 汇总表)
#   can-add-project · project (the current form is a project, writable) · form (a form, writable)
#   indicator-row (the current cell is in an indicator row) · indicator (… a real indicator, not a listed empty 二级)
#   row (the current cell is in a row that can be inserted/deleted: indicators or a repeatable block)


class Act:
    """One action. (A plain class: a dataclass costs start-up time of the first window.)"""

    __slots__ = ("name", "text", "slot", "shortcut", "tip", "menu", "separator", "toolbar", "enabled", "grid",
                 "form_list", "submenu")

    def __init__(self, name: str, text: str, slot: Callable[..., Any] | str, shortcut: Any = None, tip: str = "",
                 menu: str = "", separator: bool = False, toolbar: int = 0, enabled: str = "always",
                 grid: bool = False, form_list: bool = False, submenu: bool = False) -> None:
        self.name = name
        self.text = text
        self.slot = slot  # callable(window), or "module:function" imported on first use
        self.shortcut = shortcut  # a string, a StandardKey, or a list of them
        self.tip = tip
        self.menu = menu  # key of MENUS; "" for none
        self.separator = separator  # a separator before it in its menu
        self.toolbar = toolbar  # toolbar group (1, 2 …); 0 for none
        self.enabled = enabled  # see the list above
        self.grid = grid  # its shortcut works while the grid has focus (Ctrl+C in the findings list is not a cell copy)
        self.form_list = form_list  # on the form list's right-click menu
        self.submenu = submenu  # a submenu filled each time it is shown: slot(window, menu)


def _call(path: str) -> Callable[[MainWindow], Any]:
    def run(w: MainWindow) -> Any:
        import importlib

        mod, _, fn = path.partition(":")
        return getattr(importlib.import_module(mod), fn)(w)

    return run


ACTIONS: list[Act] = [
    # ---------------------------------------------------------------- 文件
    Act("new", "新建(&N)…", lambda w: w.files.new_document(), K.New, "新建自评文件", "file", toolbar=1),
    Act("new_from_last", "从上年文档新建(&L)…", "jixiao.gui.carry_dialog:new_from_previous", None,
        "由上年的自评文件结转出新年度的文档：保留项目和指标，清空金额和完成情况", "file"),
    Act("open", "打开(&O)…", lambda w: w.files.open_dialog(), K.Open, "打开自评文件", "file", toolbar=1),
    Act("recent", "最近打开(&R)", lambda w, m: w.files.fill_recent(m), menu="file", submenu=True),
    Act("save", "保存(&S)", lambda w: w.files.save(), K.Save, "保存当前文件", "file", True, 1, "document"),
    Act("save_as", "另存为(&A)…", lambda w: w.files.save_as(), "Ctrl+Shift+S", "以新文件名保存", "file",
        enabled="document"),
    Act("properties", "文档属性(&M)…", lambda w: w.properties(), None, "修改单位名称、年度和地区模板", "file",
        True, enabled="writable"),
    Act("import", "从Excel导入(&I)…", lambda w: w.transfer.import_excel(), None, "从 Excel 工作簿导入自评表", "file",
        True),
    Act("merge_units", "合并下级单位文件(&M)…", "jixiao.gui.merge_dialog:merge_unit_files", None,
        "把下级单位的自评文件合并进当前文档（同一单位再次合并时替换其原有的表）", "file"),
    Act("link_previous", "关联上年文档(&K)…", "jixiao.gui.previous_dialog:link_previous_document", None,
        "关联上年的自评文件，汇总表对比上年执行率和自评得分", "file", enabled="document"),
    Act("export_xlsx", "导出Excel(&E)…", lambda w: w.transfer.export_excel(), "Ctrl+E", "导出报送财政局的 Excel 工作簿",
        "file", toolbar=5, enabled="document"),
    Act("export_pdf", "导出PDF(&D)…", lambda w: w.transfer.export_pdf(), "Ctrl+Shift+E", "导出可打印、签字盖章的 PDF",
        "file", toolbar=5, enabled="document"),
    Act("report", "生成自评报告(&G)…", "jixiao.gui.report_dialog:open_report_dialog", None,
        "由自评表生成自评报告（Word / PDF），先预览再保存", "file", enabled="document"),
    Act("preview", "打印预览(&V)…", lambda w: w.transfer.print_preview(), "Ctrl+F2", "预览打印页面", "file", True,
        enabled="document"),
    Act("print", "打印(&P)…", lambda w: w.transfer.print_document(), K.Print, "打印", "file", toolbar=5,
        enabled="document"),
    Act("quit", "退出(&X)", lambda w: w.close(), "Ctrl+Q", "退出程序", "file", True),
    # ---------------------------------------------------------------- 编辑 (undo/redo come from the undo group)
    Act("cut", "剪切(&T)", lambda w: w.cut(), K.Cut, menu="edit", separator=True, enabled="editable", grid=True),
    Act("copy", "复制(&C)", lambda w: w.copy(), K.Copy, menu="edit", grid=True),
    Act("paste", "粘贴(&P)", lambda w: w.paste(), K.Paste, menu="edit", enabled="editable", grid=True),
    Act("clear", "清除内容(&L)", lambda w: w.clear_cells(), K.Delete, menu="edit", enabled="editable", grid=True),
    Act("fill_down", "向下填充(&F)", lambda w: w.fill_down(), "Ctrl+D", "用选区第一行的内容填充下面各行", "edit",
        enabled="editable", grid=True),
    Act("ins_above", "在上方插入行(&B)", lambda w: w.insert_row(False), "Ctrl+Alt+=", menu="edit", separator=True,
        enabled="row"),
    Act("ins_below", "在下方插入行(&I)", lambda w: w.insert_row(True), ["Ctrl+Shift+=", "Ctrl++"], menu="edit",
        toolbar=3, enabled="row"),
    Act("del_row", "删除行(&D)", lambda w: w.delete_row(), "Ctrl+-", menu="edit", toolbar=3, enabled="row-filled"),
    Act("row_up", "上移指标行(&U)", lambda w: w.move_row(True), "Alt+Shift+Up", menu="edit", enabled="indicator"),
    Act("row_down", "下移指标行(&W)", lambda w: w.move_row(False), "Alt+Shift+Down", menu="edit",
        enabled="indicator"),
    # ---------------------------------------------------------------- 表格
    Act("add_form", "新增项目(&A)", lambda w: w.add_project(), "Ctrl+Shift+N",
        "新增一张项目支出绩效自评表", "table", toolbar=4, enabled="can-add-project", form_list=True),
    Act("dup_form", "复制项目(&C)", lambda w: w.duplicate_project(), None, "复制当前项目表", "table",
        toolbar=4, enabled="project", form_list=True),
    Act("rename_form", "重命名(&R)…", lambda w: w.rename_form(), None, "修改项目名称", "table", enabled="form",
        form_list=True),
    Act("del_form", "删除项目(&D)…", lambda w: w.delete_project(), None, "删除当前项目表", "table",
        enabled="project", form_list=True),
    Act("form_up", "上移项目(&U)", lambda w: w.move_form(True), None, menu="table", separator=True,
        enabled="project", form_list=True),
    Act("form_down", "下移项目(&W)", lambda w: w.move_form(False), None, menu="table",
        enabled="project", form_list=True),
    Act("summary_info", "汇总表信息(&S)…", "jixiao.gui.summary_info_dialog:edit_summary_info", None,
        "填写汇总表中有、项目表上没有的栏目（如单位编码、项目类型）", "table", separator=True, enabled="document"),
    Act("prev_form", "上一张表(&P)", lambda w: w.step_form(-1), "Ctrl+PgUp", menu="table", separator=True),
    Act("next_form", "下一张表(&N)", lambda w: w.step_form(1), "Ctrl+PgDown", menu="table"),
    Act("next_finding", "下一个问题(&E)", lambda w: w.step_finding(1), "F8", menu="table"),
    Act("prev_finding", "上一个问题(&Q)", lambda w: w.step_finding(-1), "Shift+F8", menu="table"),
    Act("next_pane", "切换窗格(&F)", lambda w: w.cycle_focus(), "F6", menu="table"),
    # ---------------------------------------------------------------- 帮助
    Act("help", "使用说明(&H)", _call("jixiao.gui.help:show_help"), K.HelpContents, "如何开始、常用按键、颜色的含义",
        "help"),
    Act("about", "关于(&A)", _call("jixiao.gui.help:show_about"), menu="help"),
]

# The grid's right-click menu, in order ("-" is a separator).
GRID_MENU = ["ins_above", "ins_below", "del_row", "-", "cut", "copy", "paste", "clear", "-", "fill_down"]


def _keys(shortcut: Any) -> list[QKeySequence]:
    if shortcut is None:
        return []
    items = shortcut if isinstance(shortcut, (list, tuple)) else [shortcut]
    return [QKeySequence(s) for s in items]


def build_actions(w: MainWindow) -> dict[str, QAction]:
    """Create the QActions of :data:`ACTIONS` on ``w`` (also as ``w.a_<name>``)."""
    out: dict[str, QAction] = {}
    for spec in ACTIONS:
        a = QAction(spec.text, w)
        a.setObjectName(f"action_{spec.name}")
        keys = _keys(spec.shortcut)
        if keys:
            a.setShortcuts(keys)
        if spec.tip:
            a.setStatusTip(spec.tip)
        if spec.grid:
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            w.view.addAction(a)
        if spec.form_list:
            w.form_list.addAction(a)
        slot = _call(spec.slot) if isinstance(spec.slot, str) else spec.slot
        if not spec.submenu:
            a.triggered.connect(lambda checked=False, s=slot: s(w))
        out[spec.name] = a
        setattr(w, f"a_{spec.name}", a)
    return out


def build_menus(w: MainWindow) -> None:
    """The menu bar and the toolbar from :data:`ACTIONS`; undo/redo open the 编辑 menu."""
    from PySide6.QtWidgets import QToolBar

    mb = w.menuBar()
    menus = {key: mb.addMenu(title) for key, title in MENUS.items()}
    menus["edit"].addActions([w.a_undo, w.a_redo])
    w.menus = menus
    for spec in ACTIONS:
        if not spec.menu:
            continue
        m = menus[spec.menu]
        if spec.separator and m.actions():
            m.addSeparator()
        if spec.submenu:
            sub = m.addMenu(spec.text)
            slot = _call(spec.slot) if isinstance(spec.slot, str) else spec.slot
            sub.aboutToShow.connect(lambda s=slot, sm=sub: s(w, sm))
            setattr(w, f"{spec.name}_menu", sub)
        else:
            m.addAction(w.actions_by_name[spec.name])

    tb = QToolBar("工具栏", w)
    tb.setObjectName("mainToolbar")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    groups: dict[int, list[QAction]] = {1: [], 2: [w.a_undo, w.a_redo]}
    for spec in ACTIONS:
        if spec.toolbar:
            groups.setdefault(spec.toolbar, []).append(w.actions_by_name[spec.name])
    for i, g in enumerate(groups[k] for k in sorted(groups)):
        if i:
            tb.addSeparator()
        tb.addActions(g)
    for a in tb.actions():
        a.setIconText(a.text().split("(")[0].rstrip("…"))
    w.addToolBar(tb)
    w.toolbar = tb


def grid_menu(w: MainWindow):
    """The grid's right-click menu."""
    from PySide6.QtWidgets import QMenu

    m = QMenu(w.view)
    for name in GRID_MENU:
        if name == "-":
            m.addSeparator()
        else:
            m.addAction(w.actions_by_name[name])
    return m
