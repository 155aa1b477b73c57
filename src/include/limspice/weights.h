/*
** weights.h - device states of an array as CSV: row,col,w,g_S.
** See LICENSE for copyright.
**
** One line per device with its row, physical column, state w [1] and read
** conductance g_S [S]. Either w or g_S is enough on input (g_S is turned
** into w through the card's g_min and g_max).
*/
#ifndef LIMSPICE_WEIGHTS_H
#define LIMSPICE_WEIGHTS_H

#include <stdio.h>

#include "phys.h"

/* Fills w[rows * pcols] from path; every device must appear exactly once.
** 0, or -1 with FILE:LINE and the reason in err (w unchanged). */
int lim_weights_read(const char *path, int rows, int pcols, const lim_phys_dev *card,
                     double *w, char *err, size_t n);

/* Writes the header and one line per device. 0, or -1 on a write error. */
int lim_weights_write(FILE *f, int rows, int pcols, const lim_phys_dev *card, const double *w);

#endif
