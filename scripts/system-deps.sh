#!/usr/bin/env bash
# Installs the Debian packages named on the command line when their command is missing.
set -euo pipefail
declare -A command_of=([ffmpeg]=ffmpeg [chromium]=chromium)
missing=()
for pkg in "$@"; do
  command -v "${command_of[$pkg]:-$pkg}" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]} from Debian's packages"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
