/*
** t-twolayer.c - two-layer networks trained inside the simulator: the
** backward read against G^T v from the states the test sets (with the wire
** drop it computes), every device's update against the analytic gradient,
** and accuracy against software with the same split, epochs and activation.
** See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "session.h"
#include "tap.h"
#include "train.h"
#include "write.h"   /* the timeline: how long a column stays low after a pulse */

static lim_session *S;

/* A tiny task: one sample of three features, label 1 of three classes; a
** network of 3 hidden units. Arrays: 4 x 6 (inputs and bias -> hidden
** pairs) and 4 x 6 (hidden units and bias -> output pairs). */
enum { NF = 3, H = 3, NC = 3, R1 = NF + 1, P1 = 2 * H, R2 = H + 1, P2 = 2 * NC };
static const double X[NF] = {0.8, -0.6, 0.4};
static const double GMIN = 1e-6, DG = 9e-6, GAIN = 3;   /* the default card */

/* The states the test sets: 0.5 + k / 100, whole multiples of 1/n_c (n_c
** = 1e4), so the deck holds them exactly. */
static double W1[R1 * P1], W2[R2 * P2];

static void set_states(void)
{
	int c;

	for (c = 0; c < R1 * P1; c++)
		W1[c] = 0.5 + ((c * 7 + 3) % 17 - 8) / 100.0;
	for (c = 0; c < R2 * P2; c++)
		W2[c] = 0.5 + ((c * 5 + 1) % 13 - 6) / 100.0;
}

static double sigmoid(double a) { return 1 / (1 + exp(-a)); }

/* The network's forward and backward pass computed here from the states:
** hidden a, y; outputs delta; hidden errors dh. */
static void analytic(double *a, double *y, double *delta, double *dh)
{
	double z[NC], m = -1e300, sum = 0;
	int i, j, k;

	for (j = 0; j < H; j++) {
		a[j] = 0;
		for (i = 0; i < R1; i++)
			a[j] += GAIN * (W1[i * P1 + 2 * j] - W1[i * P1 + 2 * j + 1]) * (i < NF ? X[i] : 1);
		y[j] = sigmoid(a[j]);
	}
	for (k = 0; k < NC; k++) {
		z[k] = 0;
		for (j = 0; j < R2; j++)
			z[k] += GAIN * (W2[j * P2 + 2 * k] - W2[j * P2 + 2 * k + 1]) * (j < H ? y[j] : 1);
		m = fmax(m, z[k]);
	}
	for (k = 0; k < NC; k++)
		sum += exp(z[k] - m);
	for (k = 0; k < NC; k++)
		delta[k] = exp(z[k] - m) / sum - (k == 1);
	for (j = 0; j < H; j++) {
		double b = 0;
		for (k = 0; k < NC; k++)
			b += GAIN * (W2[j * P2 + 2 * k] - W2[j * P2 + 2 * k + 1]) * delta[k];
		dh[j] = y[j] * (1 - y[j]) * b;
	}
}

/* What the engine's passes carried at step 0. */
typedef struct {
	int seen;
	double y[H], delta[NC], v_col, i_back[R2], dh[H];
} passes;

static void on_pass(void *ctx, const lim_train_pass *p)
{
	passes *c = ctx;

	if (p->step != 0)
		return;
	c->seen++;
	memcpy(c->y, p->y, sizeof c->y);
	memcpy(c->delta, p->delta, sizeof c->delta);
	memcpy(c->i_back, p->i_back, sizeof c->i_back);
	memcpy(c->dh, p->delta_h, sizeof c->dh);
	c->v_col = p->v_col;
}

/* One training step of the tiny network from the states the test set. */
static int one_step(double r_wire, double eta, int slots, passes *c, lim_train_result *r)
{
	static double x[NF];
	static int label = 1;
	int idx = 0;
	lim_dataset d;
	lim_train_opts o;
	char err[512];

	memcpy(x, X, sizeof x);
	memset(&d, 0, sizeof d);
	d.n = 1;
	d.nfeat = NF;
	d.nclass = d.nout = NC;
	d.x = x;
	d.label = &label;
	snprintf(d.name, sizeof d.name, "one sample");
	lim_train_default(&o);
	o.hidden = H;
	o.max_steps = 1;
	o.eta = eta;
	o.slots = slots;
	o.floor = 0;                 /* every column is written */
	o.r_wire_ohm = r_wire;
	o.w_init[0] = W1;
	o.w_init[1] = W2;
	o.pass = on_pass;
	o.pass_ctx = c;
	memset(c, 0, sizeof *c);
	if (lim_train_run(S, &d, &idx, 1, &o, r, NULL, NULL, err, sizeof err) != 0) {
		tap_diag("train_run: %s", err);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
** The backward read
** ------------------------------------------------------------------- */

/* Array 2 in the backward read, by nodal analysis: rows held at 0 V at
** their first node (the row drivers), column p driven to v[p] at its last
** node (the sense source), wire segments of rw between neighbouring
** nodes. cur[j]: the current into row j's driver. */
static int nodal_back(const double *g, const double *v, double rw, double *cur)
{
	enum { NN = 2 * R2 * P2 };
	static double a[NN * NN];
	double b[NN] = {0};
	int j, p;
#define RN(j, p) ((j) * P2 + (p))
#define CN(p, j) (R2 * P2 + (p) * R2 + (j))
#define STAMP(u, w, gg) do { a[(u) * NN + (u)] += gg; a[(w) * NN + (w)] += gg; \
	a[(u) * NN + (w)] -= gg; a[(w) * NN + (u)] -= gg; } while (0)

	memset(a, 0, sizeof a);
	for (j = 0; j < R2; j++)
		for (p = 0; p < P2; p++) {
			STAMP(RN(j, p), CN(p, j), g[j * P2 + p]);
			if (p > 0)
				STAMP(RN(j, p - 1), RN(j, p), 1 / rw);
			if (j > 0)
				STAMP(CN(p, j - 1), CN(p, j), 1 / rw);
		}
	for (j = 0; j < R2; j++) {       /* row j's first node at 0 V */
		memset(&a[RN(j, 0) * NN], 0, NN * sizeof *a);
		a[RN(j, 0) * NN + RN(j, 0)] = 1;
	}
	for (p = 0; p < P2; p++) {       /* column p's last node at v[p] */
		memset(&a[CN(p, R2 - 1) * NN], 0, NN * sizeof *a);
		a[CN(p, R2 - 1) * NN + CN(p, R2 - 1)] = 1;
		b[CN(p, R2 - 1)] = v[p];
	}
	if (solve_dense(NN, a, b) != 0)
		return -1;
	for (j = 0; j < R2; j++)   /* what reaches the driver: its device and its wire */
		cur[j] = g[j * P2] * b[CN(0, j)] + (P2 > 1 ? b[RN(j, 1)] / rw : 0);
	return 0;
#undef RN
#undef CN
#undef STAMP
}

/* Sensed row currents of array 2 against sum_p G_jp V_p from the states
** the test set and the column drives +-v_col delta_k; with wires, against
** the nodal solution, and within the drop it computes from G^T v. */
static void backward_read(double r_wire)
{
	passes c;
	lim_train_result r;
	double g[R2 * P2], v[P2], gtv[R2], nod[R2], scale = 0, worst = 0, drop = 0, off = 0;
	double a[H], y[H], delta[NC], dh[H], worst_dh = 0;
	int j, p, k;

	set_states();
	if (!check(one_step(r_wire, 0.05, 8, &c, &r) == 0))
		return;
	check_int(c.seen, ==, 1);
	for (p = 0; p < R2 * P2; p++)
		g[p] = GMIN + DG * W2[p];
	for (k = 0; k < NC; k++) {
		v[2 * k] = c.v_col * c.delta[k];
		v[2 * k + 1] = -c.v_col * c.delta[k];
	}
	for (j = 0; j < R2; j++) {
		gtv[j] = 0;
		for (p = 0; p < P2; p++) {
			gtv[j] += g[j * P2 + p] * v[p];
			scale = fmax(scale, fabs(g[j * P2 + p] * v[p]));
		}
	}
	/* the largest drive is the read level, 0.1 V */
	check_near(c.v_col * fmax(fmax(fabs(c.delta[0]), fabs(c.delta[1])), fabs(c.delta[2])),
	           0.1, 1e-12);
	if (r_wire == 0) {
		for (j = 0; j < R2; j++)
			worst = fmax(worst, fabs(c.i_back[j] - gtv[j]));
		tap_diag("no wires: I_1 = %.6g A against G^T v %.6g A; worst |I - G^T v| %.3g A "
		         "(%.2g of the largest term)", c.i_back[0], gtv[0], worst, worst / scale);
		check_near(worst / scale, 0, 1e-6);
		/* the hidden errors through those currents against the analytic ones */
		analytic(a, y, delta, dh);
		for (j = 0; j < H; j++)
			worst_dh = fmax(worst_dh, fabs(c.dh[j] - dh[j]));
		tap_diag("hidden errors f'(a) (W delta): worst %.3g from the analytic ones "
		         "(%.4g %.4g %.4g)", worst_dh, dh[0], dh[1], dh[2]);
		check_near(worst_dh, 0, 1e-5);
	} else {
		if (!check(nodal_back(g, v, r_wire, nod) == 0))
			return;
		for (j = 0; j < R2; j++) {
			worst = fmax(worst, fabs(c.i_back[j] - nod[j]));
			drop = fmax(drop, fabs(nod[j] - gtv[j]));
			off = fmax(off, fabs(c.i_back[j] - gtv[j]) - fabs(nod[j] - gtv[j]));
		}
		tap_diag("%g ohm wires: I_1 = %.6g A, G^T v %.6g A, nodal %.6g A; wire drop up to "
		         "%.3g A (%.2g of the largest term); worst |I - nodal| %.3g A", r_wire,
		         c.i_back[0], gtv[0], nod[0], drop, drop / scale, worst);
		check(drop > 1e-4 * scale);           /* the wires do show */
		check_near(worst / scale, 0, 1e-5);
		check(off <= 1e-5 * scale);            /* |I - G^T v| within the drop */
	}
	lim_train_result_free(&r);
}

/* ---------------------------------------------------------------------
** The gradient check
** ------------------------------------------------------------------- */

/* Each device's update against the analytic gradient g computed here:
** dw has the sign of -g, and dw / (-eta eps g / 2) is the device's state
** factor 1 - s (w - 1/2) / h (physics.md 6), s = sign(-g), h = tanh(x/2)/2,
** to within what physics.md 6 says separates the two, computed here per
** device from the same g: the pulse's exact relaxation, w_eq + (w - w_eq)
** e^-a with a = k_p t_i = c |u v| / h (the soft compression), then the idle
** decay toward 1/2 while the column stays low after the pulse, k_p t_idle /
** cosh(x/2) with k_p t_idle = (c U |v| / h)(1 - |u|/U + (T_PULSE + T_GUARD)
** / (BL min_slot)) (tau is stretched to BL min_slot and every k_p lowered
** alike), and a slot of rounding, tau/BL against t_i = tau |u|/U. */
static void gradient_check(void)
{
	passes c;
	lim_train_result r;
	const double eta = 0.02, x = 3, h = tanh(x / 2) / 2, bl = 256, cc = eta * 1 * GAIN / 2;
	double a[H], y[H], delta[NC], dh[H], worst = 0, lo = 1e9, hi = -1e9, tol_max = 0;
	int wrong = 0, outside = 0, n = 0, l, i, p;

	set_states();
	if (!check(one_step(0, eta, (int)bl, &c, &r) == 0))
		return;
	analytic(a, y, delta, dh);
	for (l = 0; l < 2; l++) {
		int rows = l ? R2 : R1, pcols = l ? P2 : P1;
		const double *w0 = l ? W2 : W1, *w1 = l ? r.w2 : r.w;
		double umax = 0;
		for (i = 0; i < rows; i++)
			umax = fmax(umax, fabs(l ? (i < H ? y[i] : 1) : (i < NF ? X[i] : 1)));
		for (i = 0; i < rows; i++)
			for (p = 0; p < pcols; p++) {
				double u = l ? (i < H ? y[i] : 1) : (i < NF ? X[i] : 1);
				double v = (l ? delta[p / 2] : dh[p / 2]) * (p % 2 ? -1 : 1);
				double g = GAIN * u * v;                        /* dL/dw */
				double want = -eta * 1 * g / 2;                 /* eps_1 = 1 */
				double wd = w0[i * pcols + p], dw = w1[i * pcols + p] - wd;
				double s = want > 0 ? 1 : -1, factor = 1 - s * (wd - 0.5) / h, ratio;
				double round = 1 / (bl * fabs(u) / umax), weq = 1 / (1 + exp(-s * x));
				double w_pulse = weq + (wd - weq) * exp(-cc * fabs(u * v) / h);
				double idle = cc * umax * fabs(v) / h *
				              (1 - fabs(u) / umax + (T_PULSE + T_GUARD) / (bl * 0.3e-9));
				double model = 0.5 + (w_pulse - 0.5) * exp(-idle / cosh(x / 2)) - wd;
				double tol = fabs(model / want / factor - 1) + round + 0.005;
				if (fabs(want) < 1e-4)
					continue;                /* under a few carriers (1/n_c) */
				n++;
				wrong += (dw > 0) != (want > 0);
				ratio = dw / want / factor;
				lo = fmin(lo, ratio);
				hi = fmax(hi, ratio);
				worst = fmax(worst, fabs(ratio - 1));
				tol_max = fmax(tol_max, tol);
				outside += fabs(ratio - 1) > tol;
				if (fabs(ratio - 1) > tol)
					tap_diag("layer %d device (%d, %d): ratio %.4f, tolerance %.4f", l + 1,
					         i, p, ratio, tol);
			}
	}
	tap_diag("%d devices: %d with the wrong sign; dw / (-eta eps g/2) / state factor in "
	         "[%.4f, %.4f]; largest tolerance computed %.4f", n, wrong, lo, hi, tol_max);
	check_int(n, >=, 40);
	check_int(wrong, ==, 0);
	check_int(outside, ==, 0);
	lim_train_result_free(&r);
}

/* ---------------------------------------------------------------------
** Accuracy against software
** ------------------------------------------------------------------- */

/* The order the engine's steps visit the training rows (train.h: each
** epoch a new shuffle drawn from the seed), rebuilt here. */
static void visit_order(uint64_t seed, const int *train, int ntrain, long steps, int *order)
{
	long i;
	int k;

	for (i = 0; i < steps; i += ntrain) {
		long ep = i / ntrain;
		for (k = 0; k < ntrain && i + k < steps; k++)
			order[i + k] = train[k];
		for (k = ntrain - 1; k > 0; k--) {
			long a = i + k, b = i + (long)(lim_phys_rng_uniform(seed, ((uint64_t)ep << 32) + k) * (k + 1));
			int t;
			if (a >= steps || b >= steps)
				continue;
			t = order[a];
			order[a] = order[b];
			order[b] = t;
		}
	}
}

/* Test accuracy of the same network in software: the same split, sample
** order, initial states, schedule (eps_n), logistic activation, error
** clipping and rule, -eta eps_n g / 2 on each state of a pair, kept in
** [0, 1], with the forward and backward passes computed in doubles. */
static double software(const lim_dataset *d, const int *tr, int ntr, const int *te, int nte,
                       const lim_train_opts *o)
{
	int nh = o->hidden, no = d->nout, r1 = d->nfeat + 1, r2 = nh + 1, p1 = 2 * nh, p2 = 2 * no;
	long steps = (long)o->epochs * ntr, n;
	double *w1 = malloc(sizeof *w1 * r1 * p1), *w2 = malloc(sizeof *w2 * r2 * p2);
	double *u = malloc(sizeof *u * r1), *y = malloc(sizeof *y * r2), *dh = malloc(sizeof *dh * nh);
	double z[64], dl[64];
	int *order = malloc(sizeof *order * steps), i, j, k, t, right = 0;

	lim_train_init_states(o, 0, r1, p1, w1);
	lim_train_init_states(o, 1, r2, p2, w2);
	visit_order(o->seed, tr, ntr, steps, order);
	for (n = 0; n <= steps; n++) {
		/* steps 0..steps-1 train; then each test sample is read */
		int nt = n < steps ? 1 : nte;
		for (t = 0; t < nt; t++) {
			int row = n < steps ? order[n] : te[t], best = 0;
			double m = -1e300, sum = 0, c;
			lim_phys_step st;
			for (i = 0; i < r1; i++)
				u[i] = i < d->nfeat ? d->x[row * d->nfeat + i] : 1;
			for (j = 0; j < nh; j++) {
				double a = 0;
				for (i = 0; i < r1; i++)
					a += o->gain * (w1[i * p1 + 2 * j] - w1[i * p1 + 2 * j + 1]) * u[i];
				y[j] = sigmoid(a);
			}
			y[nh] = 1;
			for (k = 0; k < no; k++) {
				z[k] = 0;
				for (j = 0; j < r2; j++)
					z[k] += o->gain * (w2[j * p2 + 2 * k] - w2[j * p2 + 2 * k + 1]) * y[j];
				if (z[k] > z[best])
					best = k;
				m = fmax(m, z[k]);
			}
			if (n == steps) {
				right += best == d->label[row];
				continue;
			}
			for (k = 0; k < no; k++)
				sum += exp(z[k] - m);
			for (k = 0; k < no; k++)
				dl[k] = exp(z[k] - m) / sum - (k == d->label[row]);
			for (j = 0; j < nh; j++) {
				double b = 0;
				for (k = 0; k < no; k++)
					b += o->gain * (w2[j * p2 + 2 * k] - w2[j * p2 + 2 * k + 1]) * dl[k];
				dh[j] = fmax(-1, fmin(1, y[j] * (1 - y[j]) * b));
			}
			lim_phys_step_at(&o->sched, (double)(n + 1), &st);
			c = o->eta * st.eps * o->gain / 2;
			for (j = 0; j < r2; j++)
				for (k = 0; k < p2; k++) {
					double *w = &w2[j * p2 + k];
					*w = fmin(1, fmax(0, *w - c * y[j] * (k % 2 ? -dl[k / 2] : dl[k / 2])));
				}
			for (i = 0; i < r1; i++)
				for (k = 0; k < p1; k++) {
					double *w = &w1[i * p1 + k];
					*w = fmin(1, fmax(0, *w - c * u[i] * (k % 2 ? -dh[k / 2] : dh[k / 2])));
				}
		}
	}
	free(w1); free(w2); free(u); free(y); free(dh); free(order);
	return (double)right / nte;
}

/* Iris through 4 hidden units, trained in the simulator (power-law
** schedule, 6 kT writes: a 3 kT tilt lets the idle decay undo small
** updates, physics.md 6), against the software network; and each array's
** supply closes on its own heats. */
static void iris_hidden(void)
{
	char path[1024], err[1024];
	lim_dataset d;
	lim_train_opts o;
	lim_train_result r;
	int *tr, *te, ntr, nte;
	double acc = NAN, sw;

	snprintf(path, sizeof path, "%s/testbenches/data/sklearn_iris.csv", getenv("LIMSPICE_TOP"));
	if (!check(lim_data_load_iris(path, &d, err, sizeof err) == 0))
		return;
	lim_data_split(&d, 0.2, 1, &tr, &ntr, &te, &nte);
	lim_data_standardise(&d, tr, ntr);
	lim_train_default(&o);
	o.keep_history = 0;
	o.hidden = 4;
	o.sched.kind = LIM_PHYS_SCHED_POWER;
	o.tilt_kt = 6;
	sw = software(&d, tr, ntr, te, nte, &o);
	if (check(lim_train_run(S, &d, tr, ntr, &o, &r, NULL, NULL, err, sizeof err) == 0)) {
		check(lim_train_infer2(S, &d, te, nte, &o, r.w, r.w2, &acc, NULL, err, sizeof err) == 0);
		tap_diag("Iris 4-4-3, %d epochs: test accuracy LIM %.4f, software %.4f", o.epochs, acc,
		         sw);
		tap_diag("energy per update: layer 1 %.4g J (%ld updates), layer 2 %.4g J (%ld)",
		         r.layer[0].write_j / r.layer[0].updates, r.layer[0].updates,
		         r.layer[1].write_j / r.layer[1].updates, r.layer[1].updates);
		check(acc >= 0.9);
		check(acc >= sw - 0.1);
		for (int l = 0; l < 2; l++) {
			const lim_train_energy *e = &r.layer[l];
			double closure = (e->supply_j - e->trans_j - e->joule_j - e->resistor_j - e->cap_j) /
			                 e->supply_j;
			tap_diag("layer %d: supply %.4g J, closure %.2g", l + 1, e->supply_j, closure);
			check_near(closure, 0, 1e-3);
		}
		check_rel(r.layer[0].supply_j + r.layer[1].supply_j, r.supply_j, 1e-9);
		lim_train_result_free(&r);
	}
	free(tr);
	free(te);
	lim_data_free(&d);
}

/* ---------------------------------------------------------------------
** The command
** ------------------------------------------------------------------- */

static char dir[] = "/tmp/limspice-twolayer-XXXXXX";

static double metric(const char *csv, const char *name) { return csv_metric(csv, name); }

/* train --hidden: steps.csv has a row per step and layer, summary.csv
** per-layer figures, --weights-out both layers, which infer --hidden reads
** back to the same accuracy, and --hold holds both. */
static void command(void)
{
	char args[1024], path[1024], *out, *err, *out2, *err2, *steps, *sum, *w;
	int rows1 = 0, rows2 = 0;
	const char *l;

	snprintf(args, sizeof args, "train --hidden 3 --steps 20 --quiet --out %s/run "
	         "--weights-out %s/w.csv --hold 1d", dir, dir);
	check_int(run_limspice(args, &out, &err), ==, 0);
	snprintf(path, sizeof path, "%s/run/steps.csv", dir);
	steps = slurp(path);
	snprintf(path, sizeof path, "%s/run/summary.csv", dir);
	sum = slurp(path);
	snprintf(path, sizeof path, "%s/w.csv", dir);
	w = slurp(path);
	check(steps && sum && w);
	if (!steps || !sum || !w)
		goto done;
	for (l = strchr(steps, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		const char *c = l + 1;
		int f;
		for (f = 0; f < 22 && c; f++)     /* the layer is field 22 of 24 */
			if ((c = strchr(c, ',')))
				c++;
		rows1 += c && atoi(c) == 1;
		rows2 += c && atoi(c) == 2;
	}
	check_int(rows1, ==, 20);
	check_int(rows2, ==, 20);
	check_int((int)metric(sum, "hidden_units"), ==, 3);
	tap_diag("per update: layer 1 %.4g J, layer 2 %.4g J; measured / estimate %.4g, %.4g",
	         metric(sum, "layer1_energy_per_update_J"), metric(sum, "layer2_energy_per_update_J"),
	         metric(sum, "layer1_measured_over_lim_estimate"),
	         metric(sum, "layer2_measured_over_lim_estimate"));
	check(metric(sum, "layer1_energy_per_update_J") > 0);
	check(metric(sum, "layer2_lim_estimate_per_update_kT") > 0);
	check_near(metric(sum, "layer2_energy_closure"), 0, 1e-3);
	check_rel(metric(sum, "layer1_write_energy_J") + metric(sum, "layer2_write_energy_J"),
	          metric(sum, "write_energy_J"), 1e-6);
	check(metric(sum, "backward_read_energy_J") > 0);
	check(!isnan(metric(sum, "test_accuracy_after_hold")));
	check(strncmp(w, "layer,row,col,w,g_S\n1,0,0,", 26) == 0 && strstr(w, "\n2,3,5,"));
	snprintf(args, sizeof args, "infer --hidden 3 --weights-in %s/w.csv", dir);
	check_int(run_limspice(args, &out2, &err2), ==, 0);
	/* the weights file holds whole carriers: at most a 1/n_c shift */
	check_near(metric(out2, "test_accuracy"), metric(sum, "test_accuracy"), 0.034);
	free(out2);
	free(err2);
	snprintf(args, sizeof args, "infer --weights-in %s/w.csv", dir);
	check_int(run_limspice(args, &out2, &err2), ==, 2);
	check(strstr(err2, "two-layer") != NULL);
	free(out2);
	free(err2);
done:
	free(out); free(err); free(steps); free(sum); free(w);
}

static void refuses(const char *args, const char *words)
{
	char full[512], *out, *err;

	snprintf(full, sizeof full, "train --quiet %s", args);
	check_int(run_limspice(full, &out, &err), ==, 2);
	check(err && strstr(err, words) != NULL);
	if (err && !strstr(err, words))
		tap_diag("stderr: %s", err);
	free(out);
	free(err);
}

int main(void)
{
	int status;

	if (!(S = test_session(&status)))
		return status;
	TEST(backward_read(0), "backward read, no wires: row currents = G^T v from the set states, "
	     "hidden errors = f'(a) W delta");
	TEST(backward_read(1e3), "backward read, 1 kohm wires: = nodal solution, |I - G^T v| within "
	     "the wire drop");
	TEST(gradient_check(), "gradient check: every device's dw has the sign of -g and its size "
	     "within the state factor");
	TEST(iris_hidden(), "Iris, 4 hidden units: LIM >= 0.9 and within 0.1 of software; "
	     "each array's energy closes");
	lim_sess_close(S);
	if (getenv("LIMSPICE") && mkdtemp(dir)) {
		char rm[600];
		TEST(command(), "train --hidden: steps.csv by layer, per-layer summary, both layers' "
		     "weights read back by infer --hidden, --hold");
		TEST(refuses("--hidden 3 --rows 8", "--rows/--cols with --hidden"),
		     "refuses --rows with --hidden");
		TEST(refuses("--hidden 128", "--hidden"), "refuses 128 hidden units");
		snprintf(rm, sizeof rm, "rm -rf %s", dir);
		if (system(rm) != 0)
			tap_diag("could not remove %s", dir);
	}
	return tap_done();
}
