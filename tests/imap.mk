# tests for imap
