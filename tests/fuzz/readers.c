/*
** readers.c - the reader table of readers.h: each entry makes the calls the
** verbs make on one kind of input file. See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "card.h"
#include "csv.h"
#include "dataset.h"
#include "deck.h"
#include "phys.h"
#include "readers.h"
#include "sweep.h"
#include "weights.h"

/* The outcome of a reader's calls so far: any accepted, the last reason. */
typedef struct {
	int accepted, broken;
	char *err;
	size_t n;
} verdict;

/* Folds one call's status in; why is the reason the call wrote. */
static void note(verdict *v, const char *call, int rc, const char *why)
{
	if (v->broken)
		return;                      /* the first broken contract is the news */
	if (rc == 0) {
		v->accepted = 1;
	} else if (rc != -1) {
		snprintf(v->err, v->n, "%s returned %d, expected 0 or -1", call, rc);
		v->broken = 1;
	} else if (!*why) {
		snprintf(v->err, v->n, "%s returned -1 without a reason", call);
		v->broken = 1;
	} else {
		snprintf(v->err, v->n, "%s", why);
	}
}

/* A contract the reader's header states was broken. */
static void broken(verdict *v, const char *call, const char *what)
{
	if (!v->broken)
		snprintf(v->err, v->n, "%s %s", call, what);
	v->broken = 1;
}

static int status(const verdict *v)
{
	if (v->broken)
		return FUZZ_BROKEN;
	if (v->accepted)
		*v->err = '\0';
	return v->accepted ? 0 : -1;
}

/* The status of a reader that makes one call. */
static int one_call(const char *call, int rc, const char *why, char *err, size_t n)
{
	verdict v = {0, 0, err, n};

	note(&v, call, rc, why);
	return status(&v);
}

/* Sums what a reader returned, so that every byte it claims is read. */
static double walk_str(const char *s) { return (double)strlen(s); }

/* -- lim_csv_read: fit's tables, weights, data sets ------------------------------ */

static int is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n && !*b)
		n--, b++;
	return n == 0;
}

static int read_csv(const char *path, char *err, size_t n)
{
	static const struct { char delim; int skip, header; const char *call; } ways[] = {
		{',', 0, 1, "csv_read(',', header)"},      /* fit, weights, lim_data_load_csv */
		{'\t', 0, 1, "csv_read(tab, header)"},     /* fit --delimiter tab */
		{',', 0, 0, "csv_read(',', no header)"},   /* fit --no-header */
		{',', 1, 0, "csv_read(',', skip 1)"},      /* lim_data_load_iris */
	};
	verdict v = {0, 0, err, n};
	size_t k;

	for (k = 0; k < sizeof ways / sizeof *ways; k++) {
		char why[1024] = "";
		lim_csv_table t;
		int rc = lim_csv_read(path, ways[k].delim, ways[k].skip, ways[k].header, &t, why,
		                      sizeof why);
		volatile double sum = 0;
		int i, j;
		if (rc != 0 && !is_zero(&t, sizeof t))
			broken(&v, ways[k].call, "failed and left the table filled (csv.h: *t empty)");
		for (j = 0; rc == 0 && j < t.ncols; j++)
			sum += walk_str(t.names[j]) + lim_csv_col(&t, t.names[j]);
		for (i = 0; rc == 0 && i < t.nrows; i++)
			for (j = 0, sum += t.line[i]; j < t.ncols; j++)
				sum += lim_csv_at(&t, i, j);
		if (rc == 0 && (t.ncols < 1 || t.nrows < 0))
			broken(&v, ways[k].call, "accepted a table of no columns");
		(void)sum;
		lim_csv_free(&t);
		note(&v, ways[k].call, rc, why);
	}
	return status(&v);
}

/* -- sweep_parse: a sweep's SPEC ------------------------------------------------ */

static double walk_values(const sweep_axis *a)
{
	double sum = 0;
	int i;

	for (i = 0; i < a->nvalues; i++)
		sum += walk_str(a->values[i]);
	return sum;
}

static void walk_spec(const sweep_spec *s)
{
	volatile double sum = walk_str(s->path) + walk_str(s->dir) + walk_str(s->text);
	const sweep_axis *a;

	for (a = s->fixed; a < s->fixed + s->nfixed; a++)
		sum += walk_values(a);
	for (a = s->axes; a < s->axes + s->naxes; a++)
		sum += walk_values(a);
	(void)sum;
}

static int read_spec(const char *path, char *err, size_t n)
{
	char why[1024] = "";
	sweep_spec s;
	int rc = sweep_parse(path, &s, why, sizeof why);

	if (rc == 0) {
		walk_spec(&s);
		sweep_free(&s);
	}
	return one_call("sweep_parse", rc, why, err, n);
}

/* -- lim_card_read: --card FILE --------------------------------------------------- */

static int read_card(const char *path, char *err, size_t n)
{
	static const char *const names[] = {NULL, "lim_default"};   /* first card, a named one */
	verdict v = {0, 0, err, n};
	size_t k;

	for (k = 0; k < sizeof names / sizeof *names; k++) {
		char why[1024] = "";
		lim_phys_dev d;
		int rc;
		lim_phys_dev_default(&d);
		rc = lim_card_read(path, names[k], &d, why, sizeof why);
		note(&v, names[k] ? "card_read(lim_default)" : "card_read(first)", rc, why);
	}
	return status(&v);
}

/* -- lim_deck_read: limspice energy DECK ------------------------------------------ */

static void walk_deck(const lim_deck *d)
{
	volatile double sum = d->had_control + d->has_tran;
	size_t i;

	for (i = 0; i < d->nlines; i++)
		sum += walk_str(d->lines[i]);
	for (i = 0; i < d->nsrc; i++)
		sum += walk_str(d->src[i].name) + walk_str(d->src[i].pos) +
		       walk_str(d->src[i].neg) + d->src[i].kind;
	(void)sum;
}

static int read_deck(const char *path, char *err, size_t n)
{
	char why[1024] = "";
	lim_deck d;
	int rc = lim_deck_read(path, &d, why, sizeof why);

	if (rc == 0)
		walk_deck(&d);
	lim_deck_free(&d);
	return one_call("deck_read", rc, why, err, n);
}

/* -- lim_weights_read: infer --weights FILE ---------------------------------------- */

enum { W_ROWS = 2, W_COLS = 3 };   /* the sample in seeds/weights/ fits */

static int read_weights(const char *path, char *err, size_t n)
{
	verdict v = {0, 0, err, n};
	char why[1024] = "";
	double w[W_ROWS * W_COLS], before[W_ROWS * W_COLS];
	lim_phys_dev card;
	int rc, i;

	lim_phys_dev_default(&card);
	for (i = 0; i < W_ROWS * W_COLS; i++)
		w[i] = before[i] = -1;          /* no state a file can give */
	rc = lim_weights_read(path, W_ROWS, W_COLS, &card, w, why, sizeof why);
	if (rc != 0 && memcmp(w, before, sizeof w) != 0)
		broken(&v, "weights_read", "failed and changed w (weights.h: w unchanged)");
	for (i = 0; rc == 0 && i < W_ROWS * W_COLS; i++)
		if (!(w[i] >= 0 && w[i] <= 1))
			broken(&v, "weights_read", "accepted a state outside 0..1");
	note(&v, "weights_read", rc, why);
	return status(&v);
}

/* -- lim_data_load_iris, lim_data_load_csv: train --data FILE -------------------------- */

static void walk_data(const lim_dataset *d)
{
	volatile double sum = walk_str(d->name);
	int i, j;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->nfeat; j++)
			sum += d->x[(size_t)i * d->nfeat + j];
		sum += d->label[i];
	}
	(void)sum;
}

static int read_data(const char *path, char *err, size_t n)
{
	static const struct {
		int (*load)(const char *, lim_dataset *, char *, size_t);
		const char *call;
	} ways[] = {{lim_data_load_iris, "data_load_iris"}, {lim_data_load_csv, "data_load_csv"}};
	verdict v = {0, 0, err, n};
	size_t k;

	for (k = 0; k < sizeof ways / sizeof *ways; k++) {
		char why[1024] = "";
		lim_dataset d;
		int rc = ways[k].load(path, &d, why, sizeof why);
		if (rc == 0) {
			walk_data(&d);
			if (d.nclass < 2 || d.n < 1)
				broken(&v, ways[k].call, "accepted a data set of one class or no rows");
			lim_data_free(&d);
		}
		note(&v, ways[k].call, rc, why);
	}
	return status(&v);
}

const fuzz_reader fuzz_readers[] = {
	{"csv", "csv_read", read_csv},
	{"spec", "sweep_parse", read_spec},
	{"card", "card_read", read_card},
	{"deck", "deck_read", read_deck},
	{"weights", "weights_read", read_weights},
	{"data", "data_load_iris, data_load_csv", read_data},
	{NULL, NULL, NULL}
};

const fuzz_reader *fuzz_reader_find(const char *name)
{
	const fuzz_reader *r;

	for (r = fuzz_readers; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}
