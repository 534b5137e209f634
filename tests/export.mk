# tests for export
