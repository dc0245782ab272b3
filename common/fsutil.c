#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

int fs_read_file_max(const char *path, size_t max, char **out, size_t *len,
		     struct ck_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;
	size_t limit = max == SIZE_MAX ? SIZE_MAX : max + 1;

	if (f == NULL) {
		ck_err_set(err, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	do {
		size_t want;

		buf = xgrow(buf, &cap, n + 65536, 1);
		want = cap - n - 1;
		if (want > limit - n)
			want = limit - n;
		r = want ? fread(buf + n, 1, want, f) : 0;
		n += r;
	} while (r > 0 && n < limit);
	if (ferror(f)) {
		ck_err_set(err, path, 0, 0, "read error: %s", strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

int fs_read_file(const char *path, char **out, size_t *len, struct ck_err *err)
{
	return fs_read_file_max(path, SIZE_MAX, out, len, err);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

bool fs_is_special(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	       !S_ISDIR(st.st_mode);
}

/* A device or FIFO takes the bytes where it is (no rename over it). */
static int write_in_place(const char *path, const void *data, size_t len,
			  struct ck_err *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write_all(fd, data, len) < 0 || close(fd) < 0) {
		ck_err_set(err, path, 0, 0, "cannot write: %s",
			   strerror(errno));
		return -1;
	}
	return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len,
		    struct ck_err *err)
{
	char *tmp;
	int fd;

	if (fs_is_special(path))
		return write_in_place(path, data, len, err);
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		goto fail;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		goto fail;
	fsync_dir_of(path);
	free(tmp);
	return 0;
fail:
	ck_err_set(err, path, 0, 0, "cannot write: %s", strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}

int fs_write_at(int dirfd, const char *name, const void *data, size_t len,
		struct ck_err *err)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);

	if (fd < 0 || write_all(fd, data, len) < 0) {
		ck_err_set(err, name, 0, 0, "cannot write: %s",
			   strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		ck_err_set(err, name, 0, 0, "cannot write: %s",
			   strerror(errno));
		return -1;
	}
	return 0;
}

char *fs_dir_staging(const char *path, struct ck_err *err)
{
	char *tmpl = xasprintf("%s.new-XXXXXX", path);

	if (mkdtemp(tmpl) == NULL) {
		ck_err_set(err, path, 0, 0,
			   "cannot create a directory beside it: %s; check "
			   "that the parent exists and is writable",
			   strerror(errno));
		free(tmpl);
		return NULL;
	}
	chmod(tmpl, 0755);
	return tmpl;
}

int fs_dir_replace(const char *staging, const char *path, struct ck_err *err)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			ck_err_set(err, path, 0, 0,
				   "exists and is not a directory; choose "
				   "another output path");
			return -1;
		}
		if (renameat2(AT_FDCWD, staging, AT_FDCWD, path,
			      RENAME_EXCHANGE) < 0) {
			ck_err_set(err, path, 0, 0, "cannot replace: %s",
				   strerror(errno));
			return -1;
		}
		fsync_dir_of(path);
		/* staging now holds the previous content */
		fs_rmtree(staging);
		return 0;
	}
	if (rename(staging, path) < 0) {
		ck_err_set(err, path, 0, 0, "cannot create: %s",
			   strerror(errno));
		return -1;
	}
	fsync_dir_of(path);
	return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p) < 0 && errno != ENOENT ? -1 : 0;
}

int fs_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int fs_mkdirs(const char *path, int mode, struct ck_err *err)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	ck_err_set(err, path, 0, 0, "cannot create directory: %s",
		   strerror(errno));
	free(p);
	return -1;
}
