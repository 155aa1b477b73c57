/*
** xbar.h - crossbar netlists of lim_synapse devices.
** See LICENSE for copyright.
**
** Naming scheme (also in README), i = row 0..R-1, p = physical column:
**   rows      driver vr<i> from node d<i> to ground, source resistance rs<i>
**             from d<i> to the row line (left out when 0: vr<i> drives the
**             line directly); row line nodes r<i>_<p> at each column,
**             joined by wire segments rwr<i>_<p>, or one node r<i> when
**             the wire resistance is 0.
**   columns   line nodes c<p>_<i> at each row, joined by rwc<p>_<i>, or one
**             node c<p>; sense source vs<p> from the column's last node to
**             ground at 0 V (virtual ground): vs<p>#branch is the column
**             current, positive into the column's end.
**   devices   a<i>_<p> between r<i>_<p> and c<p>_<i>. A device's initial
**             state is a count of its n_c carriers: w0 is rounded to the
**             nearest L/n_c, and card mw<L> (w0 = L/n_c) serves every
**             device at that level (one card per device would make
**             ngspice's parse quadratic in the array size). With the OSDI
**             device (osdi = 1) they are n<i>_<p>, each with its own
**             w0=L/n_c on its instance line, and one card mw.
**   barrier   control lines bl (global), bl<i> (per row) or bl<p> (per
**             column), driven by vb / vb<i> / vb<p> from node db... through
**             rb... (left out when 0), each loaded by cb... = cells x (gate
**             + line capacitance per cell).
**   differential pairs: weight column j uses physical columns p = 2j
**             (plus) and 2j + 1 (minus); its output is I(2j) - I(2j+1).
**   prefix    with a prefix P (two arrays in one deck), every name above
**             carries P after its element letter (vPr<i>, aP<i>_<p>, rPwr..)
**             and in front of its nodes and cards (Pr<i>_<p>, Pbl<p>, Pmw<L>).
** Only this module formats or parses these names: the functions below give
** them to the drivers and read them back.
*/
#ifndef LIMSPICE_XBAR_H
#define LIMSPICE_XBAR_H

#include <stdio.h>

#include "phys.h"
#include "session.h"

typedef enum { LIM_XBAR_BARRIER_GLOBAL, LIM_XBAR_BARRIER_ROW, LIM_XBAR_BARRIER_COL } lim_xbar_barrier;

/* The deck's independent sources; the letters are those of their names. */
typedef enum { LIM_XBAR_ROW = 'r', LIM_XBAR_SENSE = 's', LIM_XBAR_BARRIER = 'b' } lim_xbar_kind;

#define LIM_XBAR_PREFIX_MAX 15   /* characters of a prefix */

/* What a driver may put behind a source: return the element's value text
** ("dc 0.1", "pwl(...)") in buf, or NULL for the default. kind is an
** lim_xbar_kind: LIM_XBAR_ROW (row i), LIM_XBAR_SENSE (column p), LIM_XBAR_BARRIER (line k). */
typedef const char *(*lim_xbar_source_fn)(void *ctx, char kind, int index,
                                      char *buf, size_t n);

typedef struct {
	int rows, cols;            /* weights: cols logical columns */
	int differential;          /* 1: two physical columns per weight column */
	double r_wire_ohm;         /* per segment on rows and columns; 0: left out */
	double r_source_ohm;       /* row driver resistance; 0: ideal driver */
	double r_barrier_ohm;      /* barrier driver resistance; 0: ideal driver */
	lim_xbar_barrier barrier;
	double c_gate_f;           /* device gate capacitance on its barrier line */
	double c_line_f;           /* barrier-line wire capacitance per cell */
	double v_read;             /* default row voltage [V] */
	double v_barrier;          /* default barrier control voltage [V] */
	lim_phys_dev card;             /* every device's card but w0 */
	const double *w0;          /* rows x physical columns states, or NULL */
	const char *analysis;      /* the analysis line; default ".op" */
	int save_probes;           /* 1: also .save each device's w, e_trans, e_joule */
	int save_nodes;            /* 1: also .save every row and column line node */
	int save_none;             /* 1: ".save none": ngspice keeps only each vector's
	                              newest point (the data callback still gets every
	                              point); it stays so for the rest of the process */
	const char *cm_path;       /* non-NULL: a .control block that loads it,
	                              runs and prints the column currents */
	lim_xbar_source_fn source;     /* NULL: defaults for every source */
	void *source_ctx;
	const char *prefix;        /* NULL or "": none; letters, digits and '_', not
	                              ending in a digit (end it with '_') */
	int osdi;                  /* 1: the OSDI device (ngspice 46): instances
	                              n<i>_<p> with w0 as an instance parameter and
	                              one card; cm_path then names the .osdi */
} lim_xbar_spec;

#define LIM_XBAR_MAX_SIDE 256

/* Defaults: 4 x 4, no wires, ideal row drivers, 10 kOhm barrier drivers
** (an ideal source would take a line's charge back each cycle, hiding the
** C V^2 a real driver dissipates), global barrier line, gate
** 0.1 fF and line 0.02 fF per cell, 0.1 V read, 0 V barrier, the default
** card, ".op". */
void lim_xbar_default(lim_xbar_spec *x);

/* Physical columns: cols, or 2 cols for differential pairs. */
int lim_xbar_pcols(const lim_xbar_spec *x);

/* Number of barrier lines for the scheme. */
int lim_xbar_barrier_lines(const lim_xbar_spec *x);

/* Validates sizes (1..256), resistances and capacitances (>= 0), the card
** and every initial state; writes the reason into err and returns -1. */
int lim_xbar_check(const lim_xbar_spec *x, char *err, size_t n);

/* Writes the whole deck. Returns 0, or -1 when f reports a write error. */
int lim_xbar_write(FILE *f, const lim_xbar_spec *x);

/* Writes n arrays x[0..n) into one deck (one circuit, one analysis): each
** array's lines, devices and saves under its own prefix, which must differ
** from every other's (check each with lim_xbar_check). The analysis, the
** .control block (cm_path; it prints x[0]'s column currents) and save_none
** are x[0]'s. 0, or -1 on a write error. */
int lim_xbar_write_deck(FILE *f, const lim_xbar_spec *x, int n);

/* Names: the row node at physical column p, the column node at row i. */
void lim_xbar_row_node(const lim_xbar_spec *x, int i, int p, char *buf, size_t n);
void lim_xbar_col_node(const lim_xbar_spec *x, int p, int i, char *buf, size_t n);

/* The deck's sources in a fixed order: rows, then sense columns, then
** barrier lines. lim_xbar_nsources counts them; lim_xbar_source_at gives the
** kind and index of the k-th. */
int lim_xbar_nsources(const lim_xbar_spec *x);
void lim_xbar_source_at(const lim_xbar_spec *x, int k, lim_xbar_kind *kind, int *idx);

/* A source's element name ("vr3"), its current vector ("vr3#branch",
** positive into its + terminal), the node its + terminal drives (the
** driver node d<i> or db<k> where a source resistance sits between), and
** for a barrier source the line node it charges (bl<k>). */
void lim_xbar_source_name(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n);
void lim_xbar_branch_name(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n);
void lim_xbar_source_node(const lim_xbar_spec *x, lim_xbar_kind kind, int idx, char *buf, size_t n);
void lim_xbar_line_node(const lim_xbar_spec *x, int k, char *buf, size_t n);

/* Reads a source's element name back (any case): 0 with its kind and
** index when name is one of x's sources, else -1. */
int lim_xbar_parse_source(const lim_xbar_spec *x, const char *name, lim_xbar_kind *kind, int *idx);

/* The vector of device (i, p)'s probe ("w", "e_trans", "e_joule"):
** "@a<i>_<p>[w]" (the OSDI device: "@n<i>_<p>[w]"). */
void lim_xbar_probe_name(const lim_xbar_spec *x, int i, int p, const char *probe, char *buf,
                         size_t n);

/* The states every device of x ended a run with (rows x physical columns,
** row-major) into w: the run's last point of each "@a<i>_<p>[w]" (x must
** save probes). To go on from there, give w as the next deck's x.w0: a
** code model's state lasts one analysis. 0, or -1 with the missing vector
** in err. */
int lim_xbar_read_states(lim_session *s, const lim_xbar_spec *x, double *w, char *err, size_t n);

/* A name's role by the naming scheme without a prefix, for decks limspice
** did not write: 0 with the kind and index (-1 for the global "vb") when
** name reads as a crossbar source, else -1. */
int lim_xbar_parse_name(const char *name, lim_xbar_kind *kind, int *idx);

#endif
