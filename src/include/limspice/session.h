/*
** session.h - the one owner of libngspice in limspice.
** See LICENSE for copyright.
**
** ngspice's shared library is one global simulator per process: it can be
** initialised once, never re-initialised, and runs one circuit at a time.
** This module hides that: open once, then load / run / read vectors /
** reset as often as needed. Everything ngspice prints is captured; errors
** (its stderr lines, the code model's "Message:" lines) come back as text
** through sess_error(), never printed behind the caller's back.
*/
#ifndef LIMSPICE_SESSION_H
#define LIMSPICE_SESSION_H

#include <stddef.h>

typedef struct session session;

/* Opens the process's ngspice and loads the lim_synapse code model, unless
** it is registered already (a .spiceinit may load it). The .cm is cm_path,
** else $LIMSPICE_CM, else limspice.cm beside the executable (build tree) or
** in ../lib/limspice/ (installed). Refuses an ngspice whose version differs
** from the one limspice was built against. Returns NULL with the reason in
** err. A second open in the same process returns the same session. */
session *sess_open(const char *cm_path, char *err, size_t n);

/* Clears the circuit and forgets captured output; the library stays. */
void sess_close(session *s);

/* Loads a netlist: lines[0] is the title, the last ".end". The lines are
** copied (ngspice keeps and rewrites them). 0, or -1 with sess_error(). */
int sess_load(session *s, const char *const *lines, size_t nlines);

/* The same from one string with newline-separated lines. */
int sess_load_text(session *s, const char *text);

/* Runs the loaded circuit's analyses ("run"). 0, or -1 with sess_error()
** holding ngspice's own words and the simulation time reached. */
int sess_run(session *s);

/* Any ngspice command; 0, or -1 when it printed an error. */
int sess_command(session *s, const char *cmd);

/* Copies vector name of the current plot into a malloc'd array (the caller
** frees it). Complex vectors give their real parts. 0, or -1 when absent. */
int sess_vec(session *s, const char *name, double **data, size_t *len);

/* The last value of a vector (for probes printed after a run). */
int sess_last(session *s, const char *name, double *value);

/* Removes the circuit and all plots, so many runs keep memory flat. */
void sess_reset(session *s);

/* The text of the last error, "" when none. */
const char *sess_error(const session *s);

/* All captured output since the last load, for --verbose and debugging. */
const char *sess_log(const session *s);

/* The Debian version of the installed libngspice0 (dpkg), or the version in
** the library's banner where dpkg cannot say. 0 or -1. */
int sess_ngspice_version(char *buf, size_t n);

/* 1 when found names the ngspice limspice was built against. */
int sess_version_matches(const char *found);

/* Finds the code model as sess_open does (given, $LIMSPICE_CM, beside the
** executable, ../lib/limspice/) without loading it. 0, or -1 when none is
** readable (out then holds the last path tried). */
int sess_find_cm(const char *given, char *out, size_t n);

/* Closed-loop hooks (EXTERNAL sources and the per-point data callback).
** A source written "vname n+ n- external" asks source(ctx, name, t) for
** its value at every trial time, including rejected ones: the value must
** be a pure function of t. data(ctx, count, names, values, t) sees each
** accepted point with the real values of all saved vectors; names are
** ngspice's (lower-case) and keep their order through a run. NULL hooks
** switch them off. The hooks run on the caller's thread during sess_run. */
typedef double (*sess_source_fn)(void *ctx, const char *name, double t);
typedef void (*sess_data_fn)(void *ctx, int count, const char *const *names,
                             const double *values, double t);
void sess_hooks(session *s, sess_source_fn source, sess_data_fn data, void *ctx);

/* The index of vector want among a data hook's names, where a node may
** appear as "v(want)"; -1 if absent. */
int sess_index(int count, const char *const *names, const char *want);

/* A breakpoint: the simulator lands on time t exactly. */
int sess_breakpoint(session *s, double t);


#endif
