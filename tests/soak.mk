# tests of the soak area: the fault soak under load (short version here;
# tests/soak.sh --full is the 10,000-message run, see docs/soak.md), vulnd
# with several sources at once, and the hook-retry regression it found.
TESTS += tests/soak.sh tests/daemon-sources.sh tests/daemon-hook-retry.sh
dist_check_SCRIPTS += tests/soak.sh tests/daemon-sources.sh tests/daemon-hook-retry.sh
EXTRA_DIST += docs/soak.md
