/*
** t-synapse.c - the lim_synapse code model, loaded from build/limspice.cm
** into the real libngspice. Expected values come from closed forms and an
** independent behavioural circuit written here. See LICENSE.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "session.h"
#include "tap.h"

/* The code model: an XSPICE instance and its static-variable probes. */
#define DEV_SYN "a1 %%gd(a 0) %%vd(c 0) syn"
#define PROBE(name) "@a1[" name "]"
#include "synapse_checks.h"

/* A refused card: a message naming the nodes, the parameter, the value and
** the range; err = 1; the device is open. */
static void refused(const char *card, const char *names)
{
	char text[4096];
	int rc;

	snprintf(text, sizeof text, "refused\n.model bad lim_synapse(%s)\nva a 0 0.5\n"
	         "r1 a 0 1k\nvc c 0 0\na1 %%gd(a 0) %%vd(c 0) bad\n"
	         ".save @a1[err] va#branch\n.op\n.end\n", card);
	lim_sess_reset(S);
	rc = lim_sess_load_text(S, text);
	if (rc == 0)
		rc = lim_sess_run(S);
	check_int(rc, ==, -1);
	check(strstr(lim_sess_error(S), "lim_synapse: refused") != NULL);
	check(strstr(lim_sess_error(S), "(a 0)") != NULL);
	check(strstr(lim_sess_error(S), names) != NULL);
	if (!strstr(lim_sess_error(S), names))
		tap_diag("message: %s", lim_sess_error(S));
	check_near(last("@a1[err]"), 1, 0);
	check_rel(-last("va#branch"), 0.5e-3, 1e-12);   /* only the resistor */
}

int main(void)
{
	int status;

	if (!(S = test_session(&status)))
		return status;
	TEST(closed_form(-40), "w(t), e_joule against the closed form, 0.3..1.3 eV at -40 C");
	TEST(closed_form(27), "w(t), e_joule against the closed form, 0.3..1.3 eV at 27 C");
	TEST(closed_form(85), "w(t), e_joule against the closed form, 0.3..1.3 eV at 85 C");
	TEST(closed_form(125), "w(t), e_joule against the closed form, 0.3..1.3 eV at 125 C");
	TEST(detailed_balance(), "steady state = 1/(1 + exp(-dE/kT)), -40..125 C");
	TEST(energy_of_a_pulse(), "supply energy of a pulse = e_joule + e_trans within 1 %%");
	TEST(hop_work(), "e_trans = z q n_c V dw and dominates at g_max = 1e-9 S, n_c = 1e6");
	TEST(stiff_no_ringing(), "k dt ~ 2e4: the state lands on w_eq without ringing");
	TEST(step_halving(), "halving the maximum step moves the end state < 0.5 %%");
	TEST(behavioural_twin(), "agrees with a B-source + capacitor twin within 0.5 %%");
	TEST(dc_and_ac(), "DC holds w0 (linear I-V at G(w0)); AC gives G(w0)");
	TEST(temperature(), "rates follow .temp, dc temp sweeps and dtemp (Arrhenius slope = E_B)");
	TEST(refused("g_min=2e-5", "g_min = 2e-05 S is above g_max"), "refuses g_min > g_max");
	TEST(refused("n_c=0", "n_c = 0"), "refuses n_c <= 0");
	TEST(refused("lambda=1.5", "lambda = 1.5"), "refuses lambda outside [0, 1]");
	TEST(refused("r_max=-1", "r_max = -1"), "refuses r_max <= 0");
	TEST(refused("w0=2", "w0 = 2"), "refuses w0 outside [0, 1]");
	lim_sess_close(S);
	return tap_done();
}
