/*
** host.h - where the command finds its parts on this machine.
** See LICENSE for copyright.
**
** The library takes paths from its caller; deciding where a build tree or
** an installation keeps the code model and the shipped data, and asking
** Debian's package manager which ngspice is installed, is the command's
** policy, kept here and nowhere else.
*/
#ifndef LIMSPICE_HOST_H
#define LIMSPICE_HOST_H

#include <stddef.h>

#include "session.h"

/* The path of the running executable (/proc/self/exe). 0 or -1 (errno). */
int host_self(char *out, size_t n);

/* A file shipped with limspice: in $LIMSPICE_DATA, else beside the build
** (../testbenches/data/) or installed (../share/limspice/data/), relative
** to the executable. 0 or -1. */
int host_data_file(const char *name, char *out, size_t n);

/* The code model: given (--cm), $LIMSPICE_CM, limspice.cm beside the
** executable (build tree) or ../lib/limspice/ (installed). 0, or -1 when
** none is readable (out then holds the last path tried). */
int host_find_cm(const char *given, char *out, size_t n);

/* The OSDI device: $LIMSPICE_OSDI, limspice.osdi beside the executable, or
** ../lib/limspice/. 0, or -1 when none is readable. */
int host_find_osdi(char *out, size_t n);

/* The libngspice that given names: the file itself, or a folder where a
** Debian ngspice was unpacked (DIR/usr/lib/x86_64-linux-gnu/libngspice.so.0).
** share receives that tree's usr/share/ngspice (absolute) when it holds a
** spinit, else "". 0, or -1 when nothing readable is there. */
int host_find_ngspice(const char *given, char *lib, size_t n, char *share, size_t m);

/* The Debian version of the installed libngspice0 (dpkg-query), else
** "unknown" and -1. */
int host_ngspice_version(char *buf, size_t n);

/* 1 when found names the ngspice package limspice was built against. */
int host_version_matches(const char *found);

/* Opens the library's session the command's way. The ngspice is
** $LIMSPICE_NGSPICE (set by `limspice --ngspice PATH VERB`), which then
** runs the OSDI device (host_find_osdi); without it, the system's
** libngspice with the code model (host_find_cm), refused when the installed
** ngspice package is not the one limspice was built against.
** $LIMSPICE_SOLVER (--solver) picks klu or sparse. NULL with the reason. */
lim_session *host_session(const char *cm_given, char *err, size_t n);

#endif
