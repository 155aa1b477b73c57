/*
** plot.c - run gnuplot on a generated script. See LICENSE for copyright.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"

/* Replaces every @OUT@ in script with out, quoted for gnuplot's single
** quotes (a ' is written ''); the result is malloc'd. */
static char *with_output(const char *script, const char *out)
{
	size_t n = 1, ol = strlen(out), quotes = 0;
	const char *p;
	char *r, *q;

	for (p = out; *p; p++)
		quotes += *p == '\'';
	for (p = script; *p; p++)
		n += strncmp(p, "@OUT@", 5) == 0 ? ol + quotes : 1;
	if (!(r = malloc(n)))
		return NULL;
	for (p = script, q = r; *p;) {
		if (strncmp(p, "@OUT@", 5) == 0) {
			const char *c;
			for (c = out; *c; c++)
				if ((*q++ = *c) == '\'')
					*q++ = '\'';
			p += 5;
		} else {
			*q++ = *p++;
		}
	}
	*q = '\0';
	return r;
}

/* Feeds text to gnuplot; 0 when it ran and exited 0. A gnuplot that is
** missing or dies early must not kill us with SIGPIPE. */
static int gnuplot(const char *text)
{
	struct sigaction ign, old;
	FILE *gp;
	int wrote = 0, st = -1;

	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	/* gnuplot's own complaints go to our stderr, where the user sees them */
	if ((gp = popen("gnuplot", "w"))) {
		wrote = fputs(text, gp) >= 0;
		st = pclose(gp);
	}
	sigaction(SIGPIPE, &old, NULL);
	return gp && wrote && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Is the file at fd a whole PNG: the signature first, the IEND chunk last? */
static int png_whole(int fd)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
	                                       0xae, 0x42, 0x60, 0x82};
	unsigned char head[8], tail[12];
	off_t size = lseek(fd, 0, SEEK_END);

	return size >= 20 && pread(fd, head, 8, 0) == 8 && !memcmp(head, sig, 8) &&
	       pread(fd, tail, 12, size - 12) == 12 && !memcmp(tail, iend, 12);
}

/* Copies the file at fd into f; 0, or -1 with errno (f's own errors are
** the commit's to find). */
static int copy_into(int fd, FILE *f)
{
	char buf[65536];
	ssize_t got;
	off_t at = 0;

	while ((got = pread(fd, buf, sizeof buf, at)) > 0) {
		if (fwrite(buf, 1, (size_t)got, f) != (size_t)got)
			return -1;
		at += got;
	}
	return got < 0 ? -1 : 0;
}

int plot_render(const char *script, outfile *o, char *err, size_t n)
{
	const char *name = o->path ? o->path : "stdout", *td = getenv("TMPDIR");
	char scratch[4096], *text;
	int fd, rc = -1;

	if (o->tmp) {   /* gnuplot writes the temporary by name */
		snprintf(scratch, sizeof scratch, "%s", o->tmp);
		fd = open(scratch, O_RDONLY | O_CLOEXEC);
	} else {        /* a device or stdout: render aside, then copy */
		snprintf(scratch, sizeof scratch, "%s/limspice-plot.XXXXXX", td && *td ? td : "/tmp");
		fd = mkostemp(scratch, O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, n, "%s: cannot write: %s", name, strerror(errno));
		return -1;
	}
	if (!(text = with_output(script, scratch)))
		snprintf(err, n, "%s: out of memory", name);
	else if (gnuplot(text) != 0)
		snprintf(err, n, "gnuplot failed on the plot for %s (is gnuplot installed?)", name);
	else if (!png_whole(fd))
		snprintf(err, n, "%s: cannot write: the PNG gnuplot wrote is incomplete (is the "
		         "disk full?)", name);
	else if (!o->tmp && copy_into(fd, o->f) != 0)
		snprintf(err, n, "%s: cannot write: %s", name, strerror(errno));
	else
		rc = 0;
	free(text);
	close(fd);
	if (!o->tmp)
		unlink(scratch);
	return rc;
}

int plot_png(const char *script, const char *png_path, char *err, size_t n)
{
	outfile o;

	if (outfile_open(&o, png_path) != 0) {
		snprintf(err, n, "%s: cannot write: %s", png_path, strerror(errno));
		return -1;
	}
	if (plot_render(script, &o, err, n) != 0) {
		outfile_abort(&o);
		return -1;
	}
	if (outfile_commit(&o) != 0) {
		snprintf(err, n, "%s: cannot write: %s", png_path, strerror(errno));
		return -1;
	}
	return 0;
}

void plot_add(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*s ? *s + *len : NULL, *s ? *cap - *len : 0, fmt, ap);
		va_end(ap);
		if (*s && (size_t)n < *cap - *len)
			break;
		{
			size_t nc = *cap ? *cap * 2 + (size_t)n : 65536 + (size_t)n;
			char *g = realloc(*s, nc);
			if (!g)
				return;
			*s = g;
			*cap = nc;
		}
	}
	*len += (size_t)n;
}
