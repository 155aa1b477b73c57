/*
** t-bound.c - the `limspice bound` command: its CSV against Eq. 7 written
** out here, its totals, and its refusal of bad input. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "tap.h"

static const char *exe;

static int bound(const char *args, char **out, char **err)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "%s bound %s", exe, args);
	return run_capture(cmd, out, err);
}

/* Eq. 7 at g^2 = 1 with R_n = R1 eps^(1+alpha), clamped at 0, plus |dE|. */
static double ediss_eq7(double eps, double alpha, double r1_over_rmax)
{
	double e0 = log(1 / (r1_over_rmax * pow(eps, 1 + alpha)) * tanh(eps / 2));
	return (e0 > 0 ? e0 : 0) + eps;
}

static void csv_rows(void)
{
	char *out, *err, *line, *save;
	int rc = bound("--csv --steps 300 --eps0 0.5 --alpha 0.3 --r1 1e6", &out, &err);
	double worst = 0;
	int rows = 0;

	check_int(rc, ==, 0);
	line = strtok_r(out, "\n", &save);
	check_str(line, "n,eps,rn_over_rmax,e0_kT,de_kT,ediss_kT");
	while ((line = strtok_r(NULL, "\n", &save))) {
		double n, eps, rn, e0, de, ed;
		if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf", &n, &eps, &rn, &e0, &de, &ed) != 6)
			break;
		rows++;
		worst = fmax(worst, fabs(ed - ediss_eq7(0.5 / n, 0.3, 1e-7)));
		worst = fmax(worst, fabs(eps - 0.5 / n) / eps);
	}
	check_int(rows, ==, 300);
	check_near(worst, 0, 1e-7);
	free(out);
	free(err);
}

static double summary_value(const char *csv, const char *metric, const char *unit)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof key, "\n%s,", metric);
	for (p = csv; (p = strstr(p, key)); p++) {
		const char *v = p + strlen(key), *u = strchr(v, ',');
		if (u && strncmp(u + 1, unit, strlen(unit)) == 0 && u[1 + strlen(unit)] == '\n')
			return atof(v);
	}
	return NAN;
}

static void summary_totals(void)
{
	char *out, *err;
	int rc = bound("--summary --steps 1000 --temp 27C --params 1e9", &out, &err);
	double sum = 0, kt_j = 1.380649e-23 * 300.15;
	int n;

	check_int(rc, ==, 0);
	check(strncmp(out, "metric,value,unit\n", 18) == 0);
	for (n = 1; n <= 1000; n++)
		sum += ediss_eq7(1.0 / n, 0.5, 1);
	check_rel(summary_value(out, "energy_per_param", "kT"), sum, 1e-8);
	check_rel(summary_value(out, "energy_per_update", "J"), sum / 1000 * kt_j, 1e-8);
	check_rel(summary_value(out, "energy_total", "J"), sum * kt_j * 1e9, 1e-8);
	check_rel(summary_value(out, "landauer_per_update", "J"), 8 * kt_j * log(2), 1e-8);
	check_near(summary_value(out, "clamped_steps", "1"), 4, 0);   /* n = 1..4: E0 < 0 */
	free(out);
	free(err);
}

static void table_and_projection(void)
{
	char *out, *err;

	check_int(bound("", &out, &err), ==, 0);
	check(strstr(out, "E_diss") != NULL && strstr(out, "Landauer") != NULL);
	free(out);
	free(err);
	check_int(bound("--projection", &out, &err), ==, 0);
	check(strstr(out, "8.89e+07") != NULL);
	check(strstr(out, "Assumption") != NULL);
	free(out);
	free(err);
}

static void help_documents_every_option(void)
{
	static const char *const opts[] = {"--schedule", "--eps0", "--p ", "--gamma",
		"--alpha", "--steps", "--rmax", "--r1", "--temp", "--params", "--bits",
		"--lim", "--floor", "--csv", "--summary", "--projection", "--plot", "--out", NULL};
	char *out, *err;
	int i, missing = 0;

	check_int(bound("--help", &out, &err), ==, 0);
	for (i = 0; opts[i]; i++)
		if (!strstr(out, opts[i])) {
			tap_diag("--help does not mention %s", opts[i]);
			missing++;
		}
	check_int(missing, ==, 0);
	free(out);
	free(err);
}

/* Each bad input: status 2, nothing on stdout, one stderr line naming it. */
static void refuses(const char *args, const char *names)
{
	char *out, *err;
	int rc = bound(args, &out, &err);

	check_int(rc, ==, 2);
	check_str(out, "");
	check(strstr(err, names) != NULL);
	check(strchr(err, '\n') == err + strlen(err) - 1);
	free(out);
	free(err);
}

static void no_partial_output(void)
{
	char path[] = "/tmp/limspice-bound-XXXXXX", target[600], cmd[700];
	char *out, *err;

	check(mkdtemp(path) != NULL);
	snprintf(target, sizeof target, "%s/table.txt", path);
	/* the plot cannot be written: the table must not appear either */
	snprintf(cmd, sizeof cmd, "--out %s --plot %s/missing/p.png", target, path);
	check_int(bound(cmd, &out, &err), ==, 1);
	check(access(target, F_OK) != 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "--out %s --plot %s/p.png", target, path);
	check_int(bound(cmd, &out, &err), ==, 0);
	check(access(target, F_OK) == 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "rm -rf %s", path);
	check(system(cmd) == 0);
}

int main(void)
{
	if (!(exe = env_or_skip("LIMSPICE")))
		return 0;
	TEST(csv_rows(), "bound --csv: every row against Eq. 7 with R1 = 1e6 Hz");
	TEST(summary_totals(), "bound --summary: totals against the sum of Eq. 7 and Landauer");
	TEST(table_and_projection(), "bound: the table, and --projection's 8.89e7 J");
	TEST(help_documents_every_option(), "bound --help documents every option");
	TEST(refuses("--bogus", "--bogus"), "bound refuses an unknown option");
	TEST(refuses("--eps0 1.5", "--eps0: 1.5"), "bound refuses eps0 outside (0, 1]");
	TEST(refuses("--eps0 0", "(0, 1]"), "bound refuses eps0 = 0");
	TEST(refuses("--rmax -3", "--rmax: -3"), "bound refuses a negative rate");
	TEST(refuses("--r1 0", "--r1: 0"), "bound refuses a zero rate");
	TEST(refuses("--steps 0", "--steps"), "bound refuses N = 0");
	TEST(refuses("--temp 300", "no unit"), "bound refuses a temperature without unit");
	TEST(refuses("--temp -300C", "absolute zero"), "bound refuses a temperature below 0 K");
	TEST(refuses("--alpha 1", "--alpha: 1"), "bound refuses alpha outside (0, 1)");
	TEST(refuses("--schedule cosine", "inverse, power, exp"), "bound refuses an unknown schedule");
	TEST(no_partial_output(), "bound --out writes nothing when the run fails");
	return tap_done();
}
