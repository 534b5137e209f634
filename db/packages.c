/* packages.c - the package lists `vulnctl check` reads, and how package
 * names map to the product names advisories use.
 *
 * Formats, detected line by line:
 *   pip freeze         nova==27.0.0          (also name[extra]==v, "# ...")
 *   upper-constraints  nova===27.0.0;python_version>='3.9'
 *   dpkg -l            ii  nova-common  2:27.0.0-0ubuntu1  all  OpenStack ...
 *   name version       nova-common\t2:27.0.0-0ubuntu1   (dpkg-query -W, pip list,
 *                      rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n', by hand)
 *   rpm -qa            openstack-nova-common-27.0.0-1.el9.noarch
 * or, the whole text, pip list --format=json: [{"name": ..., "version": ...}]
 */
#include "config.h"

#include <string.h>

#include "export.h"
#include "version.h"
#include "vulnd-db.h"

typedef struct {
	GRegex *pip;     /* name [extras] ==|=== version [; markers] */
	GRegex *loose;   /* a requirement with another operator */
	GRegex *dpkg;    /* a dpkg -l row */
	GRegex *plain;   /* name, blanks, version */
	GRegex *rpm;     /* name-version-release[.arch] */
	GRegex *version; /* a version as pip/dpkg writes it */
} LineRegexes;

static void
line_regexes_clear (LineRegexes *re)
{
	g_clear_pointer (&re->pip, g_regex_unref);
	g_clear_pointer (&re->loose, g_regex_unref);
	g_clear_pointer (&re->dpkg, g_regex_unref);
	g_clear_pointer (&re->plain, g_regex_unref);
	g_clear_pointer (&re->rpm, g_regex_unref);
	g_clear_pointer (&re->version, g_regex_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LineRegexes, line_regexes_clear)

static void
line_regexes_init (LineRegexes *re)
{
	re->pip = g_regex_new ("^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[[^\\]]*\\])?"
	                       "\\s*(===|==)\\s*([^\\s;]+)\\s*(?:;.*)?$", 0, 0, NULL);
	re->loose = g_regex_new ("^[A-Za-z0-9][A-Za-z0-9._-]*\\s*(?:\\[[^\\]]*\\])?\\s*"
	                         "(?:[<>!~]=?|===?)", 0, 0, NULL);
	/* Desired (u i h r p), status (n i c U F H W t), error flag; then
	 * name, version, and in newer dpkg an architecture and a description. */
	re->dpkg = g_regex_new ("^([uihrp])([nicUFHWt])[ R]?\\s+(\\S+)\\s+(\\S+)(?:\\s.*)?$",
	                        0, 0, NULL);
	/* A version must start with a digit here: "hello world" is no package. */
	re->plain = g_regex_new ("^([A-Za-z0-9][A-Za-z0-9._+-]*(?::[A-Za-z0-9_-]+)?)[ \t]+"
	                         "((?:[0-9]+:)?[0-9][A-Za-z0-9.+~_-]*)$", 0, 0, NULL);
	/* rpm -qa prints no epoch by default, and neither version nor release
	 * may hold a hyphen: the last two hyphens split the three. */
	re->rpm = g_regex_new ("^([A-Za-z0-9][A-Za-z0-9._+-]*)-((?:[0-9]+:)?[0-9][A-Za-z0-9.+~^_]*)-"
	                       "([A-Za-z0-9.+~^_]+?)(?:\\.(?:noarch|x86_64|aarch64|ppc64le|s390x|i686|src))?$",
	                       0, 0, NULL);
	re->version = g_regex_new ("^(?:[0-9]+[:!])?[A-Za-z0-9][A-Za-z0-9.+~_-]*$", 0, 0, NULL);
	g_assert (re->pip && re->loose && re->dpkg && re->plain && re->rpm && re->version);
}

const char *
vulnd_package_format_to_string (VulndPackageFormat format)
{
	switch (format) {
	case VULND_PACKAGE_PIP: return "pip";
	case VULND_PACKAGE_CONSTRAINTS: return "constraints";
	case VULND_PACKAGE_DPKG: return "dpkg";
	case VULND_PACKAGE_PLAIN: return "plain";
	case VULND_PACKAGE_RPM: return "rpm";
	case VULND_PACKAGE_PIP_JSON: return "pip-json";
	}
	return "unknown";
}

void
vulnd_package_free (VulndPackage *package)
{
	if (!package)
		return;
	g_free (package->name);
	g_free (package->package);
	g_free (package->version);
	g_free (package->raw_version);
	g_free (package->raw);
	g_free (package);
}

/* ---- names -------------------------------------------------------------- */

/* Debian and RDO split one project into packages per role (nova-api,
 * nova-compute-kvm, neutron-l3-agent, swift-proxy, heat-api-cfn,
 * openstack-neutron-sriov-nic-agent, openstack-octavia-amphora-agent ...).
 * These words name a role or a hypervisor, never a project of their own, so
 * they are stripped from the end of a non-Python package name.  The list
 * is about Debian's and RDO's naming, not about any advisory. */
static const char *const role_words[] = {
	"common", "api", "cfn", "compute", "scheduler", "conductor", "server",
	"agent", "engine", "volume", "backup", "proxy", "object", "container",
	"account", "doc", "docs", "tests", "daemon", "worker", "manager",
	"listener", "notifier", "consoleauth", "novncproxy", "spicehtml5proxy",
	"serialproxy", "network", "cert", "l3", "dhcp", "metadata", "metering",
	"openvswitch", "linuxbridge", "sriov", "macvtap", "plugin", "central",
	"collector", "polling", "evaluator", "housekeeping", "producer", "mdns",
	"sink", "kvm", "qemu", "lxc", "xen", "vmware", "ironic", "share",
	"data", "expirer", "replicator", "auditor", "updater", "reaper",
	"reconstructor", "sharder", "health", "executor", "event", "apache2",
	"wsgi", "uwsgi", "ml2", "nic", "ovn", "rpc", "migration", "monolith",
	"notification", "ipmi", "dnsmasq", "tftp", "amphora", NULL,
};

/* Debian package names that do not follow the project's name at all. */
static const char *const renamed[][2] = {
	{ "openstack-dashboard", "horizon" },
	{ "openstack-dashboard-apache", "horizon" },
	{ "python3-django-horizon", "horizon" },
	{ "python-django-horizon", "horizon" },
};

static gboolean
is_role_word (const char *word)
{
	return g_strv_contains (role_words, word);
}

/* "nova-compute-kvm" -> "nova"; stops at one component, and before a
 * "-python" stem ("ironic-python-agent" is a project of its own). */
static char *
strip_role_suffixes (const char *name)
{
	char *out = g_strdup (name);
	char *dash;

	while ((dash = strrchr (out, '-')) && is_role_word (dash + 1)) {
		g_autofree char *stem = g_strndup (out, dash - out);

		if (g_str_has_suffix (stem, "-python") || g_str_equal (stem, "python"))
			break;
		*dash = '\0';
	}
	return out;
}

/* python3-novaclient -> python-novaclient (the client libraries keep the
 * "python-" of their PyPI names); python3-nova -> nova. */
static char *
strip_python_prefix (const char *name)
{
	const char *rest = NULL;

	if (g_str_has_prefix (name, "python3-"))
		rest = name + strlen ("python3-");
	else if (g_str_has_prefix (name, "python-"))
		rest = name + strlen ("python-");
	if (!rest || !*rest)
		return NULL;
	if (g_str_has_suffix (rest, "client"))
		return g_strconcat ("python-", rest, NULL);
	return g_strdup (rest);
}

char *
vulnd_package_product (const char *package_name)
{
	g_autofree char *lower = g_utf8_strdown (package_name, -1);
	char *colon = strchr (lower, ':');
	char *python;

	/* dpkg prints "name:arch" for multi-arch packages. */
	if (colon)
		*colon = '\0';
	for (guint i = 0; i < G_N_ELEMENTS (renamed); i++)
		if (g_str_equal (lower, renamed[i][0]))
			return g_strdup (renamed[i][1]);
	python = strip_python_prefix (lower);
	if (python)
		return python;
	/* RPM-style "openstack-nova-compute" */
	if (g_str_has_prefix (lower, "openstack-") && lower[strlen ("openstack-")])
		return strip_role_suffixes (lower + strlen ("openstack-"));
	return strip_role_suffixes (lower);
}

/* Product names compare with '_', '.' and '-' as one separator. */
static char *
product_key (const char *name)
{
	char *key = g_utf8_strdown (name, -1);

	for (char *p = key; *p; p++)
		if (*p == '_' || *p == '.')
			*p = '-';
	return key;
}

static void
add_unique (GPtrArray *out, char *name)
{
	for (guint i = 0; i < out->len; i++)
		if (g_str_equal (out->pdata[i], name)) {
			g_free (name);
			return;
		}
	g_ptr_array_add (out, name);
}

static void
add_spellings (GPtrArray *out, const char *name)
{
	static const char seps[] = "-._";

	add_unique (out, g_strdup (name));
	if (!strpbrk (name, seps))
		return;
	for (const char *s = seps; *s; s++) {
		char *v = g_strdup (name);

		for (char *p = v; *p; p++)
			if (strchr (seps, *p))
				*p = *s;
		add_unique (out, v);
	}
}

char **
vulnd_product_candidates (const char *name)
{
	GPtrArray *out = g_ptr_array_new ();
	g_autofree char *product = vulnd_package_product (name);
	g_autofree char *lower = g_utf8_strdown (name, -1);
	char *colon = strchr (lower, ':');

	if (colon)
		*colon = '\0';
	add_spellings (out, product);
	add_spellings (out, lower);
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

char **
vulnd_product_match_keys (const char *name)
{
	g_auto (GStrv) candidates = vulnd_product_candidates (name);
	char **keys = g_new0 (char *, g_strv_length (candidates) + 1);

	for (guint i = 0; candidates[i]; i++)
		keys[i] = product_key (candidates[i]);
	return keys;
}

gboolean
vulnd_product_matches_keys (char **keys, const char *advisory_product)
{
	g_autofree char *want = NULL;

	if (!advisory_product || !*advisory_product)
		return FALSE;
	want = product_key (advisory_product);
	for (char **k = keys; *k; k++)
		if (g_str_equal (*k, want))
			return TRUE;
	return FALSE;
}

gboolean
vulnd_product_matches (const char *name, const char *advisory_product)
{
	g_auto (GStrv) keys = NULL;

	if (!name || !advisory_product || !*advisory_product)
		return FALSE;
	keys = vulnd_product_match_keys (name);
	return vulnd_product_matches_keys (keys, advisory_product);
}

/* ---- lines -------------------------------------------------------------- */

typedef enum { LINE_PACKAGE, LINE_IGNORED, LINE_SKIPPED } LineKind;

/* pip treats "#" after whitespace as a comment; "\" continues a line
 * (its --hash options follow on indented lines we skip). */
static char *
strip_pip_decorations (const char *line)
{
	char *s = g_strdup (line);
	char *hash = strstr (s, " #");
	char *tab = strstr (s, "\t#");

	if (tab && (!hash || tab < hash))
		hash = tab;
	if (hash)
		*hash = '\0';
	g_strstrip (s);
	if (g_str_has_suffix (s, "\\")) {
		s[strlen (s) - 1] = '\0';
		g_strstrip (s);
	}
	return s;
}

/* The headers of dpkg -l and of pip list ("Package  Version", then a
 * rule of dashes, which is ignored as a pip option would be). */
static gboolean
is_list_header (const char *line)
{
	return g_str_has_prefix (line, "Desired=") || g_str_has_prefix (line, "| ") ||
	       g_str_has_prefix (line, "|/") || g_str_has_prefix (line, "||/") ||
	       g_str_has_prefix (line, "+++-") ||
	       g_regex_match_simple ("^Package\\s+Version(\\s|$)", line, 0, 0);
}

/* Lines that are no package and no mistake either. */
static gboolean
is_ignorable (const char *stripped)
{
	return !*stripped || stripped[0] == '#' || stripped[0] == '-' ||
	       is_list_header (stripped) || strstr (stripped, "://") != NULL ||
	       g_regex_match_simple ("^[A-Za-z0-9][A-Za-z0-9._-]*\\s*(\\[[^\\]]*\\])?\\s*@\\s",
	                             stripped, 0, 0);
}

static VulndPackage *
package_new (const char *name, const char *version, const char *raw_version,
             VulndPackageFormat format, guint line, const char *raw)
{
	VulndPackage *p = g_new0 (VulndPackage, 1);

	p->package = g_strdup (name);
	p->name = vulnd_package_product (name);
	p->version = g_strdup (version);
	p->raw_version = g_strdup (raw_version);
	p->format = format;
	p->line = line;
	p->raw = g_strdup (raw);
	return p;
}

char *
vulnd_package_upstream_version (const char *full)
{
	static gsize once;
	static GRegex *rpm_pre;
	g_autofree char *upstream = vulnd_version_from_debian (full);
	const char *hyphen = full ? strrchr (full, '-') : NULL;
	g_autoptr (GMatchInfo) m = NULL;
	g_autofree char *tag = NULL;

	/* Fedora and RDO put a pre-release in a release starting "0.":
	 * 27.0.0-0.1.0rc1.el9 is 27.0.0.0rc1, below 27.0.0.  A short number
	 * only, so that a snapshot's git hash ("b1234567") is no beta. */
	if (g_once_init_enter (&once)) {
		rpm_pre = g_regex_new ("^0\\.(?:.*\\.)?[0-9]*((?:rc|a|b|alpha|beta)[0-9]{1,3})(?:\\.|$)",
		                       0, 0, NULL);
		g_assert (rpm_pre);
		g_once_init_leave (&once, 1);
	}
	if (!upstream || !hyphen || !g_regex_match (rpm_pre, hyphen + 1, 0, &m))
		return g_steal_pointer (&upstream);
	tag = g_match_info_fetch (m, 1);
	return g_strconcat (upstream, tag, NULL);
}

/* A package of a Debian or RPM list, or the line skipped when its
 * version has no upstream version in it. */
static LineKind
package_from_release (const char *name, const char *full,
                      VulndPackageFormat format, guint number, const char *line,
                      VulndPackage **out, char **reason)
{
	g_autofree char *upstream = vulnd_package_upstream_version (full);

	if (!upstream) {
		*reason = g_strdup (format == VULND_PACKAGE_DPKG ? "not a Debian version"
		                    : format == VULND_PACKAGE_RPM ? "not an RPM version"
		                    : "not a package version");
		return LINE_SKIPPED;
	}
	*out = package_new (name, upstream, full, format, number, line);
	return LINE_PACKAGE;
}

static LineKind
parse_dpkg_line (const LineRegexes *re, const char *line, guint number,
                 VulndPackage **out, char **reason)
{
	g_autoptr (GMatchInfo) m = NULL;
	g_autofree char *desired = NULL, *status = NULL, *name = NULL, *version = NULL;

	if (!g_regex_match (re->dpkg, line, 0, &m))
		return LINE_SKIPPED;
	desired = g_match_info_fetch (m, 1);
	status = g_match_info_fetch (m, 2);
	name = g_match_info_fetch (m, 3);
	version = g_match_info_fetch (m, 4);
	/* Only installed packages (ii, hi) count; rc, un ... are not there. */
	if (!strchr ("ih", desired[0]) || status[0] != 'i')
		return LINE_IGNORED;
	if (!g_regex_match (re->version, version, 0, NULL)) {
		*reason = g_strdup ("not a Debian version");
		return LINE_SKIPPED;
	}
	return package_from_release (name, version, VULND_PACKAGE_DPKG, number, line, out, reason);
}

static LineKind
parse_pip_line (const LineRegexes *re, const char *stripped, const char *line, guint number,
                VulndPackage **out, char **reason)
{
	g_autoptr (GMatchInfo) m = NULL;
	g_autofree char *name = NULL, *op = NULL, *version = NULL;

	if (!g_regex_match (re->pip, stripped, 0, &m)) {
		if (g_regex_match (re->loose, stripped, 0, NULL))
			*reason = g_strdup ("not pinned with == or ===");
		return LINE_SKIPPED;
	}
	name = g_match_info_fetch (m, 1);
	op = g_match_info_fetch (m, 2);
	version = g_match_info_fetch (m, 3);
	if (!g_regex_match (re->version, version, 0, NULL)) {
		*reason = g_strdup ("not a single version");
		return LINE_SKIPPED;
	}
	*out = package_new (name, version, version,
	                    g_str_equal (op, "===") ? VULND_PACKAGE_CONSTRAINTS : VULND_PACKAGE_PIP,
	                    number, line);
	return LINE_PACKAGE;
}

/* "name version": dpkg-query -W, rpm -qa --qf, or a list written by hand.
 * dpkg-query -W also lists packages known but not installed, with an
 * empty version: those are no package and no mistake. */
static LineKind
parse_plain_line (const LineRegexes *re, const char *stripped, const char *line, guint number,
                  VulndPackage **out, char **reason)
{
	g_autoptr (GMatchInfo) m = NULL;
	g_autofree char *name = NULL, *version = NULL;
	const char *tab = strchr (line, '\t');

	if (tab && tab > line && tab[1] == '\0' && !strchr (line, ' '))
		return LINE_IGNORED;
	if (!g_regex_match (re->plain, stripped, 0, &m))
		return LINE_SKIPPED;
	name = g_match_info_fetch (m, 1);
	version = g_match_info_fetch (m, 2);
	return package_from_release (name, version, VULND_PACKAGE_PLAIN, number, line, out, reason);
}

/* rpm -qa: name-version-release.arch */
static LineKind
parse_rpm_line (const LineRegexes *re, const char *stripped, const char *line, guint number,
                VulndPackage **out, char **reason)
{
	g_autoptr (GMatchInfo) m = NULL;
	g_autofree char *name = NULL, *version = NULL, *release = NULL;
	g_autofree char *full = NULL;

	if (!g_regex_match (re->rpm, stripped, 0, &m))
		return LINE_SKIPPED;
	name = g_match_info_fetch (m, 1);
	version = g_match_info_fetch (m, 2);
	release = g_match_info_fetch (m, 3);
	full = g_strconcat (version, "-", release, NULL);
	return package_from_release (name, full, VULND_PACKAGE_RPM, number, line, out, reason);
}

static LineKind
parse_line (const LineRegexes *re, const char *line, guint number, VulndPackage **out,
            char **reason)
{
	g_autofree char *stripped = strip_pip_decorations (line);
	LineKind kind;

	if (is_ignorable (stripped))
		return LINE_IGNORED;
	kind = parse_dpkg_line (re, line, number, out, reason);
	if (kind != LINE_SKIPPED || *reason)
		return kind;
	kind = parse_pip_line (re, stripped, line, number, out, reason);
	if (kind != LINE_SKIPPED || *reason)
		return kind;
	kind = parse_plain_line (re, stripped, line, number, out, reason);
	if (kind != LINE_SKIPPED || *reason)
		return kind;
	return parse_rpm_line (re, stripped, line, number, out, reason);
}

static gboolean
check_utf8 (const char *text, GError **error)
{
	const char *bad;

	if (g_utf8_validate (text, -1, &bad))
		return TRUE;
	g_set_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE,
	             "package list is not UTF-8 text (byte %" G_GSIZE_FORMAT ")",
	             (gsize) (bad - text));
	return FALSE;
}

/* pip list --format=json: [{"name": "nova", "version": "27.1.0"}, ...].
 * LINE is the element's 1-based index. */
static GPtrArray *
parse_pip_json (const char *text, GPtrArray *notes, GError **error)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GPtrArray) packages = NULL;
	g_autoptr (GRegex) version_re = g_regex_new ("^[0-9][A-Za-z0-9.+!_-]*$", 0, 0, NULL);
	g_autoptr (GError) json_error = NULL;
	JsonArray *array;

	if (!json_parser_load_from_data (parser, text, -1, &json_error)) {
		g_set_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE,
		             "a package list starting with [ is JSON, and this is not: %s",
		             json_error->message);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser))) {
		g_set_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE,
		             "a JSON package list is an array");
		return NULL;
	}
	array = json_node_get_array (json_parser_get_root (parser));
	packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vulnd_package_free);
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *e = json_array_get_element (array, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
		const char *name = o ? vulnd_json_get_string (o, "name") : NULL;
		const char *version = o ? vulnd_json_get_string (o, "version") : NULL;
		g_autofree char *raw = json_to_string (e, FALSE);

		if (!name || !*name || !version || !g_regex_match (version_re, version, 0, NULL)) {
			g_ptr_array_add (notes, g_strdup_printf ("element %u: not a name and a version: %s",
			                                         i + 1, raw));
			continue;
		}
		g_ptr_array_add (packages, package_new (name, version, version, VULND_PACKAGE_PIP_JSON,
		                                        i + 1, raw));
	}
	return g_steal_pointer (&packages);
}

/* The packages of a list in one of the line formats. */
static GPtrArray *
parse_lines (const char *text, GPtrArray *notes)
{
	g_auto (LineRegexes) re = { 0 };
	GPtrArray *packages = g_ptr_array_new_with_free_func ((GDestroyNotify) vulnd_package_free);
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

	line_regexes_init (&re);
	for (guint i = 0; lines[i]; i++) {
		VulndPackage *p = NULL;
		g_autofree char *reason = NULL;
		char *line = lines[i];
		gsize len = strlen (line);

		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		switch (parse_line (&re, line, i + 1, &p, &reason)) {
		case LINE_PACKAGE:
			g_ptr_array_add (packages, p);
			break;
		case LINE_IGNORED:
			break;
		case LINE_SKIPPED:
			g_ptr_array_add (notes, g_strdup_printf ("line %u: %s: %s", i + 1,
			                                         reason ? reason : "not a package line",
			                                         line));
			break;
		}
	}
	return packages;
}

GPtrArray *
vulnd_packages_parse (const char *text, GPtrArray **skipped, GError **error)
{
	g_autoptr (GPtrArray) packages = NULL;
	g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

	if (!check_utf8 (text, error))
		return NULL;
	if (text[strspn (text, " \t\r\n")] == '[')
		packages = parse_pip_json (text, notes, error);
	else
		packages = parse_lines (text, notes);
	if (!packages)
		return NULL;
	if (packages->len == 0 && notes->len) {
		g_set_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE,
		             "no package found (pip freeze, pip list, upper-constraints, dpkg -l, "
		             "rpm -qa or name version); %s", (const char *) notes->pdata[0]);
		return NULL;
	}
	if (skipped)
		*skipped = g_steal_pointer (&notes);
	return g_steal_pointer (&packages);
}
