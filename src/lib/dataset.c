/*
** dataset.c - load, split and standardise training data.
** See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset.h"
#include "phys.h"

void lim_data_free(lim_dataset *d)
{
	free(d->x);
	free(d->label);
	free(d->target);
	free(d->w_true);
	memset(d, 0, sizeof *d);
}

/* Features and an integer label (last column) from a read table. */
static int from_table(const lim_csv_table *t, lim_dataset *d, char *err, size_t n)
{
	int i, j, maxl = -1;

	memset(d, 0, sizeof *d);
	if (t->ncols < 2) {
		snprintf(err, n, "%s: %d column: expected features and a label", t->path, t->ncols);
		return -1;
	}
	d->n = t->nrows;
	d->nfeat = t->ncols - 1;
	d->x = malloc((size_t)d->n * d->nfeat * sizeof *d->x);
	d->label = malloc((size_t)d->n * sizeof *d->label);
	if (!d->x || !d->label) {
		lim_data_free(d);
		snprintf(err, n, "%s: out of memory", t->path);
		return -1;
	}
	for (i = 0; i < d->n; i++) {
		double l = lim_csv_at(t, i, d->nfeat);
		for (j = 0; j < d->nfeat; j++)
			d->x[i * d->nfeat + j] = lim_csv_at(t, i, j);
		if (l != floor(l) || l < 0 || l > 1000) {
			snprintf(err, n, "%s:%d:%d: label %g: expected a whole number 0, 1, 2, ...",
			         t->path, t->line[i], d->nfeat + 1, l);
			lim_data_free(d);
			return -1;
		}
		d->label[i] = (int)l;
		if (d->label[i] > maxl)
			maxl = d->label[i];
	}
	d->nclass = d->nout = maxl + 1;
	if (d->nclass < 2) {
		snprintf(err, n, "%s: one class only: expected labels 0..K-1 with K >= 2", t->path);
		lim_data_free(d);
		return -1;
	}
	return 0;
}

int lim_data_load_iris(const char *path, lim_dataset *d, char *err, size_t n)
{
	lim_csv_table t;
	int rc;

	if (lim_csv_read(path, ',', 1, 0, &t, err, n) != 0)   /* line 1 is metadata */
		return -1;
	rc = from_table(&t, d, err, n);
	lim_csv_free(&t);
	if (rc == 0)
		snprintf(d->name, sizeof d->name, "iris");
	return rc;
}

int lim_data_load_csv(const char *path, lim_dataset *d, char *err, size_t n)
{
	lim_csv_table t;
	const char *slash = strrchr(path, '/');
	int rc;

	if (lim_csv_read(path, ',', 0, 1, &t, err, n) != 0)
		return -1;
	rc = from_table(&t, d, err, n);
	lim_csv_free(&t);
	if (rc == 0)
		snprintf(d->name, sizeof d->name, "%s", slash ? slash + 1 : path);
	return rc;
}

int lim_data_synthetic(int samples, int nfeat, int nout, uint64_t seed, lim_dataset *d)
{
	uint64_t c = 0;
	int i, j, k;

	memset(d, 0, sizeof *d);
	d->n = samples;
	d->nfeat = nfeat;
	d->nout = nout;
	d->x = malloc((size_t)samples * nfeat * sizeof *d->x);
	d->target = malloc((size_t)samples * nout * sizeof *d->target);
	d->w_true = malloc((size_t)(nfeat + 1) * nout * sizeof *d->w_true);
	if (!d->x || !d->target || !d->w_true) {
		lim_data_free(d);
		return -1;
	}
	for (i = 0; i < (nfeat + 1) * nout; i++)
		d->w_true[i] = 1.2 * lim_phys_rng_uniform(seed, c++) - 0.6;
	for (i = 0; i < samples; i++) {
		for (j = 0; j < nfeat; j++)
			d->x[i * nfeat + j] = 3 * lim_phys_rng_uniform(seed, c++) - 1.5;
		for (k = 0; k < nout; k++) {
			double s = d->w_true[nfeat * nout + k];   /* bias */
			for (j = 0; j < nfeat; j++)
				s += d->w_true[j * nout + k] * d->x[i * nfeat + j];
			d->target[i * nout + k] = s;
		}
	}
	snprintf(d->name, sizeof d->name, "synthetic");
	return 0;
}

static void shuffle(int *a, int n, uint64_t seed, uint64_t salt)
{
	int i;

	for (i = n - 1; i > 0; i--) {
		int j = (int)(lim_phys_rng_uniform(seed, salt + (uint64_t)i) * (i + 1)), t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

int lim_data_split(const lim_dataset *d, double test_frac, uint64_t seed, int **train, int *ntrain,
                   int **test, int *ntest)
{
	int *tr = malloc((size_t)d->n * sizeof *tr), *te = malloc((size_t)d->n * sizeof *te);
	int *idx = malloc((size_t)d->n * sizeof *idx), groups = d->nclass ? d->nclass : 1;
	int g, i;

	*ntrain = *ntest = 0;
	if (!tr || !te || !idx) {
		free(tr); free(te); free(idx);
		return -1;
	}
	for (g = 0; g < groups; g++) {   /* each class is split alike */
		int m = 0, k;
		for (i = 0; i < d->n; i++)
			if (!d->nclass || d->label[i] == g)
				idx[m++] = i;
		shuffle(idx, m, seed, (uint64_t)g << 32);
		k = (int)lround(m * test_frac);
		for (i = 0; i < m; i++) {
			if (i < k)
				te[(*ntest)++] = idx[i];
			else
				tr[(*ntrain)++] = idx[i];
		}
	}
	shuffle(tr, *ntrain, seed, 1ull << 62);
	free(idx);
	*train = tr;
	*test = te;
	return 0;
}

void lim_data_standardise(lim_dataset *d, const int *train, int ntrain)
{
	int i, j;

	for (j = 0; j < d->nfeat; j++) {
		double m = 0, v = 0, sd;
		for (i = 0; i < ntrain; i++)
			m += d->x[train[i] * d->nfeat + j];
		m /= ntrain;
		for (i = 0; i < ntrain; i++) {
			double e = d->x[train[i] * d->nfeat + j] - m;
			v += e * e;
		}
		sd = sqrt(v / (ntrain > 1 ? ntrain - 1 : 1));
		if (!(sd > 0))
			sd = 1;                      /* a constant feature stays at 0 */
		for (i = 0; i < d->n; i++) {
			double z = (d->x[i * d->nfeat + j] - m) / sd;
			d->x[i * d->nfeat + j] = fmax(-LIM_DATA_CLIP_SD, fmin(LIM_DATA_CLIP_SD, z));
		}
	}
}
