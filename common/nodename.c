/* Node name rule; see nodename.h for why it is this strict. */
#include "nodename.h"

#include <string.h>

/* Lower case only: host names compare case-insensitively (RFC 1123), so
 * "Pa-r001-tor1" and "pa-r001-tor1" would be one host to DNS and FRR but
 * two directories to the bundle. */
static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A phrase per offending byte class, so the error says what to remove. */
static const char *bad_char(unsigned char c)
{
	switch (c) {
	case '/': return "contains '/'";
	case '.': return "contains '.' (a name is one host-name label)";
	case ',': return "contains ','";
	case ' ': return "contains a space";
	case '_': return "contains '_' (not a host-name character)";
	}
	if (c >= 'A' && c <= 'Z')
		return "contains an upper-case letter (host names compare "
		       "case-insensitively: use lower case)";
	if (c < 0x20 || c == 0x7f)
		return "contains a control character";
	if (c >= 0x80)
		return "contains a non-ASCII character";
	return "contains a character other than letters, digits and '-'";
}

int ck_nodename_check(const char *s, const char **why)
{
	const char *w = NULL;
	size_t n = s ? strlen(s) : 0, i;

	if (n == 0)
		w = "is empty";
	else if (n > CK_NODENAME_MAX)
		w = "is longer than 63 characters";
	for (i = 0; !w && i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			w = bad_char((unsigned char)s[i]);
	if (!w && (s[0] == '-' || s[n - 1] == '-'))
		w = "starts or ends with '-'";
	if (why)
		*why = w;
	return w ? -1 : 0;
}
