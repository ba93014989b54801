#!/usr/bin/env bash
# Installs the Debian packages k8supdater builds and tests with, when any is missing.
# Used by `make demo`, `make test` and .ci/run. Idempotent; needs root (or sudo) only when installing.
set -euo pipefail

packages=(
  libcurl4-openssl-dev   # CCurl: libcurl headers (HTTP, HTTP/2, SMTP)
  libssl-dev             # libcrypto (SHA-256 for shard hashing), openssl headers
  openssl                # tests make throwaway CAs and certificates
  python3-aiosmtpd       # a real SMTP server for the SMTP tests
  python3-kubernetes     # the official Python client, a JSON client of the emulator (Lease timestamps)
  docker-registry        # a real OCI registry (CNCF distribution) for the registry tests
  apache2-utils          # htpasswd, for the registry's basic-auth tests
  spin                   # the SPIN model checker: the sharding handoff model (Sources/Coordination/Model)
  gcc                    # compiles SPIN's verifier (pan.c)
  pkg-config             # SwiftPM finds libcurl through it
  make
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
