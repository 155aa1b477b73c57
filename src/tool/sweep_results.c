/*
** sweep_results.c - results.csv of a sweep (read back, added to, written
** sorted), the Pareto front of energy against steps, and the plots.
** See LICENSE for copyright.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "plot.h"
#include "sweep.h"

enum { MAX_FIELDS = 128 };

static int column(const char *header, const char *name)
{
	char *h = strdup(header), *f[MAX_FIELDS];
	int i, nf, at = -1;

	if (!h)
		return -1;
	nf = sweep_split(h, f, MAX_FIELDS);
	for (i = 0; i < nf && at < 0; i++)
		if (!strcmp(f[i], name))
			at = i;
	free(h);
	return at;
}

/* Field col of row as a malloc'd string ("" when absent). */
static char *field(const char *row, int col)
{
	char *r = strdup(row), *f[MAX_FIELDS], *v;
	int nf;

	if (!r)
		return NULL;
	nf = sweep_split(r, f, MAX_FIELDS);
	v = strdup(col >= 0 && col < nf ? f[col] : "");
	free(r);
	return v;
}

static double field_num(const char *row, int col)
{
	char *v = field(row, col), *end;
	double x = NAN;

	if (v && *v) {
		x = strtod(v, &end);
		if (end == v)
			x = NAN;
	}
	free(v);
	return x;
}

int sweep_results_add(sweep_results *r, const char *row)
{
	long k = strtol(row, NULL, 10), i;
	char **rows;
	long *point;
	int *failed, st = r->header ? column(r->header, "status") : -1;
	char *status;

	for (i = 0; i < r->nrows; i++)
		if (r->point[i] == k)
			return 0;
	rows = realloc(r->rows, (r->nrows + 1) * sizeof *rows);
	if (rows)
		r->rows = rows;
	point = realloc(r->point, (r->nrows + 1) * sizeof *point);
	if (point)
		r->point = point;
	failed = realloc(r->failed, (r->nrows + 1) * sizeof *failed);
	if (failed)
		r->failed = failed;
	if (!rows || !point || !failed || !(rows[r->nrows] = strdup(row)))
		return -1;
	status = field(row, st);
	failed[r->nrows] = !status || strcmp(status, "ok") != 0;
	free(status);
	point[r->nrows++] = k;
	return 1;
}

int sweep_results_read(const char *path, sweep_results *r, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(r, 0, sizeof *r);
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] != '\n')      /* torn by a kill mid-write */
			break;
		line[len - 1] = 0;
		if (!r->header) {
			if (!(r->header = strdup(line)))
				break;
		} else if (*line && sweep_results_add(r, line) < 0) {
			break;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static int by_point(const void *a, const void *b, void *ctx)
{
	const long *p = ctx;
	long x = p[*(const long *)a], y = p[*(const long *)b];

	return (x > y) - (x < y);
}

int sweep_results_write(const char *path, const char *header, sweep_results *r,
                        char *err, size_t n)
{
	long *ord = malloc((r->nrows + 1) * sizeof *ord), i;
	outfile o;

	if (!ord)
		return snprintf(err, n, "out of memory"), -1;
	for (i = 0; i < r->nrows; i++)
		ord[i] = i;
	qsort_r(ord, r->nrows, sizeof *ord, by_point, r->point);
	if (outfile_open(&o, path) != 0) {
		free(ord);
		snprintf(err, n, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	fprintf(o.f, "%s\n", header);
	for (i = 0; i < r->nrows; i++)
		fprintf(o.f, "%s\n", r->rows[ord[i]]);
	free(ord);
	if (outfile_commit(&o) != 0) {
		snprintf(err, n, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void sweep_results_free(sweep_results *r)
{
	long i;

	for (i = 0; i < r->nrows; i++)
		free(r->rows[i]);
	free(r->rows);
	free(r->point);
	free(r->failed);
	free(r->header);
	memset(r, 0, sizeof *r);
}

/* -- The trade-off ------------------------------------------------------------ */

typedef struct { long row, point; double steps, energy; } tradeoff;

static int by_steps(const void *a, const void *b)
{
	const tradeoff *x = a, *y = b;

	if (x->steps != y->steps)
		return x->steps < y->steps ? -1 : 1;
	return (x->energy > y->energy) - (x->energy < y->energy);
}

/* The points no other point beats on both steps and energy, in order of
** steps; *nfront of them at the start of t (t is reordered). */
static long pareto(tradeoff *t, long nt)
{
	long i, nf = 0;
	double best = INFINITY;

	qsort(t, nt, sizeof *t, by_steps);
	for (i = 0; i < nt; i++)
		if (t[i].energy < best) {
			best = t[i].energy;
			t[nf++] = t[i];
		}
	return nf;
}

/* ",name" of each swept value's column, as results.csv's header has them. */
static void put_axis_names(FILE *f, const sweep_spec *s)
{
	char head[8192];
	int j;

	sweep_header(s, head, sizeof head);
	for (j = 1; j <= s->naxes; j++) {
		char *h = field(head, j);
		fprintf(f, ",%s", h ? h : "");
		free(h);
	}
}

/* ",value" of each swept value of row, quoted for CSV, and the newline. */
static void put_axis_values(FILE *f, const sweep_spec *s, const char *row)
{
	int j;

	for (j = 1; j <= s->naxes; j++) {
		char *v = field(row, j), q[1024];
		sweep_quote(v ? v : "", q, sizeof q);
		fprintf(f, ",%s", q);
		free(v);
	}
	fputc('\n', f);
}

static int write_pareto(const char *dir, const sweep_spec *s, const sweep_results *r,
                        const tradeoff *front, long nf, char *err, size_t n)
{
	char path[4096];
	outfile o;
	long i;

	snprintf(path, sizeof path, "%s/pareto.csv", dir);
	if (outfile_open(&o, path) != 0)
		return snprintf(err, n, "%s: cannot create: %s", path, strerror(errno)), -1;
	fprintf(o.f, "point,steps_to_target,energy_per_update_J");
	put_axis_names(o.f, s);
	fputc('\n', o.f);
	for (i = 0; i < nf; i++) {
		fprintf(o.f, "%ld,%.9g,%.9g", r->point[front[i].row], front[i].steps, front[i].energy);
		put_axis_values(o.f, s, r->rows[front[i].row]);
	}
	if (outfile_commit(&o) != 0)
		return snprintf(err, n, "%s: cannot write: %s", path, strerror(errno)), -1;
	return 0;
}

/* gnuplot warns on an axis whose data span nothing (one point, or equal
** values): give it a span around the value instead. */
static void pad_range(char **sc, size_t *len, size_t *cap, const char *axis, double lo,
                      double hi, int logscale)
{
	if (!(lo == hi) || !isfinite(lo))
		return;
	if (logscale)
		plot_add(sc, len, cap, "set %srange [%.9g:%.9g]\n", axis, lo / 2, hi * 2);
	else
		plot_add(sc, len, cap, "set %srange [%.9g:%.9g]\n", axis, lo - fabs(lo) / 10 - 1,
		         hi + fabs(hi) / 10 + 1);
}

static int plot_tradeoff(const char *dir, const tradeoff *all, long nt,
                         const tradeoff *front, long nf, long npoints, double target,
                         char *err, size_t n)
{
	char *sc = NULL, path[4096];
	size_t len = 0, cap = 0;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	long i;
	int rc;

	plot_add(&sc, &len, &cap, "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	         "set logscale y\nset grid\nset key top right\n"
	         "set offsets graph 0.05, graph 0.05, 0, 0\n"
	         "set xlabel 'training steps to %.0f %% accuracy (last 20 reads)'\n"
	         "set ylabel 'energy per update [J]'\n"
	         "set title 'Energy against speed: %ld of %ld points reached the target'\n"
	         "$all << EOD\n", 100 * target, nt, npoints);
	for (i = 0; i < nt; i++) {
		plot_add(&sc, &len, &cap, "%.9g %.9g\n", all[i].steps, all[i].energy);
		xlo = fmin(xlo, all[i].steps);
		xhi = fmax(xhi, all[i].steps);
		ylo = fmin(ylo, all[i].energy);
		yhi = fmax(yhi, all[i].energy);
	}
	plot_add(&sc, &len, &cap, "EOD\n");
	pad_range(&sc, &len, &cap, "x", xlo, xhi, 0);
	pad_range(&sc, &len, &cap, "y", ylo, yhi, 1);
	plot_add(&sc, &len, &cap, "$front << EOD\n");
	for (i = 0; i < nf; i++)
		plot_add(&sc, &len, &cap, "%.9g %.9g %ld\n", front[i].steps, front[i].energy,
		         front[i].point);
	/* the front's points carry their numbers: pareto.csv has their values */
	plot_add(&sc, &len, &cap, "EOD\nplot $all u 1:2 w p pt 7 ps 0.8 lc rgb '#888888' "
	         "t 'points', $front u 1:2 w steps lw 2 lc rgb '#c0392b' "
	         "t 'Pareto front (point numbers)', $front u 1:2 w p pt 7 ps 1.2 "
	         "lc rgb '#c0392b' notitle, $front u 1:2:(sprintf('%%d', $3)) w labels "
	         "offset char 1,1 notitle\n");
	if (!sc)
		return snprintf(err, n, "out of memory"), -1;
	snprintf(path, sizeof path, "%s/tradeoff.png", dir);
	rc = plot_png(sc, path, err, n);
	free(sc);
	return rc;
}

/* energy_vs_NAME.png: every point's energy per update against one axis;
** words become categories. */
static int plot_axis(const char *dir, const sweep_spec *s, int ax, const sweep_results *r,
                     int ecol, char *err, size_t n)
{
	const sweep_axis *a = &s->axes[ax];
	char *sc = NULL, path[4096];
	size_t len = 0, cap = 0;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	long i, npts = 0;
	int j, rc;

	plot_add(&sc, &len, &cap, "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	         "set logscale y\nset grid\nset key off\n%s"
	         "set xlabel '%s%s%s%s'\nset ylabel 'energy per update [J]'\n"
	         "set title 'Energy per update against %s (every point of the sweep)'\n",
	         a->log ? "set logscale x\n" : "", a->name, a->unit[0] ? " [" : "", a->unit,
	         a->unit[0] ? "]" : "", a->name);
	if (!a->numeric) {
		plot_add(&sc, &len, &cap, "set xrange [-0.5:%d.5]\nset xtics (", a->nvalues - 1);
		for (j = 0; j < a->nvalues; j++)
			plot_add(&sc, &len, &cap, "%s'%s' %d", j ? ", " : "", a->values[j], j);
		plot_add(&sc, &len, &cap, ")\n");
	}
	plot_add(&sc, &len, &cap, "$d << EOD\n");
	for (i = 0; i < r->nrows; i++) {
		double e = field_num(r->rows[i], ecol), x = NAN;
		char *v = field(r->rows[i], ax + 1);
		if (v && a->numeric)
			x = strtod(v, NULL);
		for (j = 0; v && !a->numeric && j < a->nvalues; j++)
			if (!strcmp(v, a->values[j]))
				x = j;
		free(v);
		if (!r->failed[i] && isfinite(e) && e > 0 && isfinite(x)) {
			plot_add(&sc, &len, &cap, "%.9g %.9g\n", x, e);
			npts++;
			xlo = fmin(xlo, x);
			xhi = fmax(xhi, x);
			ylo = fmin(ylo, e);
			yhi = fmax(yhi, e);
		}
	}
	plot_add(&sc, &len, &cap, "EOD\n");
	if (a->numeric)
		pad_range(&sc, &len, &cap, "x", xlo, xhi, a->log);
	pad_range(&sc, &len, &cap, "y", ylo, yhi, 1);
	plot_add(&sc, &len, &cap, "plot $d u 1:2 w p pt 7 ps 1 lc rgb '#2c7fb8'\n");
	if (!sc)
		return snprintf(err, n, "out of memory"), -1;
	if (!npts) {                    /* nothing to draw: no plot rather than an empty one */
		free(sc);
		return 0;
	}
	snprintf(path, sizeof path, "%s/energy_vs_%s.png", dir, a->name);
	rc = plot_png(sc, path, err, n);
	free(sc);
	return rc;
}

/* -- The energy search: best points and the fronts against accuracy and
** retention ----------------------------------------------------------------- */

/* best.csv: per memory, the lowest measured / LIM estimate among the points
** that reach the target accuracy and the least retention. */
static int write_best(const char *dir, const sweep_spec *s, const sweep_results *r,
                      double target, char *err, size_t n)
{
	const char *head = r->header ? r->header : "";
	int cr = column(head, "measured_over_lim_estimate"), ca = column(head, "test_accuracy");
	int cy = column(head, "retention_27C_years"), ce = column(head, "energy_per_update_J");
	int cm = column(head, "memory"), g, ng, j;
	static const char *const all[] = {"all"};
	const char *const *groups = all;
	char path[4096];
	outfile o;
	long i;

	ng = 1;
	for (j = 0; j < s->naxes; j++)
		if (!strcmp(s->axes[j].name, "memory")) {
			groups = (const char *const *)s->axes[j].values;
			ng = s->axes[j].nvalues;
		}
	snprintf(path, sizeof path, "%s/best.csv", dir);
	if (outfile_open(&o, path) != 0)
		return snprintf(err, n, "%s: cannot create: %s", path, strerror(errno)), -1;
	fprintf(o.f, "memory,point,measured_over_lim_estimate,energy_per_update_J,"
	        "test_accuracy,retention_27C_years");
	put_axis_names(o.f, s);
	fputc('\n', o.f);
	for (g = 0; g < ng; g++) {
		long best = -1;
		double br = INFINITY;
		for (i = 0; i < r->nrows; i++) {
			double ratio = field_num(r->rows[i], cr), acc = field_num(r->rows[i], ca);
			double ret = field_num(r->rows[i], cy);
			char *mem = cm >= 0 ? field(r->rows[i], cm) : NULL;
			int mine = cm < 0 || (mem && !strcmp(mem, groups[g]));
			free(mem);
			if (r->failed[i] || !mine || !(acc >= target - 1e-12) || !(ratio < br) ||
			    (!isnan(s->min_retention_years) && !(ret >= s->min_retention_years)))
				continue;
			br = ratio;
			best = i;
		}
		if (best < 0)
			continue;                 /* none of this memory met the constraints */
		fprintf(o.f, "%s,%ld,%.9g,%.9g,%.9g,%.9g", groups[g], r->point[best], br,
		        field_num(r->rows[best], ce), field_num(r->rows[best], ca),
		        field_num(r->rows[best], cy));
		put_axis_values(o.f, s, r->rows[best]);
	}
	if (outfile_commit(&o) != 0)
		return snprintf(err, n, "%s: cannot write: %s", path, strerror(errno)), -1;
	return 0;
}

/* pareto_NAME.png: energy per update against a figure the design wants
** high (test accuracy, retention): every point, and the front of those no
** other point beats on both (higher or equal x at lower energy). */
static int plot_front(const char *dir, const sweep_results *r, int xcol, int ecol,
                      const char *name, const char *xlabel, int xlog, char *err, size_t n)
{
	char *sc = NULL, path[4096];
	size_t len = 0, cap = 0;
	double *x = malloc((r->nrows + 1) * sizeof *x), *e = malloc((r->nrows + 1) * sizeof *e);
	long i, j, np = 0;
	int rc = 0;

	if (!x || !e) {
		free(x);
		free(e);
		return snprintf(err, n, "out of memory"), -1;
	}
	for (i = 0; i < r->nrows; i++) {
		x[i] = field_num(r->rows[i], xcol);
		e[i] = field_num(r->rows[i], ecol);
		if (r->failed[i] || !isfinite(x[i]) || !(e[i] > 0) || (xlog && !(x[i] > 0)))
			x[i] = NAN;
	}
	plot_add(&sc, &len, &cap, "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	         "set logscale y\n%sset grid\nset key top left\n"
	         "set xlabel '%s'\nset ylabel 'energy per update [J]'\n"
	         "set title 'Energy per update against %s: every point, the Pareto front'\n"
	         "$all << EOD\n", xlog ? "set logscale x\n" : "", xlabel, xlabel);
	for (i = 0; i < r->nrows; i++)
		if (!isnan(x[i])) {
			plot_add(&sc, &len, &cap, "%.9g %.9g\n", x[i], e[i]);
			np++;
		}
	plot_add(&sc, &len, &cap, "EOD\n$front << EOD\n");
	/* a point is on the front when no other has x at least as high for less
	** energy (or more x for the same) */
	for (i = 0; i < r->nrows; i++) {
		int dominated = isnan(x[i]);
		for (j = 0; j < r->nrows && !dominated; j++)
			dominated = j != i && !isnan(x[j]) &&
			            ((x[j] >= x[i] && e[j] < e[i]) || (x[j] > x[i] && e[j] <= e[i]));
		if (!dominated)
			plot_add(&sc, &len, &cap, "%.9g %.9g %ld\n", x[i], e[i], r->point[i]);
	}
	plot_add(&sc, &len, &cap, "EOD\nplot $all u 1:2 w p pt 7 ps 0.8 lc rgb '#888888' "
	         "t 'points', $front u 1:2 w p pt 7 ps 1.3 lc rgb '#c0392b' "
	         "t 'Pareto front (point numbers)', $front u 1:2:(sprintf('%%d', $3)) "
	         "w labels offset char 1,1 notitle\n");
	free(x);
	free(e);
	if (!sc)
		return snprintf(err, n, "out of memory"), -1;
	snprintf(path, sizeof path, "%s/pareto_%s.png", dir, name);
	if (np > 0)                     /* gnuplot cannot draw an empty set */
		rc = plot_png(sc, path, err, n);
	free(sc);
	return rc;
}

/* The energy search's outputs, when the rows carry its figures. */
static int report_energy(const char *dir, const sweep_spec *s, const sweep_results *r,
                         double target, char *err, size_t n)
{
	const char *head = r->header ? r->header : "";
	int ecol = column(head, "energy_per_update_J"), acol = column(head, "test_accuracy");
	int ycol = column(head, "retention_27C_years");

	if (ecol < 0 || acol < 0 || ycol < 0)
		return 0;
	if (write_best(dir, s, r, target, err, n) != 0 ||
	    plot_front(dir, r, acol, ecol, "accuracy", "test accuracy", 0, err, n) != 0 ||
	    plot_front(dir, r, ycol, ecol, "retention", "retention at 27 C [years]", 1, err, n) != 0)
		return -1;
	return 0;
}

int sweep_report(const char *dir, const sweep_spec *s, const sweep_results *r,
                 char *err, size_t n)
{
	const char *head = r->header ? r->header : "";
	int ecol = column(head, "energy_per_update_J"), scol = column(head, "steps_to_target");
	double target = isnan(s->target_accuracy) ? 0.9 : s->target_accuracy;
	tradeoff *all, *front;
	long i, nt = 0, nf;
	int ax, rc;

	if (s->run != SWEEP_TRAIN || ecol < 0 || scol < 0)
		return 0;                   /* a bench has no energy per update */
	all = malloc((r->nrows + 1) * sizeof *all);
	front = malloc((r->nrows + 1) * sizeof *front);
	if (!all || !front) {
		free(all);
		free(front);
		return snprintf(err, n, "out of memory"), -1;
	}
	for (i = 0; i < r->nrows; i++) {
		double e = field_num(r->rows[i], ecol), st = field_num(r->rows[i], scol);
		if (!r->failed[i] && isfinite(e) && e > 0 && isfinite(st))
			all[nt++] = (tradeoff){i, r->point[i], st, e};
	}
	memcpy(front, all, nt * sizeof *all);
	nf = pareto(front, nt);
	rc = write_pareto(dir, s, r, front, nf, err, n);
	if (rc == 0 && nt > 0)         /* gnuplot cannot draw an empty set */
		rc = plot_tradeoff(dir, all, nt, front, nf, s->npoints, target, err, n);
	free(all);
	free(front);
	for (ax = 0; rc == 0 && ax < s->naxes; ax++)
		rc = plot_axis(dir, s, ax, r, ecol, err, n);
	if (rc == 0)
		rc = report_energy(dir, s, r, target, err, n);
	return rc;
}
