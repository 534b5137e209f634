/* regex.h - regular expressions compiled once, on first use.
 *
 * Extractors keep each pattern beside the code that uses it; it is compiled
 * the first time a message needs it and kept read-only for the process (the
 * one kind of static state extract/ allows).  G_REGEX_OPTIMIZE is left out on
 * purpose: its JIT makes valgrind report uninitialised reads. */
#ifndef VULND_EXTRACT_REGEX_H
#define VULND_EXTRACT_REGEX_H

#include <glib.h>

/* *SLOT compiled from PATTERN once; aborts on a bad pattern (a bug). */
GRegex *vulnd_regex_cached (GRegex **slot, const char *pattern, GRegexCompileFlags flags);

/* A regex for one call site: VULND_REGEX ("^foo", G_REGEX_CASELESS). */
#define VULND_REGEX(pattern, flags) \
	({ static GRegex *vulnd_re_slot_; vulnd_regex_cached (&vulnd_re_slot_, (pattern), (flags)); })

/* A named accessor: VULND_DEFINE_REGEX (date_re, "...", 0) defines date_re (). */
#define VULND_DEFINE_REGEX(fn, pattern, flags) \
	static GRegex *fn (void) { \
		static GRegex *slot; \
		return vulnd_regex_cached (&slot, (pattern), (flags)); }

#endif
