/*
** session.c - the one owner of libngspice (see session.h).
** See LICENSE for copyright.
**
** Traps handled here, from ../shared/notes/ngspice-xspice.md: init exactly
** once, never "quit"; return codes do not report errors, so the stderr
** lines are read; ngGet_Vec_Info's struct is overwritten by the next call,
** so data are copied at once; remcirc + destroy all after every run keep
** memory flat; circuit lines are heap copies because ngspice rewrites them.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ngspice/sharedspice.h>

#include "buildinfo.h"
#include "phys.h"
#include "session.h"

#define LOG_MAX   (256 * 1024)   /* captured output kept per run */
#define ERR_MAX   2048

struct lim_session {
	int open;
	int exited;            /* ngspice asked to exit: the library is unusable */
	char refused[ERR_MAX]; /* why the open failed: every later open fails so */
	char cm[PATH_MAX];
	char *log;             /* everything printed since the last load */
	size_t log_len;
	char err[ERR_MAX];     /* the error of the last call */
	int error_seen;        /* an error line arrived during the current call */
	int context;           /* lines still to keep after an error line */
	lim_sess_source_fn source; /* EXTERNAL source values, or NULL */
	lim_sess_data_fn data;     /* each accepted time point, or NULL */
	void *hook_ctx;
	const char **names;    /* the data hook's view of one point */
	double *values;
	int nvalues;
};

/* libngspice is a process-wide singleton whose callbacks reach us only
** through the user pointer given to its one init; the session is the same
** singleton on our side. */
static lim_session the_session;

static void log_append(lim_session *s, const char *line)
{
	size_t n = strlen(line);

	if (!s->log && !(s->log = malloc(LOG_MAX)))
		return;
	if (s->log_len + n + 2 > LOG_MAX)
		return;           /* keep the start: errors come first */
	memcpy(s->log + s->log_len, line, n);
	s->log_len += n;
	s->log[s->log_len++] = '\n';
	s->log[s->log_len] = '\0';
}

static int contains_ci(const char *h, const char *needle)
{
	size_t n = strlen(needle);

	for (; *h; h++)
		if (strncasecmp(h, needle, n) == 0)
			return 1;
	return 0;
}

/* The code model's refusal of a card or an analysis: "lim_synapse: refused". */
static int model_refused(const char *text)
{
	const char *p = strstr(text, lim_phys_synapse.model);

	return p && strncmp(p + strlen(lim_phys_synapse.model), ": refused", 9) == 0;
}

/* Lines that mean the circuit or the run failed. ngspice prints its
** warnings on stderr too, so not every stderr line is an error. */
static int is_error_line(const char *text)
{
	static const char *const marks[] = {
		"error", "too small", "singular", "not converge", "can't find model",
		"unable to find", "aborted", "not parsed", "unknown", "trouble", NULL
	};
	int i;

	for (i = 0; marks[i]; i++)
		if (contains_ci(text, marks[i]))
			return 1;
	return 0;
}

static int is_noise(const char *text)
{
	static const char *const noise[] = {"Note:", "Trying gmin", "Warning: Further gmin",
		"Warning: Last gmin", "Warning: Dynamic gmin", "Warning: True gmin",
		"Warning: gmin step", "Warning: source stepping", "Supplies reduced", NULL};
	int i;

	for (i = 0; noise[i]; i++)
		if (strncmp(text, noise[i], strlen(noise[i])) == 0)
			return 1;
	return 0;
}

static void err_append(lim_session *s, const char *text)
{
	size_t have = strlen(s->err);
	const char *w = strstr(text, "Warning:"), *e = strstr(text, "Error:");

	/* "Trying gmin = 5.6E-03 Warning: singular matrix ...": keep the tail,
	** so the repeats of gmin stepping collapse into one */
	if (w && w != text && (!e || w > e))
		text = w;
	if (is_noise(text) || strstr(s->err, text))
		return;
	if (have && have + 3 < sizeof s->err)
		strcat(s->err, "; ");
	have = strlen(s->err);
	snprintf(s->err + have, sizeof s->err - have, "%s", text);
}

static int on_char(char *line, int id, void *user)
{
	lim_session *s = user;
	int is_err = strncmp(line, "stderr ", 7) == 0;
	const char *text = line + (strncmp(line, "stdout ", 7) == 0 || is_err ? 7 : 0);

	(void)id;
	log_append(s, line);
	if (getenv("LIMSPICE_NGSPICE_LOG"))
		fprintf(stderr, "ngspice: %s\n", line);
	/* The code model reports through cm_message_printf, which prints
	** "Message:" lines on stdout, not stderr. */
	if ((is_err && is_error_line(text)) || model_refused(text)) {
		s->error_seen = 1;
		s->context = 1;
		err_append(s, text);
	} else if (is_err && s->context > 0) {
		s->context--;
		err_append(s, text);   /* "Error on line N:" is followed by the line */
	}
	return 0;
}

static int on_exit_request(int status, NG_BOOL unload, NG_BOOL quit, int id, void *user)
{
	lim_session *s = user;

	(void)status; (void)unload; (void)quit; (void)id;
	s->exited = 1;
	return 0;
}

/* ngspice asks for an EXTERNAL source's value at a (trial) time. */
static int on_vsrc(double *value, double t, char *name, int id, void *user)
{
	lim_session *s = user;

	(void)id;
	*value = s->source ? s->source(s->hook_ctx, name, t) : 0;
	return 0;
}

static int on_isrc(double *value, double t, char *name, int id, void *user)
{
	return on_vsrc(value, t, name, id, user);
}

/* Every accepted time point, with the values of all saved vectors. */
static int on_data(pvecvaluesall all, int count, int id, void *user)
{
	lim_session *s = user;
	int k;

	double t = 0;

	(void)id;
	(void)count;
	if (!s->data || !all)
		return 0;
	if (all->veccount > s->nvalues) {
		const char **n = realloc(s->names, (size_t)all->veccount * sizeof *n);
		double *v = n ? realloc(s->values, (size_t)all->veccount * sizeof *v) : NULL;
		if (n)
			s->names = n;
		if (!n || !v)
			return 0;   /* out of memory: this point is not reported */
		s->values = v;
		s->nvalues = all->veccount;
	}
	for (k = 0; k < all->veccount; k++) {
		s->names[k] = all->vecsa[k]->name;
		s->values[k] = all->vecsa[k]->creal;
		if (all->vecsa[k]->is_scale)
			t = all->vecsa[k]->creal;
	}
	s->data(s->hook_ctx, all->veccount, s->names, s->values, t);
	return 0;
}

/* ngspice sends no per-point data unless this one is registered too. */
static int on_init_data(pvecinfoall info, int id, void *user)
{
	(void)info;
	(void)id;
	(void)user;
	return 0;
}

void lim_sess_hooks(lim_session *s, lim_sess_source_fn source, lim_sess_data_fn data, void *ctx)
{
	s->source = source;
	s->data = data;
	s->hook_ctx = ctx;
}

int lim_sess_breakpoint(lim_session *s, double t)
{
	(void)s;
	return ngSpice_SetBkpt(t) ? 0 : -1;
}

static void begin_call(lim_session *s)
{
	s->err[0] = '\0';
	s->error_seen = 0;
	s->context = 0;
}

static int end_call(lim_session *s)
{
	if (s->exited) {
		snprintf(s->err, sizeof s->err, "ngspice exited; the library cannot be used "
		         "again in this process");
		return -1;
	}
	return s->error_seen ? -1 : 0;
}

int lim_sess_command(lim_session *s, const char *cmd)
{
	char *copy = strdup(cmd);

	begin_call(s);
	if (!copy) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	ngSpice_Command(copy);
	free(copy);
	return end_call(s);
}

/* The code model to load: the caller's, $LIMSPICE_CM, or the installed one. */
static const char *cm_to_load(const char *given)
{
	const char *env = getenv("LIMSPICE_CM");

	if (given && *given)
		return given;
	return env && *env ? env : LIMSPICE_CM_INSTALLED;
}

/* The major version in ngspice's banner ("** ngspice-39 shared library"),
** printed by its init; -1 when the banner is not in the log. */
static int banner_major(const lim_session *s)
{
	const char *p = s->log ? strstr(s->log, "ngspice-") : NULL;

	return p && isdigit((unsigned char)p[8]) ? atoi(p + 8) : -1;
}

static int model_registered(lim_session *s)
{
	size_t from = s->log_len;
	char cmd[64];

	/* devhelp answers an unknown device on stdout, not stderr */
	snprintf(cmd, sizeof cmd, "devhelp %s", lim_phys_synapse.model);
	lim_sess_command(s, cmd);
	return s->log && s->log_len > from && !strstr(s->log + from, "not found") &&
	       strstr(s->log + from, lim_phys_synapse.model) != NULL;
}

/* lim_sess_open's first call: init, the version check, the code model. */
static int open_ngspice(lim_session *s, const char *cm_path, char *err, size_t n)
{
	char cmd[PATH_MAX + 16];
	int major;

	ngSpice_Init(on_char, NULL, on_exit_request, on_data, on_init_data, NULL, s);
	{
		int ident = 0;
		ngSpice_Init_Sync(on_vsrc, on_isrc, NULL, &ident, s);
	}
	/* A .cm is built against one ngspice's headers: another one loads it
	** and then crashes. ngspice's own banner says which one this is. */
	major = banner_major(s);
	if (major != LIMSPICE_NGSPICE_MAJOR) {
		snprintf(err, n, "this process runs ngspice %d but liblimspice was built "
		         "against ngspice %d: rebuild limspice (make clean all)", major,
		         LIMSPICE_NGSPICE_MAJOR);
		return -1;
	}
	if (model_registered(s)) {
		s->cm[0] = '\0';
		return 0;
	}
	snprintf(s->cm, sizeof s->cm, "%s", cm_to_load(cm_path));
	if (access(s->cm, R_OK) != 0) {
		snprintf(err, n, "the lim_synapse code model %s cannot be read: %s", s->cm,
		         strerror(errno));
		s->cm[0] = '\0';
		return -1;
	}
	if ((size_t)snprintf(cmd, sizeof cmd, "codemodel %s", s->cm) >= sizeof cmd) {
		snprintf(err, n, "the code model's path is too long");
		return -1;
	}
	if (lim_sess_command(s, cmd) != 0 || !model_registered(s)) {
		snprintf(err, n, "%s: ngspice did not load the code model: %s", s->cm,
		         s->err[0] ? s->err : "lim_synapse is not registered after loading");
		return -1;
	}
	return 0;
}

lim_session *lim_sess_open(const char *cm_path, char *err, size_t n)
{
	lim_session *s = &the_session;

	if (s->open && s->refused[0])
		snprintf(err, n, "%s", s->refused);
	if (s->open)
		return s->refused[0] ? NULL : s;
	s->open = 1;
	if (open_ngspice(s, cm_path, err, n) != 0) {
		snprintf(s->refused, sizeof s->refused, "%s", err);
		return NULL;
	}
	return s;
}

void lim_sess_close(lim_session *s)
{
	if (!s || !s->open)
		return;
	lim_sess_reset(s);
	free(s->log);
	s->log = NULL;
	s->log_len = 0;
	free(s->names);
	free(s->values);
	s->names = NULL;
	s->values = NULL;
	s->nvalues = 0;
	lim_sess_hooks(s, NULL, NULL, NULL);
}

int lim_sess_load(lim_session *s, const char *const *lines, size_t nlines)
{
	char **copy = calloc(nlines + 1, sizeof *copy);
	size_t i;
	int rc;

	s->log_len = 0;
	if (s->log)
		s->log[0] = '\0';
	begin_call(s);
	if (!copy) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	for (i = 0; i < nlines; i++)
		if (!(copy[i] = strdup(lines[i]))) {
			snprintf(s->err, sizeof s->err, "out of memory");
			rc = -1;
			goto done;
		}
	ngSpice_Circ(copy);
	rc = end_call(s);
done:
	for (i = 0; i < nlines; i++)
		free(copy[i]);
	free(copy);
	return rc;
}

int lim_sess_load_text(lim_session *s, const char *text)
{
	char *buf = strdup(text), *p, *save = NULL;
	const char **lines = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	if (!buf)
		goto oom;
	for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			const char **g = realloc(lines, (cap = cap ? 2 * cap : 64) * sizeof *g);
			if (!g)
				goto oom;
			lines = g;
		}
		lines[n++] = p;
	}
	rc = lim_sess_load(s, lines, n);
	free(lines);
	free(buf);
	return rc;
oom:
	free(lines);
	free(buf);
	begin_call(s);
	snprintf(s->err, sizeof s->err, "out of memory");
	return -1;
}

int lim_sess_run(lim_session *s)
{
	int rc = lim_sess_command(s, "run");

	if (rc != 0) {
		char msg[ERR_MAX];
		double t;
		size_t len;
		/* say how far the simulation got: the user's first question */
		snprintf(msg, sizeof msg, "%s", s->err);
		if (lim_sess_last(s, "time", &t) == 0) {
			len = strlen(msg);
			if ((size_t)snprintf(msg + len, sizeof msg - len, " (at simulation time "
			                     "%.6g s)", t) >= sizeof msg - len)
				msg[len] = '\0';
		}
		memcpy(s->err, msg, sizeof msg);
	}
	return rc;
}

int lim_sess_vec(lim_session *s, const char *name, double **data, size_t *len)
{
	char *copy = strdup(name);
	pvector_info vi;
	size_t i, n;
	double *d;

	if (!copy)
		return -1;
	vi = ngGet_Vec_Info(copy);
	free(copy);
	if (!vi || vi->v_length <= 0 || (!vi->v_realdata && !vi->v_compdata)) {
		snprintf(s->err, sizeof s->err, "no vector '%s' in the current plot", name);
		return -1;
	}
	n = (size_t)vi->v_length;
	if (!(d = malloc(n * sizeof *d))) {
		snprintf(s->err, sizeof s->err, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)   /* vi is overwritten by the next call: copy now */
		d[i] = vi->v_realdata ? vi->v_realdata[i] : vi->v_compdata[i].cx_real;
	*data = d;
	*len = n;
	return 0;
}

int lim_sess_last(lim_session *s, const char *name, double *value)
{
	double *d;
	size_t n;

	if (lim_sess_vec(s, name, &d, &n) != 0)
		return -1;
	*value = d[n - 1];
	free(d);
	return 0;
}

void lim_sess_reset(lim_session *s)
{
	char err[ERR_MAX];

	snprintf(err, sizeof err, "%s", s->err);   /* keep the caller's error */
	ngSpice_Command("remcirc");
	ngSpice_Command("destroy all");
	snprintf(s->err, sizeof s->err, "%s", err);
}

const char *lim_sess_error(const lim_session *s) { return s->err; }
const char *lim_sess_log(const lim_session *s) { return s->log ? s->log : ""; }

int lim_sess_index(int count, const char *const *names, const char *want)
{
	char alt[300];
	int k;

	snprintf(alt, sizeof alt, "v(%s)", want);
	for (k = 0; k < count; k++)
		if (!strcmp(names[k], want) || !strcmp(names[k], alt))
			return k;
	return -1;
}
