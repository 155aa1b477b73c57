/*
** tap.c - the TAP emitter declared in tap.h.
** See LICENSE for copyright.
**
** The counters are file-scope because a test program is one run of one
** suite; nothing outside tests/ links this file.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int count, failed, checks, failed_here;
static char name[512], todo[256];

int tap_begin(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	checks = failed_here = 0;
	todo[0] = '\0';
	fflush(stdout);
	return 1;
}

void tap_todo(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(todo, sizeof todo, fmt, ap);
	va_end(ap);
}

void tap_end(void)
{
	count++;
	if (checks == 0) {
		printf("# no check in this test\n");
		failed_here = 1;
	}
	failed += failed_here != 0 && !todo[0];   /* a TODO's failure is expected */
	printf("%sok %d - %s%s%s\n", failed_here ? "not " : "", count, name,
	       todo[0] ? " # TODO " : "", todo);
	fflush(stdout);
}

void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	printf("ok %d - %s # SKIP %s\n", ++count, name, reason);
}

void tap_skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
}

static void fail_at(const char *file, int line)
{
	failed_here = 1;
	printf("# failed at %s:%d\n", file, line);
}

int tap_check(int ok, const char *what, const char *file, int line)
{
	checks++;
	if (!ok) {
		fail_at(file, line);
		printf("#   check(%s)\n", what);
	}
	return ok;
}

int tap_near(double got, double want, double tol, int relative,
             const char *what, const char *file, int line)
{
	double err = relative ? fabs(got - want) / fabs(want) : fabs(got - want);
	int ok = err <= tol;   /* NaN fails */

	checks++;
	if (!ok) {
		fail_at(file, line);
		printf("#   %s\n#   got:      %.12g\n#   expected: %.12g\n"
		       "#   %s error %.3g > %.3g\n", what, got, want,
		       relative ? "relative" : "absolute", err, tol);
	}
	return ok;
}

int tap_int(long long a, const char *op, int ok, long long b, const char *what,
            const char *file, int line)
{
	checks++;
	if (!ok) {
		fail_at(file, line);
		printf("#   %s\n#   left: %lld, right: %lld (%s)\n", what, a, b, op);
	}
	return ok;
}

int tap_str(const char *got, const char *want, const char *what,
            const char *file, int line)
{
	int ok = got && want && strcmp(got, want) == 0;

	checks++;
	if (!ok) {
		fail_at(file, line);
		printf("#   %s\n#   got:      \"%s\"\n#   expected: \"%s\"\n", what,
		       got ? got : "(null)", want ? want : "(null)");
	}
	return ok;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int tap_done(void)
{
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
