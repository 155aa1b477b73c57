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

#endif
