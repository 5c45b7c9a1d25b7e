#!/usr/bin/env bash
# Start everything the integration tests need, on loopback only:
#   PostgreSQL 15 + pgvector (eng/pg-start.sh) and Redis (eng/redis-start.sh).
# Installs what is missing from Debian's packages (needs root the first time).
#
# Prints `export ...` lines on stdout (progress goes to stderr), so:
#   eval "$(bash eng/services-start.sh)"
# sets AIALLIN_POSTGRES_URL and AIALLIN_REDIS_URL in the current shell.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -Eeuo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pg=$(bash "$here/pg-start.sh" | tail -n 1)
redis=$(bash "$here/redis-start.sh" | tail -n 1)
case $pg in AIALLIN_POSTGRES_URL=*) ;; *) echo "services-start: pg-start.sh printed no URL" >&2; exit 1 ;; esac
case $redis in AIALLIN_REDIS_URL=*) ;; *) echo "services-start: redis-start.sh printed no URL" >&2; exit 1 ;; esac
echo "export $pg"
echo "export $redis"
