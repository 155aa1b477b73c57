/*
** cli.h - conventions shared by the limspice verbs: messages, exit codes,
** option values with units and ranges. See LICENSE for copyright.
*/
#ifndef LIMSPICE_CLI_H
#define LIMSPICE_CLI_H

#include <stdio.h>

#include "outfile.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);   /* argv[0] is the verb */
	const char *summary;
} cli_verb;

/* Seconds on the monotonic clock, for wall times and ETAs. */
double cli_now_s(void);

/* "limspice: VERB: message" on stderr. */
void cli_say(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli_say plus a pointer to --help; returns CLI_USAGE. */
int cli_usage(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A real number for option opt, in [lo, hi] (open ends when lo_open /
** hi_open). Returns CLI_OK, or CLI_USAGE after naming opt, the value and
** the range. */
int cli_real(const char *verb, const char *opt, const char *arg, double lo,
             int lo_open, double hi, int hi_open, double *out);

/* A whole number >= lo (1e12 notation accepted). */
int cli_count(const char *verb, const char *opt, const char *arg, double lo,
              double *out);

/* A temperature with its unit: "300K", "27C", "-40C". A bare number, an
** unknown unit, anything at or below 0 K and above CLI_TEMP_MAX_K are
** refused. */
#define CLI_TEMP_MAX_K 1000.0   /* [K]; no solid-state memory is run hotter */

/* What limspice simulates at most, so that nonsense such as 1e308 V is
** refused with a reason instead of reaching ngspice: biases beyond 100 V
** tilt a well by 100 eV and only saturate the rates; a 1 Tohm wire is an
** open (ngspice's gmin is 1e-12 S); 1 uF on one line is a board, not an
** array; a transient of more than 1e6 y did not end in a minute (1e9 y:
** ngspice's step control at 1e16 s), and every card relaxes far sooner. */
#define CLI_V_MAX        100.0   /* [V] */
#define CLI_R_MAX        1e12    /* [ohm] */
#define CLI_C_MAX        1e-6    /* [F] */
#define CLI_DURATION_MAX_Y 1e6   /* [y] */
int cli_temp(const char *verb, const char *opt, const char *arg, double *kelvin);

/* A positive duration with its unit: ps, ns, us, ms, s, min, h, d or y
** (365.25 days), at most CLI_DURATION_MAX_Y. A bare number is refused. */
int cli_duration(const char *verb, const char *opt, const char *arg, double *seconds);

/* getopt_long's ':' (missing value) or '?' (unknown option) for the
** option word name: the message, and CLI_USAGE. */
int cli_bad_option(const char *verb, int c, const char *name);

/* After the option loop: rc if not CLI_OK, else CLI_USAGE for a stray
** argument at argv[optind], else CLI_OK. */
int cli_end_options(const char *verb, int rc, int argc, char **argv);

/* A comma-separated list of at most max reals, each as cli_real takes it;
** an empty element ("1,,2", "1,") is refused. The count goes to *n. */
int cli_reals(const char *verb, const char *opt, const char *arg, double lo, int lo_open,
              double hi, int hi_open, double *v, int max, int *n);

/* The same for temperatures with units, each as cli_temp takes it. */
int cli_temps(const char *verb, const char *opt, const char *arg, double *kelvin, int max,
              int *n);

/* One of a NULL-terminated list of words; the index goes to *out. */
int cli_choice(const char *verb, const char *opt, const char *arg,
               const char *const *words, int *out);

/* Ends a verb's output: on rc != CLI_OK removes the temporary (nothing
** half-written is left) and returns rc; otherwise commits, reporting a
** failure to write. */
int cli_finish(const char *verb, outfile *out, int rc);

/* cli_finish for a set of outputs (and its directory's lock): on rc !=
** CLI_OK removes every temporary and returns rc; otherwise commits them
** all, reporting a failure to write. */
int cli_finish_set(const char *verb, outset *s, int rc);

#endif
