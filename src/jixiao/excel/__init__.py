"""Excel renderer and importer of the core's grids.

- :func:`jixiao.excel.writer.write_workbook` draws every grid of
  :func:`jixiao.core.layout.document_grids` on its own sheet, print-ready.
- :func:`jixiao.excel.reader.read_workbook` reads our own exports and
  officers' spreadsheets laid out like the official forms, by their labels.
"""
