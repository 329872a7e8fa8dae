#!/bin/sh
# Build the VS Code extension package (policylang.vsix) from this folder: installs the
# locked npm dependencies, then packs with vsce. Needs node and npm; no marketplace.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npx --no-install @vscode/vsce package --allow-missing-repository --skip-license --out policylang.vsix
