/*
** write_serial.c - the serial write: one window per physical column
** (physics.md section 6, "Serial"). See LICENSE for copyright.
**
** LIM lowers the window's column barrier while each row pulses for the
** width that moves its device by the asked change; the other columns keep
** their barrier high and their state. A conventional memory cannot select
** by barrier: it writes with the V/2 scheme (selected row +-V/2, selected
** column -+V/2, others 0) in a potentiating and a depressing sub-window per
** column, its voltage V raised until the median pulse moves w as far as
** the LIM pulse does at the same width.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

struct lim_write_scheme {
	lim_write_setup su;
	int nwin;                /* windows per column: 1 LIM, 2 conventional */
	double w_max, t_win;     /* the longest pulse, a window [s] */
	double v_c, v_write;     /* the step's barrier control and write voltage [V] */
	double *width;           /* rows x pcols pulse widths [s], 0: none */
	signed char *sign;       /* +1 potentiate, -1 depress */
	double *span;            /* per column: how long its barrier stays low */
	double *intended;        /* rows x pcols: the fraction 1 - e^-kt a pulse moves */
	double *widths;          /* scratch: the step's widths, for the median */
};

/* When a row pulse starts within a window. */
static double pulse_start(const lim_write_scheme *w)
{
	return w->nwin == 1 ? lim_write_bedge(&w->su) + T_GUARD : T_PULSE + T_GUARD;
}

static void close_serial(lim_write_scheme *w)
{
	if (!w)
		return;
	free(w->width);
	free(w->sign);
	free(w->span);
	free(w->intended);
	free(w->widths);
	free(w);
}

/* The longest pulse: step 1 (the largest eps) with the largest gradient
** the data allow (|input| x gain, errors clipped at 1). */
static double longest_pulse(const lim_write_setup *su)
{
	double k, v_c, e0, eps, t;

	lim_write_step_barrier(su, 1, &v_c, &k, &e0, &eps);
	t = lim_write_width_for(su->o->eta * eps * su->o->gain * su->u_max / 2, k, su->o->tilt_kt);
	if (t < 0)
		t = lim_write_width_for(0.9 * tanh(su->o->tilt_kt / 2) / 2, k, su->o->tilt_kt);
	return t;
}

static lim_write_scheme *open_serial(const lim_write_setup *su, int nwin)
{
	lim_write_scheme *w = calloc(1, sizeof *w);
	size_t cells = (size_t)su->rows * su->pcols;

	if (!w)
		return NULL;
	w->su = *su;
	w->nwin = nwin;
	w->width = calloc(cells, sizeof *w->width);
	w->sign = calloc(cells, sizeof *w->sign);
	w->intended = calloc(cells, sizeof *w->intended);
	w->widths = calloc(cells, sizeof *w->widths);
	w->span = calloc((size_t)su->pcols, sizeof *w->span);
	if (!w->width || !w->sign || !w->intended || !w->widths || !w->span) {
		close_serial(w);
		return NULL;
	}
	w->w_max = longest_pulse(su);
	w->t_win = nwin == 1 ? 2 * lim_write_bedge(&w->su) + 2 * T_GUARD + w->w_max + T_PULSE
	                     : 2 * T_PULSE + 2 * T_GUARD + w->w_max + T_PULSE;
	return w;
}

static lim_write_scheme *open_lim(const lim_write_setup *su) { return open_serial(su, 1); }
static lim_write_scheme *open_conv(const lim_write_setup *su) { return open_serial(su, 2); }

static double length(const lim_write_scheme *w)
{
	return w->su.pcols * w->nwin * w->t_win;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void plan(lim_write_scheme *w, long n, const double *u, const double *delta,
                 lim_train_step *st)
{
	const lim_write_setup *su = &w->su;
	const lim_train_opts *o = su->o;
	double k_lim, e0_kt, eps;
	int i, p, ndw = 0, pc = su->pcols;

	lim_write_step_barrier(su, n, &w->v_c, &k_lim, &e0_kt, &eps);
	w->v_write = o->tilt_kt * su->kt_ev / o->card.z;
	for (p = 0; p < pc; p++)
		w->span[p] = 0;
	for (i = 0; i < su->rows; i++)
		for (p = 0; p < pc; p++) {
			int kk = p / 2, q = i * pc + p;
			double g, dweff, dw, t;
			w->width[q] = 0;
			w->intended[q] = 0;
			if (kk >= su->nout)
				continue;
			/* dL/dw_eff; regression errors are clipped at 1 for the width */
			g = o->gain * u[i] * fmax(-1, fmin(1, delta[kk]));
			dweff = -o->eta * eps * g;
			dw = p % 2 ? -dweff / 2 : dweff / 2;   /* plus column +, minus column - */
			if (dw == 0)
				continue;
			t = lim_write_width_for(fabs(dw), k_lim, o->tilt_kt);
			if (t < 0 || t > w->w_max) {
				t = w->w_max;
				st->clipped++;
			}
			if (t < T_PULSE)
				continue;              /* below what the driver can express */
			w->width[q] = t;
			w->sign[q] = dw > 0 ? 1 : -1;
			w->intended[q] = -expm1(-k_lim * t);
			w->widths[ndw++] = t;
			if (lim_write_bedge(&w->su) + T_GUARD + t + T_PULSE + T_GUARD > w->span[p])
				w->span[p] = lim_write_bedge(&w->su) + T_GUARD + t + T_PULSE + T_GUARD;
		}
	if (w->nwin == 2 && ndw > 0) {
		/* the median pulse must move w as far as the LIM pulse would */
		double tm, dw_lim;
		qsort(w->widths, (size_t)ndw, sizeof *w->widths, cmp_double);
		tm = w->widths[ndw / 2];
		dw_lim = tanh(o->tilt_kt / 2) / 2 * -expm1(-k_lim * tm);
		w->v_write = lim_write_fixed_barrier_voltage(su, dw_lim, tm);
		w->v_c = 0;
	}
	st->eps = eps;
	st->e0_kt = e0_kt;
	st->v_c = w->v_c;
	st->v_write = w->v_write;
	{   /* the longest a device sits with its barrier low and no pulse */
		lim_phys_rates r0;
		double idle = 0;
		lim_phys_dev_rates(&o->card, su->temp_c, 0, w->v_c, &r0);
		for (p = 0; p < pc; p++)
			for (i = 0; i < su->rows; i++)
				if (w->span[p] > 0)
					idle = fmax(idle, w->span[p] - w->width[i * pc + p]);
		st->decay_kt = w->nwin == 1 ? (r0.rf + r0.rr) * idle : 0;
	}
}

static void corners(const lim_write_scheme *w, double start,
                    void (*add)(void *ctx, double t), void *ctx)
{
	double s0 = pulse_start(w);
	int i, p, q, pc = w->su.pcols;

	for (p = 0; p < pc; p++)
		for (q = 0; q < w->nwin; q++) {
			double a = start + (p * w->nwin + q) * w->t_win;
			add(ctx, a);              /* where the barrier or column ramp starts */
			if (w->nwin == 1 && w->span[p] > 0) {
				double be = lim_write_bedge(&w->su);
				lim_write_barrier_corner(&w->su, a, add, ctx);
				lim_write_barrier_corner(&w->su, a + be, add, ctx);
				lim_write_barrier_corner(&w->su, a + w->span[p], add, ctx);
				lim_write_barrier_corner(&w->su, a + w->span[p] + be, add, ctx);
			}
			if (w->nwin == 2) {
				add(ctx, a + T_PULSE);
				add(ctx, a + w->t_win - T_PULSE);
				add(ctx, a + w->t_win);
			}
			for (i = 0; i < w->su.rows; i++) {
				double t = w->width[i * pc + p];
				if (t <= 0 || (w->nwin == 2 && w->sign[i * pc + p] != (q ? -1 : 1)))
					continue;
				add(ctx, a + s0);
				add(ctx, a + s0 + T_PULSE);
				add(ctx, a + s0 + t);
				add(ctx, a + s0 + t + T_PULSE);
			}
		}
}

static double value(const lim_write_scheme *w, lim_xbar_kind kind, int idx, double t)
{
	int win = (int)floor(t / w->t_win), pc = w->su.pcols, p, q;
	double u = t - win * w->t_win;

	p = win / w->nwin;
	q = win % w->nwin;                    /* conventional: 0 potentiate, 1 depress */
	if (p >= pc)
		return 0;
	if (kind == LIM_XBAR_BARRIER)             /* barrier: LIM, the window's column */
		return w->nwin == 1 && idx == p && w->span[p] > 0 ?
		       w->v_c * lim_write_trap(u, w->span[p], lim_write_bedge(&w->su)) : 0;
	if (kind == LIM_XBAR_SENSE) {             /* columns: conventional V/2 scheme */
		int i, any = 0;
		if (w->nwin == 1 || idx != p)
			return 0;
		for (i = 0; i < w->su.rows && !any; i++)
			any = w->width[i * pc + p] > 0 && w->sign[i * pc + p] == (q ? -1 : 1);
		return any ? (q ? 0.5 : -0.5) * w->v_write *
		       lim_write_trap(u, w->t_win - T_PULSE, T_PULSE) : 0;
	}
	if (kind == LIM_XBAR_ROW && idx < w->su.rows) {
		int c = idx * pc + p;
		double wd = w->width[c];
		if (wd <= 0 || (w->nwin == 2 && w->sign[c] != (q ? -1 : 1)))
			return 0;
		return w->sign[c] * (w->nwin == 2 ? 0.5 : 1) * w->v_write *
		       lim_write_trap(u - pulse_start(w), wd, T_PULSE);
	}
	return 0;
}

/* The pulse's deterministic step from where the device stood, (w_eq - w)
** (1 - e^-kt); LIM only (the conventional rule is not compared). */
static double expected(const lim_write_scheme *w, int c, double w_start)
{
	double weq;

	if (w->nwin != 1 || w->width[c] <= 0)
		return NAN;
	weq = 1 / (1 + exp(-w->sign[c] * w->su.o->tilt_kt));
	return (weq - w_start) * w->intended[c];
}

const lim_write_ops lim_write_serial_lim = {
	"serial", open_lim, close_serial, length, plan, corners, value, expected
};

const lim_write_ops lim_write_serial_conventional = {
	"serial", open_conv, close_serial, length, plan, corners, value, expected
};
