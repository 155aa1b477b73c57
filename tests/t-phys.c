/*
** t-phys.c - the physics core against physics.md: reference values,
** identities, limits and closed forms written out here, never taken from
** the code under test. See LICENSE for copyright.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "phys.h"
#include "tap.h"

#define KB_EV 8.617333262e-5
#define YEAR_S (365.25 * 86400)

static void reference_values(void)
{
	double e0;

	check(lim_phys_e0_kt(log(1e6), 1, &e0) == LIM_PHYS_OK);
	check_near(e0, 13.043574, 5e-7);
	check(lim_phys_e0_kt(log(1e3), 0.1, &e0) == LIM_PHYS_OK);
	check_near(e0, 3.911190, 5e-7);
	check_near(lim_phys_ln_tanh_half(log(1.0)), -0.771937, 5e-7);
	check_rel(lim_phys_landauer_j(1, 300), 2.870979e-21, 1e-6);
}

/* Eq. 3 computed here with tanh(), then Eq. 4 must give the barrier back. */
static void eq3_eq4_round_trip(void)
{
	static const double barriers[] = {0.01, 0.5, 3, 13, 40, 300, 1e4, 1e6};
	static const double tilts[] = {1e-9, 1e-4, 0.01, 0.3, 1, 2, 7, 30, 200};
	static const double temps[] = {233.15, 300, 398.15};
	double worst = 0;
	size_t i, j, k;

	for (i = 0; i < 8; i++)
		for (j = 0; j < 9; j++)
			for (k = 0; k < 3; k++) {
				double kt = KB_EV * temps[k];
				double e0_ev = barriers[i] * kt, de_ev = tilts[j] * kt, back;
				/* ln(Rmax/Rn) = E0/kT - ln tanh(dE/2kT) */
				double ln_ratio = e0_ev / kt - log(tanh(de_ev / (2 * kt)));
				lim_phys_e0_kt(ln_ratio, de_ev / kt, &back);
				worst = fmax(worst, fabs(back * kt - e0_ev) / fmax(e0_ev, kt));
			}
	check_near(worst, 0, 1e-10);
}

static void eq4_refuses_no_bias(void)
{
	double e0 = 42;

	check(lim_phys_e0_kt(10, 0, &e0) == LIM_PHYS_EDOM);
	check(lim_phys_e0_kt(10, -1, &e0) == LIM_PHYS_EDOM);
	check(e0 == 42);
}

static void eq3_linear_for_small_bias(void)
{
	check_rel(lim_phys_rn_over_r0(1e-6), 0.5e-6, 1e-9);
	check_rel(lim_phys_rn_over_r0(2), tanh(1), 1e-15);
}

static void huge_barrier_is_finite(void)
{
	double e0;

	check(lim_phys_e0_kt(1e6, 1, &e0) == LIM_PHYS_OK);
	check_rel(e0, 1e6 + log(tanh(0.5)), 1e-15);
	/* a learning rate so small that eps itself underflows */
	check_rel(lim_phys_ln_tanh_half(-1000), -1000 - log(2), 1e-15);
}

static void std_dev(lim_phys_dev *d) { lim_phys_dev_default(d); }

/* Rf/Rr = exp(dE/kT) for every lambda, through the clamp, at any T. */
static void detailed_balance(void)
{
	static const double lambdas[] = {0, 0.3, 0.5, 1};
	static const double vab[] = {-5, -0.9, -0.1, 0, 0.02, 0.4, 1.5, 50};
	static const double vc[] = {0, 1, 2.6, 4};
	static const double tc[] = {-40, 27, 125};
	double worst = 0, worst_rate = 0;
	size_t a, b, c, t;
	lim_phys_dev d;
	lim_phys_rates r;

	std_dev(&d);
	for (a = 0; a < 4; a++)
		for (b = 0; b < 8; b++)
			for (c = 0; c < 4; c++)
				for (t = 0; t < 3; t++) {
					double kt, want;
					d.lambda = lambdas[a];
					lim_phys_dev_rates(&d, tc[t], vab[b], vc[c], &r);
					kt = KB_EV * (tc[t] + 273.15);
					want = d.z * vab[b] / kt;
					if (r.rf > 0 && r.rr > 0)   /* both representable */
						worst = fmax(worst, fabs(log(r.rf / r.rr) - want) / fmax(1, fabs(want)));
					worst_rate = fmax(worst_rate, fmax(r.rf, r.rr) / d.r_max);
				}
	check_near(worst, 0, 1e-12);
	check(worst_rate <= 1);
}

/* (Rf - Rr)/2 = R0_eff tanh(dE/2kT): Eq. 3 holds for the device. */
static void device_obeys_eq3(void)
{
	lim_phys_dev d;
	lim_phys_rates r;
	double kt = KB_EV * 300.15;

	std_dev(&d);
	d.lambda = 0.3;
	lim_phys_dev_rates(&d, 27, 0.07, 1.8, &r);
	check_rel((r.rf - r.rr) / 2, (r.rf + r.rr) / 2 * tanh(0.07 / (2 * kt)), 1e-12);
}

/* Retention 1/(2 R0) from physics.md: 10.7 y at 27 C, 1.1 d at 85 C,
** 24 min at 125 C; 0.417 eV gives R0 near 1e6 /s. */
static void retention_times(void)
{
	lim_phys_dev d;
	lim_phys_rates r;

	std_dev(&d);
	lim_phys_dev_rates(&d, 27, 0, 0, &r);
	check_rel(1 / (2 * r.rf) / YEAR_S, 10.7, 0.01);
	lim_phys_dev_rates(&d, 85, 0, 0, &r);
	check_rel(1 / (2 * r.rf) / 86400, 1.1, 0.05);
	lim_phys_dev_rates(&d, 125, 0, 0, &r);
	check_rel(1 / (2 * r.rf) / 60, 24, 0.05);
	d.e_b0 = 0.417;
	lim_phys_dev_rates(&d, 27, 0, 0, &r);
	check_rel(r.rf, 1e6, 0.05);
}

/* A conventional memory needs a tilt near 1.77 eV to update at 1e6 /s. */
static void conventional_write_voltage(void)
{
	lim_phys_dev d;
	lim_phys_rates r;

	std_dev(&d);
	lim_phys_dev_rates(&d, 27, 1.77, 0, &r);
	check_rel(r.rf, 1e6, 0.1);
}

/* The barrier control: E_B = max(e_min, e_b0 - kappa V_c). */
static void barrier_control(void)
{
	lim_phys_dev d;
	lim_phys_rates r;

	std_dev(&d);
	d.e_min = 0.2;
	lim_phys_dev_rates(&d, 27, 0, 1.0, &r);
	check_near(r.e_b_ev, 0.8, 1e-15);
	lim_phys_dev_rates(&d, 27, 0, 10, &r);
	check_near(r.e_b_ev, 0.2, 1e-15);
	check(r.drf_dvc == 0);
}

/* w(t) = w_eq + (w0 - w_eq) exp(-k t), written here, over k dt from 1e-20
** (k = 0 limit) to 1e6 (stiff). */
static void exact_update(void)
{
	static const double kdt[] = {1e-20, 1e-9, 1e-5, 0.01, 0.5, 3, 40, 1e6};
	double rf = 3e5, rr = 1e5, k = rf + rr, weq = rf / k, w0 = 0.9, worst = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		double dt = kdt[i] / k, w1, a, b;
		lim_phys_dev_advance(rf, rr, w0, dt, &w1, &a, &b);
		/* weq + (w0 - weq) e^-kdt loses digits for tiny kdt: use expm1 */
		worst = fmax(worst, fabs(w1 - (w0 + (weq - w0) * -expm1(-kdt[i]))));
	}
	check_near(worst, 0, 1e-15);
}

/* Derivatives of the update against central differences. w1 - w0 is tiny
** at small k dt, so the step is large (1e-3) to stay clear of cancellation. */
static void update_derivatives(void)
{
	static const double kdt[] = {1e-6, 0.3, 5};
	double worst = 0;
	size_t i;

	for (i = 0; i < 3; i++) {
		double rf = 2e6, rr = 7e5, dt = kdt[i] / (rf + rr), w, a, b, p, m, x, h;
		lim_phys_dev_advance(rf, rr, 0.3, dt, &w, &a, &b);
		h = rf * 1e-3;
		lim_phys_dev_advance(rf + h, rr, 0.3, dt, &p, &x, &x);
		lim_phys_dev_advance(rf - h, rr, 0.3, dt, &m, &x, &x);
		worst = fmax(worst, fabs((p - m) / (2 * h) - a) / fabs(a));
		h = rr * 1e-3;
		lim_phys_dev_advance(rf, rr + h, 0.3, dt, &p, &x, &x);
		lim_phys_dev_advance(rf, rr - h, 0.3, dt, &m, &x, &x);
		worst = fmax(worst, fabs((p - m) / (2 * h) - b) / fabs(b));
	}
	check_near(worst, 0, 1e-5);
}

/* Rate derivatives against central differences, inside and across the clamp. */
static void rate_derivatives(void)
{
	static const double vab[] = {0.05, 0.9, -0.95};
	lim_phys_dev d;
	double worst = 0;
	size_t i;

	std_dev(&d);
	for (i = 0; i < 3; i++) {
		lim_phys_rates r, p, m;
		double h = 1e-7;
		lim_phys_dev_rates(&d, 27, vab[i], 1.0, &r);
		lim_phys_dev_rates(&d, 27, vab[i] + h, 1.0, &p);
		lim_phys_dev_rates(&d, 27, vab[i] - h, 1.0, &m);
		worst = fmax(worst, fabs((p.rf - m.rf) / (2 * h) - r.drf_dvab) / fmax(fabs(r.drf_dvab), 1e-300));
		worst = fmax(worst, fabs((p.rr - m.rr) / (2 * h) - r.drr_dvab) / fmax(fabs(r.drr_dvab), 1e-300));
		lim_phys_dev_rates(&d, 27, vab[i], 1.0 + h, &p);
		lim_phys_dev_rates(&d, 27, vab[i], 1.0 - h, &m);
		if (r.drf_dvc != 0)
			worst = fmax(worst, fabs((p.rf - m.rf) / (2 * h) - r.drf_dvc) / fabs(r.drf_dvc));
		if (r.drr_dvc != 0)
			worst = fmax(worst, fabs((p.rr - m.rr) / (2 * h) - r.drr_dvc) / fabs(r.drr_dvc));
	}
	check_near(worst, 0, 1e-5);
}

/* E0 -> E_B: for lambda = 1/2 the closed form E0 + kT ln cosh(x/2); the
** device at that barrier and tilt then has the paper's E0. */
static void e0_to_barrier(void)
{
	lim_phys_dev d;
	lim_phys_rates r;
	double kt = KB_EV * 300.15, e0 = 0.4, x = 3, eb, vc;

	std_dev(&d);
	eb = lim_phys_dev_eb_for_e0(&d, e0, x, kt);
	check_near(eb, e0 + kt * log(cosh(x / 2)), 1e-14);
	check(lim_phys_dev_vc_for_eb(&d, eb, &vc) == LIM_PHYS_OK);
	check_near(vc, (1.3 - eb) / 0.5, 1e-14);
	lim_phys_dev_rates(&d, 27, x * kt, vc, &r);
	check_near(lim_phys_dev_e0_ev(&r, d.r_max), e0, 1e-12);
	d.lambda = 0.2;
	eb = lim_phys_dev_eb_for_e0(&d, e0, x, kt);
	lim_phys_dev_vc_for_eb(&d, eb, &vc);
	lim_phys_dev_rates(&d, 27, x * kt, vc, &r);
	check_near(lim_phys_dev_e0_ev(&r, d.r_max), e0, 1e-12);
	check(lim_phys_dev_vc_for_eb(&d, 1.5, &vc) == LIM_PHYS_EDOM);   /* above e_b0 */
}

/* For eps_n = 1/n and R1 = Rmax the barrier grows as alpha ln n - ln 2. */
static void ln_n_asymptote(void)
{
	lim_phys_sched s;
	lim_phys_step st;

	lim_phys_sched_default(&s);
	lim_phys_step_at(&s, 1e12, &st);
	check_near(st.e0_kt, 0.5 * log(1e12) - log(2), 1e-9);
	lim_phys_step_at(&s, 1, &st);           /* Eq. 7 gives ln tanh(1/2) < 0 */
	check(st.clamped && st.e0_kt == 0 && st.ediss_kt == 1);
}

/* Every step of every schedule against Eq. 7 written out here. */
static void schedules_against_eq7(void)
{
	static const lim_phys_sched_kind kinds[] = {LIM_PHYS_SCHED_INVERSE, LIM_PHYS_SCHED_POWER, LIM_PHYS_SCHED_EXP};
	double worst = 0;
	size_t k;
	int n;

	for (k = 0; k < 3; k++) {
		lim_phys_sched s;
		lim_phys_sched_default(&s);
		s.kind = kinds[k];
		s.eps0 = 0.8;
		s.ln_r1_over_rmax = log(1e-7);
		for (n = 1; n <= 2000; n += 37) {
			lim_phys_step st;
			double eps = k == 0 ? 0.8 / n : k == 1 ? 0.8 * pow(n, -0.75) : 0.8 * pow(0.999, n - 1);
			double rn = 1e-7 * pow(eps, 1.5);            /* Rn/Rmax */
			double e0 = log(1 / rn * tanh(eps / 2));
			lim_phys_step_at(&s, n, &st);
			worst = fmax(worst, fabs(st.ediss_kt - (fmax(e0, 0) + eps)));
		}
	}
	check_near(worst, 0, 1e-12);
}

static void lim_b_tops_up(void)
{
	lim_phys_sched s;
	lim_phys_step st;

	lim_phys_sched_default(&s);
	s.lim = LIM_PHYS_LIM_B;
	s.floor_kt = 0.5;
	lim_phys_step_at(&s, 100, &st);
	check_near(st.e_ext_kt, 0.49, 1e-15);
	check_near(st.ediss_kt, log(pow(100, 1.5) * tanh(0.25)) + 0.5, 1e-12);
}

/* The closed-form tail against the step-by-step sum up to 1e7 steps. */
static void tail_against_direct(lim_phys_sched_kind kind, lim_phys_lim_kind lim, double floor_kt)
{
	lim_phys_sched s;
	lim_phys_sum a, b;

	lim_phys_sched_default(&s);
	s.kind = kind;
	s.gamma = 0.999999;
	s.lim = lim;
	s.floor_kt = floor_kt;
	check(lim_phys_sum_steps(&s, 1e7, &a) == LIM_PHYS_OK);
	check(lim_phys_sum_direct(&s, 1e7, &b) == LIM_PHYS_OK);
	check_rel(a.ediss_kt, b.ediss_kt, 1e-10);
	check_rel(a.e0_kt, b.e0_kt, 1e-10);
	check(a.clamped == b.clamped);
}

/* 8.89e7 J, and 8.7e8 J with N = FLOPs/D and alpha = 0.75 (physics.md). */
static void brain_scale_projection(void)
{
	lim_phys_projection_in in;
	lim_phys_projection_out out;

	lim_phys_projection_default(&in);
	check(lim_phys_projection(&in, &out) == LIM_PHYS_OK);
	check_rel(out.lim_j, 8.89e7, 1e-3);
	in.bits = 4;
	lim_phys_projection(&in, &out);
	check_rel(out.landauer_j, 1.15e8, 2e-3);
	in.bits = 32;
	lim_phys_projection(&in, &out);
	check_rel(out.landauer_j, 9.19e8, 2e-3);
	in.flops_per_update = 1;
	in.alpha = 0.75;
	lim_phys_projection(&in, &out);
	check_rel(out.lim_j, 8.7e8, 5e-3);
}

static void tail_to_1e13(void)
{
	lim_phys_sched s;
	lim_phys_sum a;

	lim_phys_sched_default(&s);
	check(lim_phys_sum_steps(&s, 1e13, &a) == LIM_PHYS_OK);
	/* the sum of alpha ln n - ln 2 grows as N (alpha ln N - alpha - ln 2) */
	check_rel(a.ediss_kt, 1e13 * (0.5 * log(1e13) - 0.5 - log(2)), 1e-6);
}

static void card_validation(void)
{
	lim_phys_dev d;
	char msg[256];

	std_dev(&d);
	check(lim_phys_dev_check(&d, msg, sizeof msg) == LIM_PHYS_OK);
	d.g_min = 2e-5;
	check(lim_phys_dev_check(&d, msg, sizeof msg) == LIM_PHYS_EDOM);
	check(strstr(msg, "g_min") && strstr(msg, "g_max"));
	std_dev(&d);
	d.lambda = 1.5;
	check(lim_phys_dev_check(&d, msg, sizeof msg) == LIM_PHYS_EDOM);
	check(strstr(msg, "lambda = 1.5") && strstr(msg, "[0, 1]"));
	std_dev(&d);
	d.n_c = 0;
	check(lim_phys_dev_check(&d, msg, sizeof msg) == LIM_PHYS_EDOM);
	check(strstr(msg, "n_c") && strstr(msg, "(0, 1e+12]"));
	std_dev(&d);
	d.r_max = -1;
	check(lim_phys_dev_check(&d, msg, sizeof msg) == LIM_PHYS_EDOM);
}

/* Binomial(n, p) by inversion: with u on a fine even grid every k must
** come out M P(k) times, to within one. The pmf is written here. */
static void binomial_exact(double n, double p)
{
	const int m = 200000;
	static int count[20001];
	double worst = 0;
	int i, k;

	memset(count, 0, sizeof count);
	for (i = 0; i < m; i++) {
		double x = lim_phys_binomial(n, p, (i + 0.5) / m);
		if (x >= 0 && x <= n && x == floor(x))
			count[(int)x]++;
	}
	for (k = 0; k <= (int)n; k++) {
		double pk = exp(lgamma(n + 1) - lgamma(k + 1.0) - lgamma(n - k + 1) + k * log(p) +
		                (n - k) * log(1 - p));
		worst = fmax(worst, fabs(count[k] - m * pk));
	}
	check_near(worst, 0, 1.0 + 1e-6 * m);
}

/* The same through the counter-based stream: 1e5 draws, mean n p and
** variance n p (1 - p) within four standard errors. */
static void binomial_moments(void)
{
	const int m = 100000;
	const double n = 1e4, p = 0.37;
	double s = 0, s2 = 0, mean, var;
	int i;

	for (i = 0; i < m; i++) {
		double x = lim_phys_binomial(n, p, lim_phys_rng_uniform(99, (uint64_t)i));
		s += x;
		s2 += x * x;
	}
	mean = s / m;
	var = s2 / m - mean * mean;
	check_near(mean, n * p, 4 * sqrt(n * p * (1 - p) / m));
	check_rel(var, n * p * (1 - p), 4 * sqrt(2.0 / m));
	check(lim_phys_binomial(0, 0.5, 0.3) == 0 && lim_phys_binomial(10, 1, 0.3) == 10 &&
	      lim_phys_binomial(10, 0, 0.9) == 0);
}

int main(void)
{
	TEST(reference_values(), "Eq. 4 and Landauer against physics.md's reference values");
	TEST(eq3_eq4_round_trip(), "Eq. 3 -> Eq. 4 round trip, barriers 0.01..1e6 kT, -40..125 C");
	TEST(eq4_refuses_no_bias(), "phys_e0_kt() refuses dE <= 0 and leaves *e0 alone");
	TEST(eq3_linear_for_small_bias(), "Eq. 3: tanh -> dE/2kT for small dE");
	TEST(huge_barrier_is_finite(), "a barrier of 1e6 kT and an underflowing eps stay finite");
	TEST(detailed_balance(), "device: Rf/Rr = exp(dE/kT) for every lambda, through the clamp");
	TEST(device_obeys_eq3(), "device: (Rf - Rr)/2 = R0_eff tanh(dE/2kT)");
	TEST(retention_times(), "device: retention 10.7 y at 27 C, 1.1 d at 85 C, 24 min at 125 C");
	TEST(conventional_write_voltage(), "device: a 1.77 V tilt updates at 1e6 /s at 1.3 eV");
	TEST(barrier_control(), "device: barrier control and the e_min clamp");
	TEST(exact_update(), "phys_dev_advance() against the closed form, k dt 1e-20..1e6");
	TEST(update_derivatives(), "phys_dev_advance() derivatives against central differences");
	TEST(rate_derivatives(), "phys_dev_rates() derivatives against central differences");
	TEST(e0_to_barrier(), "E0 -> E_B -> V_c and back through the device rates");
	TEST(ln_n_asymptote(), "inverse schedule: E0_n -> alpha ln n - ln 2; step 1 is clamped");
	TEST(schedules_against_eq7(), "phys_step_at() against Eq. 7 for the three schedules");
	TEST(lim_b_tops_up(), "LIM_B: the floor tops the tilt up and is charged");
	TEST(tail_against_direct(LIM_PHYS_SCHED_INVERSE, LIM_PHYS_LIM_A, 0), "tail = direct sum, inverse, LIM_A, 1e7 steps");
	TEST(tail_against_direct(LIM_PHYS_SCHED_POWER, LIM_PHYS_LIM_B, 1e-3), "tail = direct sum, power, LIM_B floor 1e-3, 1e7 steps");
	TEST(tail_against_direct(LIM_PHYS_SCHED_EXP, LIM_PHYS_LIM_A, 0), "tail = direct sum, exp gamma 1-1e-6, 1e7 steps");
	TEST(tail_to_1e13(), "the tail reaches 1e13 steps and follows the ln n asymptote");
	TEST(brain_scale_projection(), "brain-scale projection: 8.89e7 J, Landauer 1.15e8..9.19e8 J");
	TEST(card_validation(), "phys_dev_check() names the parameter, value and range");
	TEST(binomial_exact(20, 0.3), "phys_binomial(20, 0.3): every k M P(k) times (inversion is exact)");
	TEST(binomial_exact(7, 0.93), "phys_binomial(7, 0.93): every k M P(k) times");
	TEST(binomial_exact(10000, 0.37), "phys_binomial(1e4, 0.37): every k M P(k) times");
	TEST(binomial_moments(), "phys_binomial through the random stream: mean and variance, 1e5 draws");
	return tap_done();
}
