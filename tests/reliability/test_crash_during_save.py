"""Crash during save: a writer process is SIGKILLed at random moments while it
saves two versions of a document in turn. Afterwards the file (and its .bak)
must always be one of the two versions, complete and loadable."""

from __future__ import annotations

import json
import os
import random
import signal
import time

import pytest

from jixiao.core.fileio import document_to_data, load_document, save_document

from .support import generate_document, leftovers, mp_context, report, save_loop, snapshot

KILLS = 120
SEED = 20240601

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def _versions():
    a = generate_document(projects=30)
    b = generate_document(projects=30, seed=7)
    b.forms[1].set("goals.实际完成情况", "B版本：" + "全面完成年度目标。" * 400)  # a longer file too
    b.add_project()
    return a, b


@pytest.mark.slow
def test_sigkill_during_save_120_times_leaves_old_or_new_version(tmp_path):
    doc_a, doc_b = _versions()
    snaps = {"A": snapshot(doc_a), "B": snapshot(doc_b)}
    assert snaps["A"] != snaps["B"]
    path = tmp_path / "2024.jxzp"
    # time one save cycle to spread the kills over whole saves
    t0 = time.perf_counter()
    for d in (doc_a, doc_b, doc_a):
        save_document(d, path)
    cycle = (time.perf_counter() - t0) / 3
    data_a = json.loads(json.dumps(document_to_data(doc_a)))
    data_b = json.loads(json.dumps(document_to_data(doc_b)))

    ctx = mp_context()
    rng = random.Random(SEED)
    outcome = {"A": 0, "B": 0}
    bak_outcome = {"A": 0, "B": 0, "none": 0}
    saves_before_kill = []
    for i in range(KILLS):
        started, completed = ctx.Event(), ctx.Value("i", 0, lock=False)  # a lock would die with the child
        proc = ctx.Process(target=save_loop, args=(str(path), data_a, data_b, started, completed), daemon=True)
        proc.start()
        assert started.wait(30), "writer process did not start"
        time.sleep(rng.uniform(0, 5 * cycle))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        assert proc.exitcode == -signal.SIGKILL
        proc.close()
        saves_before_kill.append(completed.value)

        got = snapshot(load_document(path))  # raises DocumentError if damaged
        which = [k for k, v in snaps.items() if v == got]
        assert which, f"kill {i + 1}: the file is neither version A nor version B"
        outcome[which[0]] += 1
        bak = path.with_name(path.name + ".bak")
        if bak.exists():
            got_bak = snapshot(load_document(bak))
            which_bak = [k for k, v in snaps.items() if v == got_bak]
            assert which_bak, f"kill {i + 1}: the .bak is neither version A nor version B"
            bak_outcome[which_bak[0]] += 1
        else:
            bak_outcome["none"] += 1

    stray = leftovers(tmp_path)
    mid = sum(1 for n in saves_before_kill if n > 0)
    report(f"crash during save: {KILLS} SIGKILLs at random moments (seed {SEED}, save cycle {cycle * 1000:.1f} ms); "
           f"file loadable and exact every time: {KILLS}/{KILLS} (A {outcome['A']}, B {outcome['B']}); "
           f".bak complete every time (A {bak_outcome['A']}, B {bak_outcome['B']}); "
           f"{mid} kills after ≥1 completed save, median {sorted(saves_before_kill)[KILLS // 2]} saves per writer; "
           f"stray hidden .tmp files left by killed writers: {len(stray)}")
    assert outcome["A"] > 0 and outcome["B"] > 0, "kills should land on both versions"
    assert all(n.startswith(".") for n in stray)
