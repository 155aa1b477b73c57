/*
** outfile.h - output files that appear whole or not at all.
** See LICENSE for copyright.
**
** Data go to a temporary file beside the target, renamed over it on
** commit; a failed run removes the temporary and leaves the target (and
** anything computed before) untouched. A NULL or "-" path is stdout.
*/
#ifndef LIMSPICE_OUTFILE_H
#define LIMSPICE_OUTFILE_H

#include <stdio.h>

typedef struct {
	FILE *f;
	char *path;     /* NULL for stdout */
	char *tmp;
} outfile;

/* 0 on success; on failure -1 with errno set and *o unusable. */
int outfile_open(outfile *o, const char *path);

/* Flushes, closes and renames: 0, or -1 with errno (the target unchanged). */
int outfile_commit(outfile *o);

/* Closes and removes the temporary. Accepts an outfile never opened. */
void outfile_abort(outfile *o);

#endif
