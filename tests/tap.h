/*
** tap.h - a small TAP emitter for limspice's tests (after git's test-lib).
** See LICENSE for copyright.
**
** TEST(f(), "description") runs f; the checks inside it print
** "# failed at file:line" with both values. A test with no checks fails.
** The plan comes last; no "TAP version" line (Debian's prove rejects 14).
*/
#ifndef LIMSPICE_TAP_H
#define LIMSPICE_TAP_H

#define TEST(call, ...) \
	do { if (tap_begin(__VA_ARGS__)) { call; } tap_end(); } while (0)

#define check(cond) tap_check((cond), #cond, __FILE__, __LINE__)
#define check_near(got, want, tol) \
	tap_near((got), (want), (tol), 0, #got, __FILE__, __LINE__)
#define check_rel(got, want, rel) \
	tap_near((got), (want), (rel), 1, #got, __FILE__, __LINE__)
/* Each side evaluated once: a side is often a command to run. */
#define check_int(a, op, b) \
	do { long long a_ = (a), b_ = (b); \
	     tap_int(a_, #op, a_ op b_, b_, #a " " #op " " #b, __FILE__, __LINE__); } while (0)
#define check_str(got, want) tap_str((got), (want), #got, __FILE__, __LINE__)

int tap_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_end(void);
/* Marks the running test TODO with a reason: it still prints "not ok" when
** it fails, but does not fail the program (TAP's expected failure). */
void tap_todo(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_skip(const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tap_skip_all(const char *reason);
int tap_check(int ok, const char *what, const char *file, int line);
int tap_near(double got, double want, double tol, int relative,
             const char *what, const char *file, int line);
int tap_int(long long a, const char *op, int ok, long long b, const char *what,
            const char *file, int line);
int tap_str(const char *got, const char *want, const char *what,
            const char *file, int line);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void);   /* prints the plan; main's return value */

#endif
