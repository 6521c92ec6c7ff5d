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

missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have mosquitto || missing+=(mosquitto)
have mosquitto_sub || missing+=(mosquitto-clients)
have openssl || missing+=(openssl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
have chromium || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have systemd-analyze || missing+=(systemd)   # verifies deploy/linux/mirtlab.service

if [ "${#missing[@]}" -gt 0 ]; then
  echo "tests/run.sh: installing from Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -z "${MIRTLABTEST_SQLSERVER:-}" ]; then
  echo "tests/run.sh: SQL Server tests will be SKIPPED (no SQL Server here): set MIRTLABTEST_SQLSERVER to a connection string to run them."
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
