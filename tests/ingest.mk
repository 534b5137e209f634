# tests for ingest
