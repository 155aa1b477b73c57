/*
** sweep_pool.c - runs a sweep's points in worker processes: one libngspice
** each (the library keeps one circuit per process), rows appended to
** results.csv as points end, a journal, resumption, progress on stderr.
** See LICENSE for copyright.
**
** results.csv is the record of what is done: a row is appended and synced
** the moment its point ends, so a sweep killed at any instant resumes from
** the rows it finds (a torn last line is dropped and that point runs
** again). The journal adds the SPEC's hash, which a resume must match, and
** a line per start and end for whoever wants to know what happened.
**
** Signals are taken synchronously (sigwaitinfo on a blocked set) rather
** than by handlers: no global flag, and SIGCHLD, SIGINT and SIGTERM all
** arrive in the one loop that owns the children. Workers die with the
** pool (PR_SET_PDEATHSIG), so a killed pool leaves no orphan writing on.
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sweep.h"

typedef struct {
	pid_t pid;
	long point;
	double t0;
} worker;

typedef struct {
	const sweep_spec *s;
	const sweep_pool_opts *o;
	sweep_results res;
	FILE *results, *journal;
	worker *w;
	int running;
	sweep_tally *t;
	double t0;
	int tty, stop;
	char header[8192];
} pool;

static void synced(FILE *f)
{
	fflush(f);
	fdatasync(fileno(f));
}

/* "<unix time> <event> <number> [<detail>]" */
static void journal(pool *p, const char *event, long k, const char *detail)
{
	fprintf(p->journal, "%ld %s %ld%s%s\n", (long)time(NULL), event, k, *detail ? " " : "",
	        detail);
	synced(p->journal);
}

/* -- Opening: fresh, or resumed from what DIR holds ---------------------------- */

static int check_journal(pool *p, const char *path, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned long long h = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;           /* a resume of nothing is a start */
		return snprintf(err, n, "%s: cannot open: %s", path, strerror(errno)), -1;
	}
	if (!fgets(line, sizeof line, f) || sscanf(line, "limspice-sweep 1 hash=%llx", &h) != 1) {
		fclose(f);
		return snprintf(err, n, "%s: not a limspice sweep journal", path), -2;
	}
	fclose(f);
	if (h != p->s->hash)
		return snprintf(err, n, "%s changed since the sweep in %s began: resume it with "
		                "the SPEC it was started with, or choose another --out",
		                p->s->path, p->o->dir), -2;
	return 0;
}

static int open_pool(pool *p, char *err, size_t n)
{
	char path[4096], jpath[4096];
	struct stat st;
	int fresh, rc;

	snprintf(jpath, sizeof jpath, "%s/journal", p->o->dir);
	fresh = stat(jpath, &st) != 0;
	if (!fresh && !p->o->resume)
		return snprintf(err, n, "%s holds a sweep already (%s): --resume to finish it, "
		                "or choose another --out", p->o->dir, jpath), -2;
	if (!fresh && (rc = check_journal(p, jpath, err, n)) != 0)
		return rc;
	snprintf(path, sizeof path, "%s/results.csv", p->o->dir);
	if (sweep_results_read(path, &p->res, err, n) != 0)
		return -1;
	if (!p->res.header && !(p->res.header = strdup(p->header)))
		return snprintf(err, n, "out of memory"), -1;
	if (p->res.header && strcmp(p->res.header, p->header))
		return snprintf(err, n, "%s: its header is not this SPEC's: choose another --out",
		                path), -2;
	if (p->o->retry_failed) {            /* forget failed rows: they run again */
		long i, m = 0;
		for (i = 0; i < p->res.nrows; i++)
			if (p->res.failed[i])
				free(p->res.rows[i]);
			else {
				p->res.rows[m] = p->res.rows[i];
				p->res.point[m] = p->res.point[i];
				p->res.failed[m++] = 0;
			}
		p->res.nrows = m;
	}
	/* Rewritten whole: drops a torn line and leaves a file to append to. */
	if (sweep_results_write(path, p->header, &p->res, err, n) != 0)
		return -1;
	if (!(p->results = fopen(path, "a")) || !(p->journal = fopen(jpath, "a")))
		return snprintf(err, n, "%s: cannot append: %s", p->o->dir, strerror(errno)), -1;
	if (fresh)
		fprintf(p->journal, "limspice-sweep 1 hash=%016llx points=%ld spec=%s\n",
		        (unsigned long long)p->s->hash, p->s->npoints, p->s->path);
	journal(p, fresh ? "begin" : "resume", p->res.nrows, "rows present");
	return 0;
}

/* -- Workers ------------------------------------------------------------------ */

static pid_t spawn(pool *p, long k, const sigset_t *old)
{
	char pointdir[4096], kbuf[32], tbuf[64], path[4200];
	char *argv[16];
	int argc = 0, fd;
	pid_t parent = getpid(), pid;

	snprintf(pointdir, sizeof pointdir, "%s/points/%ld", p->o->dir, k);
	if (mkdir(pointdir, 0777) != 0 && errno != EEXIST)
		return -1;
	snprintf(path, sizeof path, "%s/row.csv", pointdir);
	unlink(path);                   /* a stale row must not pass for this run's */
	snprintf(kbuf, sizeof kbuf, "%ld", k);
	snprintf(tbuf, sizeof tbuf, "%.15g", p->o->target_accuracy);
	argv[argc++] = "limspice";
	argv[argc++] = "sweep";
	argv[argc++] = p->s->path;
	argv[argc++] = "--out";
	argv[argc++] = (char *)p->o->dir;
	argv[argc++] = "--point";
	argv[argc++] = kbuf;
	argv[argc++] = "--target-accuracy";
	argv[argc++] = tbuf;
	argv[argc++] = "--quiet";
	argv[argc] = NULL;
	snprintf(path, sizeof path, "%s/log.txt", pointdir);
	fflush(NULL);
	if ((pid = fork()) != 0)
		return pid;
	/* the child */
	sigprocmask(SIG_SETMASK, old, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	if ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	execv(p->o->self, argv);
	fprintf(stderr, "limspice: sweep: cannot run %s: %s\n", p->o->self, strerror(errno));
	_exit(127);
}

/* The row a worker left in points/K/row.csv; 0, or -1 when there is none. */
static int left_row(pool *p, long k, char *row, size_t n)
{
	char pointdir[4096];

	snprintf(pointdir, sizeof pointdir, "%s/points/%ld", p->o->dir, k);
	return sweep_row_load(p->s, pointdir, k, row, n, NULL);
}

/* The row the worker of point k left, or one saying how it died. */
static void row_of(pool *p, long k, int status, char *row, size_t n)
{
	char why[256];

	if (left_row(p, k, row, n) == 0)
		return;
	if (WIFSIGNALED(status))
		snprintf(why, sizeof why, "worker killed by signal %d (%s); see points/%ld/log.txt",
		         WTERMSIG(status), strsignal(WTERMSIG(status)), k);
	else
		snprintf(why, sizeof why, "worker exited with status %d and no row; see "
		         "points/%ld/log.txt", WEXITSTATUS(status), k);
	sweep_dead_row(p->s, k, why, row, n);
}

/* A resumed sweep takes the rows of points whose worker finished after the
** pool was killed, before the pool could append them: nothing is run twice. */
static void adopt(pool *p, long k)
{
	char row[16384];

	if (left_row(p, k, row, sizeof row) != 0 || sweep_results_add(&p->res, row) != 1)
		return;
	fprintf(p->results, "%s\n", row);
	synced(p->results);
	journal(p, "adopted", k, p->res.failed[p->res.nrows - 1] ? "failed" : "ok");
}

static void progress(pool *p, long k, int failed, const char *row)
{
	long done = p->t->ok + p->t->failed;
	double el = cli_now_s() - p->t0;
	double eta = p->t->ran ? el / p->t->ran * (p->t->points - done) : NAN;
	int i, bar = p->t->points ? (int)(30 * done / p->t->points) : 30;

	if (p->o->quiet)
		return;
	if (failed) {
		char *copy = strdup(row), *f[128];
		int nf = copy ? sweep_split(copy, f, 128) : 0;
		fprintf(stderr, "%slimspice: sweep: point %ld failed: %s\n", p->tty ? "\r\033[K" : "",
		        k, nf ? f[nf - 1] : "?");
		free(copy);
	}
	if (p->tty) {
		fprintf(stderr, "\r\033[Klimspice: sweep: [");
		for (i = 0; i < 30; i++)
			fputc(i < bar ? '#' : '.', stderr);
		fprintf(stderr, "] %ld/%ld, %ld failed, ETA %.0f s", done, p->t->points,
		        p->t->failed, isnan(eta) ? 0 : eta);
		if (done == p->t->points)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "limspice: sweep: point %ld %s, %ld/%ld done, %ld failed, ETA %.0f s\n",
		        k, failed ? "failed" : "ok", done, p->t->points, p->t->failed,
		        isnan(eta) ? 0 : eta);
	}
}

/* A worker ended: its row into results.csv, then the journal. */
static void finished(pool *p, int slot, int status)
{
	long k = p->w[slot].point;
	char row[16384];
	int failed;

	p->w[slot] = p->w[--p->running];
	if (p->stop)                     /* interrupted: the point runs again on resume */
		return;
	row_of(p, k, status, row, sizeof row);
	if (sweep_results_add(&p->res, row) != 1)
		return;
	failed = p->res.failed[p->res.nrows - 1];
	fprintf(p->results, "%s\n", row);
	synced(p->results);
	journal(p, "done", k, failed ? "failed" : "ok");
	p->t->ran++;
	if (failed)
		p->t->failed++;
	else
		p->t->ok++;
	progress(p, k, failed, row);
}

static void reap(pool *p)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < p->running; i++)
			if (p->w[i].pid == pid) {
				finished(p, i, status);
				break;
			}
}

static int run_points(pool *p, const long *todo, long ntodo, char *err, size_t n)
{
	sigset_t set, old;
	long next = 0;
	int i;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	while (next < ntodo || p->running > 0) {
		siginfo_t si;
		int sig;
		while (!p->stop && p->running < p->o->jobs && next < ntodo) {
			long k = todo[next++];
			pid_t pid = spawn(p, k, &old);
			if (pid < 0) {
				snprintf(err, n, "cannot start a worker for point %ld: %s", k, strerror(errno));
				p->stop = 1;
				break;
			}
			p->w[p->running++] = (worker){pid, k, cli_now_s()};
			journal(p, "start", k, "");
		}
		if (p->running == 0)
			break;
		sig = sigwaitinfo(&set, &si);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			p->stop = 1;
			p->t->interrupted = sig;
			for (i = 0; i < p->running; i++)
				kill(p->w[i].pid, SIGTERM);
		}
		reap(p);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (p->stop && p->tty && !p->o->quiet)
		fputc('\n', stderr);          /* off the progress bar's line */
	return err[0] ? -1 : 0;
}

int sweep_pool_run(const sweep_spec *s, const sweep_pool_opts *o, sweep_tally *t,
                   char *err, size_t n)
{
	pool p;
	char path[4096];
	long *todo = NULL, ntodo = 0, k, i;
	char *have = NULL;          /* have[k]: point k has a row */
	int rc = -1;

	memset(&p, 0, sizeof p);
	memset(t, 0, sizeof *t);
	p.s = s;
	p.o = o;
	p.t = t;
	p.tty = isatty(2);
	err[0] = 0;
	sweep_header(s, p.header, sizeof p.header);
	t->points = s->npoints;
	if ((rc = open_pool(&p, err, n)) != 0)
		goto done;
	rc = -1;
	if (!(todo = malloc((s->npoints + 1) * sizeof *todo)) ||
	    !(have = calloc(s->npoints + 1, 1)) || !(p.w = calloc(o->jobs, sizeof *p.w))) {
		snprintf(err, n, "out of memory");
		goto done;
	}
	for (i = 0; i < p.res.nrows; i++)
		if (p.res.point[i] >= 1 && p.res.point[i] <= s->npoints)
			have[p.res.point[i]] = 1;
	for (k = 1; k <= s->npoints; k++)
		if (!have[k] && o->resume)
			adopt(&p, k);
	for (i = 0; i < p.res.nrows; i++) {
		p.res.failed[i] ? t->failed++ : t->ok++;
		if (p.res.point[i] >= 1 && p.res.point[i] <= s->npoints)
			have[p.res.point[i]] = 1;
	}
	for (k = 1; k <= s->npoints; k++)
		if (!have[k])
			todo[ntodo++] = k;
	if (!o->quiet && p.res.nrows)
		fprintf(stderr, "limspice: sweep: %ld of %ld points done already; %ld to run\n",
		        p.res.nrows, s->npoints, ntodo);
	p.t0 = cli_now_s();
	if (run_points(&p, todo, ntodo, err, n) != 0)
		goto done;
	journal(&p, t->interrupted ? "interrupted" : "end", t->ran, "points run");
	snprintf(path, sizeof path, "%s/results.csv", o->dir);
	if (sweep_results_write(path, p.header, &p.res, err, n) != 0)
		goto done;
	rc = 0;
done:
	if (p.results)
		fclose(p.results);
	if (p.journal)
		fclose(p.journal);
	sweep_results_free(&p.res);
	free(todo);
	free(have);
	free(p.w);
	return rc;
}
