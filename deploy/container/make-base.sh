#!/bin/sh
# The base image: a minimal Debian 12 root file system made by debootstrap from Debian's
# own packages (python3, venv, ca-certificates), imported into podman as
# localhost/huzhu-debian-base:bookworm. Nothing is pulled from a container registry.
# Run as root on Debian: `apt-get install -y debootstrap podman`, then this script.
set -eu
MIRROR=${MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$work/rootfs" "$MIRROR"
chroot "$work/rootfs" apt-get clean
tar -C "$work/rootfs" -c . | podman import \
  --change 'CMD ["/bin/sh"]' - localhost/huzhu-debian-base:bookworm
