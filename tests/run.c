/*
** run.c - command capture for the tests. See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "session.h"
#include "tap.h"

char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *p = realloc(buf, cap = cap ? 2 * cap : 8192);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int run_capture(const char *cmd, char **out, char **err)
{
	char o[] = "/tmp/limspice-test-out.XXXXXX", e[] = "/tmp/limspice-test-err.XXXXXX";
	int fo = mkstemp(o), fe = mkstemp(e), st;
	char *full;
	size_t n;

	if (fo < 0 || fe < 0)
		return -1;
	close(fo);
	close(fe);
	n = strlen(cmd) + strlen(o) + strlen(e) + 32;
	if (!(full = malloc(n)))
		return -1;
	snprintf(full, n, "%s >%s 2>%s", cmd, o, e);
	st = system(full);
	free(full);
	*out = slurp(o);
	*err = slurp(e);
	unlink(o);
	unlink(e);
	if (!*out || !*err || st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int run_limspice(const char *args, char **out, char **err)
{
	const char *exe = getenv("LIMSPICE");
	size_t n = strlen(exe ? exe : "limspice") + strlen(args) + 2;
	char *cmd = malloc(n);
	int rc;

	if (!cmd)
		return -1;
	snprintf(cmd, n, "%s %s", exe ? exe : "limspice", args);
	rc = run_capture(cmd, out, err);
	free(cmd);
	return rc;
}

const char *env_or_skip(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v) {
		char why[128];
		snprintf(why, sizeof why, "$%s is not set (run the tests with make check)", name);
		tap_skip_all(why);
	}
	return v && *v ? v : NULL;
}

lim_session *test_session(int *status)
{
	const char *cm = getenv("LIMSPICE_CM");
	char err[1024];
	lim_session *s;

	*status = 0;
	if (!cm) {
		tap_skip_all("$LIMSPICE_CM is not set (run the tests with make check)");
		return NULL;
	}
	if (!(s = lim_sess_open(cm, err, sizeof err))) {
		printf("Bail out! %s\n", err);
		*status = 1;
	}
	return s;
}

double csv_metric(const char *csv, const char *name)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof key, "\n%s,", name);
	p = csv ? strstr(csv, key) : NULL;
	return p ? atof(p + strlen(key)) : NAN;
}

int solve_dense(int n, double *a, double *b)
{
	int i, j, k;

	for (k = 0; k < n; k++) {
		int piv = k;
		for (i = k + 1; i < n; i++)
			if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
				piv = i;
		if (a[piv * n + k] == 0)
			return -1;
		for (j = 0; j < n; j++) {
			double t = a[k * n + j];
			a[k * n + j] = a[piv * n + j];
			a[piv * n + j] = t;
		}
		{ double t = b[k]; b[k] = b[piv]; b[piv] = t; }
		for (i = k + 1; i < n; i++) {
			double f = a[i * n + k] / a[k * n + k];
			for (j = k; j < n; j++)
				a[i * n + j] -= f * a[k * n + j];
			b[i] -= f * b[k];
		}
	}
	for (i = n - 1; i >= 0; i--) {
		for (j = i + 1; j < n; j++)
			b[i] -= a[i * n + j] * b[j];
		b[i] /= a[i * n + i];
	}
	return 0;
}

void synthetic_classes(lim_dataset *d, int n, int nfeat, int ncls)
{
	int i, k;

	lim_data_synthetic(n, nfeat, ncls, 7, d);
	d->label = malloc((size_t)n * sizeof *d->label);
	for (i = 0; d->label && i < n; i++) {
		int best = 0;
		for (k = 1; k < ncls; k++)
			if (d->target[i * ncls + k] > d->target[i * ncls + best])
				best = k;
		d->label[i] = best;
	}
	free(d->target);
	d->target = NULL;
	d->nclass = ncls;
}
