/*
** version.c - which limspice this is (see version.h).
** See LICENSE for copyright.
*/
#include "buildinfo.h"
#include "version.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

const char *lim_version(void) { return LIM_VERSION; }
const char *lim_ngspice_version(void) { return STR(LIMSPICE_NGSPICE_MAJOR); }
