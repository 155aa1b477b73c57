/*
** plot.h - PNG plots through gnuplot. See LICENSE for copyright.
*/
#ifndef LIMSPICE_PLOT_H
#define LIMSPICE_PLOT_H

#include <stddef.h>

#include "outfile.h"

/* Runs gnuplot on script, whose `set output '@OUT@'` is pointed at o's
** temporary (or, for a target written in place and for stdout, at a
** private file copied into o). The PNG must come back whole: gnuplot exits
** 0 even when its writes failed, so its signature and end chunk are
** checked. 0, or -1 with "PATH: reason" in err (gnuplot missing or failed,
** an incomplete PNG). o stays open: the caller commits or aborts it. */
int plot_render(const char *script, outfile *o, char *err, size_t n);

/* plot_render into png_path, committed: the PNG appears whole or not at
** all. 0, or -1 with a reason in err. */
int plot_png(const char *script, const char *png_path, char *err, size_t n);

/* printf onto a growing script *s (length *len, capacity *cap; all zero
** to start). Out of memory leaves the script as it was. */
void plot_add(char **s, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
