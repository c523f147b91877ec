# SPDX-License-Identifier: EUPL-1.2
# Shared by build-aux/run-demo and build-aux/run-tests: installs the Debian
# packages Regie needs when they are missing, and configures the build.

REGIE_PACKAGES="gcc pkg-config meson ninja-build gettext python3
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsqlite3-dev libssl-dev glib-networking
  xvfb xauth desktop-file-utils appstream-util dbus-daemon
  adwaita-icon-theme fonts-cantarell fonts-dejavu-core"

regie_ensure_packages () {
  local missing=""
  for pkg in $REGIE_PACKAGES $*; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  [ -z "$missing" ] && return 0

  echo "Installing Debian packages:$missing"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "error: these packages are missing and sudo is not available:$missing" >&2
      echo "       run this command as root once." >&2
      exit 1
    fi
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when an install from them fails.
  $sudo apt-get install -y -q $missing ||
    { $sudo apt-get update -q && $sudo apt-get install -y -q $missing; }
}

# regie_build BUILDDIR [meson options...]
regie_build () {
  local builddir="$1"; shift
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$@"
  else
    meson setup --reconfigure "$builddir" "$@" >/dev/null
  fi
  meson compile -C "$builddir"
}
