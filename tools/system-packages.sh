#!/usr/bin/env bash
# Debian packages the project needs, installed only when missing (idempotent):
#   chromium      headless browser for the built-HTML tests (driven by Playwright, no download)
#   fonts-noto-cjk  Korean font (Noto Sans CJK KR) for matplotlib figures and the browser
set -euo pipefail
needed=(chromium fonts-noto-cjk)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
echo "Debian 패키지 설치: ${missing[*]}"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
