#!/usr/bin/env bash
# Install the front-end libraries the pages use from the npm registry into static/vendor/.
# Versions are pinned here; the files are ignored by git and rebuilt by this script.
#   leaflet            the map
#   protomaps-leaflet  draws the map's vector tiles (/ogc/collections/*/tiles) on canvas tiles of
#                      a Leaflet grid layer: one 128 KB file (38 KB gzipped), no WebGL, no worker,
#                      no eval, so it runs on cheap phones under the page's CSP (script-src 'self')
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vendor="$here/static/vendor"
leaflet_version=1.9.4
protomaps_leaflet_version=5.1.0

installed() {  # name version
  grep -qx "$2" "$vendor/$1/VERSION" 2>/dev/null
}

if installed leaflet "$leaflet_version" && installed protomaps-leaflet "$protomaps_leaflet_version"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "vendor: npm is needed to install Leaflet (apt-get install npm)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() {  # package version → unpacked in $tmp/<package>/package
  mkdir -p "$tmp/$1"
  (cd "$tmp/$1" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
}

if ! installed leaflet "$leaflet_version"; then
  fetch leaflet "$leaflet_version"
  mkdir -p "$vendor/leaflet"
  cp -r "$tmp/leaflet/package/dist/." "$vendor/leaflet/"
  echo "$leaflet_version" > "$vendor/leaflet/VERSION"
fi
if ! installed protomaps-leaflet "$protomaps_leaflet_version"; then
  fetch protomaps-leaflet "$protomaps_leaflet_version"
  mkdir -p "$vendor/protomaps-leaflet"
  cp "$tmp/protomaps-leaflet/package/dist/protomaps-leaflet.js" \
     "$tmp/protomaps-leaflet/package/LICENSE" "$vendor/protomaps-leaflet/"
  echo "$protomaps_leaflet_version" > "$vendor/protomaps-leaflet/VERSION"
fi
