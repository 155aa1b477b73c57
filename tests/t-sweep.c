/*
** t-sweep.c - limspice sweep: the same rows with 1 and 2 workers, a point
** equal to the command a user would type, steps to target and the Pareto
** front recomputed here, kill and resume, a dead worker recorded, bad
** SPECs refused before anything runs, and the scale-out paths run for real
** (GNU parallel on localhost, a private single-node Slurm). See LICENSE.
*/
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "sweep.h"
#include "tap.h"

static const char *exe;
static char dir[] = "/tmp/limspice-sweep-XXXXXX";

/* 12 points: e_b0 (2) x kappa (3, a linear range) x memory (2). */
static const char spec12[] =
	"# t-sweep: twelve short trainings\n"
	"[sweep]\n"
	"run = train\n"
	"target_accuracy = 0.8\n"
	"[fixed]\n"
	"data = iris\n"
	"steps = 30\n"
	"[vary]\n"
	"e_b0 = 1.1, 1.3\n"
	"kappa = 0.4:0.6:3\n"
	"memory = lim, conventional\n";

/* dir/name holding len bytes of text (NULs and all). */
static void put_bytes(const char *name, const char *text, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w"))) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

static void put(const char *name, const char *text)
{
	put_bytes(name, text, strlen(text));
}

/* -- results.csv as a table of strings ------------------------------------------ */

typedef struct { char *text; char **f; int ncols, nrows; } table;

static int read_table(const char *path, table *t)
{
	char *line, *save = NULL;
	int cap = 0;

	memset(t, 0, sizeof *t);
	if (!(t->text = slurp(path)))
		return -1;
	for (line = strtok_r(t->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[128];
		int nf = sweep_split(line, f, 128), i;
		if (!t->ncols)
			t->ncols = nf;
		if (nf != t->ncols)
			return -1;
		if ((t->nrows + 1) * nf > cap) {
			cap = 2 * (t->nrows + 1) * nf;
			t->f = realloc(t->f, cap * sizeof *t->f);
		}
		for (i = 0; i < nf; i++)
			t->f[t->nrows * nf + i] = f[i];
		t->nrows++;
	}
	return t->nrows ? 0 : -1;
}

/* Row r (0: the header), column named name. */
static const char *cell(const table *t, int r, const char *name)
{
	int c;

	for (c = 0; c < t->ncols; c++)
		if (!strcmp(t->f[c], name))
			return t->f[r * t->ncols + c];
	return NULL;
}

static double num(const table *t, int r, const char *name)
{
	const char *v = cell(t, r, name);

	return v && *v ? atof(v) : NAN;
}

static void free_table(table *t)
{
	free(t->text);
	free(t->f);
}

/* Rows that differ between a and b in any column but wall time and host. */
static int differing_rows(const char *a, const char *b)
{
	char pa[1024], pb[1024];
	table ta, tb;
	int r, c, bad = 0;

	snprintf(pa, sizeof pa, "%s/%s/results.csv", dir, a);
	snprintf(pb, sizeof pb, "%s/%s/results.csv", dir, b);
	if (read_table(pa, &ta) || read_table(pb, &tb) || ta.nrows != tb.nrows ||
	    ta.ncols != tb.ncols) {
		tap_diag("%s or %s unreadable, or of another shape", pa, pb);
		return -1;
	}
	for (r = 0; r < ta.nrows; r++)
		for (c = 0; c < ta.ncols; c++) {
			const char *h = ta.f[c];
			if (!strcmp(h, "wall_time_s") || !strcmp(h, "host"))
				continue;
			if (strcmp(ta.f[r * ta.ncols + c], tb.f[r * tb.ncols + c])) {
				if (!bad)
					tap_diag("row %d, %s: '%s' against '%s'", r, h, ta.f[r * ta.ncols + c],
					         tb.f[r * tb.ncols + c]);
				bad++;
				break;
			}
		}
	free_table(&ta);
	free_table(&tb);
	return bad;
}

/* Every point 1..n exactly once, in order. */
static int points_once(const char *sub, int n)
{
	char path[1024];
	table t;
	int r, ok;

	snprintf(path, sizeof path, "%s/%s/results.csv", dir, sub);
	if (read_table(path, &t))
		return 0;
	ok = t.nrows == n + 1;
	for (r = 1; ok && r <= n; r++)
		ok = atoi(cell(&t, r, "point")) == r;
	free_table(&t);
	return ok;
}

/* -- The tests -------------------------------------------------------------- */

static void same_rows_j1_j2(void)
{
	char args[1024], *out, *err;
	int lines = 0;
	const char *p;

	snprintf(args, sizeof args, "sweep %s/s12.ini -j 1 --out %s/j1", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sweep %s/s12.ini -j 2 --out %s/j2", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	for (p = err; p && (p = strstr(p, "limspice: sweep: point ")); p++)
		lines++;
	check_int(lines, ==, 12);          /* not a terminal: a plain line per point */
	check(err && strstr(err, "12/12 done"));
	if (lines != 12)
		tap_diag("stderr: %s", err ? err : "(none)");
	free(out);
	free(err);
	check(points_once("j1", 12));
	check(points_once("j2", 12));
	check_int(differing_rows("j1", "j2"), ==, 0);
}

/* The values of point k as nested loops in the file's order give them. */
static void point_values(int k, const char **e_b0, double *kappa, const char **memory)
{
	static const char *const eb[] = {"1.1", "1.3"}, *const mem[] = {"lim", "conventional"};

	*e_b0 = eb[(k - 1) / 6];
	*kappa = 0.4 + 0.1 * (((k - 1) / 2) % 3);
	*memory = mem[(k - 1) % 2];
}

static void rows_are_commands(void)
{
	char path[1024], args[1024], *out, *err;
	table t;
	int k, bad = 0;

	snprintf(path, sizeof path, "%s/j1/results.csv", dir);
	if (read_table(path, &t)) {
		check(!"results.csv readable");
		return;
	}
	for (k = 1; k <= 12; k++) {
		const char *e_b0, *memory;
		double kappa;
		point_values(k, &e_b0, &kappa, &memory);
		bad += strcmp(cell(&t, k, "e_b0_eV"), e_b0) || strcmp(cell(&t, k, "memory"), memory) ||
		       fabs(num(&t, k, "kappa_eV_per_V") - kappa) > 1e-12 ||
		       strcmp(cell(&t, k, "status"), "ok");
	}
	check_int(bad, ==, 0);
	/* point 8 through plain `limspice train`, in a process of its own */
	snprintf(args, sizeof args, "train --data iris --steps 30 --param e_b0=1.3 "
	         "--param kappa=0.4 --conventional --quiet");
	check_int(run_limspice(args, &out, &err), ==, 0);
	{
		const char *e = out ? strstr(out, "\nenergy_per_update_J,") : NULL;
		const char *a = out ? strstr(out, "\ntest_accuracy,") : NULL;
		check(e && a);
		if (e && a) {
			check_rel(num(&t, 8, "energy_per_update_J"), atof(e + 21), 1e-8);
			check_near(num(&t, 8, "test_accuracy"), atof(a + 15), 1e-9);
		}
	}
	tap_diag("energy per update: LIM %.3g J, conventional %.3g J (point 7 and 8)",
	         num(&t, 7, "energy_per_update_J"), num(&t, 8, "energy_per_update_J"));
	free(out);
	free(err);
	free_table(&t);
}

/* First step whose last 20 reads are >= target right, from steps.csv. */
static long target_step(const char *steps_csv, double target)
{
	table t;
	int r, hits[4096] = {0};
	long found = 0;

	if (read_table(steps_csv, &t) || t.nrows > 4096)
		return -1;
	for (r = 1; r < t.nrows && !found; r++) {
		int w = t.nrows - 1 < 20 ? t.nrows - 1 : 20, i, right = 0;
		hits[r] = atoi(cell(&t, r, "correct"));
		if (r < w)
			continue;
		for (i = r - w + 1; i <= r; i++)
			right += hits[i];
		if (right >= target * w - 1e-9)
			found = r;
	}
	free_table(&t);
	return found;
}

static void target_and_front(void)
{
	char path[1024];
	table t, pf;
	int k, bad = 0, nfront = 0, j;

	snprintf(path, sizeof path, "%s/j1/results.csv", dir);
	if (read_table(path, &t)) {
		check(!"results.csv readable");
		return;
	}
	for (k = 1; k <= 12; k++) {
		long want;
		snprintf(path, sizeof path, "%s/j1/points/%d/steps.csv", dir, k);
		want = target_step(path, 0.8);
		if (want != (isnan(num(&t, k, "steps_to_target")) ? 0 : (long)num(&t, k, "steps_to_target")))
			bad++;
	}
	check_int(bad, ==, 0);
	/* The front by brute force: nobody at most as slow and strictly cheaper,
	** or strictly faster and at most as costly. */
	snprintf(path, sizeof path, "%s/j1/pareto.csv", dir);
	check(read_table(path, &pf) == 0);
	for (k = 1; k <= 12; k++) {
		double s = num(&t, k, "steps_to_target"), e = num(&t, k, "energy_per_update_J");
		int dominated = isnan(s), listed = 0;
		for (j = 1; j <= 12 && !dominated; j++) {
			double s2 = num(&t, j, "steps_to_target"), e2 = num(&t, j, "energy_per_update_J");
			dominated = j != k && !isnan(s2) &&
			            ((s2 <= s && e2 < e) || (s2 < s && e2 <= e) || (s2 == s && e2 == e && j < k));
		}
		for (j = 1; j < pf.nrows; j++)
			listed |= atoi(cell(&pf, j, "point")) == k;
		nfront += !dominated;
		if (dominated == listed)
			bad++;
	}
	check_int(bad, ==, 0);
	check_int(pf.nrows - 1, ==, nfront);
	tap_diag("Pareto front: %d of 12 points", nfront);
	free_table(&pf);
	free_table(&t);
	for (k = 0; k < 4; k++) {
		static const char *const png[] = {"tradeoff", "energy_vs_e_b0", "energy_vs_kappa",
		                                  "energy_vs_memory"};
		char *b;
		snprintf(path, sizeof path, "%s/j1/%s.png", dir, png[k]);
		b = slurp(path);
		check(b && !memcmp(b, "\x89PNG", 4));
		free(b);
	}
}

static int count_rows(const char *sub)
{
	char path[1024], *t;
	int n = 0;
	const char *p;

	snprintf(path, sizeof path, "%s/%s/results.csv", dir, sub);
	if (!(t = slurp(path)))
		return 0;
	for (p = t; (p = strchr(p, '\n')); p++)
		n++;
	free(t);
	return n - 1;
}

static pid_t start(const char *args)
{
	char cmd[4096];
	pid_t pid;

	snprintf(cmd, sizeof cmd, "exec %s %s >/dev/null 2>&1", exe, args);
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void sleep_s(double s)
{
	struct timespec t = {(time_t)s, (long)((s - (time_t)s) * 1e9)};

	nanosleep(&t, NULL);
}

static void kill_and_resume(void)
{
	char args[1024], *out, *err, *journal;
	int status, i, rows = 0, orphans;
	pid_t pid;

	snprintf(args, sizeof args, "sweep %s/s12.ini -j 2 --out %s/killed --quiet", dir, dir);
	pid = start(args);
	for (i = 0; i < 1200 && (rows = count_rows("killed")) < 4; i++)
		sleep_s(0.05);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	tap_diag("killed with %d rows written", rows);
	check(rows >= 4 && rows < 12);
	sleep_s(0.3);
	/* [-]: the pattern must not match the shell that runs pgrep */
	snprintf(args, sizeof args, "pgrep -f -- '[-]-out %s/killed' >/dev/null", dir);
	orphans = system(args) == 0;
	check(!orphans);                  /* the workers died with the pool */
	snprintf(args, sizeof args, "sweep %s/s12.ini -j 2 --out %s/killed", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 2);   /* no --resume: refused */
	free(out);
	free(err);
	/* A worker that finished after its pool died: its row is taken, not rerun. */
	snprintf(args, sizeof args, "sweep %s/s12.ini --out %s/killed --point 12 --quiet", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sweep %s/s12.ini -j 2 --out %s/killed --resume", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	check(err && strstr(err, "points done already"));
	free(out);
	free(err);
	check(points_once("killed", 12));
	check_int(differing_rows("j1", "killed"), ==, 0);
	snprintf(args, sizeof args, "%s/killed/journal", dir);
	journal = slurp(args);
	check(journal && strstr(journal, " resume ") && strstr(journal, " end "));
	check(journal && strstr(journal, " adopted 12 ok") && !strstr(journal, " start 12\n"));
	free(journal);
}

static void dead_worker_recorded(void)
{
	char args[1024], path[1024];
	int status, i, found = 0;
	pid_t pid;
	table t;

	put("s3.ini", "[fixed]\ndata = iris\nsteps = 150\n[vary]\ne_b0 = 1.1, 1.2, 1.3\n");
	snprintf(args, sizeof args, "sweep %s/s3.ini -j 1 --out %s/dead", dir, dir);
	pid = start(args);
	snprintf(args, sizeof args, "pkill -KILL -f -- '[-]-out %s/dead [-]-point 2 ' 2>/dev/null",
	         dir);
	for (i = 0; i < 1200 && !found; i++) {
		sleep_s(0.05);
		found = system(args) == 0;
	}
	waitpid(pid, &status, 0);
	check(found);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 1);   /* a point failed */
	snprintf(path, sizeof path, "%s/dead/results.csv", dir);
	if (read_table(path, &t)) {
		check(!"results.csv readable");
		return;
	}
	check_int(t.nrows, ==, 4);
	check_str(cell(&t, 1, "status"), "ok");
	check_str(cell(&t, 2, "status"), "failed");
	check(strstr(cell(&t, 2, "error"), "signal 9") != NULL);
	check_str(cell(&t, 3, "status"), "ok");           /* and the sweep went on */
	tap_diag("point 2: %s", cell(&t, 2, "error"));
	free_table(&t);
}

/* A bad SPEC of len bytes (NULs allowed), with --dry-run when dry: exit 2
** within a minute, one short line "limspice: sweep: " FILE:LINE and the
** reason, and no DIR made. */
static void refused_bytes(const char *name, const char *text, size_t len, int dry,
                          const char *where, const char *why)
{
	char args[1024], *out, *err;
	struct stat st;

	put_bytes(name, text, len);
	snprintf(args, sizeof args, "timeout 60 %s sweep %s/%s%s --out %s/refused", exe, dir,
	         name, dry ? " --dry-run" : "", dir);
	check_int(run_capture(args, &out, &err), ==, 2);
	check(err && strstr(err, where) && strstr(err, why));
	check(err && !strncmp(err, "limspice: sweep: ", 17) && strchr(err, '\n') &&
	      !strchr(err, '\n')[1] && strlen(err) < 400);
	if (err && !(strstr(err, where) && strstr(err, why) && strlen(err) < 400))
		tap_diag("stderr: %.400s", err);
	snprintf(args, sizeof args, "%s/refused", dir);
	check(stat(args, &st) != 0);
	free(out);
	free(err);
}

/* A string literal as text and length (it may hold NULs). */
#define TEXT(literal) literal, sizeof literal - 1

/* A bad SPEC: exit 2, FILE:LINE and the reason, and no DIR made. */
static void refused(const char *name, const char *text, const char *where, const char *why)
{
	refused_bytes(name, text, strlen(text), 0, where, why);
}

/* SPECs that are not good text, each refused under --dry-run. */
static const struct bad_text {
	const char *name, *text;
	size_t len;
	const char *where, *why, *what;
} bad_text[] = {
	{"noeq.ini", TEXT("[vary]\ne_b0 1.1, 1.3\n"), "noeq.ini:2:",
	 "expected key = value, got 'e_b0 1.1, 1.3'",
	 "--dry-run refuses a line without '=' (file:line, no freed memory read)"},
	{"section.ini", TEXT("[vary]\ne_b0 = 1.1, 1.3\n[bogus]\n"), "section.ini:3:",
	 "unknown section [bogus]",
	 "--dry-run refuses an unknown section (file:line, no freed memory read)"},
	{"bom2.ini", TEXT("[vary]\ne_b0 = 1.1, 1.3\n\xEF\xBB\xBF[fixed]\n"), "bom2.ini:3:",
	 "a UTF-8 byte-order mark, expected one only at the start of the file",
	 "--dry-run refuses a byte-order mark inside the file (file:line)"},
	{"nul1.ini", TEXT("[vary]\ne_b0 = 1.1\0, 1.3\n"), "nul1.ini:2:",
	 "a NUL byte at column 11, expected text", "refuses a NUL byte inside a line (file:line)"},
	{"nul2.ini", TEXT("[vary]\ne_b0 = 1.1, 1.3\n\0kappa = 0.4\n"), "nul2.ini:3:",
	 "a NUL byte at column 1, expected text", "refuses a NUL byte that starts a line (file:line)"},
};

/* A line of 1 MiB of 'x' (no '=') as line 2. */
static void refused_long_line(void)
{
	size_t n = 1 << 20;
	char *text = malloc(n + 16);

	if (!text) {
		check(!"memory for a 1 MiB line");
		return;
	}
	memcpy(text, "[vary]\n", 7);
	memset(text + 7, 'x', n);
	text[7 + n] = '\n';
	refused_bytes("long.ini", text, n + 8, 1, "long.ini:2:",
	              "a line of 1048576 bytes, expected at most 65536");
	free(text);
}

/* A valid SPEC, then comments past 16 MiB, then an unknown key. */
static void refused_huge_file(void)
{
	static const char head[] = "[vary]\ne_b0 = 1.1, 1.3\n", tail[] = "foo = 1\n";
	size_t n = (16u << 20) + 4096, i;
	char *text = malloc(n + sizeof tail);

	if (!text) {
		check(!"memory for a 16 MiB SPEC");
		return;
	}
	memcpy(text, head, sizeof head - 1);
	for (i = sizeof head - 1; i < n; i++)     /* "#...#\n" lines of 64 bytes */
		text[i] = i % 64 == 63 ? '\n' : '#';
	text[n - 1] = '\n';
	memcpy(text + n, tail, sizeof tail - 1);
	refused_bytes("huge.ini", text, n + sizeof tail - 1, 1, "huge.ini: ",
	              "expected a SPEC of at most 16 MiB");
	free(text);
}

/* A UTF-8 byte-order mark, as some editors write, starts the file: skipped. */
static void bom_accepted(void)
{
	char args[1024], *out, *err;

	put("bom.ini", "\xEF\xBB\xBF[vary]\ne_b0 = 1.1, 1.3\n");
	snprintf(args, sizeof args, "sweep %s/bom.ini --dry-run", dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	check(out && strstr(out, "# 2 points") && strstr(out, "\n2\tlimspice train --param e_b0=1.3\n"));
	if (err && *err)
		tap_diag("stderr: %s", err);
	free(out);
	free(err);
}

/* Lines of stdout that start with a digit: the points a dry run lists. */
static int listed_points(const char *out)
{
	const char *p;
	int n = 0;

	for (p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
		n += *p >= '0' && *p <= '9';
	return n;
}

/* 100 x 100 = 10000 points (the limit) pass and are listed; 73 x 137 = 10001
** are refused at once, as is 1000 x 1000, naming the axis that goes over. */
static void points_limit(void)
{
	char args[1024], *out, *err;

	put("p10000.ini", "[fixed]\ndata = iris\n[vary]\ne_b0 = 1.0:1.5:100\n"
	    "kappa = 0.3:0.7:100\n");
	snprintf(args, sizeof args, "timeout 60 %s sweep %s/p10000.ini --dry-run", exe, dir);
	check_int(run_capture(args, &out, &err), ==, 0);
	check_int(listed_points(out), ==, 10000);
	free(out);
	free(err);
	refused_bytes("p10001.ini", TEXT("[fixed]\ndata = iris\n[vary]\ne_b0 = 1.0:1.5:73\n"
	              "kappa = 0.3:0.7:137\n"), 1, "p10001.ini:5:",
	              "10001 points, expected at most 10000");
	refused_bytes("p1e6.ini", TEXT("[fixed]\ndata = iris\n[vary]\ne_b0 = 1.0:1.5:1000\n"
	              "kappa = 0.3:0.7:1000\n"), 1, "p1e6.ini:5:",
	              "1000000 points, expected at most 10000");
}

/* -j beyond the allowed range is refused with the range, not clamped. */
static void jobs_range(void)
{
	char args[1024], *out, *err;

	snprintf(args, sizeof args, "sweep %s/s12.ini -j 100000 --dry-run", dir);
	check_int(run_limspice(args, &out, &err), ==, 2);
	check(err && strstr(err, "limspice: sweep: --jobs: '100000'") &&
	      strstr(err, "expected a whole number from 1 to 1024"));
	if (err && !strstr(err, "from 1 to 1024"))
		tap_diag("stderr: %s", err);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sweep %s/s12.ini -j 1024 --dry-run", dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	check_int(listed_points(out), ==, 12);
	free(out);
	free(err);
}

static void characterize_points(void)
{
	char args[1024], path[1024], *out, *err, *a, *b;

	put("c2.ini", "[sweep]\nrun = characterize pulses\n[fixed]\ncount = 8\n"
	    "[vary]\nlambda = 0.3, 0.5\n");
	snprintf(args, sizeof args, "sweep %s/c2.ini -j 2 --out %s/char --quiet", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	check(points_once("char", 2));
	check_int(run_limspice("characterize pulses --count 8 --param lambda=0.5", &out, &err), ==, 0);
	snprintf(path, sizeof path, "%s/char/points/2/pulses.csv", dir);
	a = slurp(path);
	check(a && out && !strcmp(a, out));               /* the bench, byte for byte */
	free(a);
	free(out);
	free(err);
	snprintf(path, sizeof path, "%s/char/results.csv", dir);
	b = slurp(path);
	check(b && strstr(b, "points/2/pulses.csv"));
	free(b);
}

static int have(const char *prog)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void gnu_parallel(void)
{
	char args[1024], cmd[2048], *out, *err;

	snprintf(args, sizeof args, "sweep %s/s12.ini --emit parallel --out %s/par", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "parallel --will-cite -j 2 < %s/par/jobs.txt", dir);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sweep --merge %s/par --quiet", dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	check(points_once("par", 12));
	check_int(differing_rows("j1", "par"), ==, 0);
}

/* A private Slurm from tests/slurm-local.sh: 0, or -1 with why. */
static int slurm_up(const char *top, char *why, size_t n)
{
	char cmd[2048], *out, *err;
	int rc;

	snprintf(cmd, sizeof cmd, "sh %s/tests/slurm-local.sh up %s/slurm", top, dir);
	rc = run_capture(cmd, &out, &err);
	snprintf(why, n, "no single-node Slurm here: %s", out && *out ? out : err ? err : "?");
	why[strcspn(why, "\n")] = 0;
	free(out);
	free(err);
	return rc == 0 ? 0 : -1;
}

static void slurm_down(const char *top)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "sh %s/tests/slurm-local.sh down %s/slurm", top, dir);
	if (system(cmd) != 0)
		tap_diag("could not stop the Slurm daemons");
}

static void slurm(void)
{
	char cmd[2048], args[1024], *out, *err;

	put("s4.ini", "[fixed]\ndata = iris\nsteps = 30\n[vary]\ne_b0 = 1.1, 1.3\n"
	    "memory = lim, conventional\n");
	snprintf(args, sizeof args, "sweep %s/s4.ini -j 2 --out %s/s4local --quiet", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sweep %s/s4.ini --emit slurm --out %s/s4slurm", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "SLURM_CONF=%s/slurm/slurm.conf sbatch --wait "
	         "%s/s4slurm/sweep.sbatch", dir, dir);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	if (err && *err)
		tap_diag("sbatch: %s", err);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sweep --merge %s/s4slurm --quiet", dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	free(out);
	free(err);
	check(points_once("s4slurm", 4));
	check_int(differing_rows("s4local", "s4slurm"), ==, 0);
}

/* StateSaveLocation of the controller that DIR/sub/slurm.conf reaches,
** into buf ("" when none answers). */
static void controller_state(const char *sub, char *buf, size_t n)
{
	char cmd[2048], *out, *err, *p = NULL;

	snprintf(cmd, sizeof cmd, "SLURM_CONF=%s/%s/slurm.conf scontrol show config", dir, sub);
	buf[0] = 0;
	if (run_capture(cmd, &out, &err) == 0 && (p = strstr(out, "\nStateSaveLocation")) &&
	    (p = strstr(p, "= ")))
		snprintf(buf, n, "%.*s", (int)strcspn(p + 2, "\n"), p + 2);
	free(out);
	free(err);
}

/* The pid in DIR/sub/name.pid; 0 when there is none. */
static long pid_file(const char *sub, const char *name)
{
	char path[1024], *t;
	long pid;

	snprintf(path, sizeof path, "%s/%s/%s.pid", dir, sub, name);
	t = slurp(path);
	pid = t ? atol(t) : 0;
	free(t);
	return pid;
}

/* Whether process pid has exited (gone, or a zombie not yet reaped). */
static int exited(long pid)
{
	char path[64], *t, *state;
	int gone;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (!(t = slurp(path)))
		return 1;
	state = strrchr(t, ')');
	gone = state && state[1] == ' ' && state[2] == 'Z';
	free(t);
	return gone;
}

/* A second private Slurm while the first runs, as a second `make check`
** on the machine would start: its controller is its own (it keeps its
** state in its own folder), and once 'down' returns its daemons are gone
** and its folder can be removed. */
static void slurm_beside(const char *top)
{
	char cmd[2048], want[1024], got[1024], *out, *err;
	long ctld, slurmd;

	snprintf(cmd, sizeof cmd, "sh %s/tests/slurm-local.sh up %s/slurm2", top, dir);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	if (out && *out)
		tap_diag("up: %s", out);
	free(out);
	free(err);
	controller_state("slurm2", got, sizeof got);
	snprintf(want, sizeof want, "%s/slurm2/state", dir);
	check_str(got, want);
	controller_state("slurm", got, sizeof got);
	snprintf(want, sizeof want, "%s/slurm/state", dir);
	check_str(got, want);                     /* and the first is still its own */
	ctld = pid_file("slurm2", "slurmctld");
	slurmd = pid_file("slurm2", "slurmd");
	check(ctld > 0 && slurmd > 0);
	snprintf(cmd, sizeof cmd, "sh %s/tests/slurm-local.sh down %s/slurm2", top, dir);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	free(out);
	free(err);
	check(ctld > 0 && exited(ctld));
	check(slurmd > 0 && exited(slurmd));
	snprintf(cmd, sizeof cmd, "rm -r %s/slurm2", dir);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	check(err && !*err);
	if (err && *err)
		tap_diag("rm: %s", err);
	free(out);
	free(err);
}

int main(void)
{
	const char *top;
	char cmd[700], why[512];
	size_t i;

	if (!(exe = env_or_skip("LIMSPICE")) || !(top = env_or_skip("LIMSPICE_TOP")))
		return 0;
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot create a temporary folder\n");
		return 1;
	}
	put("s12.ini", spec12);
	TEST(same_rows_j1_j2(), "a 12-point sweep: the same rows with -j 1 and -j 2");
	TEST(rows_are_commands(), "rows carry the product's values; a point = plain limspice train");
	TEST(target_and_front(), "steps to target and the Pareto front recomputed; plots written");
	TEST(kill_and_resume(), "killed with SIGKILL, resumed: each point once, rows of a clean run, "
	     "finished workers' rows taken");
	TEST(dead_worker_recorded(), "a worker killed: its point failed with the reason, the rest ran");
	TEST(refused("bad1.ini", "[vary]\ne_b0 = 1.1, 1.3\nfoo = 1, 2\n", "bad1.ini:3:",
	             "unknown key 'foo'"), "refuses an unknown key (file:line)");
	TEST(refused("bad2.ini", "[vary]\nkappa = 0.4:0.6:0\n", "bad2.ini:2:", "empty range"),
	     "refuses an empty range (file:line)");
	TEST(refused("bad3.ini", "[fixed]\nsteps = 5\n[vary]\nlambda = 0.3, 1.5\n", "bad3.ini:4:",
	             "[0, 1]"), "refuses a value outside the model's limits (file:line)");
	TEST(refused("bad4.ini", "[fixed]\nr_max = 1e5\n[vary]\nr1 = 1e4:1e6:3 log\n",
	             "bad4.ini:4: point 3", "r_max"), "refuses a point whose values clash");
	for (i = 0; i < sizeof bad_text / sizeof *bad_text; i++) {
		const struct bad_text *b = &bad_text[i];
		TEST(refused_bytes(b->name, b->text, b->len, 1, b->where, b->why), "%s", b->what);
	}
	TEST(refused_long_line(), "--dry-run refuses a 1 MiB line (file:line, a short message)");
	TEST(bom_accepted(), "--dry-run skips a UTF-8 byte-order mark at the start");
	TEST(refused_huge_file(), "refuses a SPEC over 16 MiB rather than reading part of it");
	TEST(points_limit(), "10000 points pass --dry-run; 10001 and 1e6 are refused at once");
	TEST(jobs_range(), "-j 100000 refused with the range; -j 1024 taken");
	TEST(characterize_points(), "a sweep of characterize benches: each point = the bench");
	if (have("parallel"))
		TEST(gnu_parallel(), "--emit parallel run by GNU parallel, merged: the rows of -j 1");
	else
		tap_skip("GNU parallel is not installed (Debian parallel)", "GNU parallel");
	if (slurm_up(top, why, sizeof why) == 0) {
		TEST(slurm(), "--emit slurm run as a job array on a private Slurm, merged");
		TEST(slurm_beside(top), "slurm-local.sh: a second private Slurm beside the first "
		     "has its own daemons, all gone when 'down' returns");
		slurm_down(top);
	} else {
		tap_skip(why, "Slurm job array");
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
