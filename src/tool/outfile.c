/*
** outfile.c - write to a temporary, rename on success; sets of outputs in
** a locked directory. See LICENSE for copyright.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

#define TMP_SUFFIX ".tmp.XXXXXX"          /* mkstemp's six letters last */
#define TMP_SUFFIX_LEN (sizeof TMP_SUFFIX - 1)
#define LOCK_NAME ".limspice.lock"
#define LINK_HOPS 40                      /* as the kernel's ELOOP limit */

/* ======================================================================
** Paths
** ==================================================================== */

/* a + "/" + b, malloc'd. */
static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *r = malloc(la + lb + 2);

	if (r) {
		memcpy(r, a, la);
		r[la] = '/';
		memcpy(r + la + 1, b, lb + 1);
	}
	return r;
}

/* The directory part of path ("." for a bare name), malloc'd. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* path with the symlinks of its last component followed, malloc'd; a
** missing file (or a dangling link's target) is returned as it is named,
** for the writer to create, as a shell's '>' would. NULL with errno. */
static char *resolve(const char *path)
{
	char *cur = strdup(path), link[PATH_MAX];
	int hops;

	for (hops = 0; cur && hops < LINK_HOPS; hops++) {
		struct stat st;
		ssize_t len;
		char *next, *dir;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		if ((len = readlink(cur, link, sizeof link)) < 0 || (size_t)len == sizeof link) {
			free(cur);
			errno = len < 0 ? errno : ENAMETOOLONG;
			return NULL;
		}
		link[len] = '\0';
		if (link[0] == '/') {
			next = strdup(link);
		} else {   /* relative to the link's own directory */
			dir = dir_of(cur);
			next = dir ? join(dir, link) : NULL;
			free(dir);
		}
		free(cur);
		cur = next;
	}
	if (cur) {
		free(cur);
		errno = ELOOP;
	}
	return NULL;
}

/* ======================================================================
** Temporaries: locked while their writer lives
** ==================================================================== */

/* Does name end in ".tmp." and six mkstemp letters, after base when base
** is given (else after anything)? */
static int is_temp_name(const char *name, const char *base)
{
	size_t n = strlen(name), i;

	if (n <= TMP_SUFFIX_LEN || (base && (n != strlen(base) + TMP_SUFFIX_LEN ||
	                                     strncmp(name, base, strlen(base)) != 0)))
		return 0;
	if (strncmp(name + n - TMP_SUFFIX_LEN, ".tmp.", 5) != 0)
		return 0;
	for (i = n - 6; i < n; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') && !(name[i] >= 'A' && name[i] <= 'Z') &&
		    !(name[i] >= '0' && name[i] <= '9'))
			return 0;
	return 1;
}

/* Removes the temporaries in dir (of base alone, when given) whose writer
** is gone: a live writer holds its temporary's lock. Where the file system
** has no locks nothing is removed. Failures only leave files behind. */
static void clean_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat a, b;
		int fd;
		if (!is_temp_name(e->d_name, base) ||
		    fstatat(dirfd(d), e->d_name, &a, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(a.st_mode))
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		            O_CLOEXEC);
		if (fd < 0)
			continue;
		/* still the file we locked? (a writer may have replaced it) */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &a) == 0 &&
		    fstatat(dirfd(d), e->d_name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			unlinkat(dirfd(d), e->d_name, 0);
		close(fd);
	}
	closedir(d);
}

/* Is this flock failure the file system's (no locks there), not a lock
** held by someone else? */
static int locks_unsupported(int e)
{
	return e == ENOLCK || e == ENOSYS || e == EOPNOTSUPP || e == EINVAL;
}

/* Creates and locks the temporary tmpl (ending in XXXXXX). The lock is
** taken before anyone else could have (a cleaner that got in first has
** unlinked the file: then try again). fd, or -1 with errno. */
static int make_temp(char *tmpl)
{
	size_t x = strlen(tmpl) - 6;
	int tries, fd;

	for (tries = 0; tries < 8; tries++) {
		struct stat st;
		memcpy(tmpl + x, "XXXXXX", 6);
		if ((fd = mkostemp(tmpl, O_CLOEXEC)) < 0)
			return -1;
		if (flock(fd, LOCK_EX) != 0) {
			int e = errno;
			if (locks_unsupported(e))
				return fd;   /* and no cleaner can lock it either */
			close(fd);
			unlink(tmpl);
			return errno = e, -1;
		}
		if (fstat(fd, &st) == 0 && st.st_nlink > 0)
			return fd;
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

static mode_t current_umask(void)
{
	mode_t m = umask(022);   /* reading it means setting it */

	umask(m);
	return m;
}

/* ======================================================================
** One output
** ==================================================================== */

static void release(outfile *o)
{
	free(o->path);
	free(o->target);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

/* Opens target where it is (not a regular file). */
static int open_in_place(outfile *o, const struct stat *st)
{
	int fd;

	if (S_ISDIR(st->st_mode))
		return errno = EISDIR, -1;
	if ((fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	if (!(o->f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		return errno = e, -1;
	}
	return 0;
}

/* Opens a temporary beside target, with the mode the target keeps or a new
** file gets. */
static int open_temp(outfile *o, const struct stat *st, int exists)
{
	size_t n = strlen(o->target);
	char *dir, *slash = strrchr(o->target, '/');
	int fd, e;

	if (exists && access(o->target, W_OK) != 0)
		return -1;   /* as '>' would refuse it, whatever the directory allows */
	if ((dir = dir_of(o->target))) {
		clean_stale(dir, slash ? slash + 1 : o->target);
		free(dir);
	}
	if (!(o->tmp = malloc(n + TMP_SUFFIX_LEN + 1)))
		return -1;
	memcpy(o->tmp, o->target, n);
	memcpy(o->tmp + n, TMP_SUFFIX, TMP_SUFFIX_LEN + 1);
	if ((fd = make_temp(o->tmp)) < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	/* the owner is kept where permitted (root); else the file becomes ours */
	if (exists && fchown(fd, st->st_uid, st->st_gid) != 0)
		errno = 0;
	if (fchmod(fd, exists ? st->st_mode & 0777 : 0666 & ~current_umask()) == 0 &&
	    (o->f = fdopen(fd, "w")))
		return 0;
	e = errno;
	close(fd);
	unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return errno = e, -1;
}

int outfile_open(outfile *o, const char *path)
{
	struct stat st;
	int e, exists;

	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	if (!(o->path = strdup(path)) || !(o->target = resolve(path)))
		goto fail;
	exists = stat(o->target, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {   /* a rename would replace the device */
		if (open_in_place(o, &st) == 0)
			return 0;
	} else if (open_temp(o, &st, exists) == 0) {
		return 0;
	}
fail:
	e = errno;
	release(o);
	errno = e;
	return -1;
}

/* First half of a commit: everything that can fail before the target is
** touched. 0, or -1 with errno; the stream stays open (and the temporary
** locked) either way. */
static int finish(outfile *o)
{
	if (!o->f)
		return errno = EINVAL, -1;
	if (fflush(o->f) != 0)
		return -1;   /* glibc retries what a failed write left: errno is fresh */
	if (ferror(o->f))
		return errno = EIO, -1;
	if (o->tmp && fsync(fileno(o->f)) != 0 && errno != EINVAL && errno != EROFS)
		return -1;   /* a disk that fills only on sync (NFS, quotas) */
	return 0;
}

/* Second half: rename and close. 0, or -1 with errno. */
static int install(outfile *o)
{
	int rc = 0, e = 0;

	if (o->f == stdout) {
		o->f = NULL;
		return 0;
	}
	if (o->tmp && rename(o->tmp, o->target) != 0)
		rc = -1, e = errno;
	if (fclose(o->f) != 0 && rc == 0)
		rc = -1, e = errno;
	o->f = NULL;
	if (rc != 0 && o->tmp)
		unlink(o->tmp);
	errno = e;
	return rc;
}

/* Closes without installing and removes the temporary. */
static void discard(outfile *o)
{
	if (o->f && o->f != stdout) {
		if (o->tmp)
			unlink(o->tmp);   /* while it is still locked */
		fclose(o->f);
	}
	o->f = NULL;
}

int outfile_commit(outfile *o)
{
	int rc, e;

	if ((rc = finish(o)) != 0) {
		e = errno;
		discard(o);
		errno = e;
	} else {
		rc = install(o);
		e = errno;
	}
	release(o);
	errno = e;
	return rc;
}

void outfile_abort(outfile *o)
{
	discard(o);
	release(o);
}

/* ======================================================================
** Sets of outputs in a locked directory
** ==================================================================== */

void outset_init(outset *s)
{
	memset(s, 0, sizeof *s);
	s->lock = -1;
}

/* The pid a busy lock file names, or 0. */
static long lock_holder(int fd)
{
	char buf[32];
	ssize_t len = pread(fd, buf, sizeof buf - 1, 0);

	if (len <= 0)
		return 0;
	buf[len] = '\0';
	return strtol(buf, NULL, 10);
}

/* Takes dir's lock file. The file is removed on release, so after taking
** the lock check it is still the one the name points at. */
static int lock_dir(outset *s, char *err, size_t n)
{
	char *path = join(s->dir, LOCK_NAME);
	int tries, fd = -1;

	if (!path)
		return snprintf(err, n, "%s: cannot write: %s", s->dir, strerror(errno)), -1;
	for (tries = 0; tries < 8; tries++) {
		struct stat a, b;
		if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0) {
			snprintf(err, n, "%s: cannot write: %s", s->dir, strerror(errno));
			break;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			char who[48] = "";
			long pid;
			if (locks_unsupported(errno))
				break;
			if ((pid = lock_holder(fd)) > 0)
				snprintf(who, sizeof who, " (limspice, pid %ld)", pid);
			snprintf(err, n, "%s: another run is writing into it%s; wait for it or "
			         "choose another directory", s->dir, who);
			close(fd);
			fd = -1;
			break;
		}
		if (fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			char pid[32];
			int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
			/* the pid only serves the message above; a full disk may refuse it */
			if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len)
				errno = 0;
			s->lock = fd;
			free(path);
			return 0;
		}
		close(fd);   /* released and removed meanwhile: take the new one */
		fd = -1;
	}
	free(path);
	if (fd >= 0)
		return close(fd), 0;   /* no locks on this file system: run unlocked */
	if (tries == 8)
		snprintf(err, n, "%s: cannot lock: it keeps changing", s->dir);
	return -1;
}

static void unlock_dir(outset *s)
{
	char *path;

	if (s->lock >= 0) {
		if ((path = join(s->dir, LOCK_NAME)))
			unlink(path);   /* before the lock goes: see lock_dir */
		free(path);
		close(s->lock);
	}
	s->lock = -1;
}

int outset_dir(outset *s, const char *dir, const char *const *names, char *err, size_t n)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return snprintf(err, n, "%s: cannot write: %s", dir, strerror(errno)), -1;
	if (!(s->dir = strdup(dir)))
		return snprintf(err, n, "%s: cannot write: %s", dir, strerror(errno)), -1;
	if (lock_dir(s, err, n) != 0) {
		free(s->dir);
		s->dir = NULL;
		return -1;
	}
	s->names = names;
	clean_stale(dir, NULL);
	return 0;
}

outfile *outset_add(outset *s, const char *dir, const char *name, char *err, size_t n)
{
	char *path = dir && name ? join(dir, name) : NULL;
	const char *p = dir && name ? path : name;
	outfile *o = NULL;

	if (s->n == OUTSET_MAX)
		errno = EMFILE;
	else if ((!dir || path) && outfile_open(&s->f[s->n], p) == 0)
		o = &s->f[s->n++];
	if (!o)
		snprintf(err, n, "%s: cannot write: %s", p ? p : name ? name : "stdout",
		         strerror(errno));
	free(path);
	return o;
}

/* Removes dir's listed names that no file of the set wrote. */
static void clear_unwritten(const outset *s)
{
	int k, i, written;

	for (k = 0; s->names && s->names[k]; k++) {
		char *path = join(s->dir, s->names[k]);
		struct stat st;
		if (!path)
			continue;
		for (i = written = 0; i < s->n; i++)
			written |= s->f[i].path && strcmp(s->f[i].path, path) == 0;
		if (!written && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			unlink(path);
		free(path);
	}
}

int outset_commit(outset *s, char *err, size_t n)
{
	int i, rc = 0;

	for (i = 0; i < s->n && rc == 0; i++)
		if (finish(&s->f[i]) != 0) {
			snprintf(err, n, "%s: cannot write: %s",
			         s->f[i].path ? s->f[i].path : "stdout", strerror(errno));
			rc = -1;
		}
	if (rc != 0) {
		outset_abort(s);
		return -1;
	}
	for (i = 0; i < s->n; i++)
		if (install(&s->f[i]) != 0 && rc == 0) {
			snprintf(err, n, "%s: cannot write: %s",
			         s->f[i].path ? s->f[i].path : "stdout", strerror(errno));
			rc = -1;
		}
	if (rc == 0 && s->dir)
		clear_unwritten(s);
	outset_abort(s);   /* the names, the lock and the directory */
	return rc;
}

void outset_abort(outset *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		outfile_abort(&s->f[i]);
	s->n = 0;
	unlock_dir(s);
	free(s->dir);
	s->dir = NULL;
	s->names = NULL;
}
