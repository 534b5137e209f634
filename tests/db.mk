# tests for db
