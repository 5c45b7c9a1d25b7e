#!/usr/bin/env bash
# Stop the test PostgreSQL and Redis started by eng/services-start.sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/pg-stop.sh"
bash "$here/redis-stop.sh"
