/* fuzz-version.c - libFuzzer target for version text and version matching.
 *
 * The input is split at the first NUL byte (or used whole): the first part
 * is fed to vulnd_version_ranges() as published text and, as a version, to
 * vulnd_ranges_match() against what it produced; the second part is a
 * version to compare with the first and to match against the ranges.
 * Nothing here may crash, leak or disagree with itself. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "version.h"

static void
check_compare (const char *a, const char *b)
{
	int ab = vulnd_version_compare (a, b);
	int ba = vulnd_version_compare (b, a);
	/* antisymmetric, and reflexive */
	if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
		abort ();
	if (vulnd_version_compare (a, a) != 0)
		abort ();
	(void) vulnd_version_comparable (a, b);
	(void) vulnd_version_valid (a);
	g_free (vulnd_version_from_debian (a));
}

static void
check_match (JsonArray *ranges, const char *version)
{
	JsonObject *hit = NULL;
	VulndMatch m = vulnd_ranges_match (ranges, version, &hit);
	if ((m == VULND_MATCH_AFFECTED) != (hit != NULL))
		abort ();
	/* not understood must never read as "not affected" */
	if (json_array_get_length (ranges) == 0 && m != VULND_MATCH_UNKNOWN)
		abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	char *buf = g_malloc (size + 2);
	memcpy (buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	const char *first = buf;
	const char *second = buf + strlen (buf) + (strlen (buf) < size ? 1 : 0);

	GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
	JsonArray *ranges = vulnd_version_ranges (first, warnings);
	/* understood xor warned */
	if ((json_array_get_length (ranges) > 0) == (warnings->len > 0))
		abort ();
	check_match (ranges, first);
	check_match (ranges, second);
	check_compare (first, second);

	json_array_unref (ranges);
	g_ptr_array_unref (warnings);
	g_free (buf);
	return 0;
}
