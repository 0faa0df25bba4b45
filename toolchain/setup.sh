#!/usr/bin/env bash
# One-command set-up for a fresh Debian 12 machine (run as root, from the repository):
# installs every external tool listed in toolchain/packages.json from Debian's
# packages, installs the npm dependencies, builds kiln and links `kiln` onto the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(node -e '
  const tools = require("./toolchain/packages.json").tools;
  console.log([...new Set(tools.map((t) => t.package))].join(" "));
')

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "kiln setup: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
else
  echo "kiln setup: Debian packages already installed"
fi

echo "kiln setup: npm ci"
npm ci --no-audit --no-fund
echo "kiln setup: build"
npm run build
# `kiln` on the PATH: a global link to this checkout, so later builds are what it runs.
echo "kiln setup: npm link (puts kiln on the PATH)"
$SUDO npm link --no-audit --no-fund
node bin/kiln.js doctor
if ! command -v kiln >/dev/null; then
  echo "kiln setup: note: $(npm prefix -g)/bin is not on your PATH; add it to run \`kiln\` (or use \`npx kiln\`)"
fi
