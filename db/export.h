/* export.h - being written */
#ifndef VULND_EXPORT_H
#define VULND_EXPORT_H
#endif
