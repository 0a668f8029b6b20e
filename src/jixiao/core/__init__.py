"""The domain core: forms, templates, value parsing, scoring, validation and
the document file. Nothing in this package imports Qt (a test enforces it)."""
