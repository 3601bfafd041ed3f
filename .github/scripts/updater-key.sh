#!/usr/bin/env bash
# Release jobs: checks the updater's signing key before the long build. A tag build (DRAFT=false)
# without TAURI_SIGNING_PRIVATE_KEY stops here: installed copies could never update to it. A draft
# build without it goes on with the updater artifacts switched off (UPDATER_CONFIG for tauri build).
set -euo pipefail
if [ -n "${TAURI_SIGNING_PRIVATE_KEY:-}" ]; then
  echo "The updater key is set: the bundles are signed for the updater."
  exit 0
fi
if [ "${DRAFT:-true}" = false ]; then
  echo "::error::The repository secret TAURI_SIGNING_PRIVATE_KEY is not set, so this release could not be installed as an update. Add it (README.md, How to cut a release) and push the tag again."
  exit 1
fi
echo "::warning::TAURI_SIGNING_PRIVATE_KEY is not set: a draft without updater signatures and without latest.json."
echo 'UPDATER_CONFIG={"bundle":{"createUpdaterArtifacts":false}}' >> "$GITHUB_ENV"
