#!/usr/bin/env bash
# Make a PostgreSQL 15 server with the pgvector extension (>= 0.8) available on
# 127.0.0.1:5432 for the project's tests, with database `jembatan_test`.
#
# Non-interactive, idempotent, meant to run as root (CI runs it with CI=true and
# no stdin). When pgvector is already installed it does no apt work at all.
#
# pgvector is not packaged for PostgreSQL 15 in Debian 12 (bookworm), so it is
# built from Debian's *source* package of a newer release (trixie by default):
# a deb-src-only entry is added for that release (reusing the configured Debian
# mirror), `apt-get source pgvector` fetches it, and `make && make install`
# builds it against postgresql-server-dev-15. No binary package of the newer
# release is ever enabled, so nothing else gets upgraded.
#
# Environment overrides (all optional):
#   PG_MAJOR            PostgreSQL major version         (default: 15)
#   PG_HOST / PG_PORT   where the server must listen     (default: 127.0.0.1 / 5432)
#   PG_USER             superuser to connect as (trust)  (default: postgres)
#   TEST_DB             database to create               (default: jembatan_test)
#   PGVECTOR_SRC_SUITE  Debian suite to take pgvector's source from (default: trixie)
#   PGVECTOR_MIN        minimum pgvector version         (default: 0.8.0)
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
TEST_DB="${TEST_DB:-jembatan_test}"
PGVECTOR_SRC_SUITE="${PGVECTOR_SRC_SUITE:-trixie}"
PGVECTOR_MIN="${PGVECTOR_MIN:-0.8.0}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
SRC_LIST="/etc/apt/sources.list.d/pgvector-${PGVECTOR_SRC_SUITE}-src.sources"
KEYRING="/usr/share/keyrings/debian-archive-keyring.gpg"

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
SCRIPT_START=$SECONDS

log() { echo "[setup-postgres] $*"; }
die() {
  echo "[setup-postgres] ERROR: $1" >&2
  shift
  local line
  for line in "$@"; do echo "[setup-postgres]   -> $line" >&2; done
  exit 1
}

# Turn an unexpected failure under `set -e` into a readable message.
on_err() {
  local rc=$? cmd=$BASH_COMMAND
  echo "[setup-postgres] ERROR: command failed (exit $rc) at line ${BASH_LINENO[0]}: $cmd" >&2
  echo "[setup-postgres]   -> see the output above; rerun with 'bash -x scripts/setup-postgres.sh' for a trace" >&2
  exit "$rc"
}
trap on_err ERR

BUILD_DIR=""
cleanup() { if [[ -n "$BUILD_DIR" && -d "$BUILD_DIR" ]]; then rm -rf "$BUILD_DIR"; fi; }
trap cleanup EXIT

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  fi
fi
as_root() {
  if [[ $(id -u) -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
    die "root is needed to run: $*" "run this script as root (CI does) or with password-less sudo"
  fi
  "${SUDO[@]}" "$@"
}

psql_q() { # psql_q DB SQL... : quiet, tuples only, stop on first error
  local db=$1; shift
  PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -tA "$@"
}

control_file() { echo "$("$PG_CONFIG" --sharedir)/extension/vector.control"; }
available_vector_version() { # prints default_version from vector.control, or nothing
  local ctl
  ctl=$(control_file)
  [[ -f "$ctl" && -f "$("$PG_CONFIG" --pkglibdir)/vector.so" ]] || return 0
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$ctl" | head -n1
}

apt_updated=0
apt_update() {
  log "apt-get update"
  as_root apt-get "${APT_OPTS[@]}" update \
    || die "apt-get update failed" \
      "check network access to the Debian mirror and the entries in /etc/apt/sources.list{,.d/}" \
      "if the failure is about ${SRC_LIST}, remove that file and rerun"
  apt_updated=1
}
apt_install() { # installs the packages that are not installed yet
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $apt_updated -eq 1 ]] || apt_update
  log "apt-get install ${missing[*]}"
  as_root apt-get "${APT_OPTS[@]}" install --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed" \
      "see apt's output above; try 'apt-get update && apt-get install ${missing[*]}' by hand"
}

# Mirror URI of the configured Debian archive for this release (not -security,
# not third-party), from one-line *.list files and deb822 *.sources files.
debian_mirror_uri() {
  local codename uri=""
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  local files=()
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  local f
  for f in /etc/apt/sources.list.d/*.list; do [[ -f "$f" ]] && files+=("$f"); done
  if [[ ${#files[@]} -gt 0 ]]; then
    uri=$(sed -e 's/#.*//' -e 's/\[[^]]*\]//g' "${files[@]}" \
      | awk -v s="$codename" '($1=="deb"||$1=="deb-src") && $3==s && $2 ~ /^https?:\/\// {print $2; exit}')
  fi
  if [[ -z "$uri" ]]; then
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f "$f" && "$f" != "$SRC_LIST" ]] || continue
      uri=$(awk -v s="$codename" '
        BEGIN { RS=""; FS="\n" }
        {
          types=""; uris=""; suites=""; enabled="yes"
          for (i=1; i<=NF; i++) {
            line=$i; sub(/#.*/, "", line)
            if (line ~ /^[Tt]ypes:/)   { sub(/^[^:]*:[ \t]*/, "", line); types=line }
            if (line ~ /^URIs:/)       { sub(/^[^:]*:[ \t]*/, "", line); uris=line }
            if (line ~ /^[Ss]uites:/)  { sub(/^[^:]*:[ \t]*/, "", line); suites=line }
            if (line ~ /^[Ee]nabled:/) { sub(/^[^:]*:[ \t]*/, "", line); enabled=line }
          }
          if (enabled ~ /^[Nn]o/ || types !~ /deb/) next
          n=split(suites, sv, /[ \t]+/); ok=0
          for (j=1; j<=n; j++) if (sv[j]==s) ok=1
          if (!ok) next
          split(uris, uv, /[ \t]+/)
          if (uv[1] ~ /^https?:\/\//) { print uv[1]; exit }
        }' "$f")
      [[ -n "$uri" ]] && break
    done
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

build_pgvector() {
  log "pgvector >= ${PGVECTOR_MIN} not available for PostgreSQL ${PG_MAJOR}: building it from Debian ${PGVECTOR_SRC_SUITE}'s source package"
  local t0=$SECONDS mirror keyopt=""
  mirror=$(debian_mirror_uri)
  log "using Debian mirror ${mirror} for deb-src ${PGVECTOR_SRC_SUITE} (source only, no binary packages)"
  [[ -f "$KEYRING" ]] && keyopt="Signed-By: ${KEYRING}"
  local entry
  entry=$(printf '%s\n' \
    "# Added by scripts/setup-postgres.sh: source packages only (deb-src), used to build" \
    "# pgvector for PostgreSQL ${PG_MAJOR}. No binary packages from ${PGVECTOR_SRC_SUITE} are enabled." \
    "Types: deb-src" \
    "URIs: ${mirror}" \
    "Suites: ${PGVECTOR_SRC_SUITE}" \
    "Components: main" \
    ${keyopt:+"$keyopt"})
  if [[ ! -f "$SRC_LIST" ]] || [[ "$(cat "$SRC_LIST")" != "$entry" ]]; then
    printf '%s\n' "$entry" | as_root tee "$SRC_LIST" >/dev/null
    log "wrote ${SRC_LIST}"
  fi
  apt_update
  apt_install "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev

  BUILD_DIR=$(mktemp -d /tmp/pgvector-build.XXXXXX)
  # Let apt's _apt user download into it (avoids the "unsandboxed as root" warning).
  if [[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$BUILD_DIR"; fi
  log "apt-get source pgvector (into ${BUILD_DIR})"
  (cd "$BUILD_DIR" && apt-get -q source pgvector) \
    || die "apt-get source pgvector failed" \
      "check that ${SRC_LIST} is correct and that 'apt-get update' fetched its Sources index" \
      "'apt-cache showsrc pgvector' should list a version from ${PGVECTOR_SRC_SUITE}"
  local srcdir
  srcdir=$(find "$BUILD_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
  [[ -n "$srcdir" && -f "$srcdir/Makefile" ]] \
    || die "could not find the unpacked pgvector source in ${BUILD_DIR}" "is dpkg-dev installed (dpkg-source unpacks it)?"
  log "building $(basename "$srcdir") against $("$PG_CONFIG" --version)"
  # OPTFLAGS= : no -march=native, so the build does not depend on this CPU.
  make -C "$srcdir" -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null \
    || die "building pgvector failed" "see the compiler output above; is postgresql-server-dev-${PG_MAJOR} installed?"
  as_root make -C "$srcdir" -s PG_CONFIG="$PG_CONFIG" OPTFLAGS="" install >/dev/null \
    || die "installing pgvector failed" "see the output above"
  log "pgvector built and installed in $((SECONDS - t0)) s"
}

start_cluster() {
  local ver=$PG_MAJOR
  [[ -d "/etc/postgresql/${ver}/main" ]] || ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  [[ -n "$ver" && -d "/etc/postgresql/${ver}/main" ]] \
    || die "no PostgreSQL cluster found in /etc/postgresql" \
      "install it with 'apt-get install postgresql-${PG_MAJOR}' (creates cluster ${PG_MAJOR}/main) and rerun"
  if pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
    die "cluster ${ver}/main is running but does not accept connections on ${PG_HOST}:${PG_PORT}" \
      "check its port/listen_addresses: pg_lsclusters; grep -E '^(port|listen_addresses)' /etc/postgresql/${ver}/main/postgresql.conf" \
      "the tests expect ${PG_HOST}:${PG_PORT}; fix the config and run: pg_ctlcluster --skip-systemctl-redirect ${ver} main restart"
  fi
  log "server not accepting connections on ${PG_HOST}:${PG_PORT}: starting cluster ${ver}/main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start \
    || die "could not start cluster ${ver}/main" \
      "see /var/log/postgresql/postgresql-${ver}-main.log" \
      "start it by hand: pg_ctlcluster --skip-systemctl-redirect ${ver} main start"
}

wait_ready() { # wait_ready SECONDS
  local deadline=$((SECONDS + $1))
  until pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; do
    (( SECONDS < deadline )) || return 1
    sleep 1
  done
}

# --- 0. PostgreSQL itself ------------------------------------------------------
if [[ ! -x "$PG_CONFIG" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "PostgreSQL ${PG_MAJOR} not installed: installing postgresql-${PG_MAJOR}"
  apt_install "postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}"
fi
[[ -x "$PG_CONFIG" ]] || die "${PG_CONFIG} not found" "install postgresql-client-${PG_MAJOR}"
command -v psql >/dev/null && command -v pg_isready >/dev/null \
  || die "psql / pg_isready not found" "install postgresql-client-${PG_MAJOR}"

# --- 1. pgvector -------------------------------------------------------------
have=$(available_vector_version)
if [[ -n "$have" ]] && dpkg --compare-versions "$have" ge "$PGVECTOR_MIN"; then
  log "pgvector ${have} already available for PostgreSQL ${PG_MAJOR} ($(control_file)): skipping build"
else
  [[ -n "$have" ]] && log "pgvector ${have} is installed but older than ${PGVECTOR_MIN}: rebuilding"
  build_pgvector
  have=$(available_vector_version)
  [[ -n "$have" ]] || die "pgvector build finished but $(control_file) or vector.so is missing"
  dpkg --compare-versions "$have" ge "$PGVECTOR_MIN" \
    || die "built pgvector ${have}, but >= ${PGVECTOR_MIN} is needed (for hnsw.iterative_scan)" \
      "try a newer suite: PGVECTOR_SRC_SUITE=sid bash scripts/setup-postgres.sh"
fi

# --- 2. server running ---------------------------------------------------------
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; then
  start_cluster
fi
log "waiting for ${PG_HOST}:${PG_PORT} to accept connections (up to 30 s)"
wait_ready 30 \
  || die "PostgreSQL is not accepting connections on ${PG_HOST}:${PG_PORT} after 30 s" \
    "check: pg_lsclusters; tail /var/log/postgresql/postgresql-${PG_MAJOR}-main.log" \
    "the cluster must listen on ${PG_HOST} port ${PG_PORT} (listen_addresses/port in /etc/postgresql/${PG_MAJOR}/main/postgresql.conf)"

err=$(psql_q postgres -c 'SELECT 1' 2>&1 >/dev/null) \
  || die "cannot connect as '${PG_USER}' to ${PG_HOST}:${PG_PORT}: ${err}" \
    "the tests need trust auth for ${PG_HOST}: in /etc/postgresql/${PG_MAJOR}/main/pg_hba.conf add 'host all all 127.0.0.1/32 trust'," \
    "then: pg_ctlcluster --skip-systemctl-redirect ${PG_MAJOR} main reload"
server_ver=$(psql_q postgres -c 'SHOW server_version')
server_major=$(psql_q postgres -c "SELECT current_setting('server_version_num')::int / 10000")
[[ "$server_major" == "$PG_MAJOR" ]] \
  || die "the server on ${PG_HOST}:${PG_PORT} is PostgreSQL ${server_ver}, not ${PG_MAJOR}" \
    "pgvector was built for ${PG_MAJOR}; stop the other cluster or move it to another port (see pg_lsclusters)"

# --- 3. test database + extension ---------------------------------------------
if [[ "$(psql_q postgres -c "SELECT 1 FROM pg_database WHERE datname = '${TEST_DB}'")" == "1" ]]; then
  log "database ${TEST_DB} exists"
else
  log "creating database ${TEST_DB}"
  psql_q postgres -c "CREATE DATABASE \"${TEST_DB}\"" \
    || die "could not create database ${TEST_DB}" "see the psql error above"
fi

psql_q "$TEST_DB" -c 'CREATE EXTENSION IF NOT EXISTS vector' \
  || die "CREATE EXTENSION vector failed in ${TEST_DB}" \
    "check that $(control_file) and $("$PG_CONFIG" --pkglibdir)/vector.so exist; rerun this script"
installed=$(psql_q "$TEST_DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")
if dpkg --compare-versions "$installed" lt "$have"; then
  log "updating extension vector ${installed} -> ${have} in ${TEST_DB}"
  psql_q "$TEST_DB" -c 'ALTER EXTENSION vector UPDATE' || die "ALTER EXTENSION vector UPDATE failed in ${TEST_DB}"
  installed=$(psql_q "$TEST_DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")
fi

# --- 4. verify hnsw.iterative_scan (pgvector >= 0.8) --------------------------
# The cast loads vector.so first, so SET is checked against the real GUC (an
# unloaded library would accept any value for a dotted placeholder name).
check=$(psql_q "$TEST_DB" 2>&1 <<'SQL'
SELECT '[1,2,3]'::vector IS NOT NULL;
SET hnsw.iterative_scan = relaxed_order;
SHOW hnsw.iterative_scan;
CREATE TEMP TABLE setup_check (id int, v vector(3));
INSERT INTO setup_check VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0,0,1]');
CREATE INDEX ON setup_check USING hnsw (v vector_l2_ops);
SET enable_seqscan = off;
SELECT id FROM setup_check ORDER BY v <-> '[0,1,0.1]' LIMIT 1;
SQL
) || die "hnsw.iterative_scan check failed: ${check}" \
  "pgvector ${installed} in ${TEST_DB} must be >= ${PGVECTOR_MIN}; rerun this script to rebuild/update it"
expected=$'t\nrelaxed_order\n2'
[[ "$check" == "$expected" ]] \
  || die "hnsw.iterative_scan check gave unexpected output: ${check//$'\n'/ | }" "expected: ${expected//$'\n'/ | }"

log "hnsw.iterative_scan = relaxed_order works"
log "OK: PostgreSQL ${server_ver%% *} on ${PG_HOST}:${PG_PORT}, database ${TEST_DB}, pgvector ${installed} (done in $((SECONDS - SCRIPT_START)) s)"
