/*
** t-fuzz.c - the readers against hostile files: every case the fuzzer kept
** (tests/fuzz/cases/READER/) and files made here from each reader's sample
** (empty, a BOM, CRLF, the first line only, a NUL byte, a 1 MB line). Each
** goes through the fuzzer's own reader calls (fuzz/readers.c) in a child
** process, and must come back with a status: 0, or -1 with a reason (not
** "out of memory": no file here is big enough). A crash, a sanitizer's
** report (make check-asan: leaks too) or a hang fails.
** See LICENSE.
*/
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz/readers.h"
#include "run.h"
#include "tap.h"

enum { CASE_SECONDS = 20, MAX_KNOWN = 256, LONG_LINE = 1 << 20 };

/* tests/fuzz/known-failing: cases a branch is still fixing. */
typedef struct {
	char name[MAX_KNOWN][128], branch[MAX_KNOWN][64];
	int n;
} known_list;

static void read_known(const char *top, known_list *k)
{
	char path[4096], line[512];
	FILE *f;

	k->n = 0;
	snprintf(path, sizeof path, "%s/tests/fuzz/known-failing", top);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f) && k->n < MAX_KNOWN)
		if (line[0] != '#' &&
		    sscanf(line, "%127s %63s", k->name[k->n], k->branch[k->n]) == 2)
			k->n++;
	fclose(f);
}

static const char *known_branch(const known_list *k, const char *reader, const char *name)
{
	size_t rl = strlen(reader);
	int i;

	for (i = 0; i < k->n; i++)           /* "READER/NAME" */
		if (!strncmp(k->name[i], reader, rl) && k->name[i][rl] == '/' &&
		    !strcmp(k->name[i] + rl + 1, name))
			return k->branch[i];
	return NULL;
}

/* Marks the running test TODO when the list names a branch ("-": none yet). */
static void todo_if_known(const char *branch)
{
	if (branch && strcmp(branch, "-"))
		tap_todo("known failure, fixed in branch %s", branch);
	else if (branch)
		tap_todo("known failure, no branch fixes it yet");
}

/* -- One case in a child ------------------------------------------------------ */

/* The child: "t-fuzz --one READER PATH" prints the reader's status and
** reason on one line and exits, so LeakSanitizer checks at exit. */
static int one(const char *reader, const char *path)
{
	const fuzz_reader *r = fuzz_reader_find(reader);
	char err[1024] = "";
	int rc;

	if (!r) {
		fprintf(stderr, "t-fuzz: no reader '%s'\n", reader);
		return 3;
	}
	alarm(CASE_SECONDS);                 /* a hang dies of SIGALRM */
	rc = r->read(path, err, sizeof err);
	printf("t-fuzz-status: %d %s\n", rc, err);
	fflush(stdout);                      /* before a leak report ends the process */
	return 0;
}

/* Runs reader on path in a child (re-executing this program with --one)
** and checks what came back; want_ok: the reader must accept the file. */
static void check_case(const char *reader, const char *path, int want_ok)
{
	char out[] = "/tmp/t-fuzz-out-XXXXXX", *text, *st;
	int fd = mkstemp(out), wst = 0, rc = 0;
	pid_t pid;

	if (!check(fd >= 0))
		return;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execl("/proc/self/exe", "t-fuzz", "--one", reader, path, (char *)NULL);
		_exit(127);
	}
	close(fd);
	check(pid > 0 && waitpid(pid, &wst, 0) == pid);
	text = slurp(out);
	unlink(out);
	st = text ? strstr(text, "t-fuzz-status: ") : NULL;
	if (!check(WIFEXITED(wst) && WEXITSTATUS(wst) == 0 && st)) {
		if (WIFSIGNALED(wst))
			tap_diag("killed by signal %d (%s)", WTERMSIG(wst), strsignal(WTERMSIG(wst)));
		else
			tap_diag("exit status %d", WEXITSTATUS(wst));
	} else {
		char *msg = st + strlen("t-fuzz-status: "), *nl;
		rc = (int)strtol(msg, &msg, 10);
		msg += *msg == ' ';
		if ((nl = strchr(msg, '\n')))
			*nl = '\0';
		if (want_ok)
			check_int(rc, ==, 0);
		else
			check(rc == 0 || rc == -1);   /* FUZZ_BROKEN: a contract broken */
		if (rc == -1) {                  /* a refusal says why, and truly: */
			check(*msg != '\0');      /* no file here is big enough to */
			check(!strstr(msg, "out of memory"));   /* exhaust memory */
		}
		if (rc != 0)
			tap_diag("status %d: %s", rc, msg);
	}
	if (text && (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0)) {
		char *p = text, *nl;             /* the report's first lines */
		int i;
		for (i = 0; i < 12 && p && *p; i++, p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			tap_diag("| %.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
		}
	}
	free(text);
}

/* -- Hostile files made from a sample --------------------------------------- */

static const char *const hostile[] = {
	"+empty", "+bom", "+crlf", "+header-only", "+nul-after-line-2", "+long-line", NULL
};

/* The end of line k (0-based) of s: just past its '\n', or the end. */
static size_t after_line(const char *s, int k)
{
	const char *p = s;

	while (k-- >= 0 && *p) {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	return (size_t)(p - s);
}

/* The file kind makes of sample, malloc'd, with its length in *len. */
static char *make_hostile(const char *sample, const char *kind, size_t *len)
{
	size_t n = strlen(sample), l1 = after_line(sample, 0), l2 = after_line(sample, 1), i;
	char *b = malloc(2 * n + LONG_LINE + 16), *w = b;

	if (!b)
		return NULL;
	if (!strcmp(kind, "+bom")) {
		memcpy(w, "\xEF\xBB\xBF", 3);
		memcpy(w + 3, sample, n);
		w += 3 + n;
	} else if (!strcmp(kind, "+crlf")) {
		for (i = 0; i < n; i++) {
			if (sample[i] == '\n')
				*w++ = '\r';
			*w++ = sample[i];
		}
	} else if (!strcmp(kind, "+header-only")) {
		memcpy(w, sample, l1);
		w += l1;
	} else if (!strcmp(kind, "+nul-after-line-2")) {
		memcpy(w, sample, l2);
		w[l2] = '\0';
		memcpy(w + l2 + 1, sample + l2, n - l2);
		w += n + 1;
	} else if (!strcmp(kind, "+long-line")) {   /* line 2 over and over, 1 MB long */
		size_t unit = l2 - l1 - (l2 > l1 && sample[l2 - 1] == '\n');
		memcpy(w, sample, l1);
		w += l1;
		for (i = 0; i < LONG_LINE; i++)
			*w++ = unit ? sample[l1 + i % unit] : 'x';
		*w++ = '\n';
		memcpy(w, sample + l2, n - l2);
		w += n - l2;
	}
	*len = (size_t)(w - b);
	return b;
}

/* Writes len bytes to a new temporary file; its path in path. 0 or -1. */
static int write_temp(char *path, const char *b, size_t len)
{
	int fd = mkstemp(path);
	ssize_t put = fd >= 0 ? write(fd, b, len) : -1;

	if (fd >= 0)
		close(fd);
	return put == (ssize_t)len ? 0 : -1;
}

/* The reader's sample: the first tests/fuzz/seeds/READER/sample.* file. */
static char *find_sample(const char *top, const char *reader, char *path, size_t n)
{
	char dir[4096];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/tests/fuzz/seeds/%s", top, reader);
	if (!(d = opendir(dir)))
		return NULL;
	*path = '\0';
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "sample.", 7) && !*path)
			snprintf(path, n, "%s/%s", dir, e->d_name);
	closedir(d);
	return *path ? path : NULL;
}

static void test_reader(const char *top, const fuzz_reader *r, const known_list *k)
{
	char dir[4096], path[4096 + 256], *sample;
	struct dirent **list;
	int i, nlist;

	if (find_sample(top, r->name, path, sizeof path) && (sample = slurp(path))) {
		TEST(check_case(r->name, path, 1), "%s accepts its sample %s", r->calls,
		     strstr(path, "tests/fuzz/"));
		for (i = 0; hostile[i]; i++) {
			char tmp[] = "/tmp/t-fuzz-case-XXXXXX";
			const char *branch = known_branch(k, r->name, hostile[i]);
			size_t len;
			char *b = make_hostile(sample, hostile[i], &len);
			int made = b && write_temp(tmp, b, len) == 0;
			free(b);
			if (tap_begin("%s on its sample made hostile: %s/%s", r->calls, r->name,
			              hostile[i])) {
				todo_if_known(branch);
				if (check(made))
					check_case(r->name, tmp, 0);
			}
			tap_end();
			unlink(tmp);
		}
		free(sample);
	} else {
		tap_skip("no tests/fuzz/seeds/READER/sample.*", "%s: hostile files", r->calls);
	}
	snprintf(dir, sizeof dir, "%s/tests/fuzz/cases/%s", top, r->name);
	if ((nlist = scandir(dir, &list, NULL, alphasort)) < 0)
		return;                          /* no case kept yet */
	for (i = 0; i < nlist; i++) {
		const char *name = list[i]->d_name, *branch = known_branch(k, r->name, name);
		if (name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir, name);
			if (tap_begin("%s on tests/fuzz/cases/%s/%s", r->calls, r->name, name)) {
				todo_if_known(branch);
				check_case(r->name, path, 0);
			}
			tap_end();
		}
		free(list[i]);
	}
	free(list);
}

int main(int argc, char **argv)
{
	const char *top, *asan = getenv("ASAN_OPTIONS");
	char opts[1024];
	known_list k;
	const fuzz_reader *r;

	if (argc == 4 && !strcmp(argv[1], "--one"))
		return one(argv[2], argv[3]);
	if (!(top = env_or_skip("LIMSPICE_TOP")))
		return 0;
	/* make check-asan turns leak checks off for ngspice; a reader has none */
	snprintf(opts, sizeof opts, "%s%sdetect_leaks=1", asan ? asan : "", asan ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
	read_known(top, &k);
	for (r = fuzz_readers; r->name; r++)
		test_reader(top, r, &k);
	return tap_done();
}
