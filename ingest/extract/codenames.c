/* codenames.c - release code names <-> series numbers.
 *
 * The table itself lives in db/version.c (db/ must answer `affected` without
 * ingest/); this is the extractor's view of it. */
#include "config.h"

#include "extract.h"
#include "version.h"

/* Liberty .. Zed never had a series number: for them the series IS the code
 * name ("liberty" -> "liberty"), which is also how ranges write them. */
const char *
vulnd_series_for_codename (const char *name)
{
	if (name == NULL)
		return NULL;
	while (g_ascii_isspace (*name))
		name++;
	/* A series number is not a code name. */
	if (g_ascii_isdigit (*name))
		return NULL;
	return vulnd_series_value (vulnd_series_lookup (name));
}

const char *
vulnd_codename_for_series (const char *series)
{
	const VulndSeries *s = vulnd_series_lookup (series);
	return s ? s->name : NULL;
}
