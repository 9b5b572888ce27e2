#!/usr/bin/env bash
# AttnScope setup on Debian 12: installs the missing packages, configures, builds, then
#   packaging/setup.sh gui    opens the GUI on the built-in demo
#   packaging/setup.sh test   runs the whole test suite (CTest, headless)
#   packaging/setup.sh build  only builds
# Environment: BUILD_DIR (default: build), JOBS (default: all cores).
set -euo pipefail

mode="${1:-gui}"
case "$mode" in gui|test|build) ;; *) echo "usage: $0 [gui|test|build]" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"

packages=(
  cmake g++ make pkg-config
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
  libtorch-dev libopenblas0-pthread libopencv-dev libboost-graph-dev
  libbenchmark-dev xvfb xauth fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    sh -c "$install_cmd"
  elif command -v sudo >/dev/null 2>&1; then
    sudo sh -c "$install_cmd"
  else
    echo "setup: these Debian packages are missing; as root run:" >&2
    echo "  $install_cmd" >&2
    exit 1
  fi
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" --parallel "$jobs"

case "$mode" in
  test)
    cd "$build"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$jobs" --timeout 900
    ;;
  gui)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "setup: no display found; starting the GUI under xvfb-run would show nothing." >&2
      echo "setup: run $build/app/attnscope on a desktop session." >&2
      exit 0
    fi
    exec "$build/app/attnscope" --demo
    ;;
esac
