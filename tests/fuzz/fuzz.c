/*
** fuzz.c - libFuzzer's entry for one reader of readers.c, chosen when
** compiling: -DFUZZ_READER='"csv"' (make fuzz builds one per reader).
** See LICENSE for copyright.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "readers.h"

#ifndef FUZZ_READER
#error "FUZZ_READER names the reader: -DFUZZ_READER='\"csv\"'"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The readers take a path: each input goes into one memfd, made on the
** first run and kept (libFuzzer's entry has no state to carry it, hence
** the statics), and is read back through /proc/self/fd/N. A broken
** contract aborts, which libFuzzer reports as a crash with the input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_reader *r;
	static char path[64];
	static int fd = -1;
	char err[1024] = "";

	if (fd < 0) {
		if (!(r = fuzz_reader_find(FUZZ_READER))) {
			fprintf(stderr, "fuzz: no reader '%s' in readers.c\n", FUZZ_READER);
			abort();
		}
		if ((fd = memfd_create("fuzz-" FUZZ_READER, 0)) < 0) {
			perror("fuzz: memfd_create");
			abort();
		}
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, (off_t)size) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
		perror("fuzz: writing the memfd");
		abort();
	}
	if (r->read(path, err, sizeof err) == FUZZ_BROKEN) {
		fprintf(stderr, "fuzz: %s: %s\n", r->calls, err);
		abort();
	}
	return 0;
}
