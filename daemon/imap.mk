# IMAP source on the sd-event loop
daemon_vulnd_SOURCES += \
	daemon/source-imap.h \
	daemon/source-imap.c
