/* text.c - being written */
#include "config.h"
#include "extract.h"
