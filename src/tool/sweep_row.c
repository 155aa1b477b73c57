/*
** sweep_row.c - one point of a sweep: run its command, and turn what the
** command wrote (summary.csv, steps.csv) into its row of results.csv.
** See LICENSE for copyright.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "sweep.h"

/* Steps to the target accuracy count the reads of the last WINDOW steps.
** Each step reads its sample before learning from it, so the window is an
** honest estimate of the accuracy on unseen samples (prequential). */
enum { WINDOW = 20 };

/* The columns a training point adds after the swept values and status:
** summary.csv metrics by name, then what sweep_row computes itself. */
static const char *const train_metrics[] = {
	"test_accuracy", "test_mse", "steps", "updates", "energy_per_update_J",
	"energy_per_update_kT", "read_energy_J", "lim_estimate_per_update_J",
	"landauer_per_update_J", "transition_heat_per_update_J", "measured_over_lim_estimate",
	"measured_over_landauer", "energy_closure", "simulated_time_s",
	"test_accuracy_after_hold",
	/* where the energy went, and what the card keeps (the energy search) */
	"write_transition_heat_per_update_J", "write_conduction_per_update_J",
	"barrier_line_loss_per_update_J", "wire_loss_per_update_J",
	"free_energy_floor_per_update_J", "retention_27C_years", "update_bits", NULL
};

static size_t cat(char *buf, size_t n, size_t len, const char *fmt, const char *v)
{
	if (len < n)
		len += (size_t)snprintf(buf + len, n - len, fmt, v);
	return len;
}

void sweep_header(const sweep_spec *s, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	len = cat(buf, n, len, "%s", "point");
	for (i = 0; i < s->naxes; i++) {
		const char *u;
		len = cat(buf, n, len, ",%s", s->axes[i].name);
		if (s->axes[i].unit[0])
			len = cat(buf, n, len, "%s", "_");
		for (u = s->axes[i].unit; *u; u++)     /* eV/V: kappa_eV_per_V */
			len = cat(buf, n, len, "%s", *u == '/' ? "_per_" : (char[]){*u, 0});
	}
	len = cat(buf, n, len, "%s", ",status");
	if (s->run == SWEEP_TRAIN) {
		for (i = 0; train_metrics[i]; i++)
			len = cat(buf, n, len, ",%s", train_metrics[i]);
		len = cat(buf, n, len, "%s", ",steps_to_target,time_to_target_s");
	} else {
		len = cat(buf, n, len, "%s", ",output");
	}
	cat(buf, n, len, "%s", ",wall_time_s,host,error");
}

void sweep_quote(const char *v, char *buf, size_t n)
{
	size_t len = 0;

	if (!strpbrk(v, ",\"\n\r")) {
		snprintf(buf, n, "%s", v);
		return;
	}
	if (n < 3)
		return;
	buf[len++] = '"';
	for (; *v && len + 3 < n; v++) {
		if (*v == '\n' || *v == '\r') {
			buf[len++] = ' ';
			continue;
		}
		if (*v == '"')
			buf[len++] = '"';
		buf[len++] = *v;
	}
	buf[len++] = '"';
	buf[len] = 0;
}

int sweep_split(char *line, char **f, int max)
{
	int nf = 0;
	char *r = line, *w;

	while (nf < max) {
		f[nf++] = w = r;
		if (*r == '"') {            /* quoted: "" is a quote */
			for (r++; *r; r++) {
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"') {
					r++;
					break;
				} else
					*w++ = *r;
			}
			while (*r && *r != ',')
				r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = 0;
			break;
		}
		*w = 0;
		r++;
	}
	return nf;
}

enum { NMETRICS = sizeof train_metrics / sizeof train_metrics[0] - 1 };

static int metric(const char *name)
{
	int i;

	for (i = 0; train_metrics[i] && strcmp(train_metrics[i], name); i++)
		;
	return i;
}

/* summary.csv (metric,value,unit) in one pass: v[i] is train_metrics[i]'s
** value, NAN when absent. */
static void read_summary(const char *path, double *v)
{
	FILE *f = fopen(path, "r");
	char line[512], *fld[3], *end;
	int i;

	for (i = 0; i < NMETRICS; i++)
		v[i] = NAN;
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (sweep_split(line, fld, 3) >= 2 && (i = metric(fld[0])) < NMETRICS) {
			v[i] = strtod(fld[1], &end);
			if (end == fld[1])
				v[i] = NAN;
		}
	}
	if (f)
		fclose(f);
}

/* The first of nsteps steps at which the last WINDOW reads (all nsteps
** when fewer) reached target; 0 when never. */
static long steps_to_target(const char *path, long nsteps, double target)
{
	FILE *f = fopen(path, "r");
	char line[4096], *fld[64];
	int col = -1, i, nf, ring[WINDOW] = {0}, w = nsteps < WINDOW ? (int)nsteps : WINDOW;
	long step = 0, found = 0, hits = 0;

	if (!f)
		return 0;
	if (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		nf = sweep_split(line, fld, 64);
		for (i = 0; i < nf; i++)
			if (!strcmp(fld[i], "correct"))
				col = i;
	}
	while (col >= 0 && !found && fgets(line, sizeof line, f)) {
		int ok;
		line[strcspn(line, "\r\n")] = 0;
		if (sweep_split(line, fld, 64) <= col)
			break;
		ok = atoi(fld[col]) != 0;
		step++;
		hits += ok - ring[step % WINDOW];
		ring[step % WINDOW] = ok;
		if (step >= w && hits >= target * w - 1e-9)
			found = step;
	}
	fclose(f);
	return found;
}

static size_t add_num(char *buf, size_t n, size_t len, double v)
{
	if (len >= n)
		return len;
	return len + (size_t)(isnan(v) ? snprintf(buf + len, n - len, ",") :
	                                 snprintf(buf + len, n - len, ",%.9g", v));
}

/* The row's start: point, swept values and status. */
static size_t row_head(const sweep_spec *s, long k, const char *status, char *buf, size_t n)
{
	int idx[SWEEP_MAX_AXES], i;
	char q[1024];
	size_t len = (size_t)snprintf(buf, n, "%ld", k);

	sweep_point_index(s, k, idx);
	for (i = 0; i < s->naxes; i++) {
		sweep_quote(s->axes[i].values[idx[i]], q, sizeof q);
		len = cat(buf, n, len, ",%s", q);
	}
	return cat(buf, n, len, ",%s", status);
}

static size_t row_tail(double wall_s, const char *error, char *buf, size_t n, size_t len)
{
	char host[256] = "", q[1024];

	gethostname(host, sizeof host - 1);
	len = add_num(buf, n, len, wall_s);
	sweep_quote(host, q, sizeof q);
	len = cat(buf, n, len, ",%s", q);
	sweep_quote(error, q, sizeof q);
	return cat(buf, n, len, ",%s", q);
}

/* The figures between status and wall time; ok 0: empty fields. */
static size_t row_body(const sweep_spec *s, long k, const char *pointdir, int ok,
                       double target, char *buf, size_t n, size_t len)
{
	char path[4096];
	double m[NMETRICS], steps, sim;
	long hit = 0;
	int i;

	if (s->run == SWEEP_CHARACTERIZE) {
		char rel[64];
		snprintf(rel, sizeof rel, "points/%ld/%s.csv", k, s->bench);
		return cat(buf, n, len, ",%s", ok ? rel : "");
	}
	if (!ok) {                      /* the metrics, steps and time to target */
		for (i = 0; i < NMETRICS + 2; i++)
			len = add_num(buf, n, len, NAN);
		return len;
	}
	snprintf(path, sizeof path, "%s/summary.csv", pointdir);
	read_summary(path, m);
	for (i = 0; i < NMETRICS; i++)
		len = add_num(buf, n, len, m[i]);
	steps = m[metric("steps")];
	sim = m[metric("simulated_time_s")];
	snprintf(path, sizeof path, "%s/steps.csv", pointdir);
	if (!isnan(m[metric("test_accuracy")]))      /* classification only */
		hit = steps_to_target(path, (long)steps, target);
	len = add_num(buf, n, len, hit ? (double)hit : NAN);
	return add_num(buf, n, len, hit && steps > 0 ? hit * sim / steps : NAN);
}

static int write_row(const sweep_spec *s, const char *pointdir, const char *row,
                     char *err, size_t n)
{
	char path[4096], header[8192];
	outfile o;

	snprintf(path, sizeof path, "%s/row.csv", pointdir);
	sweep_header(s, header, sizeof header);
	if (outfile_open(&o, path) != 0) {
		snprintf(err, n, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	fprintf(o.f, "%s\n%s\n", header, row);
	if (outfile_commit(&o) != 0) {
		snprintf(err, n, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int sweep_run_point(const sweep_spec *s, sweep_verb verb, long k, const char *pointdir,
                    double target, char *err, size_t n)
{
	char msg[1024] = "", row[16384];
	char **argv;
	int argc, rc;
	double t0 = cli_now_s();
	size_t len;

	if (mkdir(pointdir, 0777) != 0 && errno != EEXIST) {
		snprintf(err, n, "%s: cannot create: %s", pointdir, strerror(errno));
		return -1;
	}
	if (!(argv = sweep_argv(s, k, pointdir, &argc))) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	rc = sweep_call(verb, argc, argv, 1, msg, sizeof msg);
	sweep_argv_free(argv);
	len = row_head(s, k, rc == 0 ? "ok" : "failed", row, sizeof row);
	len = row_body(s, k, pointdir, rc == 0, target, row, sizeof row, len);
	row_tail(cli_now_s() - t0, rc == 0 ? "" : msg, row, sizeof row, len);
	if (write_row(s, pointdir, row, err, n) != 0)
		return -1;
	return rc == 0 ? 0 : 1;
}

int sweep_row_load(const sweep_spec *s, const char *pointdir, long k, char *row, size_t n,
                   int *failed)
{
	char path[4096], header[8192], *line = NULL, *f[128];
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int ok = 0, nf;

	snprintf(path, sizeof path, "%s/row.csv", pointdir);
	if (!(fp = fopen(path, "r")))
		return -1;
	sweep_header(s, header, sizeof header);
	if ((len = getline(&line, &cap, fp)) > 0 && line[len - 1] == '\n') {
		line[len - 1] = 0;
		if (!strcmp(line, header) && (len = getline(&line, &cap, fp)) > 0 &&
		    line[len - 1] == '\n' && (size_t)len <= n) {
			line[len - 1] = 0;
			memcpy(row, line, (size_t)len);
			/* the status follows the point and the swept values */
			nf = sweep_split(line, f, 128);
			ok = nf > s->naxes + 1 && strtol(f[0], NULL, 10) == k;
			if (ok && failed)
				*failed = strcmp(f[s->naxes + 1], "ok") != 0;
		}
	}
	free(line);
	fclose(fp);
	return ok ? 0 : -1;
}

void sweep_dead_row(const sweep_spec *s, long k, const char *why, char *buf, size_t n)
{
	size_t len = row_head(s, k, "failed", buf, n);

	len = row_body(s, k, "", 0, 0, buf, n, len);
	row_tail(NAN, why, buf, n, len);
}
