/*
** card.h - lim_synapse .model cards: read from a file, set by name=value.
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_CARD_H
#define LIMSPICE_CARD_H

#include <stddef.h>

#include "phys.h"

/* A SPICE number: 1e-6, 2.5u, 10meg, 1f (scale suffixes f p n u m k meg g
** t; letters after them are ignored, as in SPICE). 0 or -1. */
int lim_card_number(const char *s, double *v);

/* Sets one parameter from "name=value"; unknown names and values outside
** the table's range are refused with the reason in err. d is unchanged on
** failure. */
int lim_card_set(lim_phys_dev *d, const char *assignment, char *err, size_t n);

/* Reads the .model card named name (or the first lim_synapse card when
** name is NULL) from path, over the values already in d (so callers start
** from lim_phys_dev_default). Errors carry FILE:LINE. */
int lim_card_read(const char *path, const char *name, lim_phys_dev *d, char *err, size_t n);

/* The card the verbs take: d's values, then path's card (named model, or
** the first when NULL; path may be NULL), then each "name=value" of
** params. 0, or -1 with the reason (naming the file or the assignment) in
** err; d is unchanged on failure. */
int lim_card_build(const char *path, const char *model, const char *const *params, int nparams,
                   lim_phys_dev *d, char *err, size_t n);

/* Checks the parameters of a .model ... lim_synapse card as a deck writes
** them (the text after the type; parentheses, commas and blanks around '='
** allowed): every unknown name, with the parameter it was probably meant
** to be, every value that is not a number, every value out of range. A
** value in braces or quotes is an expression ngspice evaluates per
** instance: its name is checked, not its value. Returns the number of
** problems, all of them in err separated by "; " (0: none), or -1 when out
** of memory. */
int lim_card_lint(const char *params, char *err, size_t n);

/* The longest card lim_card_format writes, with its NUL [bytes]. */
#define LIM_CARD_MAX 2048

/* Writes d as ".model NAME lim_synapse(p=v ...)", every parameter of the
** table in its order, each to 15 digits. Returns the length the card
** needs (like snprintf): at least n means buf was too small. */
size_t lim_card_format(const lim_phys_dev *d, const char *name, char *buf, size_t n);

#endif
