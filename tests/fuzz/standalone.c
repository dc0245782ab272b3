/* A main for the fuzz targets when libFuzzer is not linked in: replays the
 * files (or directories of files) given as arguments through the target.
 * make check runs it on the regression corpora, so every crash a fuzzer
 * ever found stays fixed, in every build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	struct ck_err err;
	char *buf;
	size_t len;

	if (fs_read_file(path, &buf, &len, &err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	return 0;
}

static int replay(const char *path, unsigned *n)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		(*n)++;
		return replay_file(path);
	}
	d = opendir(path);
	while (d && (e = readdir(d)) != NULL) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, e->d_name);
		rc |= replay(p, n);
		free(p);
	}
	if (d)
		closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		rc |= replay(argv[i], &n);
	printf("%s: replayed %u inputs\n", argv[0], n);
	return rc || n == 0;
}
