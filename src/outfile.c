/*
** outfile.c - write to a temporary, rename on success.
** See LICENSE for copyright.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

int outfile_open(outfile *o, const char *path)
{
	size_t n;
	int fd;

	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	n = strlen(path);
	o->path = strdup(path);
	o->tmp = malloc(n + 16);
	if (!o->path || !o->tmp)
		goto fail;
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
	if ((fd = mkstemp(o->tmp)) < 0)
		goto fail;
	if (!(o->f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return -1;
}

int outfile_commit(outfile *o)
{
	int rc = 0, e = 0;

	if (!o->f)
		return -1;
	if (!o->path) {
		rc = fflush(stdout) == 0 ? 0 : -1;
		o->f = NULL;
		return rc;
	}
	if (ferror(o->f))
		rc = -1, e = EIO;
	if (fclose(o->f) != 0 && rc == 0)
		rc = -1, e = errno;
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = -1, e = errno;
	if (rc != 0)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	errno = e;
	return rc;
}

void outfile_abort(outfile *o)
{
	if (o->f && o->path) {
		fclose(o->f);
		unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}
