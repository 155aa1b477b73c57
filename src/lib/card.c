/*
** card.c - lim_synapse .model cards. See LICENSE for copyright.
*/
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "card.h"

int lim_card_number(const char *s, double *v)
{
	static const struct { const char *sfx; double scale; } sfx[] = {
		{"meg", 1e6}, {"mil", 25.4e-6}, {"f", 1e-15}, {"p", 1e-12}, {"n", 1e-9},
		{"u", 1e-6}, {"m", 1e-3}, {"k", 1e3}, {"g", 1e9}, {"t", 1e12}, {NULL, 1}
	};
	char *end;
	int i;

	errno = 0;
	*v = strtod(s, &end);
	if (end == s || errno)
		return -1;
	if (!*end)
		return 0;
	for (i = 0; sfx[i].sfx; i++)
		if (strncasecmp(end, sfx[i].sfx, strlen(sfx[i].sfx)) == 0) {
			const char *rest = end + strlen(sfx[i].sfx);
			while (isalpha((unsigned char)*rest))   /* units: 1uF, 10kohm */
				rest++;
			if (*rest)
				return -1;
			*v *= sfx[i].scale;
			return 0;
		}
	while (isalpha((unsigned char)*end))
		end++;
	return *end ? -1 : 0;
}

/* Reads "name=value" into *p and *v: 0, or -1 with the reason in err. */
static int assignment_of(const char *assignment, const lim_phys_param **p, double *v, char *err,
                         size_t n)
{
	const char *eq = strchr(assignment, '=');
	char name[64];

	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof name) {
		snprintf(err, n, "'%s': expected name=value", assignment);
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(eq - assignment), assignment);
	if (!(*p = lim_phys_dev_param(name))) {
		const lim_phys_param *near = lim_phys_dev_param_near(name);
		snprintf(err, n, "'%s' is not a %s parameter (%s%s%slimspice params lists them)",
		         name, lim_phys_synapse.model, near ? "did you mean " : "",
		         near ? near->name : "", near ? "? " : "");
		return -1;
	}
	if (lim_card_number(eq + 1, v) != 0) {
		snprintf(err, n, "%s: '%s' is not a number", name, eq + 1);
		return -1;
	}
	return 0;
}

int lim_card_set(lim_phys_dev *d, const char *assignment, char *err, size_t n)
{
	const lim_phys_param *p;
	lim_phys_dev trial = *d;
	double v;

	if (assignment_of(assignment, &p, &v, err, n) != 0)
		return -1;
	*lim_phys_dev_field(&trial, p) = v;
	if (lim_phys_dev_check(&trial, err, n) != LIM_PHYS_OK)
		return -1;
	*d = trial;
	return 0;
}

/* Appends src to the malloc'd *dst. 0 or -1. */
static int append(char **dst, const char *src)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(src);
	char *g = realloc(*dst, a + b + 2);

	if (!g)
		return -1;
	memcpy(g + a, src, b);
	g[a + b] = ' ';
	g[a + b + 1] = '\0';
	*dst = g;
	return 0;
}

/* "name = value" and "(name=value)" become "name=value" tokens. */
static void normalise(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++) {
		if (*r == '(' || *r == ')' || *r == ',')
			*r = ' ';
		if (*r == ' ' || *r == '\t') {
			char *next = r + strspn(r, " \t");
			if (*next == '=' || (w > s && w[-1] == '='))
				continue;                  /* drop blanks around '=' */
		}
		*w++ = *r;
	}
	*w = '\0';
}

/* Applies the parameters in text (after ".model NAME lim_synapse"), then
** checks the card once, so that every bad value is named, not the first. */
static int apply(lim_phys_dev *d, char *text, char *err, size_t n)
{
	char *tok, *save = NULL, why[200];
	lim_phys_dev trial = *d;
	int bad = 0;

	normalise(text);
	err[0] = '\0';
	for (tok = strtok_r(text, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const lim_phys_param *p;
		double v;
		if (assignment_of(tok, &p, &v, why, sizeof why) != 0) {
			size_t used = strlen(err);
			if (snprintf(err + used, n - used, "%s%s", bad++ ? "; " : "", why) < 0)
				return -1;
			continue;
		}
		*lim_phys_dev_field(&trial, p) = v;
	}
	if (bad)
		return -1;
	if (lim_phys_dev_check(&trial, err, n) != LIM_PHYS_OK)
		return -1;
	*d = trial;
	return 0;
}

/* Blanks out what is inside {...} and '...' (expressions ngspice evaluates
** per instance), so normalise leaves them one token: "w0={w}" -> "w0={}". */
static void hide_expressions(char *s)
{
	char *r = s, *w = s, close = 0;

	for (; *r; r++) {
		if (close) {
			if (*r == close) {
				*w++ = *r;
				close = 0;
			}
			continue;
		}
		if (*r == '{' || *r == '\'')
			close = *r == '{' ? '}' : '\'';
		*w++ = *r;
	}
	*w = '\0';
}

int lim_card_lint(const char *params, char *err, size_t n)
{
	char *text = strdup(params), *tok, *save = NULL, why[200], range[1024];
	lim_phys_dev trial;
	int bad = 0;

	if (!text) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	lim_phys_dev_default(&trial);
	hide_expressions(text);
	normalise(text);
	err[0] = '\0';
	for (tok = strtok_r(text, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const lim_phys_param *p;
		char *eq = strchr(tok, '=');
		double v;
		if (eq && (eq[1] == '{' || eq[1] == '\'')) {   /* the name only */
			*eq = '\0';
			if (lim_phys_dev_param(tok))
				continue;
			snprintf(why, sizeof why, "'%s' is not a %s parameter", tok, lim_phys_synapse.model);
			if (lim_phys_dev_param_near(tok))
				snprintf(why + strlen(why), sizeof why - strlen(why), " (did you mean %s?)",
				         lim_phys_dev_param_near(tok)->name);
		} else if (assignment_of(tok, &p, &v, why, sizeof why) == 0) {
			*lim_phys_dev_field(&trial, p) = v;
			continue;
		}
		snprintf(err + strlen(err), n - strlen(err), "%s%s", bad++ ? "; " : "", why);
	}
	free(text);
	if (lim_phys_dev_check(&trial, range, sizeof range) != LIM_PHYS_OK) {
		const char *c;
		snprintf(err + strlen(err), n - strlen(err), "%s%s", bad++ ? "; " : "", range);
		for (c = range; (c = strstr(c, "; ")); c += 2)
			bad++;
	}
	return bad;
}

/* Whether s starts with the dot keyword kw (any case) as a whole word. */
static int keyword(const char *s, const char *kw)
{
	size_t l = strlen(kw);

	return strncasecmp(s, kw, l) == 0 && (!s[l] || isspace((unsigned char)s[l]));
}

/* Whether a line may stand in a card file: blank, a comment, a .model
** card and its '+' continuations, a .lib/.endl section mark, or any line
** of a .subckt ... .ends block (a cell such as lim_cell). Anything else (an
** element, an analysis, .control) means a deck was given. *sub tracks the
** .subckt depth across lines. */
static int card_file_line(const char *line, int *sub)
{
	static const char *const ok[] = {".model", ".lib", ".endl", NULL};
	const char *s = line + strspn(line, " \t");
	int i;

	if (keyword(s, ".subckt"))
		return ++*sub, 1;
	if (keyword(s, ".ends"))
		return *sub > 0 ? (--*sub, 1) : 0;
	if (*sub > 0 || !*s || *s == '*' || *s == '$' || *s == ';' || *s == '+')
		return 1;
	for (i = 0; ok[i]; i++)
		if (keyword(s, ok[i]))
			return 1;
	return 0;
}

int lim_card_read(const char *path, const char *name, lim_phys_dev *d, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *card = NULL, why[1024];
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, card_line = 0, rc = -1, in_card = 0, done = 0, sub = 0;
	lim_phys_dev trial = *d;

	if (!f) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* The whole file is read, also past the card, so that a deck or a
	** binary given as a card is refused rather than half used. */
	while ((len = getline(&line, &cap, f)) >= 0) {
		char kw[16], mname[128], type[64];
		int used = 0;
		lineno++;
		if (memchr(line, '\0', (size_t)len)) {
			snprintf(err, n, "%s:%d: a NUL byte: expected a text file of .model cards",
			         path, lineno);
			goto out;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!card_file_line(line, &sub)) {
			snprintf(err, n, "%s:%d: '%.40s' is not part of a card: expected a card file "
			         "(.model lines, comments, .subckt cells), not a deck", path, lineno,
			         line);
			goto out;
		}
		if (in_card && line[0] == '+') {   /* continuation of the card */
			if (append(&card, line + 1) != 0)
				goto oom;
			continue;
		}
		if (in_card)
			in_card = 0, done = 1;
		/* a .model inside a cell is a template of per-instance {values} */
		if (!done && !sub && sscanf(line, "%15s %127s %63[^ (]%n", kw, mname, type, &used) == 3 &&
		    strcasecmp(kw, ".model") == 0 && strcasecmp(type, lim_phys_synapse.model) == 0 &&
		    (!name || strcasecmp(mname, name) == 0)) {
			in_card = 1;
			card_line = lineno;
			if (append(&card, line + used) != 0)
				goto oom;
		}
	}
	if (!card_line) {
		snprintf(err, n, "%s: no .model %s of type %s", path, name ? name : "card",
		         lim_phys_synapse.model);
		goto out;
	}
	if (apply(&trial, card, why, sizeof why) != 0) {
		snprintf(err, n, "%s:%d: %s", path, card_line, why);
		goto out;
	}
	*d = trial;
	rc = 0;
	goto out;
oom:
	snprintf(err, n, "%s: out of memory", path);
out:
	free(line);
	free(card);
	fclose(f);
	return rc;
}

int lim_card_build(const char *path, const char *model, const char *const *params, int nparams,
                   lim_phys_dev *d, char *err, size_t n)
{
	lim_phys_dev trial = *d;
	char why[512];
	int i;

	if (model && !path) {
		snprintf(err, n, "--model %s: names a card in a file: expected --card FILE too",
		         model);
		return -1;
	}
	if (path && lim_card_read(path, model, &trial, why, sizeof why) != 0) {
		snprintf(err, n, "--card: %s", why);
		return -1;
	}
	for (i = 0; i < nparams; i++)
		if (lim_card_set(&trial, params[i], why, sizeof why) != 0) {
			snprintf(err, n, "--param %s: %s", params[i], why);
			return -1;
		}
	*d = trial;
	return 0;
}

size_t lim_card_format(const lim_phys_dev *d, const char *name, char *buf, size_t n)
{
	const lim_phys_model *m = &lim_phys_synapse;
	size_t len, i;

	len = (size_t)snprintf(buf, n, ".model %s %s(", name, m->model);
	for (i = 0; i < m->nparams; i++)
		len += (size_t)snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0,
		                        "%s%s=%.15g", i ? " " : "", m->params[i].name,
		                        lim_phys_dev_value(d, &m->params[i]));
	len += (size_t)snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, ")");
	return len;
}
