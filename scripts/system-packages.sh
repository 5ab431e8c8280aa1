#!/usr/bin/env bash
# System packages the full test suite needs (Debian): LibreOffice for PDF, CJK fonts, poppler for
# pdftoppm, Chromium for the browser tests, tesseract (with its Simplified Chinese model) for OCR of scanned PDFs. Installs what is missing when run as root with apt-get;
# otherwise names the packages to install.
set -euo pipefail
packages=(fonts-noto-cjk libreoffice-writer-nogui poppler-utils chromium tesseract-ocr tesseract-ocr-chi-sim)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "缺少系统软件包：${missing[*]}（请以 root 运行 apt-get install -y ${missing[*]}）" >&2
  exit 1
fi
