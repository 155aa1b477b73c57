/*
** phys_device.c - the lim_synapse device of physics.md section 5.
** See LICENSE for copyright.
**
** Compiled into both the code model and the command: nothing here may
** print, allocate or keep state.
*/
#include <math.h>

#include "phys.h"

double lim_phys_kt_ev(double temp_k) { return LIM_PHYS_KB_EV_PER_K * temp_k; }
double lim_phys_kt_j(double temp_k) { return LIM_PHYS_KB_J_PER_K * temp_k; }

double lim_phys_dev_conductance(const lim_phys_dev *d, double w)
{
	return d->g_min + (d->g_max - d->g_min) * w;
}

void lim_phys_dev_rates(const lim_phys_dev *d, double temp_c, double v_ab_v,
                        double v_c_v, lim_phys_rates *r)
{
	double kt = lim_phys_kt_ev(temp_c + LIM_PHYS_ZERO_C_IN_K + d->dtemp);
	double eb = d->e_b0 - d->kappa * v_c_v;
	double deb_dvc = -d->kappa;
	double de = d->z * v_ab_v;          /* tilt dE_dev [eV] */
	double ef, er;                       /* forward and reverse barriers [eV] */
	double def_dde, der_dde, def_deb, der_deb;

	if (eb < d->e_min) {                 /* control saturates at e_min */
		eb = d->e_min;
		deb_dvc = 0;
	}
	ef = eb - d->lambda * de;
	er = eb + (1 - d->lambda) * de;
	def_dde = -d->lambda;
	der_dde = 1 - d->lambda;
	def_deb = der_deb = 1;
	if (ef < 0) {                        /* raise both: Rf = Rmax, E_r - E_f = dE */
		ef = 0;
		er = de;
		def_dde = 0;
		der_dde = 1;
		def_deb = der_deb = 0;
	} else if (er < 0) {
		er = 0;
		ef = -de;
		def_dde = -1;
		der_dde = 0;
		def_deb = der_deb = 0;
	}
	r->kt_ev = kt;
	r->e_b_ev = eb;
	/* ef, er >= 0: the exponents are <= 0 and can only underflow. */
	r->rf = d->r_max * exp(-ef / kt);
	r->rr = d->r_max * exp(-er / kt);
	r->drf_dvab = -r->rf / kt * def_dde * d->z;
	r->drr_dvab = -r->rr / kt * der_dde * d->z;
	r->drf_dvc = -r->rf / kt * def_deb * deb_dvc;
	r->drr_dvc = -r->rr / kt * der_deb * deb_dvc;
}

/* phi(x) = (1 - e^-x)/x and its derivative, without cancellation near 0. */
static void phi(double x, double *f, double *df)
{
	if (x < 1e-4) {
		*f = 1 - x / 2 + x * x / 6;
		*df = -0.5 + x / 3 - x * x / 8;
	} else {
		double em = -expm1(-x);          /* 1 - e^-x */
		*f = em / x;
		*df = (x * exp(-x) - em) / (x * x);
	}
}

void lim_phys_dev_advance(double rf, double rr, double w0, double dt_s,
                          double *w1, double *dw1_drf, double *dw1_drr)
{
	/* w1 - w0 = g dt phi(k dt) with g = dw/dt at w0: exact for any k. */
	double k = rf + rr;
	double g = rf * (1 - w0) - rr * w0;
	double f, df;

	phi(k * dt_s, &f, &df);
	*w1 = w0 + g * dt_s * f;
	*dw1_drf = dt_s * ((1 - w0) * f + g * dt_s * df);
	*dw1_drr = dt_s * (-w0 * f + g * dt_s * df);
}

double lim_phys_dev_eb_for_e0(const lim_phys_dev *d, double e0_ev, double tilt_kt,
                              double kt_ev)
{
	double a = d->lambda * tilt_kt, b = -(1 - d->lambda) * tilt_kt;
	double m = a > b ? a : b;
	/* ln[(e^a + e^b)/2] without overflow for large tilts */
	double lse = m + log((exp(a - m) + exp(b - m)) / 2);

	return e0_ev + kt_ev * lse;
}

lim_phys_status lim_phys_dev_vc_for_eb(const lim_phys_dev *d, double e_b_ev, double *v_c)
{
	if (e_b_ev > d->e_b0 || e_b_ev < d->e_min)
		return LIM_PHYS_EDOM;                /* the control cannot reach it */
	if (d->kappa <= 0)
		return e_b_ev == d->e_b0 ? (*v_c = 0, LIM_PHYS_OK) : LIM_PHYS_EDOM;
	*v_c = (d->e_b0 - e_b_ev) / d->kappa;
	return LIM_PHYS_OK;
}

double lim_phys_dev_e0_ev(const lim_phys_rates *r, double r_max)
{
	return -r->kt_ev * log((r->rf + r->rr) / 2 / r_max);
}

/* A standard normal deviate from two draws of the stream (Box-Muller). */
static double normal(uint64_t key, uint64_t counter)
{
	double u1 = lim_phys_rng_uniform(key, counter), u2 = lim_phys_rng_uniform(key, counter + 1);

	return sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
}

void lim_phys_dev_vary(lim_phys_dev *d, uint64_t key)
{
	uint64_t k = lim_phys_rng_hash(key, 0x7661727931ull);   /* apart from the hop draws */

	d->e_b0 = fmax(0, d->e_b0 * (1 + d->sigma_e_b0 * normal(k, 0)));
	d->kappa = fmax(0, d->kappa * (1 + d->sigma_kappa * normal(k, 2)));
	d->g_min = fmax(0, d->g_min * (1 + d->sigma_g_min * normal(k, 4)));
	d->g_max = fmax(d->g_min, d->g_max * (1 + d->sigma_g_max * normal(k, 6)));
	d->r_max *= fmax(1e-3, 1 + d->sigma_r_max * normal(k, 8));   /* stays > 0 */
	if (d->e_min > d->e_b0)
		d->e_min = d->e_b0;
}
