#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major release (default 26), installing the
# npm package `node@<major>` (which ships the official binary) into ~/.cache/passerelle once.
# CI runs the test suite on it besides the machine's own Node.
set -euo pipefail

major="${1:-26}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/passerelle/node-$major"
binary="$cache/node_modules/node/bin/node"

if [ ! -x "$binary" ] || [[ "$("$binary" --version 2>/dev/null)" != "v$major."* ]]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save "node@$major" >&2
fi
version="$("$binary" --version 2>/dev/null || true)"
if [[ "$version" != "v$major."* ]]; then
  echo "The npm package node@$major did not provide a Node $major binary at $binary (got '${version:-nothing}')." >&2
  exit 1
fi
echo "$binary"
