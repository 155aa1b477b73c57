/*
** readers.h - limspice's file readers, called as the verbs call them, for
** the fuzzer (fuzz.c) and for the regression cases (t-fuzz.c).
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_FUZZ_READERS_H
#define LIMSPICE_FUZZ_READERS_H

#include <stddef.h>

/* A reader broke its contract (see fuzz_reader); err says how. */
enum { FUZZ_BROKEN = -2 };

typedef struct {
	const char *name;    /* tests/fuzz/cases/NAME/, build/fuzz/fuzz-NAME */
	const char *calls;   /* what it calls, for messages */
	/* Reads path with each of the reader's calls, walks what a call returned
	** (so a sanitizer sees sizes that lie) and frees it. 0 when a call
	** accepted the file; -1 with a call's reason in err when all refused it;
	** FUZZ_BROKEN with what went wrong in err when a call refused without a
	** reason, returned another status or changed its output on failure. */
	int (*read)(const char *path, char *err, size_t n);
} fuzz_reader;

/* Every reader; the list ends with a NULL name. */
extern const fuzz_reader fuzz_readers[];

/* The reader called name, NULL if none is. */
const fuzz_reader *fuzz_reader_find(const char *name);

#endif
