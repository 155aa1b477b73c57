/*
** cmd_sweep.c - `limspice sweep`: design-space sweeps over trainings or
** characterisation benches, on this machine's cores or, through GNU
** parallel or a Slurm job array, on many machines. See LICENSE for
** copyright.
*/
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "cmds.h"
#include "outfile.h"
#include "sweep.h"

static const char usage[] =
"Usage: limspice sweep SPEC [--out DIR] [-j N] [--resume] [options]\n"
"       limspice sweep SPEC --emit parallel|slurm [--out DIR]\n"
"       limspice sweep SPEC --point K [--out DIR]\n"
"       limspice sweep --merge DIR... [--out DIR]\n"
"Runs every point of SPEC (a training or a characterisation bench; the\n"
"format is in README.md) in worker processes, one row per point in\n"
"DIR/results.csv, and plots the energy/speed trade-off with its Pareto front\n"
"(tradeoff.png, pareto.csv) and energy per update against each swept key\n"
"(energy_vs_KEY.png). Every value and every point's command are checked\n"
"before anything runs.\n"
"  --out DIR            the sweep's directory; default SPEC without its\n"
"                       extension plus .sweep\n"
"  -j, --jobs N         worker processes, 1 to 1024; default the number of\n"
"                       cores\n"
"  --resume             finish the sweep in DIR: points with a row are skipped\n"
"  --retry-failed       with --resume, run the failed points again\n"
"  --target-accuracy X  accuracy of the last 20 reads that defines\n"
"                       steps_to_target, (0, 1]; default SPEC's\n"
"                       target_accuracy, else 0.9\n"
"  --dry-run            check SPEC and list the points' commands, run nothing\n"
"  --point K            run point K alone into DIR/points/K (what the\n"
"                       emitted jobs run); with --resume a point with an ok\n"
"                       row is skipped\n"
"  --emit parallel      write DIR/jobs.txt for GNU parallel\n"
"  --emit slurm         write DIR/sweep.sbatch, a Slurm job array\n"
"  --merge DIR...       combine the points of emitted runs (and of\n"
"                       results.csv files) into --out DIR (default the first)\n"
"  --quiet              no progress on stderr\n"
"  -h, --help           this text\n"
"Exit status: 0 every point ok, 1 a point failed or is missing (its row\n"
"says why), 2 bad usage or SPEC (FILE:LINE: reason), 130 interrupted.\n";

typedef struct {
	const char *spec, *out, *emit;
	long point;
	int jobs, resume, retry_failed, dry_run, merge, quiet;
	double target;              /* NAN: SPEC's, else 0.9 */
	char **dirs;                /* --merge */
	int ndirs;
} opts;

enum { O_OUT = 256, O_RESUME, O_RETRY, O_TARGET, O_DRY, O_POINT, O_EMIT, O_MERGE, O_QUIET };

static int parse(const char *verb, int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{"out", 1, 0, O_OUT}, {"jobs", 1, 0, 'j'}, {"resume", 0, 0, O_RESUME},
		{"retry-failed", 0, 0, O_RETRY}, {"target-accuracy", 1, 0, O_TARGET},
		{"dry-run", 0, 0, O_DRY}, {"point", 1, 0, O_POINT}, {"emit", 1, 0, O_EMIT},
		{"merge", 0, 0, O_MERGE}, {"quiet", 0, 0, O_QUIET}, {"help", 0, 0, 'h'},
		{0, 0, 0, 0}
	};
	static const char *const emits[] = {"parallel", "slurm", NULL};
	int c, rc = CLI_OK, k;
	double v;

	memset(o, 0, sizeof *o);
	o->target = NAN;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	if (o->jobs > SWEEP_MAX_JOBS)
		o->jobs = SWEEP_MAX_JOBS;
	optind = 0;   /* not 1: glibc then forgets an earlier scan (sweeps) */
	opterr = 0;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, ":hj:", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return -1;
		case O_OUT: o->out = optarg; break;
		case 'j':
			if ((rc = cli_count(verb, "--jobs", optarg, 1, &v)) == CLI_OK && v > SWEEP_MAX_JOBS)
				rc = cli_usage(verb, "--jobs: '%s' is not allowed, expected a whole number "
				               "from 1 to %d", optarg, SWEEP_MAX_JOBS);
			else if (rc == CLI_OK)
				o->jobs = (int)v;
			break;
		case O_RESUME: o->resume = 1; break;
		case O_RETRY: o->retry_failed = 1; break;
		case O_TARGET: rc = cli_real(verb, "--target-accuracy", optarg, 0, 1, 1, 0, &o->target); break;
		case O_DRY: o->dry_run = 1; break;
		case O_POINT:
			if ((rc = cli_count(verb, "--point", optarg, 1, &v)) == CLI_OK)
				o->point = v > SWEEP_MAX_POINTS ? SWEEP_MAX_POINTS + 1L : (long)v;
			break;
		case O_EMIT:
			if ((rc = cli_choice(verb, "--emit", optarg, emits, &k)) == CLI_OK)
				o->emit = emits[k];
			break;
		case O_MERGE: o->merge = 1; break;
		case O_QUIET: o->quiet = 1; break;
		default: return cli_bad_option(verb, c, argv[optind - 1]);
		}
	}
	if (rc != CLI_OK)
		return rc;
	if (o->merge) {
		if (optind == argc)
			return cli_usage(verb, "--merge: name the sweep directories to combine");
		o->dirs = argv + optind;
		o->ndirs = argc - optind;
		return CLI_OK;
	}
	if (optind == argc)
		return cli_usage(verb, "expected a SPEC file");
	if (optind + 1 < argc)
		return cli_usage(verb, "unexpected argument '%s' after SPEC", argv[optind + 1]);
	o->spec = argv[optind];
	if (o->retry_failed && !o->resume)
		return cli_usage(verb, "--retry-failed goes with --resume");
	if ((o->point != 0) + (o->emit != NULL) + o->dry_run > 1)
		return cli_usage(verb, "--point, --emit and --dry-run exclude each other");
	return CLI_OK;
}

static sweep_verb verb_of(const sweep_spec *s)
{
	return s->run == SWEEP_TRAIN ? cmd_train : cmd_characterize;
}

/* SPEC less its extension, plus .sweep. */
static void default_dir(const char *spec, char *buf, size_t n)
{
	const char *slash = strrchr(spec, '/'), *dot = strrchr(spec, '.');
	int len = dot && (!slash || dot > slash + 1) ? (int)(dot - spec) : (int)strlen(spec);

	snprintf(buf, n, "%.*s.sweep", len, spec);
}

static int make_dirs(const char *verb, const char *dir)
{
	char sub[4096];

	snprintf(sub, sizeof sub, "%s/points", dir);
	if ((mkdir(dir, 0777) != 0 && errno != EEXIST) || (mkdir(sub, 0777) != 0 && errno != EEXIST)) {
		cli_say(verb, "--out %s: cannot create: %s", dir, strerror(errno));
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* DIR/spec.ini: the SPEC a merge reads (and a person rereads). */
static int save_spec(const char *verb, const sweep_spec *s, const char *dir)
{
	char path[4096];
	outfile f;

	snprintf(path, sizeof path, "%s/spec.ini", dir);
	if (outfile_open(&f, path) != 0) {
		cli_say(verb, "%s: cannot create: %s", path, strerror(errno));
		return CLI_FAIL;
	}
	fputs(s->text, f.f);
	return cli_finish(verb, &f, CLI_OK);
}

static double target_of(const opts *o, const sweep_spec *s)
{
	if (!isnan(o->target))
		return o->target;
	return isnan(s->target_accuracy) ? 0.9 : s->target_accuracy;
}

/* Writes s's report (pareto.csv and plots) into dir; a failure is said. */
static int report(const char *verb, const char *dir, sweep_spec *s, double target)
{
	sweep_results r;
	char path[4096], err[1024];
	int rc;

	snprintf(path, sizeof path, "%s/results.csv", dir);
	if (sweep_results_read(path, &r, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	s->target_accuracy = target;
	rc = sweep_report(dir, s, &r, err, sizeof err);
	sweep_results_free(&r);
	if (rc != 0) {
		cli_say(verb, "plots: %s", err);
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* -- One point (what emitted jobs and the pool's workers run) ------------------ */

static int run_point(const char *verb, const opts *o, const sweep_spec *s, const char *dir)
{
	char pointdir[3072], err[1024], path[4096], row[16384];
	struct stat st;
	int rc, failed;

	if (o->point > s->npoints)
		return cli_usage(verb, "--point %ld: %s has %ld points", o->point, s->path,
		                 s->npoints);
	if (make_dirs(verb, dir) != CLI_OK)
		return CLI_FAIL;
	snprintf(path, sizeof path, "%s/spec.ini", dir);
	if (stat(path, &st) != 0 && save_spec(verb, s, dir) != CLI_OK)
		return CLI_FAIL;
	snprintf(pointdir, sizeof pointdir, "%s/points/%ld", dir, o->point);
	if (o->resume && sweep_row_load(s, pointdir, o->point, row, sizeof row, &failed) == 0 &&
	    !failed) {
		if (!o->quiet)
			cli_say(verb, "point %ld: done already", o->point);
		return CLI_OK;
	}
	rc = sweep_run_point(s, verb_of(s), o->point, pointdir, target_of(o, s), err, sizeof err);
	if (rc < 0) {
		cli_say(verb, "point %ld: %s", o->point, err);
		return CLI_FAIL;
	}
	if (!o->quiet)
		cli_say(verb, "point %ld %s (row in %s/row.csv)", o->point, rc ? "failed" : "ok",
		        pointdir);
	return rc ? CLI_FAIL : CLI_OK;
}

/* -- Scale-out: job files for GNU parallel and Slurm ----------------------------- */

/* 'text' for sh, with ' as '\''. */
static void shq(FILE *f, const char *text)
{
	fputc('\'', f);
	for (; *text; text++)
		if (*text == '\'')
			fputs("'\\''", f);
		else
			fputc(*text, f);
	fputc('\'', f);
}

/* The command of one point less its number, absolute paths throughout. */
static void point_command(FILE *f, const char *self, const char *spec, const char *dir,
                          double target)
{
	shq(f, self);
	fputs(" sweep ", f);
	shq(f, spec);
	fputs(" --out ", f);
	shq(f, dir);
	fprintf(f, " --target-accuracy %.15g --resume --quiet --point ", target);
}

static int emit(const char *verb, const opts *o, const sweep_spec *s, const char *dir)
{
	char self[4096], path[4096], *spec = realpath(s->path, NULL), *adir = NULL;
	outfile f;
	int found = host_self(self, sizeof self) == 0;
	long k;
	int rc;

	if (make_dirs(verb, dir) != CLI_OK || save_spec(verb, s, dir) != CLI_OK) {
		free(spec);
		return CLI_FAIL;
	}
	adir = realpath(dir, NULL);
	if (!found || !spec || !adir) {
		cli_say(verb, "cannot resolve the paths of limspice, SPEC or DIR: %s", strerror(errno));
		free(spec);
		free(adir);
		return CLI_FAIL;
	}
	snprintf(path, sizeof path, "%s/%s", dir, strcmp(o->emit, "slurm") ? "jobs.txt" :
	                                                                 "sweep.sbatch");
	if (outfile_open(&f, path) != 0) {
		cli_say(verb, "%s: cannot create: %s", path, strerror(errno));
		free(spec);
		free(adir);
		return CLI_FAIL;
	}
	if (!strcmp(o->emit, "parallel")) {
		for (k = 1; k <= s->npoints; k++) {
			point_command(f.f, self, spec, adir, target_of(o, s));
			fprintf(f.f, "%ld\n", k);
		}
	} else {
		fprintf(f.f, "#!/bin/sh\n# limspice sweep %s: %ld points, one array task each.\n"
		        "# Submit: sbatch %s/sweep.sbatch   then: limspice sweep --merge %s\n"
		        "#SBATCH --job-name=limspice-sweep\n#SBATCH --array=1-%ld\n"
		        "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
		        "#SBATCH --output=%s/points/slurm-%%a.out\n", spec, s->npoints, adir, adir,
		        s->npoints, adir);
		fputs("exec ", f.f);
		point_command(f.f, self, spec, adir, target_of(o, s));
		fputs("\"$SLURM_ARRAY_TASK_ID\"\n", f.f);
	}
	rc = cli_finish(verb, &f, CLI_OK);
	if (rc == CLI_OK && !strcmp(o->emit, "slurm"))
		chmod(path, 0755);
	if (rc == CLI_OK && !o->quiet) {
		if (!strcmp(o->emit, "parallel"))
			cli_say(verb, "%ld jobs in %s; run them with: parallel --will-cite -j N < %s "
			        "(add -S host1,host2 with DIR on a shared disk), then: limspice "
			        "sweep --merge %s", s->npoints, path, path, adir);
		else
			cli_say(verb, "a %ld-task job array in %s; run it with: sbatch %s, then: "
			        "limspice sweep --merge %s", s->npoints, path, path, adir);
	}
	free(spec);
	free(adir);
	return rc;
}

/* -- Merging the points of one sweep from several directories ----------------- */

static int merge(const char *verb, const opts *o)
{
	const char *out = o->out ? o->out : o->dirs[0];
	sweep_spec s, other;
	sweep_results all;
	char path[4096], err[1024], header[8192];
	int d, rc = CLI_OK;
	long k, i, missing = 0, failed = 0;

	memset(&all, 0, sizeof all);
	memset(&s, 0, sizeof s);
	for (d = 0; d < o->ndirs; d++) {
		sweep_results r;
		snprintf(path, sizeof path, "%s/spec.ini", o->dirs[d]);
		if (sweep_parse(path, d ? &other : &s, err, sizeof err) != 0) {
			cli_say(verb, "--merge: %s (each DIR holds the spec.ini its sweep wrote)", err);
			rc = CLI_USAGE;
			goto done;
		}
		if (d && other.hash != s.hash) {
			cli_say(verb, "--merge: %s is another sweep's SPEC than %s/spec.ini", path,
			        o->dirs[0]);
			sweep_free(&other);
			rc = CLI_USAGE;
			goto done;
		}
		if (d)
			sweep_free(&other);
		else {
			sweep_header(&s, header, sizeof header);
			if (!(all.header = strdup(header)))
				goto oom;
		}
		snprintf(path, sizeof path, "%s/results.csv", o->dirs[d]);
		if (sweep_results_read(path, &r, err, sizeof err) != 0) {
			cli_say(verb, "--merge: %s", err);
			rc = CLI_FAIL;
			goto done;
		}
		for (i = 0; i < r.nrows; i++)
			if (sweep_results_add(&all, r.rows[i]) < 0) {
				sweep_results_free(&r);
				goto oom;
			}
		sweep_results_free(&r);
		for (k = 1; k <= s.npoints; k++) {   /* the rows the emitted jobs left */
			char pointdir[3072], row[16384];
			snprintf(pointdir, sizeof pointdir, "%s/points/%ld", o->dirs[d], k);
			if (sweep_row_load(&s, pointdir, k, row, sizeof row, NULL) == 0 &&
			    sweep_results_add(&all, row) < 0)
				goto oom;
		}
	}
	if (make_dirs(verb, out) != CLI_OK || (strcmp(out, o->dirs[0]) &&
	                                      save_spec(verb, &s, out) != CLI_OK)) {
		rc = CLI_FAIL;
		goto done;
	}
	snprintf(path, sizeof path, "%s/results.csv", out);
	if (sweep_results_write(path, all.header, &all, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		rc = CLI_FAIL;
		goto done;
	}
	for (k = 1; k <= s.npoints; k++) {
		for (i = 0; i < all.nrows && all.point[i] != k; i++)
			;
		if (i == all.nrows) {
			if (missing++ < 10)
				cli_say(verb, "point %ld is missing", k);
		} else if (all.failed[i]) {
			failed++;
		}
	}
	rc = report(verb, out, &s, target_of(o, &s));
	if (!o->quiet)
		cli_say(verb, "merged %ld of %ld points (%ld failed, %ld missing) into %s",
		        all.nrows, s.npoints, failed, missing, path);
	if (rc == CLI_OK && (missing || failed))
		rc = CLI_FAIL;
done:
	sweep_results_free(&all);
	sweep_free(&s);
	return rc;
oom:
	cli_say(verb, "out of memory");
	rc = CLI_FAIL;
	goto done;
}

/* -- The sweep on this machine ------------------------------------------------ */

static int dry_run(const sweep_spec *s, double target)
{
	long k;
	int argc, i;

	printf("# %ld points of %s; target accuracy %g\n", s->npoints, s->path, target);
	for (k = 1; k <= s->npoints; k++) {
		char **argv = sweep_argv(s, k, NULL, &argc);
		if (!argv)
			return CLI_FAIL;
		printf("%ld\tlimspice", k);
		for (i = 0; i < argc; i++)
			printf(" %s", argv[i]);
		putchar('\n');
		sweep_argv_free(argv);
	}
	return CLI_OK;
}

static int run_all(const char *verb, const opts *o, sweep_spec *s, const char *dir)
{
	sweep_pool_opts po;
	sweep_tally t;
	char self[4096], err[1024];
	double t0;
	int rc;

	if (host_self(self, sizeof self) != 0) {
		cli_say(verb, "cannot find this executable: %s", strerror(errno));
		return CLI_FAIL;
	}
	if (make_dirs(verb, dir) != CLI_OK || save_spec(verb, s, dir) != CLI_OK)
		return CLI_FAIL;
	po = (sweep_pool_opts){dir, o->jobs, o->resume, o->retry_failed, target_of(o, s), o->quiet,
	                       self};
	if (!o->quiet)
		cli_say(verb, "%ld points of %s, %d worker%s, into %s", s->npoints, s->path, o->jobs,
		        o->jobs == 1 ? "" : "s", dir);
	t0 = cli_now_s();
	if ((rc = sweep_pool_run(s, &po, &t, err, sizeof err)) != 0) {
		cli_say(verb, "%s", err);
		return rc == -2 ? CLI_USAGE : CLI_FAIL;
	}
	if (t.interrupted) {
		cli_say(verb, "interrupted (%s): %ld points done; finish with --resume",
		        strsignal(t.interrupted), t.ok + t.failed);
		return 128 + t.interrupted;
	}
	rc = report(verb, dir, s, target_of(o, s));
	if (!o->quiet)
		cli_say(verb, "%ld points: %ld ok, %ld failed; %ld ran now in %.1f s; %s/results.csv",
		        t.points, t.ok, t.failed, t.ran,
		        cli_now_s() - t0, dir);
	return rc != CLI_OK ? rc : t.failed ? CLI_FAIL : CLI_OK;
}

int cmd_sweep(int argc, char **argv)
{
	static const char verb[] = "sweep";
	opts o;
	sweep_spec s;
	char err[2048], dir[2048];
	int rc;

	if ((rc = parse(verb, argc, argv, &o)) < 0) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (rc != CLI_OK)
		return rc;
	if (o.merge)
		return merge(verb, &o);
	if (sweep_parse(o.spec, &s, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		return CLI_USAGE;
	}
	if (o.out)
		snprintf(dir, sizeof dir, "%s", o.out);
	else
		default_dir(o.spec, dir, sizeof dir);
	/* A worker trusts the SPEC its pool checked; everyone else checks it all. */
	if (!o.point && sweep_check(&s, verb_of(&s), err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		sweep_free(&s);
		return CLI_USAGE;
	}
	if (o.dry_run)
		rc = dry_run(&s, target_of(&o, &s));
	else if (o.point)
		rc = run_point(verb, &o, &s, dir);
	else if (o.emit)
		rc = emit(verb, &o, &s, dir);
	else
		rc = run_all(verb, &o, &s, dir);
	sweep_free(&s);
	return rc;
}
