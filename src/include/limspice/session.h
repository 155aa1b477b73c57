/*
** session.h - the one owner of libngspice in limspice.
** See LICENSE for copyright.
**
** ngspice's shared library is one global simulator per process: it can be
** initialised once, never re-initialised, and runs one circuit at a time.
** This module hides that: open once, then load / run / read vectors /
** reset as often as needed. Everything ngspice prints is captured; errors
** (its stderr lines, the code model's "Message:" lines) come back as text
** through lim_sess_error(), never printed behind the caller's back.
*/
#ifndef LIMSPICE_SESSION_H
#define LIMSPICE_SESSION_H

#include <stddef.h>

typedef struct lim_session lim_session;

/* Opens the system's ngspice and loads the lim_synapse code model, unless
** it is registered already (a .spiceinit may load it). The .cm is cm_path,
** else $LIMSPICE_CM, else the one installed with the library
** (PREFIX/lib/limspice/limspice.cm). Refuses an ngspice whose major version
** (from its banner) differs from the one the library was built against:
** a .cm built for another ngspice loads and then crashes. Returns NULL with
** the reason in err (the caller's buffer of n bytes). The session belongs
** to the library: one per process; a second open returns the same one, or
** NULL and the same reason when the first failed. */
lim_session *lim_sess_open(const char *cm_path, char *err, size_t n);

/* Which ngspice and which device build a session opens. Fill with
** lim_sess_opts_default (all NULL / 0), then set what you need. */
typedef struct {
	const char *ngspice;       /* the libngspice to dlopen; NULL: "libngspice.so.0",
	                              the system's (Debian's ngspice 39) */
	const char *spice_lib_dir; /* its share folder (scripts/spinit), set as
	                              SPICE_LIB_DIR before its init; NULL: leave it */
	const char *cm_path;       /* the XSPICE code model; NULL: $LIMSPICE_CM, else
	                              PREFIX/lib/limspice/limspice.cm */
	const char *osdi_path;     /* the OSDI device; NULL: PREFIX/lib/limspice/limspice.osdi */
	const char *solver;        /* "klu", "sparse" or NULL (ngspice's default) */
	int prefer_osdi;           /* 1: the .osdi even where the .cm would fit */
} lim_sess_opts;

void lim_sess_opts_default(lim_sess_opts *o);

/* Opens o->ngspice and loads the device build that fits it: the code model
** in the ngspice major version the library was built against (a .cm
** loaded into another ngspice crashes it), the OSDI device in any other
** (or with prefer_osdi). A solver is written as ".options klu|sparse"
** into every netlist loaded; klu is refused where ngspice lacks it. Like
** lim_sess_open: one session per process, NULL with the reason in err. */
lim_session *lim_sess_open_opts(const lim_sess_opts *o, char *err, size_t n);

/* 1 when the session runs the OSDI device (decks then use instance lines
** "n<name> a b c ref model [param=value ...]"), 0 for the code model. */
int lim_sess_osdi(const lim_session *s);

/* A device's line in the session's syntax: "a<name> %gd(a b) %vd(c ref)
** model" for the code model, "n<name> a b c ref model" for the OSDI
** device; and a probe's vector, "@a<name>[probe]" or "@n<name>[probe]". */
void lim_sess_device_line(const lim_session *s, const char *name, const char *a,
                          const char *b, const char *c, const char *ref, const char *model,
                          char *buf, size_t n);
void lim_sess_probe_name(const lim_session *s, const char *name, const char *probe, char *buf,
                         size_t n);

/* ngspice's major version (39, 46, ...), from its banner. */
int lim_sess_ngspice_major(const lim_session *s);

/* The device file the session loaded ("" when a spinit had loaded it). */
const char *lim_sess_device_path(const lim_session *s);

/* Clears the circuit and forgets captured output; the library stays. */
void lim_sess_close(lim_session *s);

/* Loads a netlist: lines[0] is the title, the last ".end". The lines are
** copied (ngspice keeps and rewrites them). 0, or -1 with lim_sess_error(). */
int lim_sess_load(lim_session *s, const char *const *lines, size_t nlines);

/* The same from one string with newline-separated lines. */
int lim_sess_load_text(lim_session *s, const char *text);

/* Runs the loaded circuit's analyses ("run"). 0, or -1 with lim_sess_error()
** holding ngspice's own words and the simulation time reached. */
int lim_sess_run(lim_session *s);

/* Any ngspice command; 0, or -1 when it printed an error. */
int lim_sess_command(lim_session *s, const char *cmd);

/* Copies vector name of the current plot into a malloc'd array (the caller
** frees it). Complex vectors give their real parts. 0, or -1 when absent. */
int lim_sess_vec(lim_session *s, const char *name, double **data, size_t *len);

/* The last value of a vector (for probes printed after a run). */
int lim_sess_last(lim_session *s, const char *name, double *value);

/* Removes the circuit and all plots, so many runs keep memory flat. */
void lim_sess_reset(lim_session *s);

/* The text of the last error, "" when none. */
const char *lim_sess_error(const lim_session *s);

/* All captured output since the last load, for --verbose and debugging. */
const char *lim_sess_log(const lim_session *s);

/* Closed-loop hooks (EXTERNAL sources and the per-point data callback).
** A source written "vname n+ n- external" asks source(ctx, name, t) for
** its value at every trial time, including rejected ones: the value must
** be a pure function of t. data(ctx, count, names, values, t) sees each
** accepted point with the real values of all saved vectors; names are
** ngspice's (lower-case) and keep their order through a run. NULL hooks
** switch them off. The hooks run on the caller's thread during lim_sess_run. */
typedef double (*lim_sess_source_fn)(void *ctx, const char *name, double t);
typedef void (*lim_sess_data_fn)(void *ctx, int count, const char *const *names,
                             const double *values, double t);
void lim_sess_hooks(lim_session *s, lim_sess_source_fn source, lim_sess_data_fn data, void *ctx);

/* The index of vector want among a data hook's names, where a node may
** appear as "v(want)"; -1 if absent. */
int lim_sess_index(int count, const char *const *names, const char *want);

/* A breakpoint: the simulator lands on time t exactly. */
int lim_sess_breakpoint(lim_session *s, double t);


#endif
