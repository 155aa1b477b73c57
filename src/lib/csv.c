/*
** csv.c - numeric CSV tables (see csv.h for why this reader is enough).
** See LICENSE for copyright.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Splits line in place at delim; returns the number of fields (<= max). */
static int split(char *line, char delim, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *d = strchr(p, delim);
		if (n < max)
			f[n] = trim(p);
		n++;
		if (!d)
			break;
		*d = '\0';
		p = d + 1;
	}
	return n;
}

/* Whether every field parses as a number: a data row where a header belongs. */
static int all_numbers(char **f, int k)
{
	int i;

	for (i = 0; i < k; i++) {
		char *end;
		strtod(f[i], &end);
		if (end == f[i] || *end)
			return 0;
	}
	return 1;
}

void lim_csv_free(lim_csv_table *t)
{
	int i;

	for (i = 0; t->names && i < t->ncols; i++)
		free(t->names[i]);
	free(t->names);
	free(t->v);
	free(t->line);
	free(t->path);
	memset(t, 0, sizeof *t);
}

#define MAXF 4096

int lim_csv_read(const char *path, char delim, int skip_lines, int has_header,
                 lim_csv_table *t, char *err, size_t n)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *f[MAXF];
	size_t cap = 0, rows_cap = 0;
	ssize_t len;
	int lineno = 0, i, k;

	memset(t, 0, sizeof *t);
	if (!fp) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	t->path = strdup(path);
	while ((len = getline(&line, &cap, fp)) >= 0) {
		char *s;
		lineno++;
		if (memchr(line, '\0', (size_t)len)) {   /* getline keeps what strlen would cut */
			snprintf(err, n, "%s:%d: a NUL byte: expected text", path, lineno);
			goto fail;
		}
		s = trim(line);
		if (lineno <= skip_lines || *s == '\0' || *s == '#')
			continue;
		k = split(s, delim, f, MAXF);
		if (k > MAXF) {
			snprintf(err, n, "%s:%d: %d columns: at most %d are read", path, lineno, k, MAXF);
			goto fail;
		}
		if (!t->names) {             /* the first line sets the columns */
			t->ncols = k;
			if (!(t->names = calloc((size_t)k, sizeof *t->names)))
				goto oom;
			for (i = 0; i < k; i++) {
				char name[16];
				snprintf(name, sizeof name, "c%d", i + 1);
				if (!(t->names[i] = strdup(has_header ? f[i] : name)))
					goto oom;
			}
			if (has_header && all_numbers(f, k)) {
				snprintf(err, n, "%s:%d: the header line holds only numbers: expected "
				         "column names (is the header commented out with '#'?)", path, lineno);
				goto fail;
			}
			if (has_header)
				continue;
		}
		if (k != t->ncols) {
			snprintf(err, n, "%s:%d: %d fields, expected %d as in the %s", path, lineno, k,
			         t->ncols, has_header ? "header" : "first row");
			goto fail;
		}
		if ((size_t)t->nrows == rows_cap) {
			size_t nc = rows_cap ? 2 * rows_cap : 256;
			double *v = realloc(t->v, nc * (size_t)t->ncols * sizeof *v);
			int *l;
			if (!v)
				goto oom;
			t->v = v;
			if (!(l = realloc(t->line, nc * sizeof *l)))
				goto oom;
			t->line = l;
			rows_cap = nc;
		}
		for (i = 0; i < k; i++) {
			char *end;
			double v;
			errno = 0;
			v = strtod(f[i], &end);
			if (end == f[i] || *end || errno || !isfinite(v)) {
				snprintf(err, n, "%s:%d:%d: '%s' is not a number (column %s)", path, lineno,
				         i + 1, f[i], t->names[i]);
				goto fail;
			}
			t->v[(size_t)t->nrows * t->ncols + i] = v;
		}
		t->line[t->nrows++] = lineno;
	}
	if (!t->names) {
		snprintf(err, n, "%s: no data", path);
		goto fail;
	}
	free(line);
	fclose(fp);
	return 0;
oom:
	snprintf(err, n, "%s: out of memory", path);
fail:
	free(line);
	fclose(fp);
	lim_csv_free(t);
	return -1;
}

int lim_csv_col(const lim_csv_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->names[i], name) == 0)
			return i;
	return -1;
}
