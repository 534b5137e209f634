/* test-packages.c - package lists for `vulnctl check` (pip freeze,
 * upper-constraints, dpkg -l, "name version", rpm -qa) and package ->
 * product name mapping.
 * The lists below are written for this test; names and versions are
 * plausible, not copied from any real system. */
#include "config.h"

#include <string.h>

#include "export.h"

static GPtrArray *
parse_ok (const char *text, GPtrArray **skipped)
{
	g_autoptr (GError) error = NULL;
	GPtrArray *packages = vulnd_packages_parse (text, skipped, &error);

	g_assert_no_error (error);
	g_assert_nonnull (packages);
	return packages;
}

static void
assert_package (GPtrArray *packages, guint i, const char *name, const char *package,
                const char *version, guint line, VulndPackageFormat format)
{
	VulndPackage *p;

	g_assert_cmpuint (i, <, packages->len);
	p = packages->pdata[i];
	g_assert_cmpstr (p->name, ==, name);
	g_assert_cmpstr (p->package, ==, package);
	g_assert_cmpstr (p->version, ==, version);
	g_assert_cmpuint (p->line, ==, line);
	g_assert_cmpint (p->format, ==, format);
}

static void
test_pip_freeze (void)
{
	const char *text =
		"# pip freeze of a compute node\n"                     /* 1 */
		"\n"                                                   /* 2 */
		"nova==27.1.0\n"                                       /* 3 */
		"python-novaclient==18.3.0\r\n"                        /* 4 */
		"oslo.messaging==14.2.1  # pinned by hand\n"           /* 5 */
		"-e git+https://opendev.org/x/frob#egg=frob\n"         /* 6 */
		"Keystone_Middleware[audit] == 10.2.0\n"               /* 7 */
		"widget @ file:///tmp/widget-1.0.tar.gz\n"             /* 8 */
		"--index-url https://pypi.example.invalid/simple\n"    /* 9 */
		"requests>=2.0\n"                                      /* 10 */
		"glance-store==4.3.1 \\\n"                             /* 11 */
		"    --hash=sha256:0000\n"                             /* 12 */
		"this is not a package\n"                              /* 13 */
		"nova==27.*\n"                                         /* 14 */
		"os-brick==6.2.0rc1";                                  /* 15: no final newline */
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) packages = parse_ok (text, &skipped);

	g_assert_cmpuint (packages->len, ==, 6);
	assert_package (packages, 0, "nova", "nova", "27.1.0", 3, VULND_PACKAGE_PIP);
	assert_package (packages, 1, "python-novaclient", "python-novaclient", "18.3.0", 4, VULND_PACKAGE_PIP);
	assert_package (packages, 2, "oslo.messaging", "oslo.messaging", "14.2.1", 5, VULND_PACKAGE_PIP);
	assert_package (packages, 3, "keystone_middleware", "Keystone_Middleware", "10.2.0", 7,
	                VULND_PACKAGE_PIP);
	assert_package (packages, 4, "glance-store", "glance-store", "4.3.1", 11, VULND_PACKAGE_PIP);
	assert_package (packages, 5, "os-brick", "os-brick", "6.2.0rc1", 15, VULND_PACKAGE_PIP);
	g_assert_cmpstr (((VulndPackage *) packages->pdata[1])->raw, ==, "python-novaclient==18.3.0");

	g_assert_cmpuint (skipped->len, ==, 3);
	g_assert_cmpstr (skipped->pdata[0], ==, "line 10: not pinned with == or ===: requests>=2.0");
	g_assert_cmpstr (skipped->pdata[1], ==, "line 13: not a package line: this is not a package");
	g_assert_cmpstr (skipped->pdata[2], ==, "line 14: not a single version: nova==27.*");
}

static void
test_constraints (void)
{
	const char *text =
		"nova===27.1.0\n"
		"cinder===22.1.0;python_version=='3.10'\n"
		"cinder===21.3.0;python_version=='3.8'\n"
		"python-keystoneclient===5.1.0 ; sys_platform != 'win32'\n"
		"pywin32===306;sys_platform=='win32'\n";
	g_autoptr (GPtrArray) packages = parse_ok (text, NULL);

	g_assert_cmpuint (packages->len, ==, 5);
	assert_package (packages, 0, "nova", "nova", "27.1.0", 1, VULND_PACKAGE_CONSTRAINTS);
	/* markers are ignored: both cinder pins are checked */
	assert_package (packages, 1, "cinder", "cinder", "22.1.0", 2, VULND_PACKAGE_CONSTRAINTS);
	assert_package (packages, 2, "cinder", "cinder", "21.3.0", 3, VULND_PACKAGE_CONSTRAINTS);
	assert_package (packages, 3, "python-keystoneclient", "python-keystoneclient", "5.1.0", 4,
	                VULND_PACKAGE_CONSTRAINTS);
	g_assert_cmpstr (((VulndPackage *) packages->pdata[1])->raw, ==,
	                 "cinder===22.1.0;python_version=='3.10'");
}

static void
test_dpkg (void)
{
	const char *text =
		"Desired=Unknown/Install/Remove/Purge/Hold\n"                                          /* 1 */
		"| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n"     /* 2 */
		"|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n"                         /* 3 */
		"||/ Name                 Version                 Architecture Description\n"        /* 4 */
		"+++-====================-=======================-============-==========\n"          /* 5 */
		"ii  nova-common          3:27.1.0-0ubuntu1.2      all          OpenStack Compute - common\n" /* 6 */
		"ii  nova-compute-kvm     3:27.1.0-0ubuntu1.2      all          OpenStack Compute - KVM\n"    /* 7 */
		"ii  python3-nova         3:27.1.0-0ubuntu1.2      all          OpenStack Compute - libs\n"   /* 8 */
		"hi  python3-novaclient   2:18.3.0-0ubuntu1        all          client library\n"             /* 9 */
		"ii  openstack-dashboard  4:23.1.0+dfsg-2          all          web dashboard\n"              /* 10 */
		"rc  glance-api           2:26.0.0-0ubuntu1        all          removed, config kept\n"       /* 11 */
		"un  swift                <none>                  <none>       (no description)\n"          /* 12 */
		"ii  neutron-l3-agent     2:22.0.0~rc1-0ubuntu1    all          L3 agent\n"                   /* 13 */
		"ii  python3-oslo.messaging 14.2.1-1               all          messaging\n"                  /* 14 */
		"ii  ironic-python-agent  9.4.0+git2023.abc-1      all          agent\n"                      /* 15 */
		"ii  libc6:amd64          2.36-9+deb12u3          amd64        GNU C Library\n"              /* 16 */
		"ii  python3-widget       1.0+really0.9-2         all          repackaged\n"                 /* 17 */
		"iF  heat-engine          1:20.0.0-1              all          half-configured\n"            /* 18 */
		"ii  keystone             2:23.0.0-0ubuntu1~cloud0 all         Identity\n";                  /* 19 */
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) packages = parse_ok (text, &skipped);

	g_assert_cmpuint (skipped->len, ==, 0);
	g_assert_cmpuint (packages->len, ==, 11);
	assert_package (packages, 0, "nova", "nova-common", "27.1.0", 6, VULND_PACKAGE_DPKG);
	g_assert_cmpstr (((VulndPackage *) packages->pdata[0])->raw_version, ==, "3:27.1.0-0ubuntu1.2");
	assert_package (packages, 1, "nova", "nova-compute-kvm", "27.1.0", 7, VULND_PACKAGE_DPKG);
	assert_package (packages, 2, "nova", "python3-nova", "27.1.0", 8, VULND_PACKAGE_DPKG);
	assert_package (packages, 3, "python-novaclient", "python3-novaclient", "18.3.0", 9,
	                VULND_PACKAGE_DPKG);
	assert_package (packages, 4, "horizon", "openstack-dashboard", "23.1.0", 10, VULND_PACKAGE_DPKG);
	/* rc (removed) and un (not installed) rows are not installed packages */
	assert_package (packages, 5, "neutron", "neutron-l3-agent", "22.0.0rc1", 13, VULND_PACKAGE_DPKG);
	assert_package (packages, 6, "oslo.messaging", "python3-oslo.messaging", "14.2.1", 14,
	                VULND_PACKAGE_DPKG);
	/* a +git snapshot stays a PEP 440 local version, above its release */
	assert_package (packages, 7, "ironic-python-agent", "ironic-python-agent", "9.4.0+git2023.abc", 15,
	                VULND_PACKAGE_DPKG);
	assert_package (packages, 8, "libc6", "libc6:amd64", "2.36", 16, VULND_PACKAGE_DPKG);
	assert_package (packages, 9, "widget", "python3-widget", "0.9", 17, VULND_PACKAGE_DPKG);
	/* iF (half-configured) is not installed either */
	assert_package (packages, 10, "keystone", "keystone", "23.0.0", 19, VULND_PACKAGE_DPKG);
}

/* dpkg-query -W, rpm -qa --qf "%{NAME} %{VERSION}-%{RELEASE}\n", by hand */
static void
test_plain (void)
{
	const char *text =
		"nova-common\t3:27.1.0-0ubuntu1.2\n"          /* 1 */
		"python3-novaclient\t2:18.3.0-0ubuntu1\n"     /* 2 */
		"glance-api\t\n"                               /* 3: known, not installed */
		"libc6:amd64\t2.36-9+deb12u3\n"               /* 4 */
		"openstack-cinder 22.1.0-1.el9\n"              /* 5 */
		"openstack-neutron 1:22.0.0-0.1.0rc1.el9\n"    /* 6: RDO pre-release */
		"keystone 23.0.0\n"                            /* 7: upstream, by hand */
		"nova  27.1.0   # our pin\n"                   /* 8 */
		"hello world\n"                                /* 9 */
		"swift 2.31.1 extra\n";                        /* 10 */
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) packages = parse_ok (text, &skipped);

	g_assert_cmpuint (packages->len, ==, 7);
	assert_package (packages, 0, "nova", "nova-common", "27.1.0", 1, VULND_PACKAGE_PLAIN);
	g_assert_cmpstr (((VulndPackage *) packages->pdata[0])->raw_version, ==, "3:27.1.0-0ubuntu1.2");
	assert_package (packages, 1, "python-novaclient", "python3-novaclient", "18.3.0", 2,
	                VULND_PACKAGE_PLAIN);
	assert_package (packages, 2, "libc6", "libc6:amd64", "2.36", 4, VULND_PACKAGE_PLAIN);
	assert_package (packages, 3, "cinder", "openstack-cinder", "22.1.0", 5, VULND_PACKAGE_PLAIN);
	assert_package (packages, 4, "neutron", "openstack-neutron", "22.0.0rc1", 6, VULND_PACKAGE_PLAIN);
	assert_package (packages, 5, "keystone", "keystone", "23.0.0", 7, VULND_PACKAGE_PLAIN);
	assert_package (packages, 6, "nova", "nova", "27.1.0", 8, VULND_PACKAGE_PLAIN);
	g_assert_cmpuint (skipped->len, ==, 2);
	g_assert_cmpstr (skipped->pdata[0], ==, "line 9: not a package line: hello world");
	g_assert_cmpstr (skipped->pdata[1], ==, "line 10: not a package line: swift 2.31.1 extra");
}

/* rpm -qa (name-version-release.arch, no epoch) */
/* pip list: a header, a rule, then "name version" */
static void
test_pip_list (void)
{
	const char *text =
		"Package            Version\n"
		"------------------ ---------\n"
		"oslo.messaging     14.2.1\n"
		"python-novaclient  18.3.0\n";
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) packages = parse_ok (text, &skipped);

	g_assert_cmpuint (skipped->len, ==, 0);
	g_assert_cmpuint (packages->len, ==, 2);
	assert_package (packages, 0, "oslo.messaging", "oslo.messaging", "14.2.1", 3, VULND_PACKAGE_PLAIN);
	assert_package (packages, 1, "python-novaclient", "python-novaclient", "18.3.0", 4,
	                VULND_PACKAGE_PLAIN);
}

/* pip list --format=json */
static void
test_pip_json (void)
{
	const char *text =
		"[{\"name\": \"nova\", \"version\": \"27.1.0\"}, "
		"{\"name\": \"oslo.messaging\", \"version\": \"14.2.1\", "
		"\"editable_project_location\": \"/src/oslo.messaging\"}, "
		"{\"name\": \"widget\"}, 7, "
		"{\"name\": \"cinder\", \"version\": \"not a version\"}]\n";
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) packages = parse_ok (text, &skipped);
	g_autoptr (GError) error = NULL;

	g_assert_cmpuint (packages->len, ==, 2);
	assert_package (packages, 0, "nova", "nova", "27.1.0", 1, VULND_PACKAGE_PIP_JSON);
	assert_package (packages, 1, "oslo.messaging", "oslo.messaging", "14.2.1", 2,
	                VULND_PACKAGE_PIP_JSON);
	g_assert_cmpuint (skipped->len, ==, 3);
	g_assert_cmpstr (skipped->pdata[0], ==,
	                 "element 3: not a name and a version: {\"name\":\"widget\"}");
	g_assert_cmpstr (skipped->pdata[1], ==, "element 4: not a name and a version: 7");
	g_assert_true (g_str_has_prefix (skipped->pdata[2], "element 5: "));

	/* an empty list is no error; a broken one is */
	g_clear_pointer (&packages, g_ptr_array_unref);
	packages = parse_ok ("  []\n", NULL);
	g_assert_cmpuint (packages->len, ==, 0);
	g_assert_null (vulnd_packages_parse ("[{\"name\": \"nova\", \"version\": \"27.1", NULL, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE);
	g_assert_nonnull (strstr (error->message, "is JSON, and this is not"));
	g_clear_error (&error);
	g_assert_null (vulnd_packages_parse ("[1, 2]", NULL, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE);
	g_assert_nonnull (strstr (error->message, "element 1"));
}

static void
test_rpm (void)
{
	const char *text =
		"openstack-nova-compute-27.1.0-1.el9.noarch\n"              /* 1 */
		"python3-nova-27.1.0-1.el9.noarch\n"                         /* 2 */
		"python3-oslo-messaging-14.2.1-1.el9.noarch\n"               /* 3 */
		"openstack-dashboard-23.1.0-2.el9.noarch\n"                  /* 4 */
		"openstack-keystone-23.0.0-0.2.0rc2.el9.noarch\n"            /* 5 */
		"glibc-2.34-60.el9.x86_64\n"                                /* 6 */
		"python3-ironic-python-agent-9.4.0-1.el9\n"                  /* 7: no arch */
		"openstack-swift-proxy-2.31.1-0.20230601.b123456.el9.noarch\n" /* 8: snapshot */
		"gpg-pubkey-fd431d51-4ae0493b\n"                             /* 9 */
		"no-version-here\n";                                          /* 10 */
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) packages = parse_ok (text, &skipped);

	g_assert_cmpuint (packages->len, ==, 8);
	assert_package (packages, 0, "nova", "openstack-nova-compute", "27.1.0", 1, VULND_PACKAGE_RPM);
	g_assert_cmpstr (((VulndPackage *) packages->pdata[0])->raw_version, ==, "27.1.0-1.el9");
	assert_package (packages, 1, "nova", "python3-nova", "27.1.0", 2, VULND_PACKAGE_RPM);
	assert_package (packages, 2, "oslo-messaging", "python3-oslo-messaging", "14.2.1", 3,
	                VULND_PACKAGE_RPM);
	assert_package (packages, 3, "horizon", "openstack-dashboard", "23.1.0", 4, VULND_PACKAGE_RPM);
	/* a release "0.N.0rcM" is the pre-release before 23.0.0 */
	assert_package (packages, 4, "keystone", "openstack-keystone", "23.0.0rc2", 5, VULND_PACKAGE_RPM);
	assert_package (packages, 5, "glibc", "glibc", "2.34", 6, VULND_PACKAGE_RPM);
	assert_package (packages, 6, "ironic-python-agent", "python3-ironic-python-agent", "9.4.0", 7,
	                VULND_PACKAGE_RPM);
	assert_package (packages, 7, "swift", "openstack-swift-proxy", "2.31.1", 8, VULND_PACKAGE_RPM);
	g_assert_true (vulnd_product_matches ("python3-oslo-messaging", "oslo.messaging"));
	/* the key rpm imports has a hex "version": reported, not guessed */
	g_assert_cmpuint (skipped->len, ==, 2);
	g_assert_cmpstr (skipped->pdata[0], ==, "line 9: not a package line: gpg-pubkey-fd431d51-4ae0493b");
	g_assert_cmpstr (skipped->pdata[1], ==, "line 10: not a package line: no-version-here");
}

static void
test_mixed (void)
{
	const char *text =
		"ii  cinder-volume  2:22.1.0-0ubuntu1  all  Block storage\n"
		"nova==27.1.0\n"
		"neutron===22.0.0\n";
	g_autoptr (GPtrArray) packages = parse_ok (text, NULL);

	g_assert_cmpuint (packages->len, ==, 3);
	assert_package (packages, 0, "cinder", "cinder-volume", "22.1.0", 1, VULND_PACKAGE_DPKG);
	assert_package (packages, 1, "nova", "nova", "27.1.0", 2, VULND_PACKAGE_PIP);
	assert_package (packages, 2, "neutron", "neutron", "22.0.0", 3, VULND_PACKAGE_CONSTRAINTS);
}

static void
test_empty_and_comments (void)
{
	static const char *const texts[] = { "", "\n\n", "# only\n# comments\n", "\r\n  \t\n" };

	for (guint i = 0; i < G_N_ELEMENTS (texts); i++) {
		g_autoptr (GPtrArray) skipped = NULL;
		g_autoptr (GPtrArray) packages = parse_ok (texts[i], &skipped);

		g_assert_cmpuint (packages->len, ==, 0);
		g_assert_cmpuint (skipped->len, ==, 0);
	}
}

static void
test_errors (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) skipped = NULL;

	/* nothing but garbage: an error naming the first bad line */
	g_assert_null (vulnd_packages_parse ("# list\nhello world\nfoo bar baz\n", &skipped, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE);
	g_assert_nonnull (strstr (error->message, "line 2"));
	g_assert_null (skipped);
	g_clear_error (&error);

	g_assert_null (vulnd_packages_parse ("nova==1.0\n\xff\xfe\n", NULL, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_PARSE);
	g_clear_error (&error);

	/* a Debian row whose version is garbage is reported, not guessed */
	{
		g_autoptr (GPtrArray) p = parse_ok ("ii  nova-api  ??bad  all  x\nnova==1.0\n", &skipped);
		g_assert_cmpuint (p->len, ==, 1);
		g_assert_cmpuint (skipped->len, ==, 1);
		g_assert_true (g_str_has_prefix (skipped->pdata[0], "line 1: not a Debian version"));
	}
}

static void
test_product_names (void)
{
	static const struct { const char *package, *product; } cases[] = {
		{ "nova", "nova" },
		{ "Nova", "nova" },
		{ "python3-nova", "nova" },
		{ "python-nova", "nova" },
		{ "nova-common", "nova" },
		{ "nova-api", "nova" },
		{ "nova-compute-kvm", "nova" },
		{ "python3-novaclient", "python-novaclient" },
		{ "python-novaclient", "python-novaclient" },
		{ "python3-openstackclient", "python-openstackclient" },
		{ "openstack-dashboard", "horizon" },
		{ "python3-django-horizon", "horizon" },
		{ "neutron-l3-agent", "neutron" },
		{ "neutron-dhcp-agent", "neutron" },
		{ "heat-api-cfn", "heat" },
		{ "swift-proxy", "swift" },
		{ "ironic-python-agent", "ironic-python-agent" },
		{ "ironic-inspector", "ironic-inspector" },
		{ "blazar-dashboard", "blazar-dashboard" },
		{ "python3-glance-store", "glance-store" },
		{ "glance_store", "glance_store" },
		{ "openstack-nova-compute", "nova" },
		{ "openstack-neutron-sriov-nic-agent", "neutron" },
		{ "openstack-neutron-rpc-server", "neutron" },
		{ "neutron-ovn-metadata-agent", "neutron" },
		{ "openstack-ironic-dnsmasq-tftp-server", "ironic" },
		{ "openstack-octavia-amphora-agent", "octavia" },
		{ "openstack-nova-migration", "nova" },
		{ "python3-nova:amd64", "nova" },
		{ "api", "api" },
		{ "python3-", "python3-" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *product = vulnd_package_product (cases[i].package);
		g_assert_cmpstr (product, ==, cases[i].product);
	}
}

static void
test_candidates (void)
{
	g_auto (GStrv) a = vulnd_product_candidates ("python3-nova");
	g_auto (GStrv) b = vulnd_product_candidates ("Oslo_Messaging");
	g_auto (GStrv) c = vulnd_product_candidates ("nova");

	g_assert_cmpstr (a[0], ==, "nova");
	g_assert_true (g_strv_contains ((const char *const *) a, "python3-nova"));
	g_assert_cmpstr (b[0], ==, "oslo_messaging");
	g_assert_true (g_strv_contains ((const char *const *) b, "oslo.messaging"));
	g_assert_true (g_strv_contains ((const char *const *) b, "oslo-messaging"));
	g_assert_cmpuint (g_strv_length (c), ==, 1);
}

static void
test_matches (void)
{
	static const struct { const char *name, *product; gboolean match; } cases[] = {
		{ "nova", "nova", TRUE },
		{ "nova", "Nova", TRUE },
		{ "python3-nova", "nova", TRUE },
		{ "nova-compute", "nova", TRUE },
		{ "python3-novaclient", "python-novaclient", TRUE },
		{ "python3-novaclient", "nova", FALSE },
		{ "openstack-dashboard", "horizon", TRUE },
		{ "glance-store", "glance_store", TRUE },
		{ "python3-glance-store", "glance_store", TRUE },
		{ "oslo_middleware", "oslo.middleware", TRUE },
		{ "glance-store", "glance", FALSE },
		{ "glance", "glance_store", FALSE },
		{ "ironic-python-agent", "ironic", FALSE },
		{ "ironic-python-agent", "Ironic-Python-Agent", TRUE },
		{ "ironic-inspector", "ironic", FALSE },
		{ "novaa", "nova", FALSE },
		{ "nova", "", FALSE },
		{ "nova", NULL, FALSE },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		if (vulnd_product_matches (cases[i].name, cases[i].product) != cases[i].match)
			g_error ("%s vs %s: expected %s", cases[i].name, cases[i].product,
			         cases[i].match ? "a match" : "no match");
	}
}

static void
test_upstream_versions (void)
{
	static const struct { const char *package_version, *upstream; } cases[] = {
		{ "3:27.1.0-0ubuntu1.2", "27.1.0" },
		{ "2:22.0.0~rc1-0ubuntu1", "22.0.0rc1" },
		{ "4:23.1.0+dfsg-2", "23.1.0" },
		{ "27.1.0-1.el9", "27.1.0" },
		{ "1:27.0.0-0.1.0rc1.el9", "27.0.0rc1" },
		{ "27.0.0-0.2.0b3.el9", "27.0.0b3" },
		/* a snapshot: its hash is no pre-release */
		{ "2.31.1-0.20230601.b123456.el9", "2.31.1" },
		{ "27.1.0", "27.1.0" },
		{ "", NULL },
		{ NULL, NULL },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *up = vulnd_package_upstream_version (cases[i].package_version);
		g_assert_cmpstr (up, ==, cases[i].upstream);
	}
}

static void
test_format_names (void)
{
	g_assert_cmpstr (vulnd_package_format_to_string (VULND_PACKAGE_PIP), ==, "pip");
	g_assert_cmpstr (vulnd_package_format_to_string (VULND_PACKAGE_CONSTRAINTS), ==, "constraints");
	g_assert_cmpstr (vulnd_package_format_to_string (VULND_PACKAGE_DPKG), ==, "dpkg");
	g_assert_cmpstr (vulnd_package_format_to_string (VULND_PACKAGE_PLAIN), ==, "plain");
	g_assert_cmpstr (vulnd_package_format_to_string (VULND_PACKAGE_RPM), ==, "rpm");
	g_assert_cmpstr (vulnd_package_format_to_string (VULND_PACKAGE_PIP_JSON), ==, "pip-json");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/packages/pip-freeze", test_pip_freeze);
	g_test_add_func ("/packages/constraints", test_constraints);
	g_test_add_func ("/packages/dpkg", test_dpkg);
	g_test_add_func ("/packages/plain", test_plain);
	g_test_add_func ("/packages/pip-list", test_pip_list);
	g_test_add_func ("/packages/pip-json", test_pip_json);
	g_test_add_func ("/packages/rpm", test_rpm);
	g_test_add_func ("/packages/mixed", test_mixed);
	g_test_add_func ("/packages/empty", test_empty_and_comments);
	g_test_add_func ("/packages/errors", test_errors);
	g_test_add_func ("/packages/product-names", test_product_names);
	g_test_add_func ("/packages/candidates", test_candidates);
	g_test_add_func ("/packages/matches", test_matches);
	g_test_add_func ("/packages/upstream-versions", test_upstream_versions);
	g_test_add_func ("/packages/format-names", test_format_names);
	return g_test_run ();
}
