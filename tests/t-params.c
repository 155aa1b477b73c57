/*
** t-params.c - models/lim_synapse/ifspec.ifs repeats the physics core's
** parameter table (cmpp needs it there): names, defaults and units must
** agree, so a default changed in one place fails here. See LICENSE.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return tap_done();
}
