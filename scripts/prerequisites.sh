#!/usr/bin/env bash
# Makes sure the system packages MediaFiles needs are present, installing them with apt-get when
# this machine allows it, and otherwise saying exactly what to install. Sourced by run.sh/test.sh.
set -euo pipefail

mf_need_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        echo "MediaFiles needs the .NET 10 SDK: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
        exit 1
    fi
}

# mf_need_packages <command-or-path> <debian-package> ...
mf_need_packages() {
    local missing=()
    while [ $# -gt 1 ]; do
        local probe=$1 package=$2
        shift 2
        if [[ $probe == /* ]]; then [ -x "$probe" ] || missing+=("$package")
        else command -v "$probe" >/dev/null 2>&1 || missing+=("$package"); fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo=""; fi
    fi
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
        echo "Installing ${missing[*]} with apt-get…"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "MediaFiles needs these system packages: ${missing[*]}" >&2
        echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
}
