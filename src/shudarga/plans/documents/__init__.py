"""Plan documents: the interchange model, and one small module per file format.

Reading: `reading.read_plan_document(data, filename)` detects the format by content and
returns a `PlanDocument`, or raises `PlanImportError` with a message naming the line, row or
cell. Writing: `json_format`, `docx_format`, `xlsx_format` each turn a `PlanDocument` into bytes.
"""
