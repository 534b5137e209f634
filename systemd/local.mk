# systemd unit, sysusers/tmpfiles snippets, D-Bus policy and introspection.
systemdsystemunit_DATA = systemd/vulnd.service
sysusersdir = $(prefix)/lib/sysusers.d
dist_sysusers_DATA = systemd/vulnd-sysusers.conf
tmpfilesdir = $(prefix)/lib/tmpfiles.d
dist_tmpfiles_DATA = systemd/vulnd-tmpfiles.conf
dbuspolicydir = $(datadir)/dbus-1/system.d
dist_dbuspolicy_DATA = systemd/org.openstack.vulnd.conf
dbusinterfacesdir = $(datadir)/dbus-1/interfaces
dist_dbusinterfaces_DATA = systemd/org.openstack.vulnd.xml
vulnddocdir = $(docdir)
dist_vulnddoc_DATA = systemd/vulnd.conf.example

EXTRA_DIST += systemd/vulnd.service.in
CLEANFILES += systemd/vulnd.service

systemd/vulnd.service: systemd/vulnd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	$(SED) -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/systemd/vulnd.service.in > $@.tmp && mv $@.tmp $@
