/*
** deck.h - a user's ngspice deck, read so limspice can run it itself.
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_DECK_H
#define LIMSPICE_DECK_H

#include <stddef.h>

typedef struct {
	char *name;        /* as written, lower-cased (ngspice's vector names) */
	char *pos, *neg;   /* terminal nodes */
	char kind;         /* 'v' or 'i' */
} lim_deck_source;

typedef struct {
	char **lines;      /* title first, ".end" last, continuations joined */
	size_t nlines;
	lim_deck_source *src;  /* independent sources at the top level */
	size_t nsrc;
	int had_control;   /* a .control block was left out */
	int has_tran;      /* a .tran line is present */
} lim_deck;

/* Reads path: joins '+' lines, leaves out .control ... .endc (the caller
** keeps control of the simulator), makes .include/.lib paths absolute
** against the deck's folder, lists top-level V and I sources, those of the
** files it includes too (an .include whole, a .lib FILE SECTION only that
** section, 16 levels deep at most), and appends .save lines for their
** currents and terminal voltages. 0, or -1 with FILE:LINE and the reason
** in err. */
int lim_deck_read(const char *path, lim_deck *d, char *err, size_t n);

void lim_deck_free(lim_deck *d);   /* accepts a zeroed deck */

/* Every logical line of a deck as ngspice reads it, for checks of one's own:
** '+' lines joined, then each line with its file and first line number,
** in_control 1 inside .control ... .endc (both marks included). An
** .include's lines follow it where it stands; a .lib FILE SECTION's lines
** are those of SECTION only; 16 levels deep at most. The top file's title
** and its .end are not visited. visit returns nonzero to stop the walk.
** 0, or -1 with the reason (FILE:LINE where it has one) in err. */
typedef int (*lim_deck_visit_fn)(void *ctx, const char *file, int line, const char *text,
                                 int in_control);
int lim_deck_walk(const char *path, lim_deck_visit_fn visit, void *ctx, char *err, size_t n);

#endif
