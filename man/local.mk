# Manual pages (mdoc), checked with mandoc -Tlint.
dist_man_MANS += man/vulnd.8 man/vulnctl.1 man/vulnd.conf.5
