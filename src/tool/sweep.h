/*
** sweep.h - design-space sweeps: the SPEC file, its points, their rows.
** See LICENSE for copyright.
**
** A SPEC names what every point runs (a training or a characterisation
** bench), the settings all points share and the swept ones:
**
**     [sweep]                      # how to sweep
**     run = train                  # or: characterize pulses|rates|retention
**     combine = product            # or zip (axes of equal length, in step)
**     target_accuracy = 0.9
**     [fixed]                      # one value each
**     data = iris
**     steps = 60
**     [vary]                       # one axis each
**     e_b0 = 1.1, 1.3              # a list
**     kappa = 0.3:0.6:4            # start:stop:count, linear
**     r1 = 1e4:1e6:3 log           # logarithmic
**     temp = 0C:80C:3              # a range keeps the unit of its ends
**
** Keys are the lim_synapse parameters (limspice params) and the options of
** the verb (see sweep_keys in sweep_spec.c), each becoming the argument the
** verb takes on its command line, so a point is exactly a command a user
** could type. Points are numbered from 1; in a product the last axis moves
** fastest, as nested loops written in the file's order would.
*/
#ifndef LIMSPICE_SWEEP_H
#define LIMSPICE_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* SWEEP_MAX_POINTS: before anything runs every point's command is checked
** with the verb's --dry-run (about 0.1 ms each: 10000 take a second), and
** at a second or more per training 10000 points are hours of work on a
** workstation and a job array past Slurm's default MaxArraySize (1001)
** already. SWEEP_MAX_JOBS: worker processes of one sweep (-j). */
enum { SWEEP_MAX_AXES = 16, SWEEP_MAX_FIXED = 64, SWEEP_MAX_POINTS = 10000,
       SWEEP_MAX_JOBS = 1024 };

typedef enum { SWEEP_TRAIN, SWEEP_CHARACTERIZE } sweep_run;

typedef struct sweep_key sweep_key;   /* a row of the key table */

/* A verb of the command (cmd_train, cmd_characterize): the sweep calls it
** in-process, with the argv sweep_argv builds. */
typedef int (*sweep_verb)(int argc, char **argv);

typedef struct {
	char name[32];
	const sweep_key *key;       /* NULL for a lim_synapse parameter */
	int is_param;               /* a lim_synapse parameter (--param name=value) */
	char unit[16];              /* for the results column: e_b0_eV */
	char **values;              /* as the verb will read them */
	int nvalues;
	int line;                   /* in SPEC, for messages */
	int log;                    /* a log range: plot on a log axis */
	int numeric;                /* every value is a number (plots) */
} sweep_axis;

typedef struct {
	char *path;                 /* SPEC as given */
	char *dir;                  /* its directory, for relative file values */
	char *text;                 /* the whole file */
	uint64_t hash;              /* of text: a resumed sweep must match */
	sweep_run run;
	char bench[16];             /* characterize's bench */
	int zip;
	double target_accuracy;     /* NAN: not set in SPEC */
	int target_line;
	double min_retention_years; /* best.csv: the least retention at 27 C [y];
	                               NAN: not set in SPEC (no constraint) */
	sweep_axis fixed[SWEEP_MAX_FIXED];
	int nfixed;
	sweep_axis axes[SWEEP_MAX_AXES];
	int naxes;
	long npoints;
} sweep_spec;

/* Reads and parses path: syntax, known keys, ranges, list lengths. The
** values themselves are checked by sweep_check. 0, or -1 with
** "FILE:LINE: reason" (or "FILE: reason") in err. */
int sweep_parse(const char *path, sweep_spec *s, char *err, size_t n);

/* Parses text as if read from path (merge reads the copy in a sweep's DIR). */
int sweep_parse_text(const char *path, const char *text, sweep_spec *s, char *err,
                     size_t n);

void sweep_free(sweep_spec *s);

/* -- Checks: sweep_check.c -- */

/* Checks each value against the parameter table or the verb's own option
** check, then every point's whole command with the verb's --dry-run, all
** before anything runs. 0, or -1 with "FILE:LINE: reason" in err. */
int sweep_check(const sweep_spec *s, sweep_verb verb, char *err, size_t n);

/* Runs verb(argc, argv) with its stderr captured: the first "limspice:"
** line, less that prefix and the verb's name, goes to msg (a row's error),
** and all of it to stderr afterwards when echo (a worker's log.txt). The
** verb's status. */
int sweep_call(sweep_verb verb, int argc, char **argv, int echo, char *msg, size_t n);

/* The value index of each axis for point k (1..npoints). */
void sweep_point_index(const sweep_spec *s, long k, int *idx);

/* The verb's argv for point k, writing its outputs under pointdir; NULL-
** terminated, *argc set. Free with sweep_argv_free. */
char **sweep_argv(const sweep_spec *s, long k, const char *pointdir, int *argc);
void sweep_argv_free(char **argv);

/* Appends (strdup'd) the verb arguments that set axis a to value v:
** "--param e_b0=1.2", "--r-wire 1", "--conventional" or nothing for lim.
** 0, or -1 out of memory. */
int sweep_value_args(const sweep_axis *a, const char *v, char **argv, int *argc);

/* "key=value key=value" of point k, for messages. */
void sweep_point_label(const sweep_spec *s, long k, char *buf, size_t n);

/* FNV-1a, 64 bit. */
uint64_t sweep_hash(const char *text);

/* -- Rows: sweep_row.c -- */

/* The header of results.csv for s (one line, no newline). */
void sweep_header(const sweep_spec *s, char *buf, size_t n);

/* Runs point k in this process (its verb, in-process) with outputs in
** pointdir, and writes pointdir/row.csv. Returns 0 when the point ran,
** 1 when it failed (the row says why), -1 when not even the row could be
** written (err). */
int sweep_run_point(const sweep_spec *s, sweep_verb verb, long k, const char *pointdir,
                    double target_accuracy, char *err, size_t n);

/* Reads pointdir/row.csv, which sweep_run_point wrote: 0 with the row of
** point k in row (and *failed set, when failed is not NULL) if the file
** holds one under s's header; -1 when it is absent, torn, another point's
** or another sweep's. */
int sweep_row_load(const sweep_spec *s, const char *pointdir, long k, char *row, size_t n,
                   int *failed);

/* A row for a point that left none (its worker died): status failed. */
void sweep_dead_row(const sweep_spec *s, long k, const char *why, char *buf, size_t n);

/* The fields of a CSV line (quotes honoured) into f[0..max); the count.
** line is modified. */
int sweep_split(char *line, char **f, int max);

/* Quotes v for CSV when needed, into buf. */
void sweep_quote(const char *v, char *buf, size_t n);

/* -- Results: sweep_results.c -- */

typedef struct {
	char *header;
	char **rows;                /* whole lines without the newline */
	long *point;
	int *failed;
	long nrows;
} sweep_results;

/* Reads results.csv (a missing file is empty); a torn last line (no
** newline) is dropped. Duplicate points keep the first row. 0 or -1. */
int sweep_results_read(const char *path, sweep_results *r, char *err, size_t n);

/* Adds a row (copied) unless its point is present: 1 added, 0 present,
** -1 out of memory. */
int sweep_results_add(sweep_results *r, const char *row);

/* Sorted by point, whole or not at all. 0 or -1 with err. */
int sweep_results_write(const char *path, const char *header, sweep_results *r,
                        char *err, size_t n);

void sweep_results_free(sweep_results *r);

/* pareto.csv, best.csv and the plots into dir from the rows; 0 or -1 with
** err. best.csv: for each memory (the memory axis' values, else one row),
** the point with the lowest measured / LIM estimate among those at least
** at the target accuracy and min_retention_years. */
int sweep_report(const char *dir, const sweep_spec *s, const sweep_results *r,
                 char *err, size_t n);

/* -- The worker pool: sweep_pool.c -- */

typedef struct {
	const char *dir;            /* --out */
	int jobs;
	int resume, retry_failed;
	double target_accuracy;
	int quiet;
	const char *self;           /* this executable, run as `sweep SPEC --point K` */
} sweep_pool_opts;

typedef struct { long points, ok, failed, ran; int interrupted; } sweep_tally;

/* Runs every point of s not yet in DIR/results.csv in worker processes,
** each row appended (and synced) as its point ends, then results.csv is
** rewritten in point order. DIR/journal records the SPEC's hash and each
** start and end. 0; -2 with err when DIR holds another sweep or one not
** to be resumed; -1 with err for other failures (a point failing is not
** one: see the tally). */
int sweep_pool_run(const sweep_spec *s, const sweep_pool_opts *o, sweep_tally *t,
                   char *err, size_t n);

#endif
