#!/usr/bin/env bash
# First start of the compose PostgreSQL (empty volume): create Sightline's two login roles with their passwords,
# with exactly the attributes migration 0001 gives them (it creates them only when missing, so these are kept):
# not superuser, no BYPASSRLS, NOINHERIT. The passwords come from the environment, never from this file; psql
# quotes them (:'var'), so no value is pasted into SQL text.
set -euo pipefail
: "${SIGHTLINE_APP_DB_PASSWORD:?}" "${SIGHTLINE_READER_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_pw="$SIGHTLINE_APP_DB_PASSWORD" -v reader_pw="$SIGHTLINE_READER_DB_PASSWORD" <<'SQL'
CREATE ROLE sightline_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_pw';
CREATE ROLE sightline_reader LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'reader_pw';
SQL
