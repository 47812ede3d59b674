"""Report documents: one small module per format, all writing a `model.ReportDocument`."""
