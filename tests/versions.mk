# tests for versions
