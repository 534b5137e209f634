# extract/: pure functions, text in, records out.
ingest_libvulnd_ingest_a_SOURCES += \
	ingest/extract/extract.h \
	ingest/extract/extract.c \
	ingest/extract/classify.c \
	ingest/extract/sections.h \
	ingest/extract/regex.h \
	ingest/extract/sections.c \
	ingest/extract/text.c \
	ingest/extract/ossa.c \
	ingest/extract/ossn.c \
	ingest/extract/ranges.c \
	ingest/extract/codenames.c
