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

/* The barriers at one bias after both clamps, with their slopes in the
** bias: constant between the kinks where a clamp switches. */
typedef struct {
	double eb, ef, er;            /* E_B, E_f, E_r [eV] */
	double def_dvab, der_dvab;    /* dE_f/dV_ab, dE_r/dV_ab [eV/V] */
	double def_dvc, der_dvc;      /* dE_f/dV_c, dE_r/dV_c [eV/V] */
} barriers;

static void barriers_at(const lim_phys_dev *d, double v_ab_v, double v_c_v, barriers *b)
{
	double eb = d->e_b0 - d->kappa * v_c_v;
	double deb_dvc = -d->kappa;
	double de = d->z * v_ab_v;          /* tilt dE_dev [eV] */
	double def_dde = -d->lambda, der_dde = 1 - d->lambda, def_deb = 1, der_deb = 1;

	if (eb < d->e_min) {                 /* control saturates at e_min */
		eb = d->e_min;
		deb_dvc = 0;
	}
	b->eb = eb;
	b->ef = eb - d->lambda * de;
	b->er = eb + (1 - d->lambda) * de;
	if (b->ef < 0) {                     /* raise both: Rf = Rmax, E_r - E_f = dE */
		b->ef = 0;
		b->er = de;
		def_dde = 0;
		der_dde = 1;
		def_deb = der_deb = 0;
	} else if (b->er < 0) {
		b->er = 0;
		b->ef = -de;
		def_dde = -1;
		der_dde = 0;
		def_deb = der_deb = 0;
	}
	b->def_dvab = def_dde * d->z;
	b->der_dvab = der_dde * d->z;
	b->def_dvc = def_deb * deb_dvc;
	b->der_dvc = der_deb * deb_dvc;
}

void lim_phys_dev_rates(const lim_phys_dev *d, double temp_c, double v_ab_v,
                        double v_c_v, lim_phys_rates *r)
{
	double kt = lim_phys_kt_ev(temp_c + LIM_PHYS_ZERO_C_IN_K + d->dtemp);
	barriers b;

	barriers_at(d, v_ab_v, v_c_v, &b);
	r->kt_ev = kt;
	r->e_b_ev = b.eb;
	r->ef_kt = b.ef / kt;
	r->er_kt = b.er / kt;
	/* ef, er >= 0: the exponents are <= 0 and can only underflow. */
	r->rf = d->r_max * exp(-r->ef_kt);
	r->rr = d->r_max * exp(-r->er_kt);
	r->drf_dvab = -r->rf / kt * b.def_dvab;
	r->drr_dvab = -r->rr / kt * b.der_dvab;
	r->drf_dvc = -r->rf / kt * b.def_dvc;
	r->drr_dvc = -r->rr / kt * b.der_dvc;
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

/* Over the piece [sa, sb] of a step (s = 0 at its start, 1 at its end) on
** which a barrier runs linearly from xa to xb [kT], given ea = e^-xa and
** eb = e^-xb: m0 = integral of e^-x ds and m1 = integral of s e^-x ds.
** With dx = |xb - xa|, r = e^-dx (the two ends' ratio, no exp() here):
** phi = (1 - r)/dx is the mean of e^-(x - lower x) and psi = (phi - r)/dx
** its first moment from the lower end; both by their series where the
** closed forms cancel. Nothing overflows: the factors stay in (0, 1]. */
static void piece_moments(double sa, double sb, double xa, double xb, double ea, double eb,
                          double *m0, double *m1)
{
	double len = sb - sa, dx = fabs(xb - xa), low = xa <= xb ? ea : eb, f, p;

	if (low == 0) {                      /* both rates underflow */
		*m0 = *m1 = 0;
		return;
	}
	if (dx < 1e-2) {                     /* to dx^5: the next terms are < 3e-16 */
		f = 1 - dx * (1.0 / 2 - dx * (1.0 / 6 - dx * (1.0 / 24 - dx * (1.0 / 120
		    - dx / 720))));
		p = 1.0 / 2 - dx * (1.0 / 3 - dx * (1.0 / 8 - dx * (1.0 / 30 - dx * (1.0 / 144
		    - dx / 840))));
	} else {
		double r = xa <= xb ? eb / ea : ea / eb, inv = 1 / dx;
		f = (1 - r) * inv;
		p = (f - r) * inv;
	}
	*m0 = len * low * f;
	/* from the start: psi if the rate is highest there, else phi - psi */
	*m1 = sa * *m0 + len * len * low * (xa <= xb ? p : f - p);
}

/* Adds to cut[] the fraction s in (0, 1) where g0 + (g1 - g0) s crosses 0. */
static int add_crossing(double g0, double g1, double *cut, int n)
{
	if ((g0 < 0) != (g1 < 0)) {
		double s = g0 / (g0 - g1);
		if (s > 0 && s < 1)
			cut[n++] = s;
	}
	return n;
}

static double lerp(double a, double b, double s) { return (1 - s) * a + s * b; }

void lim_phys_dev_rates_step(const lim_phys_dev *d, double temp_c, const lim_phys_rates *start,
                             double v_ab0_v, double v_c0_v, double v_ab1_v, double v_c1_v,
                             lim_phys_rates *end, lim_phys_rates *mean)
{
	double u0 = d->e_b0 - d->kappa * v_c0_v, u1 = d->e_b0 - d->kappa * v_c1_v;
	double de0 = d->z * v_ab0_v, de1 = d->z * v_ab1_v, lf = d->lambda, lr = 1 - d->lambda;
	double cut[7], xf[7], xr[7], ef[7], er[7], inv_kt, rf = 0, rr = 0;
	double rf_ab = 0, rr_ab = 0, rf_c = 0, rr_c = 0;
	int n = 0, i, j;

	lim_phys_dev_rates(d, temp_c, v_ab1_v, v_c1_v, end);
	*mean = *end;
	if (v_ab0_v == v_ab1_v && v_c0_v == v_c1_v) {   /* a flat pulse top: the point */
		mean->drf_dvab /= 2;
		mean->drr_dvab /= 2;
		mean->drf_dvc /= 2;
		mean->drr_dvc /= 2;
		return;
	}
	inv_kt = 1 / end->kt_ev;
	/* The kinks: where the e_min clamp switches, and where E_f or E_r
	** would cross zero under either branch of it (a spurious cut only
	** splits a straight piece in two). */
	cut[n++] = 0;
	n = add_crossing(u0 - d->e_min, u1 - d->e_min, cut, n);
	n = add_crossing(u0 - lf * de0, u1 - lf * de1, cut, n);
	n = add_crossing(u0 + lr * de0, u1 + lr * de1, cut, n);
	n = add_crossing(d->e_min - lf * de0, d->e_min - lf * de1, cut, n);
	n = add_crossing(d->e_min + lr * de0, d->e_min + lr * de1, cut, n);
	cut[n++] = 1;
	for (i = 2; i < n - 1; i++)          /* insertion sort of the inner cuts */
		for (j = i; j > 1 && cut[j] < cut[j - 1]; j--) {
			double t = cut[j];
			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}
	/* the barriers [kT] and e^-barrier at each cut; the ends' may be known */
	for (i = 0; i < n - 1; i++) {
		barriers b;
		if (i == 0 && start) {
			xf[0] = start->ef_kt;
			xr[0] = start->er_kt;
			ef[0] = start->rf / d->r_max;
			er[0] = start->rr / d->r_max;
			continue;
		}
		barriers_at(d, lerp(v_ab0_v, v_ab1_v, cut[i]), lerp(v_c0_v, v_c1_v, cut[i]), &b);
		xf[i] = b.ef * inv_kt;
		xr[i] = b.er * inv_kt;
		ef[i] = exp(-xf[i]);
		er[i] = exp(-xr[i]);
	}
	xf[n - 1] = end->ef_kt;
	xr[n - 1] = end->er_kt;
	ef[n - 1] = end->rf / d->r_max;
	er[n - 1] = end->rr / d->r_max;
	for (i = 0; i + 1 < n; i++) {
		double sm = (cut[i] + cut[i + 1]) / 2, mf0, mf1, mr0, mr1;
		barriers m;                      /* the piece's slopes, from its middle */

		barriers_at(d, lerp(v_ab0_v, v_ab1_v, sm), lerp(v_c0_v, v_c1_v, sm), &m);
		piece_moments(cut[i], cut[i + 1], xf[i], xf[i + 1], ef[i], ef[i + 1], &mf0, &mf1);
		piece_moments(cut[i], cut[i + 1], xr[i], xr[i + 1], er[i], er[i + 1], &mr0, &mr1);
		rf += mf0;
		rr += mr0;
		/* the bias at s moves by s times the end's: d/dV1 weighs by s */
		rf_ab -= m.def_dvab * inv_kt * mf1;
		rr_ab -= m.der_dvab * inv_kt * mr1;
		rf_c -= m.def_dvc * inv_kt * mf1;
		rr_c -= m.der_dvc * inv_kt * mr1;
	}
	mean->rf = d->r_max * rf;
	mean->rr = d->r_max * rr;
	mean->drf_dvab = d->r_max * rf_ab;
	mean->drr_dvab = d->r_max * rr_ab;
	mean->drf_dvc = d->r_max * rf_c;
	mean->drr_dvc = d->r_max * rr_c;
}

double lim_phys_dev_step_max(double bend_kt_per_s2, double k_per_s, double dist,
                             double rel_err, double dw_floor)
{
	double h_rel, h_abs;

	if (!(bend_kt_per_s2 > 0))
		return HUGE_VAL;
	h_rel = sqrt(12 * rel_err / bend_kt_per_s2);
	if (!(k_per_s > 0 && dist > 0))
		return HUGE_VAL;                 /* the state does not move */
	/* error of a step of h: bend h^2 / 12 of min(k h, 1) |w_eq - w| */
	h_abs = cbrt(12 * rel_err * dw_floor / (bend_kt_per_s2 * k_per_s * dist));
	if (k_per_s * h_abs > 1)
		h_abs = sqrt(12 * rel_err * dw_floor / (bend_kt_per_s2 * dist));
	return fmax(h_rel, h_abs);
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
