/*
** cli.c - messages and option values for the limspice verbs.
** See LICENSE for copyright.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <getopt.h>
#include <limits.h>
#include <unistd.h>

#include "cli.h"

static void vsay(const char *verb, const char *fmt, va_list ap)
{
	fprintf(stderr, "limspice: ");
	if (verb)
		fprintf(stderr, "%s: ", verb);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

double cli_now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

void cli_say(const char *verb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(verb, fmt, ap);
	va_end(ap);
}

int cli_usage(const char *verb, const char *fmt, ...)
{
	va_list ap;

	/* one line: the reason, then where the options are documented */
	fprintf(stderr, "limspice: ");
	if (verb)
		fprintf(stderr, "%s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'limspice %s%s--help')\n", verb ? verb : "", verb ? " " : "");
	return CLI_USAGE;
}

/* Parses all of s as a finite double; 0 on failure. */
static int parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end != s && *end == '\0' && errno == 0 && isfinite(*v);
}

static void range_text(double lo, int lo_open, double hi, int hi_open,
                       char *buf, size_t n)
{
	if (isinf(hi))
		snprintf(buf, n, "a number %s %g", lo_open ? ">" : ">=", lo);
	else
		snprintf(buf, n, "a number in %c%g, %g%c", lo_open ? '(' : '[', lo, hi,
		         hi_open ? ')' : ']');
}

int cli_real(const char *verb, const char *opt, const char *arg, double lo,
             int lo_open, double hi, int hi_open, double *out)
{
	double v;
	char range[96];

	range_text(lo, lo_open, hi, hi_open, range, sizeof range);
	if (!parse_double(arg, &v))
		return cli_usage(verb, "%s: '%s' is not a number, expected %s", opt, arg, range);
	if ((lo_open ? !(v > lo) : v < lo) || (hi_open ? !(v < hi) : v > hi))
		return cli_usage(verb, "%s: %s is out of range, expected %s", opt, arg, range);
	*out = v;
	return CLI_OK;
}

int cli_count(const char *verb, const char *opt, const char *arg, double lo,
              double *out)
{
	double v;

	if (!parse_double(arg, &v) || v != floor(v) || v < lo || v > 1e15)
		return cli_usage(verb, "%s: '%s' is not allowed, expected a whole number "
		                 "from %g to 1e15", opt, arg, lo);
	*out = v;
	return CLI_OK;
}

int cli_temp(const char *verb, const char *opt, const char *arg, double *kelvin)
{
	size_t n = strlen(arg);
	char num[64];
	double v;
	char unit = n ? arg[n - 1] : 0;

	if (n < 2 || n >= sizeof num || (unit != 'K' && unit != 'C' && unit != 'k' &&
	                                 unit != 'c'))
		return cli_usage(verb, "%s: '%s' has no unit, expected a temperature such "
		                 "as 300K or 27C", opt, arg);
	memcpy(num, arg, n - 1);
	num[n - 1] = '\0';
	if (!parse_double(num, &v))
		return cli_usage(verb, "%s: '%s' is not a temperature, expected such as "
		                 "300K or 27C", opt, arg);
	if (unit == 'C' || unit == 'c')
		v += 273.15;
	if (!(v > 0))
		return cli_usage(verb, "%s: %s is at or below absolute zero, expected a "
		                 "temperature above 0 K", opt, arg);
	if (v > CLI_TEMP_MAX_K)
		return cli_usage(verb, "%s: %s is above %g K, the hottest temperature limspice "
		                 "simulates", opt, arg, CLI_TEMP_MAX_K);
	*kelvin = v;
	return CLI_OK;
}

/* One element of a list: a real in a range, or a temperature. */
typedef struct {
	int temp;
	double lo, hi;
	int lo_open, hi_open;
} list_elem;

/* Splits arg at single commas; each element through e. */
static int parse_list(const char *verb, const char *opt, const char *arg,
                      const list_elem *e, double *v, int max, int *n)
{
	const char *p = arg;

	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char tok[64];
		int rc;
		if (len == 0 || len >= sizeof tok)
			return cli_usage(verb, "%s: '%s' has an empty or overlong element, expected "
			                 "values separated by single commas", opt, arg);
		if (*n == max)
			return cli_usage(verb, "%s: more than %d values", opt, max);
		memcpy(tok, p, len);
		tok[len] = '\0';
		rc = e->temp ? cli_temp(verb, opt, tok, &v[*n]) :
		     cli_real(verb, opt, tok, e->lo, e->lo_open, e->hi, e->hi_open, &v[*n]);
		if (rc != CLI_OK)
			return rc;
		++*n;
		if (!p[len])
			return CLI_OK;
		p += len + 1;
	}
}

int cli_reals(const char *verb, const char *opt, const char *arg, double lo, int lo_open,
              double hi, int hi_open, double *v, int max, int *n)
{
	list_elem e = {0, lo, hi, lo_open, hi_open};

	return parse_list(verb, opt, arg, &e, v, max, n);
}

int cli_temps(const char *verb, const char *opt, const char *arg, double *kelvin, int max,
              int *n)
{
	list_elem e = {1, 0, 0, 0, 0};

	return parse_list(verb, opt, arg, &e, kelvin, max, n);
}

int cli_choice(const char *verb, const char *opt, const char *arg,
               const char *const *words, int *out)
{
	char list[256] = "";
	int i;

	for (i = 0; words[i]; i++) {
		if (strcmp(words[i], arg) == 0)
			return *out = i, CLI_OK;
		if (strlen(list) + strlen(words[i]) + 3 < sizeof list) {
			if (i)
				strcat(list, ", ");
			strcat(list, words[i]);
		}
	}
	return cli_usage(verb, "%s: '%s' is not allowed, expected one of %s", opt, arg, list);
}

int cli_finish(const char *verb, outfile *out, int rc)
{
	const char *name = out->path ? out->path : "stdout";
	char copy[1024];

	if (rc != CLI_OK) {
		outfile_abort(out);
		return rc;
	}
	snprintf(copy, sizeof copy, "%s", name);   /* commit frees the path */
	if (outfile_commit(out) != 0) {
		cli_say(verb, "%s: cannot write: %s", copy, strerror(errno));
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_finish_set(const char *verb, outset *s, int rc)
{
	char err[4200];

	if (rc != CLI_OK) {
		outset_abort(s);
		return rc;
	}
	if (outset_commit(s, err, sizeof err) != 0) {
		cli_say(verb, "%s", err);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_duration(const char *verb, const char *opt, const char *arg, double *seconds)
{
	static const struct { const char *unit; double s; } units[] = {
		{"ps", 1e-12}, {"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"min", 60},
		{"h", 3600}, {"d", 86400}, {"y", 365.25 * 86400}, {NULL, 0}
	};
	char *end;
	double v = strtod(arg, &end);
	int i;

	if (end != arg && v > 0 && isfinite(v))
		for (i = 0; units[i].unit; i++)
			if (strcmp(end, units[i].unit) == 0) {
				if (v * units[i].s > CLI_DURATION_MAX_Y * units[8].s)
					return cli_usage(verb, "%s: %s is longer than %g y, the longest "
					                 "transient limspice simulates", opt, arg,
					                 CLI_DURATION_MAX_Y);
				*seconds = v * units[i].s;
				return CLI_OK;
			}
	return cli_usage(verb, "%s: '%s' is not a duration, expected a positive number with "
	                 "a unit: s, min, h, d or y (10y, 1d, 3600s)", opt, arg);
}

int cli_bad_option(const char *verb, int c, const char *name)
{
	if (c == ':')
		return cli_usage(verb, "%s needs a value", name);
	return cli_usage(verb, "unknown option '%s'", name);
}

int cli_end_options(const char *verb, int rc, int argc, char **argv)
{
	if (rc != CLI_OK)
		return rc;
	if (optind < argc)
		return cli_usage(verb, "unexpected argument '%s'", argv[optind]);
	return CLI_OK;
}
