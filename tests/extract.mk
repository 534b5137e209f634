# tests for extract
