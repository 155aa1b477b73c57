/*
** write.c - what the write schemes share: the step's barrier, pulse widths,
** ramps. See LICENSE for copyright.
*/
#include <math.h>

#include "write.h"

void write_step_barrier(const write_setup *su, long n, double *v_c, double *k,
                        double *e0_kt, double *eps)
{
	const phys_dev *card = &su->o->card;
	phys_step st;
	phys_rates r;
	double eb, v_tilt = su->o->tilt_kt * su->kt_ev / card->z;

	phys_step_at(&su->o->sched, (double)n, &st);
	eb = phys_dev_eb_for_e0(card, st.e0_kt * su->kt_ev, su->o->tilt_kt, su->kt_ev);
	if (eb < card->e_min)
		eb = card->e_min;
	if (eb > card->e_b0)
		eb = card->e_b0;
	if (phys_dev_vc_for_eb(card, eb, v_c) != PHYS_OK)
		*v_c = 0;
	phys_dev_rates(card, su->temp_c, v_tilt, *v_c, &r);
	*k = r.rf + r.rr;
	*e0_kt = st.e0_kt;
	*eps = st.eps;
}

double write_width_for(double dw, double k, double x)
{
	double half = tanh(x / 2) / 2;

	if (dw >= 0.95 * half)
		return -1;
	return -log1p(-dw / half) / k;
}

/* dw from 1/2 of a pulse of width t at voltage v over the fixed barrier. */
static double fixed_barrier_dw(const write_setup *su, double v, double t)
{
	phys_rates r;
	double x = su->card.z * v / su->kt_ev;

	phys_dev_rates(&su->card, su->temp_c, v, 0, &r);
	return tanh(x / 2) / 2 * -expm1(-(r.rf + r.rr) * t);
}

double write_fixed_barrier_voltage(const write_setup *su, double dw, double t)
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

double write_trap(double u, double w, double edge)
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
