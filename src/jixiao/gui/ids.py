"""Identifiers the widgets share without importing the engine."""

from __future__ import annotations

# The 项目单位自评汇总表 in the form list and the grid model: not a form of the
# document but a table computed from all of them.
SUMMARY_ID = "summary"
