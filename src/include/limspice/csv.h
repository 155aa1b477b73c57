/*
** csv.h - numeric tables from CSV files, with errors that say where.
** See LICENSE for copyright.
**
** limspice's inputs (weights, data sets, measurements) are tables of
** numbers under one header line: no quoting, no embedded delimiters. A
** reader of that much is short and can report FILE:LINE:COLUMN, which a
** general CSV library leaves to its caller.
*/
#ifndef LIMSPICE_CSV_H
#define LIMSPICE_CSV_H

#include <stddef.h>

typedef struct {
	int ncols, nrows;
	char **names;     /* ncols header names ("c1".. without a header) */
	double *v;        /* nrows x ncols, row-major */
	int *line;        /* the file line of each row, for messages */
	char *path;
} lim_csv_table;

/* Reads path. delim is ',' or '\t' etc.; skip_lines lines are passed over
** before the header (metadata lines); has_header 0 names columns c1, c2...
** Blank lines and lines starting with '#' are skipped; a NUL byte, and a
** header of numbers only (a header commented out), are errors. Every row must have
** ncols fields, each a finite number. 0, or -1 with "FILE:LINE:COLUMN:
** reason" (or "FILE: reason") in err and *t empty. */
int lim_csv_read(const char *path, char delim, int skip_lines, int has_header,
                 lim_csv_table *t, char *err, size_t n);

/* The index of a named column, -1 if absent. */
int lim_csv_col(const lim_csv_table *t, const char *name);

static inline double lim_csv_at(const lim_csv_table *t, int row, int col)
{
	return t->v[(size_t)row * t->ncols + col];
}

void lim_csv_free(lim_csv_table *t);   /* accepts a zeroed or freed table */

#endif
