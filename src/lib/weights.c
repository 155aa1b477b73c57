/*
** weights.c - read and write array states (see weights.h).
** See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "weights.h"

int lim_weights_read(const char *path, int rows, int pcols, const lim_phys_dev *card,
                     double *w, char *err, size_t n)
{
	return lim_weights_read_layer(path, 0, rows, pcols, card, w, err, n);
}

int lim_weights_read_layer(const char *path, int layer, int rows, int pcols,
                           const lim_phys_dev *card, double *w, char *err, size_t n)
{
	lim_csv_table t;
	int cr, cc, cw, cg, cl, r, cells = rows * pcols, rc = -1, want = layer ? layer : 1;
	double *tmp = NULL;
	char *seen = NULL;
	double dg = card->g_max - card->g_min;

	if (lim_csv_read(path, ',', 0, 1, &t, err, n) != 0)
		return -1;
	cr = lim_csv_col(&t, "row");
	cc = lim_csv_col(&t, "col");
	cw = lim_csv_col(&t, "w");
	cg = lim_csv_col(&t, "g_S");
	cl = lim_csv_col(&t, "layer");
	if (layer > 1 && cl < 0) {
		snprintf(err, n, "%s:1: no layer column: the states of a one-layer network "
		         "(expected layer,row,col,... for two layers)", path);
		goto done;
	}
	if (cr < 0 || cc < 0 || (cw < 0 && cg < 0)) {
		snprintf(err, n, "%s:1: expected the columns row,col and w or g_S", path);
		goto done;
	}
	if (cw < 0 && !(dg > 0)) {
		snprintf(err, n, "%s: g_S needs g_max > g_min in the card to give w", path);
		goto done;
	}
	tmp = malloc((size_t)cells * sizeof *tmp);
	seen = calloc((size_t)cells, 1);
	if (!tmp || !seen) {
		snprintf(err, n, "%s: out of memory", path);
		goto done;
	}
	for (r = 0; cl >= 0 && layer == 0 && r < t.nrows; r++)
		if (lim_csv_at(&t, r, cl) == 2) {   /* said before its sizes disagree */
			snprintf(err, n, "%s:%d: layer 2: the states of a two-layer network "
			         "(train --hidden; infer --hidden)", path, t.line[r]);
			goto done;
		}
	for (r = 0; r < t.nrows; r++) {
		double i = lim_csv_at(&t, r, cr), p = lim_csv_at(&t, r, cc), v;
		double l = cl >= 0 ? lim_csv_at(&t, r, cl) : 1;
		int k;
		if (!(l == 1 || l == 2)) {
			snprintf(err, n, "%s:%d: layer %g: expected 1 or 2", path, t.line[r], l);
			goto done;
		}
		if (l != want && layer == 0) {   /* a one-layer reader given two layers */
			snprintf(err, n, "%s:%d: layer %g: the states of a two-layer network "
			         "(train --hidden)", path, t.line[r], l);
			goto done;
		}
		if (l != want)
			continue;
		/* the range first: a cast of 1e38 to int is undefined */
		if (!(i >= 0 && i < rows && p >= 0 && p < pcols) || i != floor(i) || p != floor(p)) {
			snprintf(err, n, "%s:%d: device (%g, %g) is outside the %d x %d array", path,
			         t.line[r], i, p, rows, pcols);
			goto done;
		}
		k = (int)i * pcols + (int)p;
		if (seen[k]++) {
			snprintf(err, n, "%s:%d: device (%g, %g) appears twice", path, t.line[r], i, p);
			goto done;
		}
		v = cw >= 0 ? lim_csv_at(&t, r, cw) : (lim_csv_at(&t, r, cg) - card->g_min) / dg;
		if (!(v >= -1e-12 && v <= 1 + 1e-12)) {
			snprintf(err, n, "%s:%d: device (%g, %g): state %g is outside 0..1 (check g_S "
			         "against the card's g_min and g_max)", path, t.line[r], i, p, v);
			goto done;
		}
		tmp[k] = v < 0 ? 0 : v > 1 ? 1 : v;
	}
	for (r = 0; r < cells; r++)
		if (!seen[r]) {
			snprintf(err, n, "%s: device (%d, %d) is missing", path, r / pcols, r % pcols);
			goto done;
		}
	memcpy(w, tmp, (size_t)cells * sizeof *w);
	rc = 0;
done:
	free(tmp);
	free(seen);
	lim_csv_free(&t);
	return rc;
}

int lim_weights_write(FILE *f, int rows, int pcols, const lim_phys_dev *card, const double *w)
{
	int i, p;

	fprintf(f, "row,col,w,g_S\n");
	for (i = 0; i < rows; i++)
		for (p = 0; p < pcols; p++)
			fprintf(f, "%d,%d,%.15g,%.15g\n", i, p, w[i * pcols + p],
			        lim_phys_dev_conductance(card, w[i * pcols + p]));
	return ferror(f) ? -1 : 0;
}

int lim_weights_write2(FILE *f, int rows, int pcols, const double *w, int rows2, int pcols2,
                       const double *w2, const lim_phys_dev *card)
{
	int l, i, p;

	fprintf(f, "layer,row,col,w,g_S\n");
	for (l = 1; l <= 2; l++) {
		int nr = l == 1 ? rows : rows2, np = l == 1 ? pcols : pcols2;
		const double *s = l == 1 ? w : w2;
		for (i = 0; i < nr; i++)
			for (p = 0; p < np; p++)
				fprintf(f, "%d,%d,%d,%.15g,%.15g\n", l, i, p, s[i * np + p],
				        lim_phys_dev_conductance(card, s[i * np + p]));
	}
	return ferror(f) ? -1 : 0;
}
