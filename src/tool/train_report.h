/*
** train_report.h - what `limspice train` writes: steps.csv, summary.csv,
** report.md and plots. See LICENSE for copyright.
*/
#ifndef LIMSPICE_TRAIN_REPORT_H
#define LIMSPICE_TRAIN_REPORT_H

#include <stdio.h>

#include "outfile.h"
#include "train.h"

/* One finished run and what was measured after it. */
typedef struct {
	const char *label;          /* "lim" or "conventional" */
	lim_train_opts opts;
	lim_train_result r;
	double test_score;          /* accuracy (or mean squared error) on the test split */
	double hold_score;          /* after --hold; NAN when not held */
	double hold_s, hold_temp_k;
	double wall_s;
	double weight_error;        /* synthetic task: max |gain w_eff - W_true| over
	                               W_true's range; NAN otherwise */
} train_run_out;

/* Totals per update and the ratios, computed once for summary and report. */
typedef struct {
	double kt_j;
	double per_update_j, lim_estimate_j, landauer_j, trans_per_update_j;
	double closure;             /* (supply - accounted) / supply */
} train_figures;

void train_figures_of(const train_run_out *o, train_figures *f);

/* The same for array l alone (0: inputs -> hidden, 1: hidden -> outputs),
** from its own sources, devices and updates. */
void train_figures_layer(const train_run_out *o, int l, train_figures *f);

/* Where a run's write energy went, per update [J] (NAN without updates):
** the terms add up to train_figures.per_update_j within the closure. */
typedef struct {
	double trans_j;             /* transition heat, n_c z q V dw */
	double conduction_j;        /* devices' conduction while writing: the pulsed
	                               rows (and half-selected devices) */
	double barrier_j;           /* barrier drivers' resistor loss */
	double wire_j;              /* wire segments */
	double line_j;              /* energy left on the barrier lines */
	double read_j;              /* devices' conduction while reading (the read
	                               phase, outside the write energy) */
	double free_j;              /* free-energy floor of the state change */
	double retention_s;         /* the card's 1 / (2 R0) at 27 C (plus dtemp) */
} train_breakdown;

void train_breakdown_of(const train_run_out *o, train_breakdown *b);

void train_write_steps(FILE *f, const train_run_out *o);
void train_write_summary(FILE *f, const train_run_out *o, int classification);

/* The side-by-side table `make demo` prints: runs[0..n) in columns, LIM
** first (its estimate is every column's reference), n <= TRAIN_COMPARE_MAX. */
#define TRAIN_COMPARE_MAX 4
void train_print_compare(FILE *f, const train_run_out *const *runs, int n,
                         int classification);

/* report.md: command line, versions, seed, numbers, ratios, comparison. */
void train_write_report(FILE *f, const char *cmdline, const char *data_name,
                        const train_run_out *a, const train_run_out *b,
                        const train_run_out *serial, int classification);

/* Every file a run writes into --out DIR, NULL-terminated (outset_dir). */
extern const char *const train_outputs[];

/* loss_accuracy.png, energy_per_update.png, barrier_schedule.png and
** weights.png as members of set in dir (b, when given, adds the
** conventional run), committed with the set. 0 or -1 with err. */
int train_plots(outset *set, const char *dir, const train_run_out *a,
                const train_run_out *b, char *err, size_t n);

#endif
