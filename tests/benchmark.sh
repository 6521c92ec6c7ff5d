#!/usr/bin/env bash
# Runs the MirtLab benchmarks (README "Performance") in Release, after installing the servers they start
# (PostgreSQL, Mosquitto and its mosquitto_pub) when missing. Arguments go to the benchmark program:
#   tests/benchmark.sh --quick          about a minute
#   tests/benchmark.sh --full           under ten minutes
#   tests/benchmark.sh --full --only 1,4
set -euo pipefail
cd "$(dirname "$0")/.."
tests/install-servers.sh
exec dotnet run -c Release --project tests/MirtLab.Benchmarks -- "$@"
