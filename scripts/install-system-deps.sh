#!/usr/bin/env bash
# Installs the system libraries cardwright needs at run time on Debian/Ubuntu: Pango and
# HarfBuzz for WeasyPrint's PDF rendering, and a font.  Safe to run again; does nothing when
# they are present.  (Other systems: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "install these system packages: ${missing[*]}" >&2; exit 1; }
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
