#!/usr/bin/env bash
# Installs, from Debian's packages and only when missing, what the sandboxed code runner needs:
# bubblewrap and the system toolchains it runs inside the sandbox. The runner uses /usr/bin tools only,
# because toolchains under a user's home (pyenv, rustup) are unreadable to the sandbox's unprivileged uid.
# Quiet and cheap when everything is present.
set -euo pipefail

declare -A wanted=(
    [/usr/bin/bwrap]=bubblewrap
    [/usr/bin/python3]=python3
    [/usr/bin/node]=nodejs
    [/usr/bin/gcc]=gcc
    [/usr/bin/g++]=g++
    [/usr/bin/javac]=openjdk-17-jdk-headless
    [/usr/bin/go]=golang-go
    [/usr/bin/rustc]=rustc
)

missing=()
for path in "${!wanted[@]}"; do
    if [ ! -x "$path" ]; then
        missing+=("${wanted[$path]}")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "The code runner needs these Debian packages: ${missing[*]}." >&2
    echo "Install them as root (apt-get install ${missing[*]}); until then coding runs are refused." >&2
    exit 0
fi

echo "Installing the code runner's packages: ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
