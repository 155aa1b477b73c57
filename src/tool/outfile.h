/*
** outfile.h - output files that appear whole or not at all.
** See LICENSE for copyright.
**
** Data go to a temporary file beside the target, renamed over it on
** commit; a failed run removes the temporary and leaves the target (and
** anything computed before) untouched. A NULL or "-" path is stdout.
**
** The target is the path with its symlinks resolved, so a link is written
** through, not replaced. A target that exists and is not a regular file (a
** device, a FIFO) is written in place: renaming over it would replace it.
** A new file gets mode 0666 less the umask; a replaced one keeps its mode.
** A temporary is locked while its writer lives, so the temporaries of runs
** that were killed can be told from live ones and removed (outfile_open
** removes the target's, outset_dir a directory's).
*/
#ifndef LIMSPICE_OUTFILE_H
#define LIMSPICE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	FILE *f;
	char *path;     /* as given, for messages; NULL for stdout */
	char *target;   /* path with its symlinks resolved */
	char *tmp;      /* the temporary beside target; NULL when written in place */
} outfile;

/* 0 on success; on failure -1 with errno set and *o unusable (but safe to
** abort). */
int outfile_open(outfile *o, const char *path);

/* Flushes, syncs, closes and renames: 0, or -1 with errno (the target
** unchanged, the temporary removed). A write error that happened earlier
** (a full disk) fails here. Stdout is flushed and left open. */
int outfile_commit(outfile *o);

/* Closes and removes the temporary. Accepts an outfile never opened or
** whose open failed. */
void outfile_abort(outfile *o);

/* ---- Sets of outputs ----------------------------------------------------
** The outputs of one run, committed together: every file is written and
** checked before the first is renamed into place. With outset_dir they
** live in one directory that the run holds locked. */

#define OUTSET_MAX 16

typedef struct {
	outfile f[OUTSET_MAX];
	int n;
	char *dir;                  /* outset_dir's directory, else NULL */
	int lock;                   /* its lock file's descriptor, -1 without */
	const char *const *names;   /* every file a run into dir may write */
} outset;

/* An empty set; outset_abort and outset_commit accept it. */
void outset_init(outset *s);

/* Makes dir the set's directory: creates it (mode 0777 less the umask),
** locks it against other runs and removes temporaries that killed runs
** left there. names (NULL-terminated, kept by reference) lists every file
** a run into dir may write: those this run does not write are removed on
** commit, so no earlier run's output is left to pass for this one's.
** Call before the run starts, so a directory that cannot be written (or
** that another run is writing) is refused before any work. 0, or -1 with
** "DIR: reason" in err. */
int outset_dir(outset *s, const char *dir, const char *const *names, char *err,
               size_t n);

/* Opens one more output: dir/name with a dir, else the path name (NULL or
** "-" for stdout). The outfile belongs to the set. NULL with "PATH: cannot
** write: reason" in err. */
outfile *outset_add(outset *s, const char *dir, const char *name, char *err, size_t n);

/* Checks every file, then renames them all into place, removes the names
** this run did not write and releases the directory. 0, or -1 with "PATH:
** cannot write: reason" in err; on -1 the targets are as they were unless
** a rename itself failed (then err says which). */
int outset_commit(outset *s, char *err, size_t n);

/* Removes every temporary and releases the directory; the targets are left
** as they were. */
void outset_abort(outset *s);

#endif
