/* regex-jit.h - the compile flag that asks PCRE2 for its JIT.
 *
 * The patterns that scan long text (extraction, the text of `vulnctl
 * show`) are JIT-compiled where the system allows it: besides being faster,
 * JIT code is not slowed down by GLib 2.74 re-checking the UTF-8 of the
 * whole rest of the subject at each match of a scan (ingest/extract/
 * extract.h, VULND_EXTRACT_TEXT_MAX).  Their subjects are valid UTF-8,
 * which JIT code does not check.  Not under valgrind: JIT code reads up to
 * 16 bytes at a time past a string's end (never past its page), which
 * memcheck reports, and is opaque to it; the interpreter is what memcheck
 * can check, and what vulnd.service runs (MemoryDenyWriteExecute=). */
#ifndef VULND_REGEX_JIT_H
#define VULND_REGEX_JIT_H

#include "config.h"

#include <glib.h>
#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

static inline GRegexCompileFlags
vulnd_regex_jit (void)
{
#ifdef HAVE_VALGRIND_VALGRIND_H
	if (RUNNING_ON_VALGRIND)
		return 0;
#endif
	return G_REGEX_OPTIMIZE;
}

#endif
