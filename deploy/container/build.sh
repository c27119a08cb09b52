#!/bin/sh
# Build localhost/huzhu:latest: the wheels of the lock file (requirements/base.txt) are
# made here first, with this machine's pip and its configuration (index, proxy, CA), so
# the image build itself needs no network. Run from anywhere, as root, after make-base.sh:
#   deploy/container/build.sh [extra podman build options]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
rm -rf deploy/container/wheels
python3 -m venv deploy/container/wheels/.pip
deploy/container/wheels/.pip/bin/pip install --quiet --upgrade pip
deploy/container/wheels/.pip/bin/pip wheel --quiet -r requirements/base.txt \
  "setuptools>=77" wheel -w deploy/container/wheels
rm -rf deploy/container/wheels/.pip
podman build -f deploy/container/Containerfile -t localhost/huzhu:latest "$@" .
