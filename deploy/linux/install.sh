#!/usr/bin/env bash
# Installs MirtLab as a systemd service on Debian/Ubuntu/RHEL:
#   dotnet publish src/MirtLab.Worker -c Release -o out/mirtlab
#   sudo deploy/linux/install.sh out/mirtlab
# Creates the system user 'mirtlab', /opt/mirtlab (program, root-owned), /etc/mirtlab (configuration and the secrets
# file, root:mirtlab 0640), /var/lib/mirtlab (data, mirtlab 0750), the unit /etc/systemd/system/mirtlab.service and
# the command /usr/local/bin/mirtlab. An existing configuration is never overwritten; data is never touched.
# Run it again to upgrade the program.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
publish="${1:-}"
prefix=/opt/mirtlab
config=/etc/mirtlab
data=/var/lib/mirtlab
unit=/etc/systemd/system/mirtlab.service

die() { echo "install.sh: $*" >&2; exit 1; }

[ -n "$publish" ] || die "usage: install.sh PUBLISH_FOLDER (the output of: dotnet publish src/MirtLab.Worker -c Release -o PUBLISH_FOLDER)"
[ -x "$publish/mirtlab" ] || die "'$publish/mirtlab' is not there or not executable: publish first"
[ -f "$publish/config/appsettings.json" ] || die "'$publish/config/appsettings.json' is missing: publish the MirtLab.Worker project"
[ "$(id -u)" -eq 0 ] || die "run as root (sudo)"
command -v systemctl >/dev/null || die "systemd is required"

# The service account: no login, no home of its own beyond the data folder.
getent group mirtlab >/dev/null || groupadd --system mirtlab
id -u mirtlab >/dev/null 2>&1 || useradd --system --gid mirtlab --home-dir "$data" --no-create-home --shell /usr/sbin/nologin --comment "MirtLab service" mirtlab

# The program: owned by root, so the service cannot change its own code.
install -d -m 0755 -o root -g root "$prefix"
cp -R "$publish/." "$prefix/"
chown -R root:root "$prefix"
chmod -R u+rwX,go+rX,go-w "$prefix"

# The configuration: readable by the service, writable by root only; the shipped files only when none exist.
install -d -m 0750 -o root -g mirtlab "$config"
fresh_config=no
for file in appsettings.json rules.json; do
  if [ ! -e "$config/$file" ]; then
    install -m 0640 -o root -g mirtlab "$publish/config/$file" "$config/$file"
    [ "$file" = appsettings.json ] && fresh_config=yes
  fi
done
if [ -d "$publish/config/formats" ] && [ ! -e "$config/formats" ]; then
  install -d -m 0750 -o root -g mirtlab "$config/formats"
  find "$publish/config/formats" -maxdepth 1 -type f -name '*.json' -exec install -m 0640 -o root -g mirtlab {} "$config/formats/" \;
fi
if [ "$fresh_config" = yes ]; then
  # The shipped data root (../data, beside config/) becomes the service's state directory.
  sed -i 's#"DataRoot": "../data"#"DataRoot": "/var/lib/mirtlab"#' "$config/appsettings.json"
fi
if [ ! -e "$config/mirtlab.env" ]; then
  install -m 0640 -o root -g mirtlab /dev/null "$config/mirtlab.env"
  printf '%s\n' '# Secrets for MirtLab, one VARIABLE=value per line (systemd EnvironmentFile), e.g.' \
    '# MIRTLAB_Mqtt__Password=...' '# MIRTLAB_Lis__ConnectionString=Host=lis.example;Database=lis;Username=mirtlab;Password=...' > "$config/mirtlab.env"
fi

# The data: the service's alone (inputs, archive, store, the keys protecting QA sessions).
install -d -m 0750 -o mirtlab -g mirtlab "$data"

# The command line for lab IT: mirtlab status, mirtlab config validate, ... (run as the service account:
# sudo -u mirtlab mirtlab status).
# shellcheck disable=SC2016 # the wrapper expands $MIRTLAB_CONFIG and $@ when it runs, not now
printf '%s\n' '#!/bin/sh' 'MIRTLAB_CONFIG="${MIRTLAB_CONFIG:-/etc/mirtlab/appsettings.json}" exec /opt/mirtlab/mirtlab "$@"' > /usr/local/bin/mirtlab
chmod 0755 /usr/local/bin/mirtlab

install -m 0644 -o root -g root "$here/mirtlab.service" "$unit"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit"
fi
systemctl daemon-reload
systemctl enable mirtlab.service

if ! runuser -u mirtlab -- /usr/local/bin/mirtlab config validate >/dev/null; then
  echo "install.sh: the configuration in $config is not valid yet; see: sudo -u mirtlab mirtlab config validate" >&2
fi

cat <<DONE
MirtLab is installed and enabled.
  configuration  $config/appsettings.json (secrets: $config/mirtlab.env)
  data           $data
  start          systemctl start mirtlab      (or restart, after an upgrade)
  is it working  systemctl status mirtlab; sudo -u mirtlab mirtlab status; curl -s http://127.0.0.1:5080/health/ready
  logs           journalctl -u mirtlab -f     (JSON, one event per line)
DONE
