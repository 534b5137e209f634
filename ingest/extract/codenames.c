/* codenames.c - being written */
#include "config.h"
#include "extract.h"

const char *
vulnd_series_for_codename (const char *name)
{
	(void) name;
	return NULL;
}

const char *
vulnd_codename_for_series (const char *series)
{
	(void) series;
	return NULL;
}
