#!/usr/bin/env bash
# Installs from Debian packages what the tests and the benchmarks start themselves, when it is missing:
# Mosquitto (MQTT broker and its C clients), PostgreSQL (LIS database), Chromium and its driver (QA pages),
# systemd-analyze (verifies deploy/linux/mirtlab.service). Never relies on anything installed by hand.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have mosquitto || missing+=(mosquitto)
have mosquitto_sub || missing+=(mosquitto-clients)
have openssl || missing+=(openssl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
have chromium || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have systemd-analyze || missing+=(systemd)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "tests/install-servers.sh: installing from Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
