#!/bin/sh
# The image's entry point: `serve` (the default) migrates first, then serves; anything
# else is a huzhu command, e.g. `podman run --rm ... huzhu createsuperuser`.
set -eu
if [ "${1:-serve}" = serve ]; then
  huzhu migrate --no-input
fi
exec huzhu "$@"
