/*
** sweep_spec.c - the SPEC file of `limspice sweep`: parsing, the points it
** spans, the command each point runs, and the checks made before any runs.
** See LICENSE for copyright.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "phys.h"
#include "sweep.h"

enum { RUN_TRAIN = 1, RUN_CHAR = 2 };

typedef enum {
	K_NUM,       /* a number: lists and plain ranges */
	K_UNIT,      /* a number with its unit (27C, 10y): ranges keep the unit */
	K_WORD,      /* a word: lists only */
	K_FILE,      /* a path, relative to SPEC's directory */
	K_LIST,      /* the verb's own comma list: [fixed] only */
	K_MEMORY     /* lim or conventional */
} key_type;

struct sweep_key {
	const char *name;
	const char *option;     /* the verb's option */
	const char *unit;       /* the results column's unit; "" none */
	unsigned runs;
	key_type type;
};

/* Every key a SPEC may name besides the lim_synapse parameters: the verbs'
** options that shape a point. Output and progress options are the sweep's. */
static const sweep_key sweep_keys[] = {
	{"data", "--data", "", RUN_TRAIN, K_FILE},
	{"card", "--card", "", RUN_TRAIN | RUN_CHAR, K_FILE},
	{"model", "--model", "", RUN_TRAIN, K_WORD},
	{"memory", NULL, "", RUN_TRAIN, K_MEMORY},
	{"rows", "--rows", "", RUN_TRAIN, K_NUM},
	{"cols", "--cols", "", RUN_TRAIN, K_NUM},
	{"r_wire", "--r-wire", "ohm", RUN_TRAIN, K_NUM},
	{"schedule", "--schedule", "", RUN_TRAIN, K_WORD},
	{"eps0", "--eps0", "", RUN_TRAIN, K_NUM},
	{"p", "--p", "", RUN_TRAIN, K_NUM},
	{"gamma", "--gamma", "", RUN_TRAIN, K_NUM},
	{"alpha", "--alpha", "", RUN_TRAIN, K_NUM},
	{"r1", "--r1", "Hz", RUN_TRAIN, K_NUM},
	{"epochs", "--epochs", "", RUN_TRAIN, K_NUM},
	{"steps", "--steps", "", RUN_TRAIN, K_NUM},
	{"eta", "--eta", "", RUN_TRAIN, K_NUM},
	{"gain", "--gain", "", RUN_TRAIN, K_NUM},
	{"tilt", "--tilt", "kT", RUN_TRAIN, K_NUM},
	{"v_read", "--v-read", "V", RUN_TRAIN, K_NUM},
	{"temp", "--temp", "", RUN_TRAIN | RUN_CHAR, K_UNIT},
	{"bits", "--bits", "bit", RUN_TRAIN, K_NUM},
	{"seed", "--seed", "", RUN_TRAIN, K_NUM},
	{"hold", "--hold", "", RUN_TRAIN, K_UNIT},
	{"hold_temp", "--hold-temp", "", RUN_TRAIN, K_UNIT},
	{"write", "--write", "", RUN_TRAIN, K_WORD},
	{"slots", "--slots", "", RUN_TRAIN, K_NUM},
	{"levels", "--levels", "", RUN_TRAIN, K_NUM},
	{"floor", "--floor", "", RUN_TRAIN, K_NUM},
	{"min_slot", "--min-slot", "s", RUN_TRAIN, K_NUM},
	{"r_barrier", "--r-barrier", "ohm", RUN_TRAIN, K_NUM},
	{"barrier_edge", "--barrier-edge", "s", RUN_TRAIN, K_NUM},
	{"c_gate", "--c-gate", "F", RUN_TRAIN, K_NUM},
	{"c_line", "--c-line", "F", RUN_TRAIN, K_NUM},
	{"temps", "--temps", "", RUN_CHAR, K_LIST},
	{"vctl", "--vctl", "", RUN_CHAR, K_LIST},
	{"vab", "--vab", "", RUN_CHAR, K_LIST},
	{"duration", "--duration", "", RUN_CHAR, K_UNIT},
	{"levels", "--levels", "", RUN_CHAR, K_NUM},
	{"count", "--count", "", RUN_CHAR, K_NUM},
	{"amplitude", "--amplitude", "V", RUN_CHAR, K_NUM},
	{"width", "--width", "s", RUN_CHAR, K_NUM},
	{NULL, NULL, NULL, 0, K_NUM}
};

static unsigned run_bit(const sweep_spec *s)
{
	return s->run == SWEEP_TRAIN ? RUN_TRAIN : RUN_CHAR;
}

static const sweep_key *find_key(const char *name, unsigned runs)
{
	const sweep_key *k;

	for (k = sweep_keys; k->name; k++)
		if (!strcmp(k->name, name) && (k->runs & runs))
			return k;
	return NULL;
}

uint64_t sweep_hash(const char *text)
{
	uint64_t h = 14695981039346656037ull;

	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 1099511628211ull;
	return h;
}

/* -- Parsing ------------------------------------------------------------------ */

typedef struct {
	const char *path;
	char *err;
	size_t n;
} ctx;

static int fail(ctx *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(ctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	int k = line ? snprintf(c->err, c->n, "%s:%d: ", c->path, line) :
	               snprintf(c->err, c->n, "%s: ", c->path);

	va_start(ap, fmt);
	if (k >= 0 && (size_t)k < c->n)
		vsnprintf(c->err + k, c->n - k, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int add_value(sweep_axis *a, const char *v)
{
	char **nv = realloc(a->values, (a->nvalues + 1) * sizeof *nv);

	if (!nv)
		return -1;
	a->values = nv;
	if (!(nv[a->nvalues] = strdup(v)))
		return -1;
	a->nvalues++;
	return 0;
}

/* A number and what follows it ("27C" -> 27, "C"); 0 or -1. */
static int number_unit(const char *s, double *v, const char **unit)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (end == s || errno || !isfinite(*v))
		return -1;
	*unit = end;
	return 0;
}

/* "start:stop:count [log|lin]" into a's values. */
static int parse_range(ctx *c, int line, sweep_axis *a, char *spec)
{
	char *f[3], *mode, *p = spec;
	const char *u0, *u1;
	double v0, v1, cnt;
	int i, count;

	for (i = 0; i < 3; i++) {
		f[i] = p;
		p = i < 2 ? strchr(p, ':') : p + strcspn(p, " \t");
		if (!p)
			return fail(c, line, "%s: a range is start:stop:count, got '%s'", a->name, spec);
		if (*p)
			*p++ = 0;
	}
	mode = trim(p);
	if (*mode && strcmp(mode, "log") && strcmp(mode, "lin"))
		return fail(c, line, "%s: '%s' after the range: expected log or lin", a->name, mode);
	a->log = !strcmp(mode, "log");
	if (number_unit(trim(f[0]), &v0, &u0) || number_unit(trim(f[1]), &v1, &u1))
		return fail(c, line, "%s: range ends '%s' and '%s' must be numbers", a->name,
		            f[0], f[1]);
	if (strcmp(u0, u1))
		return fail(c, line, "%s: range ends '%s' and '%s' have different units", a->name,
		            f[0], f[1]);
	if (*u0 && (!a->key || a->key->type != K_UNIT))
		return fail(c, line, "%s: '%s' is not a plain number", a->name, f[0]);
	if (lim_card_number(trim(f[2]), &cnt) != 0 || cnt != floor(cnt) || cnt < 0)
		return fail(c, line, "%s: range count '%s' must be a whole number", a->name, f[2]);
	if (cnt == 0)
		return fail(c, line, "%s: an empty range (count 0)", a->name);
	if (cnt > SWEEP_MAX_POINTS)
		return fail(c, line, "%s: a range of %g values, expected at most %d (a sweep's "
		            "points)", a->name, cnt, SWEEP_MAX_POINTS);
	count = (int)cnt;
	if (count == 1 && v0 != v1)
		return fail(c, line, "%s: one value from %g to %g: give count >= 2 or equal ends",
		            a->name, v0, v1);
	if (a->log && !(v0 > 0 && v1 > 0))
		return fail(c, line, "%s: a log range needs ends above 0, got %g and %g", a->name,
		            v0, v1);
	for (i = 0; i < count; i++) {
		double t = count > 1 ? (double)i / (count - 1) : 0, v;
		char buf[64];
		v = a->log ? exp(log(v0) + t * (log(v1) - log(v0))) : v0 + t * (v1 - v0);
		if (i == count - 1)
			v = v1;                 /* the end exactly as written */
		snprintf(buf, sizeof buf, "%.6g%s", v, u0);
		if (add_value(a, buf) != 0)
			return fail(c, line, "out of memory");
	}
	return 0;
}

/* "a, b, c" into a's values. */
static int parse_list(ctx *c, int line, sweep_axis *a, char *spec)
{
	char *tok, *save = NULL;

	if (spec[strlen(spec) - 1] == ',' || spec[0] == ',' || strstr(spec, ",,"))
		return fail(c, line, "%s: an empty value in the list '%s'", a->name, spec);
	for (tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (!*tok)
			return fail(c, line, "%s: an empty value in the list", a->name);
		if (add_value(a, tok) != 0)
			return fail(c, line, "out of memory");
	}
	return 0;
}

/* A path relative to SPEC's directory (the data words stay words). */
static int resolve_files(ctx *c, int line, const sweep_spec *s, sweep_axis *a)
{
	int i;

	if (!a->key || a->key->type != K_FILE)
		return 0;
	for (i = 0; i < a->nvalues; i++) {
		char *v = a->values[i], *abs;
		size_t len;
		if (v[0] == '/' || (!strcmp(a->name, "data") &&
		                    (!strcmp(v, "iris") || !strcmp(v, "synthetic"))))
			continue;
		len = strlen(s->dir) + strlen(v) + 2;
		if (!(abs = malloc(len)))
			return fail(c, line, "out of memory");
		snprintf(abs, len, "%s/%s", s->dir, v);
		free(v);
		a->values[i] = abs;
	}
	return 0;
}

/* Whether every value is a number, all with one unit when with_unit (so
** a plot can put them on an axis); the unit goes to a->unit if it has none. */
static int same_unit(sweep_axis *a, int with_unit)
{
	const char *u, *u0 = NULL;
	double x;
	int i;

	for (i = 0; i < a->nvalues; i++) {
		if (number_unit(a->values[i], &x, &u) != 0 || (*u && !with_unit) ||
		    (u0 && strcmp(u, u0)))
			return 0;
		u0 = u;
	}
	if (u0 && *u0 && !a->unit[0] && strlen(u0) < sizeof a->unit)
		strcpy(a->unit, u0);
	return 1;
}

/* One "key = value" line of [fixed] (vary 0) or [vary] (vary 1). */
static int parse_key(ctx *c, sweep_spec *s, int line, char *key, char *val, int vary)
{
	const lim_phys_param *pp = lim_phys_dev_param(key);
	const sweep_key *k = pp ? NULL : find_key(key, run_bit(s));
	sweep_axis *a;
	int i;

	if (!pp && !k) {
		const sweep_key *q;
		char known[1024];
		size_t len = 0;
		known[0] = 0;
		for (q = sweep_keys; q->name; q++)
			if (q->runs & run_bit(s))
				len += (size_t)snprintf(known + len, len < sizeof known ? sizeof known - len : 0,
				                        "%s%s", len ? ", " : "", q->name);
		return fail(c, line, "unknown key '%s': expected a lim_synapse parameter "
		            "(limspice params) or one of %s's keys: %s", key,
		            s->run == SWEEP_TRAIN ? "train" : "characterize", known);
	}
	for (i = 0; i < s->nfixed; i++)
		if (!strcmp(s->fixed[i].name, key))
			return fail(c, line, "%s is set twice (first on line %d)", key, s->fixed[i].line);
	for (i = 0; i < s->naxes; i++)
		if (!strcmp(s->axes[i].name, key))
			return fail(c, line, "%s is set twice (first on line %d)", key, s->axes[i].line);
	if (vary ? s->naxes == SWEEP_MAX_AXES : s->nfixed == SWEEP_MAX_FIXED)
		return fail(c, line, "too many %s keys (at most %d)", vary ? "[vary]" : "[fixed]",
		            vary ? SWEEP_MAX_AXES : SWEEP_MAX_FIXED);
	a = vary ? &s->axes[s->naxes++] : &s->fixed[s->nfixed++];
	memset(a, 0, sizeof *a);
	snprintf(a->name, sizeof a->name, "%s", key);
	a->key = k;
	a->is_param = pp != NULL;
	a->line = line;
	snprintf(a->unit, sizeof a->unit, "%s", pp ? (strcmp(pp->unit, "1") ? pp->unit : "") :
	                                             k->unit);
	if (!*val)
		return fail(c, line, "%s: no value", key);
	if (!vary || (k && k->type == K_LIST)) {
		if (vary)
			return fail(c, line, "%s takes a list of its own: set it in [fixed]", key);
		if (add_value(a, val) != 0)
			return fail(c, line, "out of memory");
	} else if (strchr(val, ':') && (!k || k->type == K_NUM || k->type == K_UNIT)) {
		if (parse_range(c, line, a, val) != 0)
			return -1;
	} else if (parse_list(c, line, a, val) != 0) {
		return -1;
	}
	for (i = 0; k && k->type == K_MEMORY && i < a->nvalues; i++)
		if (strcmp(a->values[i], "lim") && strcmp(a->values[i], "conventional"))
			return fail(c, line, "%s = %s: expected lim or conventional", key, a->values[i]);
	a->numeric = same_unit(a, k && k->type == K_UNIT);
	return resolve_files(c, line, s, a);
}

/* [sweep] settings. */
static int parse_setting(ctx *c, sweep_spec *s, int line, const char *key, char *val)
{
	if (!strcmp(key, "run"))
		return 0;                   /* read in the first pass */
	if (!strcmp(key, "combine")) {
		if (strcmp(val, "product") && strcmp(val, "zip"))
			return fail(c, line, "combine = %s: expected product or zip", val);
		s->zip = !strcmp(val, "zip");
		return 0;
	}
	if (!strcmp(key, "target_accuracy")) {
		double v;
		if (lim_card_number(val, &v) != 0 || !(v > 0 && v <= 1))
			return fail(c, line, "target_accuracy = %s: expected a fraction in (0, 1]", val);
		s->target_accuracy = v;
		s->target_line = line;
		return 0;
	}
	if (!strcmp(key, "min_retention_years")) {
		double v;
		if (lim_card_number(val, &v) != 0 || !(v >= 0) || !isfinite(v))
			return fail(c, line, "min_retention_years = %s: expected years >= 0", val);
		s->min_retention_years = v;
		return 0;
	}
	return fail(c, line, "unknown [sweep] setting '%s': expected run, combine, "
	            "target_accuracy or min_retention_years", key);
}

static int parse_run(ctx *c, sweep_spec *s, int line, char *val)
{
	char *bench = val + strcspn(val, " \t");

	if (*bench)
		*bench++ = 0;
	bench = trim(bench);
	if (!strcmp(val, "train") && !*bench) {
		s->run = SWEEP_TRAIN;
		return 0;
	}
	if (!strcmp(val, "characterize") && (!strcmp(bench, "rates") ||
	    !strcmp(bench, "retention") || !strcmp(bench, "pulses"))) {
		s->run = SWEEP_CHARACTERIZE;
		snprintf(s->bench, sizeof s->bench, "%s", bench);
		return 0;
	}
	return fail(c, line, "run = %s%s%s: expected train, or characterize followed by "
	            "rates, retention or pulses", val, *bench ? " " : "", bench);
}

/* The longest line read: a list of values or a path fits many times over;
** longer is a file that is not a SPEC. */
enum { MAX_LINE = 65536 };

static const char bom[] = "\xEF\xBB\xBF";   /* UTF-8 byte-order mark */

/* One pass over text (modified): pass 0 checks the lines and reads run,
** pass 1 the rest. 0 or -1 with the message in c, which may quote text:
** the caller frees it only after. */
static int parse_pass(ctx *c, sweep_spec *s, char *text, int pass)
{
	char *line, *next;
	int lineno = 0;
	enum { SEC_SWEEP, SEC_FIXED, SEC_VARY } sec = SEC_SWEEP;

	/* strtok_r would skip empty lines and lose the count: split by hand */
	for (line = text; line; line = next) {
		char *eq, *key, *val, *hash;
		size_t len;
		lineno++;
		if ((next = strchr(line, '\n')))
			*next++ = 0;
		if ((len = strlen(line)) > MAX_LINE)
			return fail(c, lineno, "a line of %zu bytes, expected at most %d", len, MAX_LINE);
		if (strstr(line, bom))
			return fail(c, lineno, "a UTF-8 byte-order mark, expected one only at the "
			            "start of the file");
		if ((hash = strchr(line, '#')))
			*hash = 0;
		line = trim(line);
		if (!*line || *line == ';')
			continue;
		if (*line == '[') {
			if (!strcmp(line, "[sweep]"))
				sec = SEC_SWEEP;
			else if (!strcmp(line, "[fixed]"))
				sec = SEC_FIXED;
			else if (!strcmp(line, "[vary]"))
				sec = SEC_VARY;
			else
				return fail(c, lineno, "unknown section %.64s: expected [sweep], [fixed] "
				            "or [vary]", line);
			continue;
		}
		if (!(eq = strchr(line, '=')))
			return fail(c, lineno, "expected key = value, got '%.64s%s'", line,
			            strlen(line) > 64 ? "..." : "");
		*eq = 0;
		key = trim(line);
		val = trim(eq + 1);
		if (!*key)
			return fail(c, lineno, "a value without a key");
		if (pass == 0) {
			if (sec == SEC_SWEEP && !strcmp(key, "run") && parse_run(c, s, lineno, val))
				return -1;
			continue;
		}
		if ((sec == SEC_SWEEP ? parse_setting(c, s, lineno, key, val) :
		     parse_key(c, s, lineno, key, val, sec == SEC_VARY)) != 0)
			return -1;
	}
	return 0;
}

/* Two passes: the first finds run (which keys exist depends on it). A
** byte-order mark that starts text is skipped: editors write one. */
static int parse_lines(ctx *c, sweep_spec *s, const char *text)
{
	int pass, rc = 0;

	if (!strncmp(text, bom, sizeof bom - 1))
		text += sizeof bom - 1;
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		char *copy = strdup(text);
		if (!copy)
			return fail(c, 0, "out of memory");
		rc = parse_pass(c, s, copy, pass);
		free(copy);
	}
	return rc;
}

static int count_points(ctx *c, sweep_spec *s)
{
	int i;
	double n = 1;

	if (s->naxes == 0)
		return fail(c, 0, "no [vary] keys: nothing to sweep");
	for (i = 0; i < s->naxes; i++) {
		if (s->zip && s->axes[i].nvalues != s->axes[0].nvalues)
			return fail(c, s->axes[i].line, "combine = zip: %s has %d values and %s %d; "
			            "zipped axes need the same number", s->axes[i].name,
			            s->axes[i].nvalues, s->axes[0].name, s->axes[0].nvalues);
		n = s->zip ? s->axes[0].nvalues : n * s->axes[i].nvalues;
		if (n > SWEEP_MAX_POINTS)       /* the axis that goes over: stop before the next */
			return fail(c, s->axes[i].line, "%s: %d values make %.0f points, expected at "
			            "most %d per sweep", s->axes[i].name,
			            s->axes[i].nvalues, n, SWEEP_MAX_POINTS);
	}
	s->npoints = (long)n;
	return 0;
}

int sweep_parse_text(const char *path, const char *text, sweep_spec *s, char *err, size_t n)
{
	ctx c = {path, err, n};
	char *real, *slash;

	memset(s, 0, sizeof *s);
	s->target_accuracy = NAN;
	s->min_retention_years = NAN;
	s->run = SWEEP_TRAIN;
	s->path = strdup(path);
	s->text = strdup(text);
	real = realpath(path, NULL);
	s->dir = real ? real : strdup(".");
	if (!s->path || !s->text || !s->dir)
		return fail(&c, 0, "out of memory");
	if ((slash = strrchr(s->dir, '/')))
		*(slash == s->dir ? slash + 1 : slash) = 0;
	s->hash = sweep_hash(text);
	if (parse_lines(&c, s, s->text) != 0 || count_points(&c, s) != 0) {
		sweep_free(s);
		return -1;
	}
	return 0;
}

/* The largest SPEC read (lines are at most MAX_LINE): past it, a file is
** refused rather than read in part. */
enum { MAX_SPEC = 16 << 20 };

int sweep_parse(const char *path, sweep_spec *s, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, *nul;
	size_t len = 0, cap = 0, got;
	int rc, bad;

	memset(s, 0, sizeof *s);
	if (!f) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	do {                            /* up to one byte more than MAX_SPEC */
		if (cap - len < 4096) {
			char *t = realloc(text, cap += 65536);
			if (!t) {
				free(text);
				fclose(f);
				snprintf(err, n, "%s: out of memory", path);
				return -1;
			}
			text = t;
		}
		got = fread(text + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0 && len <= MAX_SPEC);
	bad = ferror(f) ? (errno ? errno : EIO) : 0;   /* saved before fclose */
	fclose(f);
	text[len] = 0;
	if (bad || len > MAX_SPEC) {
		if (bad)
			snprintf(err, n, "%s: cannot read: %s", path, strerror(bad));
		else
			snprintf(err, n, "%s: more than %d bytes, expected a SPEC of at most %d MiB",
			         path, MAX_SPEC, MAX_SPEC >> 20);
		free(text);
		return -1;
	}
	if ((nul = memchr(text, 0, len))) {       /* it would end the text there */
		char *p, *bol = text;
		int line = 1;
		for (p = text; p < nul; p++)
			if (*p == '\n') {
				line++;
				bol = p + 1;
			}
		snprintf(err, n, "%s:%d: a NUL byte at column %ld, expected text", path, line,
		         (long)(nul - bol) + 1);
		free(text);
		return -1;
	}
	rc = sweep_parse_text(path, text, s, err, n);
	free(text);
	return rc;
}

static void free_axis(sweep_axis *a)
{
	int i;

	for (i = 0; i < a->nvalues; i++)
		free(a->values[i]);
	free(a->values);
}

void sweep_free(sweep_spec *s)
{
	int i;

	for (i = 0; i < s->nfixed; i++)
		free_axis(&s->fixed[i]);
	for (i = 0; i < s->naxes; i++)
		free_axis(&s->axes[i]);
	free(s->path);
	free(s->dir);
	free(s->text);
	memset(s, 0, sizeof *s);
}

/* -- Points ------------------------------------------------------------------- */

void sweep_point_index(const sweep_spec *s, long k, int *idx)
{
	long r = k - 1;
	int i;

	for (i = s->naxes - 1; i >= 0; i--) {
		if (s->zip) {
			idx[i] = (int)r;
		} else {
			idx[i] = (int)(r % s->axes[i].nvalues);
			r /= s->axes[i].nvalues;
		}
	}
}

void sweep_point_label(const sweep_spec *s, long k, char *buf, size_t n)
{
	int idx[SWEEP_MAX_AXES], i;
	size_t len = 0;

	sweep_point_index(s, k, idx);
	buf[0] = 0;
	for (i = 0; i < s->naxes && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", i ? " " : "",
		                        s->axes[i].name, s->axes[i].values[idx[i]]);
}

static int push(char **argv, int *argc, const char *a)
{
	return (argv[(*argc)++] = strdup(a)) ? 0 : -1;
}

int sweep_value_args(const sweep_axis *a, const char *v, char **argv, int *argc)
{
	char buf[4096];

	if (!a->key) {
		snprintf(buf, sizeof buf, "%s=%s", a->name, v);
		return push(argv, argc, "--param") || push(argv, argc, buf);
	}
	if (a->key->type == K_MEMORY)
		return strcmp(v, "conventional") ? 0 : push(argv, argc, "--conventional");
	return push(argv, argc, a->key->option) || push(argv, argc, v);
}

char **sweep_argv(const sweep_spec *s, long k, const char *pointdir, int *argc)
{
	int idx[SWEEP_MAX_AXES], i, bad = 0;
	char **argv = calloc(2 * (SWEEP_MAX_FIXED + SWEEP_MAX_AXES) + 16, sizeof *argv);
	char out[4096];

	if (!argv)
		return NULL;
	*argc = 0;
	sweep_point_index(s, k, idx);
	if (s->run == SWEEP_TRAIN) {
		bad |= push(argv, argc, "train");
	} else {
		bad |= push(argv, argc, "characterize");
		bad |= push(argv, argc, s->bench);
	}
	for (i = 0; i < s->nfixed; i++)
		bad |= sweep_value_args(&s->fixed[i], s->fixed[i].values[0], argv, argc);
	for (i = 0; i < s->naxes; i++)
		bad |= sweep_value_args(&s->axes[i], s->axes[i].values[idx[i]], argv, argc);
	if (pointdir) {
		bad |= push(argv, argc, "--out");
		if (s->run == SWEEP_TRAIN) {
			bad |= push(argv, argc, pointdir);
			bad |= push(argv, argc, "--no-plots");
			bad |= push(argv, argc, "--quiet");
		} else {
			snprintf(out, sizeof out, "%s/%s.csv", pointdir, s->bench);
			bad |= push(argv, argc, out);
		}
	}
	if (bad) {
		sweep_argv_free(argv);
		return NULL;
	}
	return argv;
}

void sweep_argv_free(char **argv)
{
	char **p;

	if (!argv)
		return;
	for (p = argv; *p; p++)
		free(*p);
	free(argv);
}
