# tests for daemon
