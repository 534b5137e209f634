# tests for ossn
