/*
** t-install.c - the installed library as a designer's program sees it:
** 'make install-files' into a temporary DESTDIR, testbenches/read_disturb.c
** built there through pkg-config alone, run, and its numbers checked
** against the exact solution of physics.md section 5 computed here; the
** exports of liblimspice.so are only lim_ names the installed headers
** declare. See LICENSE.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "tap.h"

static char D[64];          /* the DESTDIR */
static char LIB[256];       /* D/usr/local/lib */
static char ENV[640];      /* what a program run from the install needs */

/* sh -c with the outer make's variables removed: a test may run under
** make -j, whose jobserver a nested make must not join. */
static int sh(const char *cmd, char **out, char **err)
{
	char *full = malloc(strlen(cmd) + 64);
	int rc;

	sprintf(full, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL %s", cmd);
	rc = run_capture(full, out, err);
	free(full);
	return rc;
}

/* sh, checked to exit 0; what it printed on stderr is shown when not. */
static int sh_ok(const char *cmd)
{
	char *out, *err;
	int rc = sh(cmd, &out, &err);

	check_int(rc, ==, 0);
	if (rc)
		printf("# %s\n", err);
	free(out);
	free(err);
	return rc;
}

static void install(const char *top, const char *build)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "make -s --no-print-directory -C '%s' LIMSPICE_DEPS=done "
	         "BUILD='%s' PREFIX=/usr/local DESTDIR='%s' install-files", top, build, D);
	sh_ok(cmd);
	snprintf(cmd, sizeof cmd, "%s/liblimspice.so.0", LIB);
	check(access(cmd, R_OK) == 0);
	snprintf(cmd, sizeof cmd, "%s/pkgconfig/limspice.pc", LIB);
	check(access(cmd, R_OK) == 0);
	snprintf(cmd, sizeof cmd, "%s/usr/local/include/limspice/limspice.h", D);
	check(access(cmd, R_OK) == 0);
	snprintf(cmd, sizeof cmd, "%s/limspice/limspice.cm", LIB);
	check(access(cmd, R_OK) == 0);
}

/* Every name the shared library exports starts with lim_ and is declared
** in an installed header; the static library defines nothing else either. */
static void exports(void)
{
	char cmd[1024], *out, *err, *headers, *line, *save;
	int n = 0, bad = 0;

	snprintf(cmd, sizeof cmd, "cat '%s'/usr/local/include/limspice/*.h", D);
	sh(cmd, &headers, &err);
	free(err);
	/* __odr_asan.NAME: AddressSanitizer's marker beside each global (check-asan) */
	snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s/liblimspice.so.0' | awk '$3 !~ "
	         "/^__odr_asan[.]/ {print $3}'", LIB);
	check_int(sh(cmd, &out, &err), ==, 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p = headers;
		size_t len = strlen(line);
		int declared = 0;

		n++;
		while ((p = strstr(p, line))) {   /* as a whole word */
			if ((p == headers || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			    !(isalnum((unsigned char)p[len]) || p[len] == '_'))
				declared = 1;
			p += len;
		}
		if (strncmp(line, "lim_", 4) != 0 || !declared) {
			printf("# exported but not a declared lim_ name: %s\n", line);
			bad++;
		}
	}
	printf("# liblimspice.so exports %d names\n", n);
	check_int(n, >=, 50);
	check_int(bad, ==, 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "nm -g --defined-only '%s/liblimspice.a' | awk 'NF == 3 "
	         "&& $3 !~ /^(lim_|__odr_asan[.]lim_)/ {print $3}'", LIB);
	check_int(sh(cmd, &out, &err), ==, 0);
	check_str(out, "");
	free(out);
	free(err);
	free(headers);
}

/* The command links the shared library and finds it installed. */
static void tool_links_library(const char *build)
{
	char cmd[1024], *out, *err;

	snprintf(cmd, sizeof cmd, "readelf -d '%s/limspice' | grep NEEDED", build);
	sh(cmd, &out, &err);
	check(strstr(out, "liblimspice.so.0") != NULL);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "env -u LD_LIBRARY_PATH '%s/usr/local/bin/limspice' --version", D);
	check_int(sh(cmd, &out, &err), ==, 0);
	check(strncmp(out, "limspice ", 9) == 0);
	free(out);
	free(err);
}

/* Builds the example with nothing but pkg-config's flags. */
static int build_example(const char *top)
{
	char cmd[2048];
	const char *san = getenv("LIMSPICE_SAN");

	snprintf(cmd, sizeof cmd, "PKG_CONFIG_PATH='%s/pkgconfig' PKG_CONFIG_SYSROOT_DIR='%s' "
	         "sh -c 'cc -std=c11 -Wall -Wextra -Werror %s \"%s/testbenches/read_disturb.c\" "
	         "$(pkg-config --cflags --libs limspice) -o \"%s/read_disturb\"'",
	         LIB, D, san ? san : "", top, D);
	return sh_ok(cmd);
}

/* physics.md section 5 with the default card (r_max 1e13 Hz, e_b0 1.3 eV,
** kappa 0.5 eV/V, z 1, lambda 1/2) at 27 C, constant bias: the exact
** w(t) = w_eq + (w0 - w_eq) exp(-k t). */
static double exact_w(double w0, double v_ab, double v_c, double t_s)
{
	const double kt_ev = 1.380649e-23 * 300.15 / 1.602176634e-19;
	double e_b = 1.3 - 0.5 * v_c, de = v_ab;
	double e_f = e_b - 0.5 * de, e_r = e_b + 0.5 * de;
	double rf = 1e13 * exp(-e_f / kt_ev), rr = 1e13 * exp(-e_r / kt_ev);
	double k = rf + rr, w_eq = rf / k;

	return w_eq + (w0 - w_eq) * exp(-k * t_s);
}

/* Runs the example; fills dw[16][16] from its CSV. */
static int run_example(const char *args, double dw[16][16], double w0[16][16])
{
	char cmd[2048], *out, *err, *line, *save;
	int rc, rows = 0;

	snprintf(cmd, sizeof cmd, "%s '%s/read_disturb' %s", ENV, D, args);
	rc = sh(cmd, &out, &err);
	check_int(rc, ==, 0);
	printf("# %s", err);
	line = strtok_r(out, "\n", &save);
	check_str(line ? line : "", "row,col,w0,w_end,dw");
	while ((line = strtok_r(NULL, "\n", &save))) {
		int i, p;
		double a, b, c;

		if (sscanf(line, "%d,%d,%lf,%lf,%lf", &i, &p, &a, &b, &c) == 5 && i >= 0 &&
		    i < 16 && p >= 0 && p < 16) {
			dw[i][p] = c;
			w0[i][p] = a;
			rows++;
		}
	}
	check_int(rows, ==, 256);
	free(out);
	free(err);
	return rc || rows != 256;
}

static void disturb(const char *top)
{
	double dw[16][16], w0[16][16], worst = 0, lo = 1, hi = -1, lo0 = 1, hi0 = -1;
	int i, p;

	if (build_example(top) != 0 || run_example("0.2 1.0 0.01 0", dw, w0) != 0)
		return;
	for (i = 0; i < 16; i++)
		for (p = 0; p < 16; p++) {
			double want = exact_w(w0[i][p], 0.2, 1.0, 0.01) - w0[i][p];
			double rel = fabs(dw[i][p] - want) / fabs(want);

			worst = rel > worst ? rel : worst;
			lo0 = dw[i][p] < lo0 ? dw[i][p] : lo0;
			hi0 = dw[i][p] > hi0 ? dw[i][p] : hi0;
		}
	printf("# no wires: dw %.6g (w0 0.2), %.6g (w0 0.8); exact %.6g, %.6g; worst |rel| %.2g\n",
	       dw[0][0], dw[0][1], exact_w(0.2, 0.2, 1.0, 0.01) - 0.2,
	       exact_w(0.8, 0.2, 1.0, 0.01) - 0.8, worst);
	check_near(worst, 0, 1e-4);
	/* With 100 ohm segments some devices see less than 0.2 V and move
	** less; none moves more than the ideal array's. */
	if (run_example("0.2 1.0 0.01 100", dw, w0) != 0)
		return;
	for (i = 0; i < 16; i++)
		for (p = 0; p < 16; p++) {
			lo = dw[i][p] < lo ? dw[i][p] : lo;
			hi = dw[i][p] > hi ? dw[i][p] : hi;
		}
	printf("# 100 ohm wires: dw from %.6g to %.6g (no wires: %.6g to %.6g)\n", lo, hi, lo0, hi0);
	check(lo < lo0 * 0.9);
	check(hi <= hi0 * (1 + 1e-6));
}

static void uninstall(const char *top, const char *build)
{
	char cmd[2048], *out, *err;

	snprintf(cmd, sizeof cmd, "make -s --no-print-directory -C '%s' LIMSPICE_DEPS=done "
	         "BUILD='%s' PREFIX=/usr/local DESTDIR='%s' uninstall", top, build, D);
	sh_ok(cmd);
	/* what is left is the example and empty folders */
	snprintf(cmd, sizeof cmd, "find '%s' ! -type d ! -name read_disturb", D);
	sh(cmd, &out, &err);
	check_str(out, "");
	free(out);
	free(err);
}

int main(void)
{
	const char *top = env_or_skip("LIMSPICE_TOP"), *build = top ? env_or_skip("LIMSPICE_BUILD") : NULL;
	char cmd[128];

	if (!build)
		return 0;
	snprintf(D, sizeof D, "/tmp/limspice-install-XXXXXX");
	if (!mkdtemp(D)) {
		printf("Bail out! mkdtemp: cannot make a temporary folder\n");
		return 1;
	}
	snprintf(LIB, sizeof LIB, "%s/usr/local/lib", D);
	snprintf(ENV, sizeof ENV, "LD_LIBRARY_PATH='%s' LIMSPICE_CM='%s/limspice/limspice.cm'", LIB,
	         LIB);
	TEST(install(top, build), "make install-files puts library, headers, .pc and .cm in DESTDIR");
	TEST(exports(), "liblimspice exports only lim_ names its installed headers declare");
	TEST(tool_links_library(build), "limspice links liblimspice.so.0 and runs installed");
	TEST(disturb(top), "read_disturb built by pkg-config: dw = exact w(t) - w0 per device");
	TEST(uninstall(top, build), "make uninstall removes every installed file");
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", D);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", D);
	return tap_done();
}
