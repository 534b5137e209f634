/* import.c - being written. */
#include "config.h"
#include <stdio.h>
#include "vulnd.h"

int
vulnd_import_main (int argc, char **argv)
{
	(void) argc; (void) argv;
	fprintf (stderr, "vulnd import: not built yet\n");
	return 3;
}
