#!/usr/bin/env bash
# Install the Debian packages Loa needs, only those that are missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# DOCX -> PDF (LibreOffice headless), PDF -> PNG (poppler), and the metric-compatible stand-ins
# for Times New Roman (Liberation Serif) so PDFs break lines as Word does.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
# optional machine-voice audio of loudspeaker scripts (Vietnamese voices), MP3 encoding
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v lame >/dev/null 2>&1 || need+=(lame)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "Missing system packages: ${need[*]}. Install them as root: apt-get install ${need[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "Installing system packages: ${need[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
