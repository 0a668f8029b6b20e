"""jixiao never opens a network connection. In-process: every CLI command and
a GUI screenshot run with socket creation, connection and name lookup failing
and recorded. In a child process: a sitecustomize installs an audit hook that
records any socket, connect or getaddrinfo of the whole Python process
(libraries included), and makes INET sockets fail."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

from jixiao.cli import main as cli

from .support import ROOT, child_env, generate_document, report

ATTEMPTS: list[str] = []


@pytest.fixture
def strict_no_network(monkeypatch):
    ATTEMPTS.clear()
    real = socket.socket

    class Recorded(real):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002
            if fileno is None and family in (socket.AF_INET, socket.AF_INET6, -1):
                ATTEMPTS.append(f"socket({family})")
                raise OSError("network disabled in tests")
            super().__init__(family, type, proto, fileno)

    def refuse(name):
        def f(*a, **k):
            ATTEMPTS.append(f"{name}{a[:1]}")
            raise OSError("network disabled in tests")
        return f

    monkeypatch.setattr(socket, "socket", Recorded)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield ATTEMPTS
    assert ATTEMPTS == [], f"network used: {ATTEMPTS}"


def _commands(tmp_path):
    doc = tmp_path / "a.jxzp"
    from jixiao.core.fileio import save_document

    save_document(generate_document(projects=3), doc)
    return doc, [
        ["templates"],
        ["new", "-t", "national", "--unit", "测试单位", "--year", "2024", "-o", str(tmp_path / "n.jxzp")],
        ["validate", str(doc)], ["validate", str(doc), "--format", "json"],
        ["score", str(doc)], ["score", str(doc), "--format", "json"],
        ["convert", str(doc), "-o", str(tmp_path / "a.json")],
        ["export", str(doc), "--xlsx", str(tmp_path / "a.xlsx"), "--pdf", str(tmp_path / "a.pdf")],
        ["import", str(tmp_path / "a.xlsx"), "-o", str(tmp_path / "b.jxzp")],
        ["validate", str(tmp_path / "a.xlsx")],
    ]


def test_cli_commands_use_no_network(tmp_path, strict_no_network, capsys):
    pytest.importorskip("jixiao.excel.writer")
    pytest.importorskip("jixiao.pdf.writer")
    _, cmds = _commands(tmp_path)
    for argv in cmds:
        rc = cli(argv)
        assert rc in (0, 1), (argv, rc, capsys.readouterr().err)
    report(f"no network, in-process: {len(cmds)} CLI runs (new, validate, score, convert, export xlsx+pdf, import, "
           f"templates) with sockets and DNS disabled: {len(ATTEMPTS)} network attempts")


@pytest.mark.gui
def test_gui_screenshot_uses_no_network(tmp_path, strict_no_network):
    app_mod = pytest.importorskip("jixiao.gui.app")
    doc = tmp_path / "a.jxzp"
    from jixiao.core.fileio import save_document

    save_document(generate_document(projects=3), doc)
    assert app_mod.run_gui(str(doc), screenshot=str(tmp_path / "s.png")) == 0
    assert (tmp_path / "s.png").stat().st_size > 1000
    assert "PySide6.QtNetwork" not in sys.modules, "the GUI loaded Qt's network module"


SITECUSTOMIZE = textwrap.dedent("""
    import os, socket, sys

    _LOG = os.environ["JIXIAO_NET_LOG"]

    def _record(what):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\\n")

    def _hook(event, args):
        if event in ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
                     "socket.gethostbyname", "socket.sendto"):
            fam = args[1] if event == "socket.__new__" and len(args) > 1 else None
            if event == "socket.__new__" and fam not in (socket.AF_INET, socket.AF_INET6):
                return  # AF_UNIX (e.g. Qt's local sockets) is not the network
            _record(f"{event} {args!r}")
            raise OSError("network disabled by the jixiao reliability suite")

    sys.addaudithook(_hook)
""")


def test_child_processes_use_no_network(tmp_path):
    pytest.importorskip("jixiao.excel.writer")
    pytest.importorskip("jixiao.pdf.writer")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "net.log"
    env = child_env()
    env["PYTHONPATH"] = os.pathsep.join([str(site), env["PYTHONPATH"]])
    env["JIXIAO_NET_LOG"] = str(log)
    env["QT_QPA_PLATFORM"] = "offscreen"
    doc, cmds = _commands(tmp_path)
    cmds = cmds + [["gui", str(doc), "--screenshot", str(tmp_path / "s.png")]]
    # the hook is live in the child: a deliberate connection attempt is caught
    probe = subprocess.run([sys.executable, "-c", "import socket\ntry:\n socket.create_connection(('192.0.2.1', 80), 1)\n"  # noqa: E501
                            "except OSError as e: print('blocked', e)"], env=env, capture_output=True, text=True,
                           timeout=60)
    assert "blocked" in probe.stdout and log.read_text(encoding="utf-8").strip()
    log.unlink()
    for argv in cmds:
        r = subprocess.run([sys.executable, "-m", "jixiao", *argv], env=env, capture_output=True, text=True,
                           timeout=180, cwd=ROOT)
        assert r.returncode in (0, 1), (argv, r.stderr[-500:])
    attempts = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert attempts == [], attempts
    report(f"no network, child processes: {len(cmds)} `python -m jixiao` runs (every CLI command and a GUI "
           f"screenshot) under an audit hook on socket/connect/getaddrinfo: {len(attempts)} network attempts "
           "(the hook itself verified by a deliberate connection, which it caught)")
