from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.skip_policy import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401 - pytest hooks

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "data" / "seeds"


class NetworkUsed(AssertionError):
    pass


_real_socket = socket.socket


class _GuardedSocket(_real_socket):
    """jixiao never opens a network connection: any INET socket fails the test."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002
        if fileno is None and family in (socket.AF_INET, socket.AF_INET6, -1):
            raise NetworkUsed(f"jixiao tried to open a network socket (family={family})")
        super().__init__(family, type, proto, fileno)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket, "socket", _GuardedSocket)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: (_ for _ in ()).throw(NetworkUsed(f"create_connection{a}")))
    yield


@pytest.fixture(autouse=True)
def isolated_state(tmp_path_factory, monkeypatch):
    """Keep recovery files and settings of tests out of the user's folders."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("JIXIAO_RECOVERY_DIR", str(state / "recovery"))
    monkeypatch.setenv("JIXIAO_CONFIG_DIR", str(state / "config"))
    yield


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
