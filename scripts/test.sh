#!/usr/bin/env bash
# Runs the whole test suite: unit, component (bUnit), endpoint (WebApplicationFactory) and browser
# (Playwright driving Debian's Chromium). Installs ffmpeg and chromium first when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/prerequisites.sh"
mf_need_dotnet
mf_need_packages ffmpeg ffmpeg ffprobe ffmpeg /usr/bin/chromium chromium

cd "$root"
dotnet build MediaFiles.sln -c Release -warnaserror
dotnet test --project MediaFiles.Tests -c Release --no-build "$@"
