/*
** write.c - what the write schemes share: the step's barrier, pulse widths,
** ramps. See LICENSE for copyright.
*/
#include <math.h>

#include "write.h"

void lim_write_step_barrier(const lim_write_setup *su, long n, double *v_c, double *k,
                            double *e0_kt, double *eps)
{
	const lim_phys_dev *card = &su->o->card;
	lim_phys_step st;
	lim_phys_rates r;
	double eb, v_tilt = su->o->tilt_kt * su->kt_ev / card->z;

	lim_phys_step_at(&su->o->sched, (double)n, &st);
	eb = lim_phys_dev_eb_for_e0(card, st.e0_kt * su->kt_ev, su->o->tilt_kt, su->kt_ev);
	if (eb < card->e_min)
		eb = card->e_min;
	if (eb > card->e_b0)
		eb = card->e_b0;
	if (lim_phys_dev_vc_for_eb(card, eb, v_c) != LIM_PHYS_OK)
		*v_c = 0;
	lim_phys_dev_rates(card, su->temp_c, v_tilt, *v_c, &r);
	*k = r.rf + r.rr;
	*e0_kt = st.e0_kt;
	*eps = st.eps;
}

double lim_write_width_for(double dw, double k, double x)
{
	double half = tanh(x / 2) / 2;

	if (dw >= 0.95 * half)
		return -1;
	return -log1p(-dw / half) / k;
}

/* dw from 1/2 of a pulse of width t at voltage v over the fixed barrier. */
static double fixed_barrier_dw(const lim_write_setup *su, double v, double t)
{
	lim_phys_rates r;
	double x = su->card.z * v / su->kt_ev;

	lim_phys_dev_rates(&su->card, su->temp_c, v, 0, &r);
	return tanh(x / 2) / 2 * -expm1(-(r.rf + r.rr) * t);
}

double lim_write_fixed_barrier_voltage(const lim_write_setup *su, double dw, double t)
{
	double lo = 0, hi = 10 / su->card.z;
	int i;

	if (fixed_barrier_dw(su, hi, t) < dw)
		return hi;
	for (i = 0; i < 80; i++) {
		double mid = (lo + hi) / 2;
		if (fixed_barrier_dw(su, mid, t) < dw)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

double lim_write_bedge(const lim_write_setup *su)
{
	return su->o->barrier_edge_s > 0 ? su->o->barrier_edge_s : T_BEDGE;
}

void lim_write_barrier_corner(const lim_write_setup *su, double t,
                              void (*add)(void *ctx, double t), void *ctx)
{
	const lim_train_opts *o = su->o;
	/* the engine gives every column its own line: rows cells each */
	double rc = o->r_barrier_ohm * su->rows * (o->c_gate_f + o->c_line_f);

	add(ctx, t);
	if (rc > 0 && lim_write_bedge(su) > 10 * rc)
		add(ctx, t + 3 * rc);
}

double lim_write_trap(double u, double w, double edge)
{
	if (u <= 0 || w <= 0)
		return 0;
	if (u < edge)
		return u / edge;
	if (u < w)
		return 1;
	if (u < w + edge)
		return 1 - (u - w) / edge;
	return 0;
}
