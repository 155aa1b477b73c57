/*
** energy.c - supply energy from source voltages and currents.
** See LICENSE for copyright.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "energy.h"
#include "xbar.h"

double energy_window(const double *t, const double *p, size_t n, double t0, double t1)
{
	double e = 0;
	size_t k;

	for (k = 1; k < n; k++) {
		double a = t[k - 1], b = t[k], lo = a > t0 ? a : t0, hi = b < t1 ? b : t1;
		double slope, pl, ph;
		if (hi <= lo || b <= a)
			continue;
		slope = (p[k] - p[k - 1]) / (b - a);
		pl = p[k - 1] + slope * (lo - a);
		ph = p[k - 1] + slope * (hi - a);
		e += (pl + ph) / 2 * (hi - lo);
	}
	return e;
}

const char *energy_group(const char *source)
{
	xbar_kind kind;
	int idx;

	if (xbar_parse_name(source, &kind, &idx) == 0)
		return kind == XBAR_ROW ? "row" : kind == XBAR_SENSE ? "sense" : "barrier";
	/* "vc<j>": the column drivers of hand-written conventional decks */
	if (strncmp(source, "vc", 2) == 0 && source[2] &&
	    strspn(source + 2, "0123456789") == strlen(source + 2))
		return "column";
	return "other";
}

/* The voltage of node (0 for ground) into a malloc'd array of n points. */
static double *node_voltage(session *se, const char *node, size_t n)
{
	char name[300];
	double *v;
	size_t len;

	if (!strcmp(node, "0") || !strcmp(node, "gnd"))
		return calloc(n, sizeof(double));
	snprintf(name, sizeof name, "v(%s)", node);
	if (sess_vec(se, name, &v, &len) != 0)
		return NULL;
	if (len != n) {
		free(v);
		return NULL;
	}
	return v;
}

double *energy_power(session *se, const deck_source *s, size_t *len)
{
	double *t = NULL, *vp = NULL, *vn = NULL, *i = NULL, *p = NULL;
	char name[300];
	size_t n, ni, k;

	if (sess_vec(se, "time", &t, &n) != 0)
		return NULL;
	if (s->kind == 'v')
		snprintf(name, sizeof name, "%s#branch", s->name);
	else
		snprintf(name, sizeof name, "@%s[current]", s->name);
	if (!(vp = node_voltage(se, s->pos, n)) || !(vn = node_voltage(se, s->neg, n)))
		goto done;
	if (sess_vec(se, name, &i, &ni) != 0 || ni != n)
		goto done;
	if (!(p = malloc(n * sizeof *p)))
		goto done;
	for (k = 0; k < n; k++)
		p[k] = s->kind == 'v' ? -(vp[k] - vn[k]) * i[k] : (vn[k] - vp[k]) * i[k];
	*len = n;
done:
	free(t);
	free(vp);
	free(vn);
	free(i);
	return p;
}
