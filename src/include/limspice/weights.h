/*
** weights.h - device states of an array as CSV: row,col,w,g_S.
** See LICENSE for copyright.
**
** One line per device with its row, physical column, state w [1] and read
** conductance g_S [S]. Either w or g_S is enough on input (g_S is turned
** into w through the card's g_min and g_max). A two-layer network's file
** starts each line with its layer, 1 (inputs -> hidden units) or 2
** (hidden units -> outputs): layer,row,col,w,g_S.
*/
#ifndef LIMSPICE_WEIGHTS_H
#define LIMSPICE_WEIGHTS_H

#include <stdio.h>

#include "phys.h"

/* Fills w[rows * pcols] from path; every device must appear exactly once.
** 0, or -1 with FILE:LINE and the reason in err (w unchanged). */
int lim_weights_read(const char *path, int rows, int pcols, const lim_phys_dev *card,
                     double *w, char *err, size_t n);

/* The same for one layer of a file: layer 1 or 2 of a two-layer file (a
** file without a layer column holds layer 1 only); layer 0 as
** lim_weights_read, which refuses a file with a layer 2. */
int lim_weights_read_layer(const char *path, int layer, int rows, int pcols,
                           const lim_phys_dev *card, double *w, char *err, size_t n);

/* Writes both arrays of a two-layer network, layer column first. 0, or -1
** on a write error. */
int lim_weights_write2(FILE *f, int rows, int pcols, const double *w, int rows2, int pcols2,
                       const double *w2, const lim_phys_dev *card);

/* Writes the header and one line per device. 0, or -1 on a write error. */
int lim_weights_write(FILE *f, int rows, int pcols, const lim_phys_dev *card, const double *w);

#endif
