# tests of the command-line tools as whole programs
TESTS += tests/cli-version.sh
dist_check_SCRIPTS += tests/cli-version.sh
TESTS += tests/corpus-score.sh
dist_check_SCRIPTS += tests/corpus-score.sh
TESTS += tests/cli-status.sh
dist_check_SCRIPTS += tests/cli-status.sh
