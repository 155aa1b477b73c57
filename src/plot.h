/*
** plot.h - PNG plots through gnuplot. See LICENSE for copyright.
*/
#ifndef LIMSPICE_PLOT_H
#define LIMSPICE_PLOT_H

#include <stddef.h>

/* Runs gnuplot on script, whose output goes to a temporary PNG named by the
** placeholder @OUT@ in the script; renamed to png_path on success. Returns
** 0, or -1 with a reason in err (gnuplot missing, script failed). */
int plot_png(const char *script, const char *png_path, char *err, size_t n);

/* printf onto a growing script *s (length *len, capacity *cap; all zero
** to start). Out of memory leaves the script as it was. */
void plot_add(char **s, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
