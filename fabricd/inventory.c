#include "inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "xalloc.h"

static int add_line(struct inventory *inv, char *line, const char *path,
		    int ln, struct ck_err *err)
{
	char name[256], addr[256], extra[2];
	int n;

	line[strcspn(line, "#")] = '\0';
	n = sscanf(line, "%255s %255s %1s", name, addr, extra);
	if (n <= 0)
		return 0;
	if (n != 2) {
		ck_err_set(err, path, ln, 0, "expected 'NAME ADDRESS[:PORT]'");
		return -1;
	}
	inv->names = xrealloc(inv->names, (inv->n + 1) * sizeof(char *));
	inv->addrs = xrealloc(inv->addrs, (inv->n + 1) * sizeof(char *));
	inv->names[inv->n] = xstrdup(name);
	inv->addrs[inv->n] = xstrdup(addr);
	inv->n++;
	return 0;
}

int inventory_load(const char *path, struct inventory *inv,
		   struct ck_err *err)
{
	char *text, *p, *line;
	int ln = 0, rc = 0;

	memset(inv, 0, sizeof(*inv));
	if (fs_read_file(path, &text, NULL, err) < 0)
		return -1;
	p = text;
	while (rc == 0 && (line = strsep(&p, "\n")) != NULL)
		rc = add_line(inv, line, path, ++ln, err);
	free(text);
	if (rc < 0)
		inventory_free(inv);
	return rc;
}

const char *inventory_addr(const struct inventory *inv, const char *name)
{
	size_t i;

	for (i = 0; inv && i < inv->n; i++)
		if (strcmp(inv->names[i], name) == 0)
			return inv->addrs[i];
	return NULL;
}

void inventory_free(struct inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->n; i++) {
		free(inv->names[i]);
		free(inv->addrs[i]);
	}
	free(inv->names);
	free(inv->addrs);
	memset(inv, 0, sizeof(*inv));
}
