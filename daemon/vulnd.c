/* vulnd.c - main: "vulnd [--config FILE] [--foreground]" or "vulnd import". */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "vulnd.h"

int
main (int argc, char **argv)
{
	setlocale (LC_ALL, "");
	for (int i = 1; i < argc; i++) {
		if (strcmp (argv[i], "--version") == 0) {
			printf ("vulnd %s\n", PACKAGE_VERSION);
			return 0;
		}
	}
	if (argc > 1 && strcmp (argv[1], "import") == 0)
		return vulnd_import_main (argc - 1, argv + 1);
	return vulnd_daemon_main (argc, argv);
}
