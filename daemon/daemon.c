/* daemon.c - being written. */
#include "config.h"
#include <stdio.h>
#include "vulnd.h"

int
vulnd_daemon_main (int argc, char **argv)
{
	(void) argc; (void) argv;
	fprintf (stderr, "vulnd: the service mode is not built yet\n");
	return 3;
}
