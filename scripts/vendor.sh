#!/usr/bin/env bash
# Install the front-end libraries the pages use from the npm registry into static/vendor/.
# Versions are pinned here; the files are ignored by git and rebuilt by this script.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vendor="$here/static/vendor"
leaflet_version=1.9.4

if [ -f "$vendor/leaflet/leaflet.js" ] && grep -q "$leaflet_version" "$vendor/leaflet/VERSION" 2>/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "vendor: npm is needed to install Leaflet (apt-get install npm)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "leaflet@$leaflet_version" >/dev/null && tar xzf leaflet-*.tgz)
mkdir -p "$vendor/leaflet"
cp -r "$tmp/package/dist/." "$vendor/leaflet/"
echo "$leaflet_version" > "$vendor/leaflet/VERSION"
