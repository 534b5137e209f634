/* version.c - being written */
#include "config.h"
#include "version.h"
typedef int vulnd_version_placeholder;
