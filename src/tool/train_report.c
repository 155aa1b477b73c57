/*
** train_report.c - steps.csv, summary.csv, report.md and the plots of a
** training run. See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo.h"
#include "energy.h"
#include "host.h"
#include "plot.h"
#include "train_report.h"

void train_figures_of(const train_run_out *o, train_figures *f)
{
	const lim_train_result *r = &o->r;
	double est_kt = 0, accounted;
	long n;

	f->kt_j = lim_phys_kt_j(o->opts.temp_k);
	for (n = 0; n < r->nsteps; n++)
		est_kt += r->steps[n].lim_estimate_kt * r->steps[n].updates;
	f->per_update_j = r->updates ? r->write_j / r->updates : NAN;
	f->lim_estimate_j = r->updates ? est_kt / r->updates * f->kt_j : NAN;
	f->landauer_j = lim_phys_landauer_j(o->opts.bits, o->opts.temp_k);
	f->trans_per_update_j = r->updates ? r->trans_j / r->updates : NAN;
	accounted = r->trans_j + r->joule_j + r->resistor_j + r->cap_j;
	f->closure = (r->supply_j - accounted) / r->supply_j;
}

void train_figures_layer(const train_run_out *o, int l, train_figures *f)
{
	const lim_train_energy *e = &o->r.layer[l];
	double accounted = e->trans_j + e->joule_j + e->resistor_j + e->cap_j;

	f->kt_j = lim_phys_kt_j(o->opts.temp_k);
	f->per_update_j = e->updates ? e->write_j / e->updates : NAN;
	f->lim_estimate_j = e->updates ? e->estimate_kt / e->updates * f->kt_j : NAN;
	f->landauer_j = lim_phys_landauer_j(o->opts.bits, o->opts.temp_k);
	f->trans_per_update_j = e->updates ? e->trans_j / e->updates : NAN;
	f->closure = (e->supply_j - accounted) / e->supply_j;
}

void train_breakdown_of(const train_run_out *o, train_breakdown *b)
{
	const lim_train_result *r = &o->r;
	double u = r->updates ? (double)r->updates : NAN, kt_ev;

	b->trans_j = r->trans_write_j / u;
	b->conduction_j = r->joule_write_j / u;
	b->barrier_j = r->barrier_loss_j / u;
	b->wire_j = r->wire_write_j / u;
	b->line_j = r->line_write_j / u;
	b->read_j = (r->joule_j - r->joule_write_j) / u;
	b->free_j = r->free_j / u;
	/* the retention figure of the cards' comments: w relaxes to 1/2 at 2 R0 */
	kt_ev = lim_phys_kt_ev(LIM_PHYS_ZERO_C_IN_K + 27 + o->opts.card.dtemp);
	b->retention_s = 1 / (2 * o->opts.card.r_max * exp(-o->opts.card.e_b0 / kt_ev));
}

void train_write_steps(FILE *f, const train_run_out *o)
{
	const lim_train_result *r = &o->r;
	double kt = lim_phys_kt_j(o->opts.temp_k), land = o->opts.bits * log(2);
	long n;
	int l;

	/* a row per step and array: each array's own energies and updates
	** (with one array they are the step's) */
	fprintf(f, "step,epoch,sample,eps,e0_kT,v_c_V,v_write_V,loss,correct,accuracy,"
	        "updates,clipped,read_energy_J,write_energy_J,energy_per_update_J,"
	        "energy_per_update_kT,lim_estimate_kT,landauer_kT,transition_heat_J,"
	        "conduction_heat_J,resistor_heat_J,decay_kT,layer,backward_read_energy_J\n");
	for (n = 0; n < r->nsteps; n++)
		for (l = 0; l < r->layers; l++) {
			const lim_train_step *s = &r->layer_steps[n * r->layers + l];
			double per = s->updates ? s->e_write_j / s->updates : NAN;
			fprintf(f, "%ld,%d,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.6g,%d,%d,%.6g,%.6g,%.6g,"
			        "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.6g\n", n + 1, s->epoch,
			        s->sample, s->eps, s->e0_kt, s->v_c, s->v_write, s->loss, s->correct,
			        s->accuracy, s->updates, s->clipped, s->e_read_j, s->e_write_j, per,
			        per / kt, s->lim_estimate_kt, land, s->e_trans_j, s->e_joule_j,
			        s->e_resistor_j, s->decay_kt, l + 1, s->e_back_j);
		}
}

static void row(FILE *f, const char *m, double v, const char *unit)
{
	fprintf(f, "%s,%.9g,%s\n", m, v, unit);
}

/* A figure per update in J and in kT: NAME_J and NAME_kT. */
static void row_jkt(FILE *f, const char *name, double j, double kt_j)
{
	fprintf(f, "%s_J,%.9g,J\n%s_kT,%.9g,kT\n", name, j, name, j / kt_j);
}

/* The sources' flows by group: drawn, returned, net [J]. */
static void group_flow(const lim_train_result *r, const char *group, double *drawn,
                       double *returned)
{
	int k;

	*drawn = *returned = 0;
	for (k = 0; k < r->nsources; k++)
		if (!strcmp(lim_energy_group(r->source_name[k]), group)) {
			*drawn += r->source_drawn_j[k];
			*returned += r->source_returned_j[k];
		}
}

static const char *const flow_groups[] = {"row", "sense", "barrier", NULL};

/* The breakdown per update, the sources' flows and the card's retention. */
static void write_breakdown_rows(FILE *f, const train_run_out *o)
{
	train_figures g;
	train_breakdown b;
	double sum;
	int k;

	train_figures_of(o, &g);
	train_breakdown_of(o, &b);
	row_jkt(f, "write_transition_heat_per_update", b.trans_j, g.kt_j);
	row_jkt(f, "write_conduction_per_update", b.conduction_j, g.kt_j);
	row_jkt(f, "barrier_line_loss_per_update", b.barrier_j, g.kt_j);
	row_jkt(f, "wire_loss_per_update", b.wire_j, g.kt_j);
	row_jkt(f, "line_energy_left_per_update", b.line_j, g.kt_j);
	row_jkt(f, "read_conduction_per_update", b.read_j, g.kt_j);
	row_jkt(f, "free_energy_floor_per_update", b.free_j, g.kt_j);
	sum = b.trans_j + b.conduction_j + b.barrier_j + b.wire_j + b.line_j;
	row(f, "breakdown_closure", (g.per_update_j - sum) / g.per_update_j, "1");
	for (k = 0; flow_groups[k]; k++) {
		char name[64];
		double d, rt;
		group_flow(&o->r, flow_groups[k], &d, &rt);
		snprintf(name, sizeof name, "%s_drawn_J", flow_groups[k]);
		row(f, name, d, "J");
		snprintf(name, sizeof name, "%s_returned_J", flow_groups[k]);
		row(f, name, rt, "J");
		snprintf(name, sizeof name, "%s_net_J", flow_groups[k]);
		row(f, name, d - rt, "J");
	}
	row(f, "retention_27C_s", b.retention_s, "s");
	row(f, "retention_27C_years", b.retention_s / (365.25 * 86400), "y");
}

void train_write_summary(FILE *f, const train_run_out *o, int classification)
{
	const lim_train_result *r = &o->r;
	train_figures g;

	train_figures_of(o, &g);
	fprintf(f, "metric,value,unit\n");
	row(f, "conventional", o->opts.mode == LIM_TRAIN_CONVENTIONAL, "1");
	row(f, "parallel_write", o->opts.write == LIM_TRAIN_WRITE_PARALLEL, "1");
	row(f, "steps", (double)r->nsteps, "1");
	row(f, classification ? "test_accuracy" : "test_mse", o->test_score, "1");
	row(f, "updates", (double)r->updates, "1");
	row(f, "energy_total_J", r->supply_j, "J");
	row(f, "write_energy_J", r->write_j, "J");
	row(f, "read_energy_J", r->read_j, "J");
	row(f, "energy_per_update_J", g.per_update_j, "J");
	row(f, "energy_per_update_kT", g.per_update_j / g.kt_j, "kT");
	row(f, "lim_estimate_per_update_J", g.lim_estimate_j, "J");
	row(f, "lim_estimate_per_update_kT", g.lim_estimate_j / g.kt_j, "kT");
	row(f, "landauer_per_update_J", g.landauer_j, "J");
	row(f, "landauer_per_update_kT", g.landauer_j / g.kt_j, "kT");
	row(f, "transition_heat_per_update_J", g.trans_per_update_j, "J");
	row(f, "measured_over_lim_estimate", g.per_update_j / g.lim_estimate_j, "1");
	row(f, "measured_over_landauer", g.per_update_j / g.landauer_j, "1");
	row(f, "transition_heat_over_lim_estimate", g.trans_per_update_j / g.lim_estimate_j, "1");
	row(f, "transition_heat_J", r->trans_j, "J");
	row(f, "conduction_heat_J", r->joule_j, "J");
	row(f, "resistor_heat_J", r->resistor_j, "J");
	row(f, "write_conduction_heat_J", r->joule_write_j, "J");
	row(f, "wire_heat_J", r->wire_j, "J");
	row(f, "barrier_driver_heat_J", r->resistor_j - r->wire_j, "J");
	row(f, "capacitor_energy_change_J", r->cap_j, "J");
	row(f, "energy_closure", g.closure, "1");
	row(f, "decay_per_write", r->decay_max, "1");
	row(f, "simulated_time_s", r->sim_time_s, "s");
	row(f, "wall_time_s", o->wall_s, "s");
	row(f, "temperature_K", o->opts.temp_k, "K");
	write_breakdown_rows(f, o);
	if (o->r.dw_count > 0) {   /* noise = 1: how precise the updates were */
		row(f, "update_error_rms", o->r.dw_error_rms, "1");
		row(f, "update_bits", -log2(o->r.dw_error_rms * sqrt(12)), "bit");
	}
	if (!isnan(o->weight_error))
		row(f, "weight_error_over_range", o->weight_error, "1");
	if (r->layers == 2) {   /* per array: its own supply, updates and estimate */
		int l;
		row(f, "hidden_units", o->opts.hidden, "1");
		row(f, "backward_read_energy_J", r->layer[1].back_j, "J");
		for (l = 0; l < 2; l++) {
			char m[64];
			train_figures_layer(o, l, &g);
#define LROW(name, v, unit) \
	do { snprintf(m, sizeof m, "layer%d_%s", l + 1, name); row(f, m, v, unit); } while (0)
			LROW("updates", (double)r->layer[l].updates, "1");
			LROW("write_energy_J", r->layer[l].write_j, "J");
			LROW("read_energy_J", r->layer[l].read_j, "J");
			LROW("energy_per_update_J", g.per_update_j, "J");
			LROW("energy_per_update_kT", g.per_update_j / g.kt_j, "kT");
			LROW("lim_estimate_per_update_J", g.lim_estimate_j, "J");
			LROW("lim_estimate_per_update_kT", g.lim_estimate_j / g.kt_j, "kT");
			LROW("landauer_per_update_J", g.landauer_j, "J");
			LROW("measured_over_lim_estimate", g.per_update_j / g.lim_estimate_j, "1");
			LROW("measured_over_landauer", g.per_update_j / g.landauer_j, "1");
			LROW("transition_heat_per_update_J", g.trans_per_update_j, "J");
			LROW("energy_closure", g.closure, "1");
#undef LROW
		}
	}
	if (!isnan(o->hold_score)) {
		row(f, "hold_s", o->hold_s, "s");
		row(f, "hold_temperature_K", o->hold_temp_k, "K");
		row(f, classification ? "test_accuracy_after_hold" : "test_mse_after_hold",
		    o->hold_score, "1");
	}
}

/* A run's column title: its memory, and its write scheme when the table
** holds both schemes. */
static const char *run_title(const train_run_out *o, int schemes)
{
	int lim = o->opts.mode == LIM_TRAIN_LIM, par = o->opts.write == LIM_TRAIN_WRITE_PARALLEL;

	if (!schemes)
		return lim ? "LIM" : "conventional";
	return lim ? (par ? "LIM parallel" : "LIM serial") : (par ? "conv. parallel" : "conv. serial");
}

/* One row: label, then each run's value by fmt (NAN: blank). */
static void table_row(FILE *f, const char *label, const char *fmt, const double *v, int n)
{
	int k;

	fprintf(f, "%-34s", label);
	for (k = 0; k < n; k++) {
		char cell[32] = "";
		if (!isnan(v[k]))
			snprintf(cell, sizeof cell, fmt, v[k]);
		fprintf(f, " %15s", cell);
	}
	fputc('\n', f);
}

void train_print_compare(FILE *f, const train_run_out *const *runs, int n, int classification)
{
	train_figures g[TRAIN_COMPARE_MAX];
	double v[TRAIN_COMPARE_MAX];
	int k, schemes = 0;

	for (k = 0; k < n; k++) {
		train_figures_of(runs[k], &g[k]);
		schemes |= runs[k]->opts.write != runs[0]->opts.write;
	}
	fprintf(f, "%-34s", "");
	for (k = 0; k < n; k++)
		fprintf(f, " %15s", run_title(runs[k], schemes));
	fputc('\n', f);
#define ROW(label, fmt, expr) \
	do { for (k = 0; k < n; k++) v[k] = (expr); table_row(f, label, fmt, v, n); } while (0)
#define LIM_ONLY(x) (runs[k]->opts.mode == LIM_TRAIN_LIM ? (x) : NAN)
	ROW(classification ? "test accuracy" : "test MSE", "%.4f", runs[k]->test_score);
	if (!isnan(runs[0]->hold_score))
		ROW("  after the hold", "%.4f", runs[k]->hold_score);
	ROW("updates", "%.0f", (double)runs[k]->r.updates);
	ROW("write energy [J]", "%.4g", runs[k]->r.write_j);
	ROW("energy per update [J]", "%.4g", g[k].per_update_j);
	ROW("energy per update [kT]", "%.4g", g[k].per_update_j / g[k].kt_j);
	ROW("LIM estimate per update [kT]", "%.4g", LIM_ONLY(g[k].lim_estimate_j / g[k].kt_j));
	ROW("transition heat per update [kT]", "%.4g", g[k].trans_per_update_j / g[k].kt_j);
	ROW("Landauer per update [kT]", "%.4g", LIM_ONLY(g[k].landauer_j / g[k].kt_j));
	ROW("measured / LIM estimate", "%.4g", g[k].per_update_j / g[0].lim_estimate_j);
	ROW("measured / Landauer", "%.4g", g[k].per_update_j / g[k].landauer_j);
	ROW("read energy [J]", "%.4g", runs[k]->r.read_j);
	ROW("simulated time [s]", "%.4g", runs[k]->r.sim_time_s);
	ROW("energy closure (1 = 100 %)", "%.3g", g[k].closure);
	if (runs[0]->r.layers == 2) {
		train_figures gl[TRAIN_COMPARE_MAX];
		int l;
		for (l = 0; l < 2; l++) {
			char label[64];
			for (k = 0; k < n; k++)
				train_figures_layer(runs[k], l, &gl[k]);
			snprintf(label, sizeof label, "layer %d: energy per update [J]", l + 1);
			ROW(label, "%.4g", gl[k].per_update_j);
			snprintf(label, sizeof label, "layer %d: LIM estimate [kT]", l + 1);
			ROW(label, "%.4g", LIM_ONLY(gl[k].lim_estimate_j / gl[k].kt_j));
			snprintf(label, sizeof label, "layer %d: measured / estimate", l + 1);
			ROW(label, "%.4g", gl[k].per_update_j / gl[0].lim_estimate_j);
			snprintf(label, sizeof label, "layer %d: closure", l + 1);
			ROW(label, "%.3g", gl[k].closure);
		}
		ROW("backward read energy [J]", "%.4g", runs[k]->r.layer[1].back_j);
	}
#undef LIM_ONLY
#undef ROW
	if (n > 1)
		fprintf(f, "conventional / LIM energy per update: %.4g\n",
		        g[1].per_update_j / g[0].per_update_j);
}

/* report.md: the write energy per update by where it went, against the
** estimate and the floors; then every source's drawn, returned and net. */
static void report_breakdown(FILE *f, const train_run_out *o)
{
	const lim_train_result *r = &o->r;
	train_figures g;
	train_breakdown b;
	int k;
	struct { const char *what; double j; } t[] = {
		{"transition heat (n_c z q V dw: what moves the state)", 0},
		{"conduction while writing (devices on driven rows and columns)", 0},
		{"barrier-line loss (the drivers' resistance)", 0},
		{"wire loss", 0},
		{"energy left on the barrier lines", 0},
	};

	train_figures_of(o, &g);
	train_breakdown_of(o, &b);
	t[0].j = b.trans_j;
	t[1].j = b.conduction_j;
	t[2].j = b.barrier_j;
	t[3].j = b.wire_j;
	t[4].j = b.line_j;
	fprintf(f, "Where the write energy of an update went:\n\n"
	        "| per update | J | kT | share |\n|---|---|---|---|\n");
	for (k = 0; k < 5; k++)
		fprintf(f, "| %s | %.4g | %.4g | %.3g %% |\n", t[k].what, t[k].j, t[k].j / g.kt_j,
		        100 * t[k].j / g.per_update_j);
	fprintf(f, "| **measured (write supply / updates)** | %.4g | %.4g | 100 %% |\n",
	        g.per_update_j, g.per_update_j / g.kt_j);
	fprintf(f, "| LIM estimate, E0 + eps g^2 | %.4g | %.4g | |\n", g.lim_estimate_j,
	        g.lim_estimate_j / g.kt_j);
	fprintf(f, "| Landauer, %g bits | %.4g | %.4g | |\n", o->opts.bits, g.landauer_j,
	        g.landauer_j / g.kt_j);
	fprintf(f, "| free-energy floor of the state change | %.4g | %.4g | |\n", b.free_j,
	        b.free_j / g.kt_j);
	fprintf(f, "| read conduction (the read phase, not in the write) | %.4g | %.4g | |\n\n",
	        b.read_j, b.read_j / g.kt_j);
	fprintf(f, "Measured / LIM estimate %.4g. The card keeps its state for %.3g years at "
	        "27 C (1/(2 R0)). Barrier drivers: %.4g ohm, edges of %.3g s; %.3g F of gate "
	        "and %.3g F of line per cell.\n\n", g.per_update_j / g.lim_estimate_j,
	        b.retention_s / (365.25 * 86400), o->opts.r_barrier_ohm,
	        o->opts.barrier_edge_s, o->opts.c_gate_f, o->opts.c_line_f);
	fprintf(f, "Every source over the whole run (read and write): what it drew from its "
	        "supply, what it gave back, and the net.\n\n"
	        "| source | drawn [J] | returned [J] | net [J] |\n|---|---|---|---|\n");
	for (k = 0; k < r->nsources; k++)
		fprintf(f, "| %s | %.4g | %.4g | %.4g |\n", r->source_name[k], r->source_drawn_j[k],
		        r->source_returned_j[k], r->source_j[k]);
	fputc('\n', f);
}

static void report_run(FILE *f, const train_run_out *o, int classification)
{
	const lim_train_result *r = &o->r;
	train_figures g;

	train_figures_of(o, &g);
	fprintf(f, "| %s | %.4g |\n", classification ? "test accuracy" : "test MSE", o->test_score);
	if (!isnan(o->hold_score))
		fprintf(f, "| %s after %.3g s at %.2f K | %.4g |\n",
		        classification ? "test accuracy" : "test MSE", o->hold_s, o->hold_temp_k,
		        o->hold_score);
	fprintf(f, "| steps, updates | %ld, %ld |\n", r->nsteps, r->updates);
	fprintf(f, "| supply energy (read + write) | %.4g J (%.4g + %.4g) |\n", r->supply_j,
	        r->read_j, r->write_j);
	fprintf(f, "| energy per update (write supply / updates) | %.4g J = %.4g kT |\n",
	        g.per_update_j, g.per_update_j / g.kt_j);
	fprintf(f, "| LIM estimate per update, E0 + eps g^2 | %.4g J = %.4g kT |\n",
	        g.lim_estimate_j, g.lim_estimate_j / g.kt_j);
	fprintf(f, "| Landauer, %g bits | %.4g J = %.4g kT |\n", o->opts.bits, g.landauer_j,
	        g.landauer_j / g.kt_j);
	fprintf(f, "| transition heat per update | %.4g J = %.4g kT |\n", g.trans_per_update_j,
	        g.trans_per_update_j / g.kt_j);
	fprintf(f, "| measured / estimate, measured / Landauer | %.4g, %.4g |\n",
	        g.per_update_j / g.lim_estimate_j, g.per_update_j / g.landauer_j);
	fprintf(f, "| where it went: transition, conduction, resistors, capacitors | "
	        "%.4g, %.4g, %.4g, %.4g J |\n", r->trans_j, r->joule_j, r->resistor_j, r->cap_j);
	fprintf(f, "| energy closure (supply - accounted) / supply | %.2g |\n", g.closure);
	fprintf(f, "| largest decay per write, k t | %.3g |\n", r->decay_max);
	if (r->layers == 2) {
		int l;
		fprintf(f, "| backward read (array 2's columns driven, rows sensed) | %.4g J |\n",
		        r->layer[1].back_j);
		for (l = 0; l < 2; l++) {
			train_figures gl;
			train_figures_layer(o, l, &gl);
			fprintf(f, "| layer %d (%s): updates, energy per update, LIM estimate, "
			        "measured / estimate, closure | %ld, %.4g J, %.4g J, %.4g, %.2g |\n",
			        l + 1, l ? "hidden -> outputs" : "inputs -> hidden", r->layer[l].updates,
			        gl.per_update_j, gl.lim_estimate_j, gl.per_update_j / gl.lim_estimate_j,
			        gl.closure);
		}
	}
	fprintf(f, "| simulated time, wall time | %.4g s, %.2f s |\n\n", r->sim_time_s, o->wall_s);
	report_breakdown(f, o);
}

void train_write_report(FILE *f, const char *cmdline, const char *data_name,
                        const train_run_out *a, const train_run_out *b,
                        const train_run_out *serial, int classification)
{
	const lim_train_opts *o = &a->opts;
	static const char *const sched[] = {"inverse", "power", "exp"};
	char found[64] = "unknown";

	host_ngspice_version(found, sizeof found);
	fprintf(f, "# limspice training report\n\n");
	fprintf(f, "Command: `%s`\n\n", cmdline);
	fprintf(f, "limspice %s, ngspice %s (built against %s). Data: %s, stratified 80/20 "
	        "split with seed %llu; the same seed orders the samples of each epoch.\n\n",
	        LIMSPICE_VERSION, found, LIMSPICE_NGSPICE_BUILT, data_name,
	        (unsigned long long)o->seed);
	if (a->r.layers == 2)
		fprintf(f, "Network: %d inputs -> %d hidden units (%s) -> %d outputs on two arrays "
		        "in one deck, %d x %d and %d x %d devices. Each step reads array 1, applies "
		        "the activations as array 2's row voltages, reads array 2, then reads "
		        "array 2 backwards (columns driven by the output errors, rows sensed) for "
		        "the hidden errors, and writes both arrays in parallel.\n\n",
		        a->r.rows - 1, o->hidden, o->activation == LIM_TRAIN_ACT_HARD ?
		        "hard sigmoid" : "sigmoid", a->r.pcols2 / 2, a->r.rows, a->r.pcols,
		        a->r.rows2, a->r.pcols2);
	fprintf(f, "Settings: %d x %d devices (a differential pair per weight, a bias row), "
	        "%d epochs, schedule %s (eps0 %g, p %g, gamma %g), alpha %g, R1 %g /s, "
	        "T %.2f K, write tilt %g kT, eta %g, logit gain %g, read %g V per unit input, "
	        "wires %g ohm, %g bits for Landauer. Card: r_max %g Hz, e_b0 %g eV, kappa %g "
	        "eV/V, n_c %g, g %g..%g S.\n\n", a->r.rows, a->r.pcols, o->epochs,
	        sched[o->sched.kind], o->sched.eps0, o->sched.p, o->sched.gamma, o->sched.alpha,
	        o->r1_hz, o->temp_k, o->tilt_kt, o->eta, o->gain, o->v_read, o->r_wire_ohm,
	        o->bits, o->card.r_max, o->card.e_b0, o->card.kappa, o->card.n_c, o->card.g_min,
	        o->card.g_max);
	if (o->write == LIM_TRAIN_WRITE_PARALLEL)
		fprintf(f, "Write scheme: parallel (physics.md section 6): every device in one "
		        "window; LIM by row pulse widths in %d slots and column barriers (%s) in "
		        "two sign phases, the conventional memory by coincidence of half-voltage "
		        "trains in %d slots and four quadrant sub-phases; columns under %g of the "
		        "largest error are not written.\n\n", o->slots,
		        o->levels > 1 ? "rounded to levels" : "continuous", o->slots, o->floor);
	else
		fprintf(f, "Write scheme: serial: one window per physical column, LIM by its "
		        "barrier line, the conventional memory by V/2 pulses.\n\n");
	fprintf(f, "## %s\n\n| figure | value |\n|---|---|\n",
	        a->opts.mode == LIM_TRAIN_LIM ? "LIM" : "Conventional");
	report_run(f, a, classification);
	if (b) {
		train_figures fa, fb;
		train_figures_of(a, &fa);
		train_figures_of(b, &fb);
		fprintf(f, "## Conventional (fixed barrier, %s writes)\n\n| figure | value |\n"
		        "|---|---|\n", o->write == LIM_TRAIN_WRITE_PARALLEL ? "coincident V/2" : "V/2");
		report_run(f, b, classification);
		fprintf(f, "## LIM against conventional\n\nPer update the conventional memory "
		        "spends %.4g J against LIM's %.4g J: %.3g times as much. It reaches the same "
		        "change of state with a write voltage near %.3g V instead of %.3g V, and "
		        "its conduction heat grows with the square of that voltage.\n\n",
		        fb.per_update_j, fa.per_update_j, fb.per_update_j / fa.per_update_j,
		        b->r.steps[0].v_write, a->r.steps[0].v_write);
	}
	if (serial) {
		train_figures fa, fs;
		train_figures_of(a, &fa);
		train_figures_of(serial, &fs);
		fprintf(f, "## LIM with the serial write (a window per column)\n\n| figure | value |\n"
		        "|---|---|\n");
		report_run(f, serial, classification);
		fprintf(f, "## Parallel against serial\n\nThe parallel write spends %.4g J per "
		        "update against the serial write's %.4g J (serial / parallel %.3g), in "
		        "%.4g s of simulated time against %.4g s (%.3g times shorter): a row pulses "
		        "once per sign phase instead of once per column window (physics.md 6.3).\n\n",
		        fa.per_update_j, fs.per_update_j, fs.per_update_j / fa.per_update_j,
		        a->r.sim_time_s, serial->r.sim_time_s, serial->r.sim_time_s / a->r.sim_time_s);
	}
	fprintf(f, "## Reading these numbers\n\n"
	        "- An update is a device whose state moved by at least 1/(2 n_c) in a step; "
	        "energy per update is the write phase's supply energy over the updates. The "
	        "read phase is reported on its own.\n"
	        "- The LIM estimate is the paper's accounting (physics.md section 4): E0_n "
	        "from Eq. 7 with the step's eps_n and Rn = R1 eps_n^(1+alpha), plus eps_n g^2. "
	        "A crossbar spends far more. Every device on a pulsed row conducts while the "
	        "row is driven, and the barrier lines are charged and discharged. The "
	        "transition heat alone is the part that moves the state.\n"
	        "- Peripheral circuits are outside the accounting: DACs, ADCs, sense "
	        "amplifiers and the digital gradient computation. What is counted is what the "
	        "row, column and barrier drivers deliver to the array.\n"
	        "- At 85 C the default 1.3 eV card keeps its state for about a day (retention "
	        "1/(2 R0)). A hold of years at 85 C erases what was learned; --hold-temp "
	        "shows it.\n");
}

const char *const train_outputs[] = {
	"steps.csv", "summary.csv", "steps_conventional.csv", "summary_conventional.csv",
	"steps_serial.csv", "summary_serial.csv",
	"report.md", "loss_accuracy.png", "energy_per_update.png", "barrier_schedule.png",
	"weights.png", "breakdown.png", NULL
};

/* Renders script (freed here) into dir/name, a new member of set. */
static int run_plot(outset *set, const char *dir, const char *name, char *script,
                    char *err, size_t n)
{
	outfile *o = outset_add(set, dir, name, err, n);
	int rc = -1;

	if (o && !script)
		snprintf(err, n, "%s/%s: out of memory", dir, name);
	else if (o)
		rc = plot_render(script, o, err, n);
	free(script);
	return rc;
}

/* breakdown.png: the write energy per update as stacked bars on a log
** axis, LIM beside conventional, each term a box from the sum of the terms
** below it to the sum with it; the LIM estimate, Landauer and the
** free-energy floor as marks across each bar. */
static int breakdown_plot(outset *set, const char *dir, const train_run_out *a,
                          const train_run_out *b, char *err, size_t n)
{
	static const char *const terms[] = {"transition heat", "conduction while writing",
	                                    "barrier-line loss", "wire loss"};
	static const char *const colours[] = {"#c0392b", "#2c7fb8", "#f39c12", "#7f8c8d"};
	const train_run_out *runs[2] = {a, b};
	char *s = NULL;
	size_t len = 0, cap = 0;
	double lo = INFINITY, hi = 0;
	int k, t, nrun = b ? 2 : 1, filled[4] = {0};

	plot_add(&s, &len, &cap, "set terminal pngcairo size 900,600\nset output '@OUT@'\n"
	    "set logscale y\nset ylabel 'energy per update [J]'\nset grid ytics\n"
	    "set key outside right top\nset style fill solid 0.9 border lc rgb 'black'\n"
	    "set title 'Where the write energy of an update goes'\n");
	for (t = 0; t < 4; t++) {          /* a data block per term: x, bottom, top */
		plot_add(&s, &len, &cap, "$t%d << EOD\n", t);
		for (k = 0; k < nrun; k++) {
			train_breakdown br;
			double v[4], below = 0;
			int j;
			train_breakdown_of(runs[k], &br);
			v[0] = br.trans_j;
			v[1] = br.conduction_j;
			v[2] = br.barrier_j;
			v[3] = br.wire_j;
			for (j = 0; j < t; j++)
				below += v[j] > 0 ? v[j] : 0;
			if (v[t] > 0 && isfinite(v[t])) {
				/* a log axis has no 0: the lowest box starts a decade under */
				double bottom = below > 0 ? below : v[t] / 10;
				plot_add(&s, &len, &cap, "%d %.6g %.6g\n", k, bottom, below + v[t]);
				filled[t] = 1;   /* gnuplot warns of an empty block: leave it out */
				lo = fmin(lo, bottom);
				hi = fmax(hi, below + v[t]);
			}
		}
		plot_add(&s, &len, &cap, "EOD\n");
	}
	plot_add(&s, &len, &cap, "$m << EOD\n");
	for (k = 0; k < nrun; k++) {
		train_figures g;
		train_breakdown br;
		train_figures_of(runs[k], &g);
		train_breakdown_of(runs[k], &br);
		plot_add(&s, &len, &cap, "%d %.6g %.6g %.6g\n", k, g.lim_estimate_j, g.landauer_j,
		         br.free_j > 0 ? br.free_j : NAN);
		lo = fmin(lo, fmin(g.landauer_j, br.free_j > 0 ? br.free_j : INFINITY));
		hi = fmax(hi, g.lim_estimate_j);
	}
	plot_add(&s, &len, &cap, "EOD\nset xrange [-0.6:%g]\nset xtics (", nrun - 0.4);
	for (k = 0; k < nrun; k++)
		plot_add(&s, &len, &cap, "%s'%s' %d", k ? ", " : "",
		         runs[k]->opts.mode == LIM_TRAIN_LIM ? "LIM" : "conventional", k);
	plot_add(&s, &len, &cap, ")\n");
	if (isfinite(lo) && hi > 0)
		plot_add(&s, &len, &cap, "set yrange [%.6g:%.6g]\n", lo / 3, hi * 3);
	plot_add(&s, &len, &cap, "plot ");
	for (t = 0; t < 4; t++)
		if (filled[t])
			plot_add(&s, &len, &cap, "$t%d u 1:(($2+$3)/2):($1-0.3):($1+0.3):2:3 "
			         "w boxxyerror lc rgb '%s' t '%s', ", t, colours[t], terms[t]);
	plot_add(&s, &len, &cap, "$m u 1:2:(0.4) w xerrorbars pt 0 lw 3 lc rgb 'black' "
	         "t 'LIM estimate', $m u 1:3:(0.4) w xerrorbars pt 0 lw 2 dt 2 "
	         "lc rgb '#27ae60' t 'Landauer', $m u 1:4:(0.4) w xerrorbars pt 0 lw 2 "
	         "lc rgb '#8e44ad' t 'free-energy floor'\n");
	return run_plot(set, dir, "breakdown.png", s, err, n);
}

int train_plots(outset *set, const char *dir, const train_run_out *a,
                const train_run_out *b, char *err, size_t n)
{
	const lim_train_result *r = &a->r;
	char *s = NULL;
	size_t len = 0, cap = 0;
	long k;
	int i, j;

	plot_add(&s, &len, &cap, "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	    "set xlabel 'training step'\nset ylabel 'loss'\nset y2label 'running accuracy'\n"
	    "set y2tics\nset ytics nomirror\nset grid\nset title 'Loss and accuracy per step'\n"
	    "$d << EOD\n");
	for (k = 0; k < r->nsteps; k++)
		plot_add(&s, &len, &cap, "%ld %g %g\n", k + 1, r->steps[k].loss, r->steps[k].accuracy);
	plot_add(&s, &len, &cap, "EOD\nplot $d u 1:2 w p pt 7 ps 0.4 t 'loss', "
	    "$d u 1:3 axes x1y2 w l lw 2 t 'running accuracy'\n");
	if (run_plot(set, dir, "loss_accuracy.png", s, err, n))
		return -1;

	s = NULL; len = cap = 0;
	plot_add(&s, &len, &cap, "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	    "set logscale y\nset xlabel 'training step'\nset ylabel 'energy per update [J]'\n"
	    "set grid\nset key outside bottom center horizontal\n"
	    "set title 'Energy per update: measured against the LIM estimate and Landauer'\n"
	    "$d << EOD\n");
	for (k = 0; k < r->nsteps; k++) {
		const lim_train_step *st = &r->steps[k];
		double kt = lim_phys_kt_j(a->opts.temp_k);
		if (!st->updates)
			continue;
		plot_add(&s, &len, &cap, "%ld %g %g %g %g", k + 1, st->e_write_j / st->updates,
		    st->lim_estimate_kt * kt, lim_phys_landauer_j(a->opts.bits, a->opts.temp_k),
		    st->e_trans_j > 0 ? st->e_trans_j / st->updates : NAN);
		if (b && k < b->r.nsteps && b->r.steps[k].updates)
			plot_add(&s, &len, &cap, " %g\n", b->r.steps[k].e_write_j / b->r.steps[k].updates);
		else
			plot_add(&s, &len, &cap, " NaN\n");
	}
	plot_add(&s, &len, &cap, "EOD\nplot $d u 1:2 w p pt 7 ps 0.4 t 'LIM, measured', "
	    "$d u 1:5 w p pt 6 ps 0.4 t 'LIM transition heat', $d u 1:3 w l lw 2 t 'LIM estimate', "
	    "$d u 1:4 w l dt 2 lw 2 t 'Landauer'%s\n",
	    b ? ", $d u 1:6 w p pt 5 ps 0.4 t 'conventional, measured'" : "");
	if (run_plot(set, dir, "energy_per_update.png", s, err, n))
		return -1;

	s = NULL; len = cap = 0;
	plot_add(&s, &len, &cap, "set terminal pngcairo size 900,560\nset output '@OUT@'\n"
	    "set xlabel 'training step'\nset ylabel 'barrier control V_c [V]'\n"
	    "set y2label 'Eq. 7 barrier E0 [kT]'\nset y2tics\nset ytics nomirror\nset grid\n"
	    "set title 'Barrier schedule: lowered to learn, rising as eps falls'\n$d << EOD\n");
	for (k = 0; k < r->nsteps; k++)
		plot_add(&s, &len, &cap, "%ld %g %g\n", k + 1, r->steps[k].v_c, r->steps[k].e0_kt);
	plot_add(&s, &len, &cap, "EOD\nplot $d u 1:2 w l lw 2 t 'V_c', $d u 1:3 axes x1y2 w l lw 2 "
	    "t 'E0_n'\n");
	if (run_plot(set, dir, "barrier_schedule.png", s, err, n))
		return -1;

	s = NULL; len = cap = 0;
	plot_add(&s, &len, &cap, "set terminal pngcairo size %d,560\nset output '@OUT@'\n"
	    "set palette defined (-1 'blue', 0 'white', 1 'red')\nset cbrange [-1:1]\n"
	    "set cblabel 'w_{eff}'\nset yrange [] reverse\n%s", r->layers == 2 ? 1300 : 700,
	    r->layers == 2 ? "set multiplot layout 1,2 title 'Trained weights w+ - w- (LIM)'\n" :
	    "set title 'Trained weights w+ - w- (LIM)'\n");
	for (k = 0; k < r->layers; k++) {
		int rows = k ? r->rows2 : r->rows, pcols = k ? r->pcols2 : r->pcols;
		const double *w = k ? r->w2 : r->w;
		if (r->layers == 2)
			plot_add(&s, &len, &cap, "set title 'array %d: %s'\n", (int)k + 1,
			    k ? "hidden units -> outputs" : "inputs -> hidden units");
		plot_add(&s, &len, &cap, "set xlabel '%s'\nset ylabel '%s (last: bias)'\n"
		    "$d%ld << EOD\n", r->layers == 2 && !k ? "hidden unit" : "output",
		    k ? "hidden unit" : "input", k);
		for (i = 0; i < rows; i++) {
			for (j = 0; j < pcols / 2; j++)
				plot_add(&s, &len, &cap, "%s%g", j ? " " : "",
				    w[i * pcols + 2 * j] - w[i * pcols + 2 * j + 1]);
			plot_add(&s, &len, &cap, "\n");
		}
		plot_add(&s, &len, &cap, "EOD\nplot $d%ld matrix with image notitle\n", k);
	}
	if (r->layers == 2)
		plot_add(&s, &len, &cap, "unset multiplot\n");
	if (run_plot(set, dir, "weights.png", s, err, n))
		return -1;
	return breakdown_plot(set, dir, a, b, err, n);
}
