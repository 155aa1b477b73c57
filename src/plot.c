/*
** plot.c - run gnuplot on a generated script. See LICENSE for copyright.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot.h"

/* Replaces every @OUT@ in script with out; the result is malloc'd. */
static char *with_output(const char *script, const char *out)
{
	size_t n = 1, ol = strlen(out);
	const char *p;
	char *r, *q;

	for (p = script; *p; p++)
		n += strncmp(p, "@OUT@", 5) == 0 ? ol : 1;
	if (!(r = malloc(n)))
		return NULL;
	for (p = script, q = r; *p;) {
		if (strncmp(p, "@OUT@", 5) == 0) {
			memcpy(q, out, ol);
			q += ol;
			p += 5;
		} else {
			*q++ = *p++;
		}
	}
	*q = '\0';
	return r;
}

int plot_png(const char *script, const char *png_path, char *err, size_t n)
{
	size_t pl = strlen(png_path);
	char *tmp = malloc(pl + 16), *text = NULL;
	FILE *gp;
	int rc = -1, fd;

	if (!tmp) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	snprintf(tmp, pl + 16, "%s.tmp.XXXXXX", png_path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, n, "%s: cannot create a temporary file", png_path);
		free(tmp);
		return -1;
	}
	close(fd);
	if (!(text = with_output(script, tmp))) {
		snprintf(err, n, "out of memory");
		goto done;
	}
	/* gnuplot's own complaints go to our stderr, where the user sees them */
	if (!(gp = popen("gnuplot", "w"))) {
		snprintf(err, n, "cannot run gnuplot");
		goto done;
	}
	fputs(text, gp);
	if (pclose(gp) != 0) {
		snprintf(err, n, "gnuplot failed on the plot for %s (is gnuplot installed?)",
		         png_path);
		goto done;
	}
	if (rename(tmp, png_path) != 0) {
		snprintf(err, n, "%s: cannot rename the plot into place", png_path);
		goto done;
	}
	rc = 0;
done:
	if (rc)
		unlink(tmp);
	free(tmp);
	free(text);
	return rc;
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
