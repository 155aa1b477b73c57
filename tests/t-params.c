/*
** t-params.c - models/lim_synapse/ifspec.ifs repeats the physics core's
** parameter table (cmpp needs it there): names, defaults and units must
** agree, so a default changed in one place fails here. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "phys.h"
#include "run.h"
#include "tap.h"

#define MAXP 64

typedef struct { char name[32]; char desc[160]; double def; } ifs_param;

/* Splits the value part of "Key: a b c" into tokens; quoted strings count
** as one token. Returns how many. */
static int tokens(const char *line, char out[][160], int max)
{
	const char *p = strchr(line, ':');
	int n = 0;

	if (!p)
		return 0;
	for (p++; *p && n < max;) {
		size_t len = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		if (*p == '"') {
			const char *e = strchr(p + 1, '"');
			if (!e)
				break;
			len = (size_t)(e - p - 1);
			snprintf(out[n++], 160, "%.*s", (int)len, p + 1);
			p = e + 1;
		} else {
			while (p[len] && p[len] != ' ' && p[len] != '\t' && p[len] != '\n')
				len++;
			snprintf(out[n++], 160, "%.*s", (int)len, p);
			p += len;
		}
	}
	return n;
}

static void copy(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int read_ifs(const char *path, ifs_param *ps)
{
	char *text = slurp(path), *line, *save = NULL, tok[8][160];
	int n = 0, first = 0, k, i, in_params = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "_TABLE:"))   /* only PARAMETER_TABLEs hold parameters */
			in_params = strncmp(line, "PARAMETER_TABLE:", 16) == 0;
		if (!in_params)
			continue;
		if (strncmp(line, "Parameter_Name:", 15) == 0) {
			first = n;
			k = tokens(line, tok, 8);
			for (i = 0; i < k && n < MAXP; i++)
				copy(ps[n++].name, sizeof ps[0].name, tok[i]);
		} else if (strncmp(line, "Description:", 12) == 0 && n > first) {
			k = tokens(line, tok, 8);
			for (i = 0; i < k && first + i < n; i++)
				copy(ps[first + i].desc, sizeof ps[0].desc, tok[i]);
		} else if (strncmp(line, "Default_Value:", 14) == 0) {
			k = tokens(line, tok, 8);
			for (i = 0; i < k && first + i < n; i++)
				ps[first + i].def = atof(tok[i]);
		}
	}
	free(text);
	return n;
}

static void agree(const char *path)
{
	ifs_param ps[MAXP];
	int n = read_ifs(path, ps), i, bad = 0;
	size_t j;

	check_int(n, ==, (int)lim_phys_dev_nparams);
	for (j = 0; j < lim_phys_dev_nparams; j++) {
		const lim_phys_param *p = &lim_phys_dev_params[j];
		char unit[40];
		snprintf(unit, sizeof unit, "[%s]", p->unit);
		for (i = 0; i < n && strcmp(ps[i].name, p->name) != 0; i++)
			;
		if (i == n) {
			tap_diag("%s is missing from %s", p->name, path);
			bad++;
		} else if (ps[i].def != p->def) {
			tap_diag("%s: default %g in ifspec.ifs, %g in the table", p->name, ps[i].def, p->def);
			bad++;
		} else if (!strstr(ps[i].desc, unit)) {
			tap_diag("%s: description \"%s\" lacks the unit %s", p->name, ps[i].desc, unit);
			bad++;
		}
	}
	check_int(bad, ==, 0);
}

/* README carries `limspice params` verbatim. */
static void readme_table(const char *top, const char *exe)
{
	char path[1024], cmd[1024], *readme, *out, *err;

	snprintf(path, sizeof path, "%s/README.md", top);
	snprintf(cmd, sizeof cmd, "%s params", exe);
	readme = slurp(path);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	check(readme && out && strstr(readme, out) != NULL);
	free(readme);
	free(out);
	free(err);
}

/* The lim_cell line of models/lim_synapse.lib, '+' lines joined. */
static char *cell_text(const char *lib)
{
	char *text = slurp(lib), *start, *end, *w, *r;

	if (!text || !(start = strstr(text, ".subckt lim_cell")))
		return free(text), NULL;
	end = strstr(start, ".ends");
	*(end ? end : start + strlen(start)) = '\0';
	for (r = w = start; *r; r++) {   /* "\n+" joins a continuation */
		if (r[0] == '\n' && r[1] == '+') {
			*w++ = ' ';
			r++;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	memmove(text, start, strlen(start) + 1);
	return text;
}

/* lim_cell's params: every parameter of the table at its default, and its
** inner card passes each one on as name={name}. */
static void cell_agrees(const char *lib)
{
	char *text = cell_text(lib), *params, pass[80], want[80];
	size_t j;
	int bad = 0;

	check(text != NULL);
	if (!text)
		return;
	params = strstr(text, "params:");
	check(params != NULL);
	for (j = 0; params && j < lim_phys_dev_nparams; j++) {
		const lim_phys_param *p = &lim_phys_dev_params[j];
		const char *at;
		snprintf(want, sizeof want, " %s=", p->name);
		snprintf(pass, sizeof pass, "%s={%s}", p->name, p->name);
		at = strstr(params, want);
		if (!at || strtod(at + strlen(want), NULL) != p->def || !strstr(params, pass)) {
			tap_diag("lim_cell: %s missing, not at its default %g, or not passed on",
			         p->name, p->def);
			bad++;
		}
	}
	check_int(bad, ==, 0);
	free(text);
}

/* Two instances of lim_cell with their own w0 and g_max: at the operating
** point each conducts G(w0) V, G = g_min + (g_max - g_min) w0. */
static void cell_per_instance(const char *top, const char *cm)
{
	char path[] = "/tmp/limspice-cell-XXXXXX", cmd[1024], *out, *err, *p;
	double i1 = NAN, i2 = NAN;
	FILE *f = fdopen(mkstemp(path), "w");

	fprintf(f, "lim_cell\n.include %s/models/lim_synapse.lib\nva r 0 0.1\nvc ctl 0 0\n"
	        "x1 r c1 ctl 0 lim_cell w0=0.3\nx2 r c2 ctl 0 lim_cell w0=0.8 g_max=2e-5\n"
	        "vs1 c1 0 0\nvs2 c2 0 0\n.control\npre_codemodel %s\nop\n"
	        "print i(vs1) i(vs2)\nquit 0\n.endc\n.end\n", top, cm);
	fclose(f);
	snprintf(cmd, sizeof cmd, "ngspice -b %s", path);
	check_int(run_capture(cmd, &out, &err), ==, 0);
	if ((p = strstr(out, "i(vs1) = ")))
		i1 = strtod(p + 9, NULL);
	if ((p = strstr(out, "i(vs2) = ")))
		i2 = strtod(p + 9, NULL);
	check_rel(i1, (1e-6 + (1e-5 - 1e-6) * 0.3) * 0.1, 1e-9);
	check_rel(i2, (1e-6 + (2e-5 - 1e-6) * 0.8) * 0.1, 1e-9);
	free(out);
	free(err);
	unlink(path);
}

int main(void)
{
	const char *top = env_or_skip("LIMSPICE_TOP");
	char path[1024];

	if (!top)
		return 0;
	snprintf(path, sizeof path, "%s/models/lim_synapse/ifspec.ifs", top);
	TEST(agree(path), "ifspec.ifs: every parameter of the table, same default, unit in the description");
	if (getenv("LIMSPICE"))
		TEST(readme_table(top, getenv("LIMSPICE")), "README.md carries `limspice params` verbatim");
	snprintf(path, sizeof path, "%s/models/lim_synapse.lib", top);
	TEST(cell_agrees(path), "lim_cell: every parameter of the table at its default, passed on");
	if (getenv("LIMSPICE_CM_PLAIN"))
		TEST(cell_per_instance(top, getenv("LIMSPICE_CM_PLAIN")),
		     "lim_cell: each instance its own w0 and g_max: I = G(w0) V at the operating point");
	return tap_done();
}
