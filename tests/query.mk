# vulnctl's fast query path (start-up libraries, index-driven affected)
TESTS += tests/query.sh
dist_check_SCRIPTS += tests/query.sh
EXTRA_DIST += tests/bench/bench-query.sh
