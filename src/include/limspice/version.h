/*
** version.h - which limspice this is.
** See LICENSE for copyright.
**
** LIM_VERSION is the version the program was compiled against;
** lim_version() the one of the library it runs with. The Makefile reads
** the version from here, and the shared library's soname carries
** LIM_VERSION_MAJOR.
*/
#ifndef LIMSPICE_VERSION_H
#define LIMSPICE_VERSION_H

#define LIM_VERSION_MAJOR 0
#define LIM_VERSION_MINOR 1
#define LIM_VERSION_PATCH 0
#define LIM_VERSION       "0.1.0"
/* One number to compare: 10000 major + 100 minor + patch. */
#define LIM_VERSION_NUMBER \
	(LIM_VERSION_MAJOR * 10000 + LIM_VERSION_MINOR * 100 + LIM_VERSION_PATCH)

/* The running library's version, "0.1.0" (static storage). */
const char *lim_version(void);

/* The ngspice the library was built against, "39" (static storage): its
** code model loads only into that ngspice. */
const char *lim_ngspice_version(void);

#endif
