#!/usr/bin/env bash
# Runs the whole MirtLab test suite on a fresh Debian machine.
#
# The tests use real servers, started by the tests themselves on free loopback ports:
# Mosquitto (MQTT broker), PostgreSQL (LIS database) and Chromium (QA pages). This script installs
# them from Debian packages when they are missing, then runs `dotnet test` over the solution.
# It never relies on anything installed by hand. Extra arguments go to `dotnet test`
# (e.g. tests/run.sh --filter "FullyQualifiedName~Readers").
set -euo pipefail
cd "$(dirname "$0")/.."

tests/install-servers.sh

if [ -z "${MIRTLAB_TEST_SQLSERVER:-}" ]; then
  echo "tests/run.sh: SQL Server tests will be SKIPPED (no SQL Server here): set MIRTLAB_TEST_SQLSERVER to a connection string to run them."
fi

rm -f TestResults/fault-injection.txt
# A hung test fails the run with a dump instead of holding CI for its whole time limit.
status=0
dotnet test MirtLab.sln --blame-hang-timeout 10m "$@" || status=$?

# The fault-injection suite's counts (files, results, lost, duplicated, injected failures).
if [ -f TestResults/fault-injection.txt ]; then
  echo
  cat TestResults/fault-injection.txt
fi
exit "$status"
