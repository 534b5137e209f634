/* version.h - being written */
#ifndef VULND_VERSION_H
#define VULND_VERSION_H
#endif
