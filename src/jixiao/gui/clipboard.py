"""Tab-separated ranges as Excel and WPS put them on the clipboard."""

from __future__ import annotations


def to_tsv(rows: list[list[str]]) -> str:
    def q(v: str) -> str:
        if any(ch in v for ch in ('\t', '\n', '\r', '"')):
            return '"' + v.replace('"', '""') + '"'
        return v

    return "".join("\t".join(q(v) for v in row) + "\n" for row in rows)


def parse_tsv(text: str) -> list[list[str]]:
    """Parse Excel's text/plain range: tabs between cells, newlines between
    rows, cells with line breaks or quotes wrapped in double quotes."""
    if not text:
        return []
    rows: list[list[str]] = []
    row: list[str] = []
    cur: list[str] = []
    i, n = 0, len(text)
    at_start = True  # at the start of a cell
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            # quoted cell: read to the closing quote
            j = i + 1
            buf: list[str] = []
            closed = False
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    closed = True
                    j += 1
                    break
                buf.append(text[j])
                j += 1
            if closed and (j >= n or text[j] in "\t\r\n"):
                cur.extend(buf)
                i = j
                at_start = False
                continue
            # not a well-formed quoted cell: take the quote literally
        if ch == "\t":
            row.append("".join(cur))
            cur = []
            at_start = True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cur))
            rows.append(row)
            row, cur = [], []
            at_start = True
        else:
            cur.append(ch)
            at_start = False
        i += 1
    if cur or row:
        row.append("".join(cur))
        rows.append(row)
    return [[c.replace("\r\n", "\n") for c in r] for r in rows]
