/* text.c - being written: stubs so the tree links. */
#include "config.h"
#include "extract.h"

char *vulnd_text_unwrap (const char *text) { return g_strdup (text); }
char *vulnd_text_parse_date (const char *text) { (void) text; return NULL; }
char *vulnd_canonical_id (const char *text) { (void) text; return NULL; }
