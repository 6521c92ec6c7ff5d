#!/usr/bin/env bash
# Removes the MirtLab service and program. Configuration (/etc/mirtlab), data (/var/lib/mirtlab: inputs, archive,
# quarantine, store, audit trail) and the 'mirtlab' user are kept: MirtLab never deletes an input or a record.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root (sudo)" >&2; exit 1; }
if systemctl list-unit-files mirtlab.service >/dev/null 2>&1; then
  systemctl disable --now mirtlab.service || true
fi
rm -f /etc/systemd/system/mirtlab.service /usr/local/bin/mirtlab
systemctl daemon-reload
rm -rf /opt/mirtlab
echo "Removed the service and /opt/mirtlab. Kept /etc/mirtlab, /var/lib/mirtlab and the user 'mirtlab'."
