# vulnd import (backfill)
daemon_vulnd_SOURCES += daemon/import.c
