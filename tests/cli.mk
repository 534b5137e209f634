# tests of the command-line tools as whole programs
TESTS += tests/cli-version.sh
dist_check_SCRIPTS += tests/cli-version.sh
