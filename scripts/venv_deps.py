"""Is jixiao installed in this virtual environment as pyproject.toml asks? Used by
scripts/setup-lib.sh so that a second set-up run skips pip (and its downloads).

    .venv/bin/python scripts/venv_deps.py check  [EXTRAS]   exit 0: nothing to install
    .venv/bin/python scripts/venv_deps.py record [EXTRAS]   after a successful pip install

``check`` holds when, all three:

1. the record (``jixiao-setup.json`` in the environment) was written for this
   pyproject.toml, byte for byte, and for these extras or more (``test`` ⊇ none);
2. ``jixiao`` imports from this checkout's ``src/`` (an editable install of this
   clone, not of another one or of a copy moved elsewhere);
3. every requirement of jixiao and of the extras is installed at a version that
   satisfies it (a package removed or downgraded by hand is noticed).

EXTRAS is comma-separated, as in ``pip install -e '.[test]'``. Standard library only,
Python 3.10+ (the oldest the project supports); version ranges are compared with the
``packaging`` copy that pip carries.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = "jixiao-setup.json"


def _extras(text: str) -> set[str]:
    return {e.strip() for e in text.split(",") if e.strip()}


def pyproject_digest(root: Path = ROOT) -> str:
    return hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()


def _packaging():
    """packaging's Requirement and InvalidVersion from pip's vendored copy (or an installed one)."""
    try:
        from pip._vendor.packaging.requirements import Requirement
        from pip._vendor.packaging.version import InvalidVersion
    except ImportError:
        try:
            from packaging.requirements import Requirement
            from packaging.version import InvalidVersion
        except ImportError:
            return None, None
    return Requirement, InvalidVersion


def unmet_requirements(requires: list[str], extras: set[str]) -> list[str]:
    """The requirements (PEP 508 strings, as in a distribution's metadata) that apply
    to these extras and are not installed at a satisfying version."""
    requirement, invalid_version = _packaging()
    unmet = []
    for text in requires:
        if requirement is None:  # no packaging anywhere: presence of the plain name only
            if ";" in text:
                continue
            name = text.split(";")[0].strip()
            for sep in "<>=!~[ (":
                name = name.split(sep)[0]
            try:
                md.version(name)
            except md.PackageNotFoundError:
                unmet.append(text)
            continue
        req = requirement(text)
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
            continue
        try:
            version = md.version(req.name)
        except md.PackageNotFoundError:
            unmet.append(text)
            continue
        try:
            if not req.specifier.contains(version, prereleases=True):
                unmet.append(text)
        except invalid_version:
            unmet.append(text)
    return unmet


def imports_from_checkout(root: Path = ROOT) -> bool:
    spec = importlib.util.find_spec("jixiao")
    if spec is None or not spec.origin:
        return False
    return Path(spec.origin).resolve().is_relative_to((root / "src" / "jixiao").resolve())


def jixiao_requires() -> list[str]:
    """The requirements recorded in the installed jixiao's metadata (PackageNotFoundError if none)."""
    return md.distribution("jixiao").requires or []


def check(extras: set[str], prefix: Path | None = None, root: Path = ROOT) -> list[str]:
    """Why pip must run (empty: nothing to install)."""
    prefix = Path(sys.prefix) if prefix is None else prefix
    try:
        record = json.loads((prefix / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["no record of an earlier install"]
    reasons = []
    if record.get("pyproject") != pyproject_digest(root):
        reasons.append("pyproject.toml changed since the last install")
    if not extras <= set(record.get("extras", [])):
        reasons.append(f"extras {sorted(extras - set(record.get('extras', [])))} not installed")
    if not imports_from_checkout(root):
        reasons.append(f"jixiao is not installed from {root}")
    else:
        try:
            requires = jixiao_requires()
        except md.PackageNotFoundError:
            requires = None
            reasons.append("no jixiao distribution")
        if requires is not None:
            reasons += [f"missing or wrong version: {r}" for r in unmet_requirements(requires, extras)]
    return reasons


def record(extras: set[str], prefix: Path | None = None, root: Path = ROOT) -> None:
    prefix = Path(sys.prefix) if prefix is None else prefix
    path = prefix / RECORD
    old: set[str] = set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("pyproject") == pyproject_digest(root):
            old = set(data.get("extras", []))
    except (OSError, ValueError):
        pass
    path.write_text(json.dumps({"pyproject": pyproject_digest(root), "extras": sorted(old | extras)}),
                    encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "record"):
        print(__doc__, file=sys.stderr)
        return 2
    extras = _extras(argv[1] if len(argv) > 1 else "")
    if argv[0] == "record":
        record(extras)
        return 0
    reasons = check(extras)
    for r in reasons:
        print(r)
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
