#!/bin/sh
# The compose `backup` service: pg_dump (custom format: compressed, restorable with
# pg_restore table by table) every BACKUP_INTERVAL_SECONDS into /backups, keeping the newest
# BACKUP_KEEP dumps. A dump is written under a temporary name and renamed when complete, so a
# half-written file is never mistaken for a backup. Connection: PGHOST, PGUSER, PGDATABASE,
# PGPASSWORD. README "Backups" has the restore runbook.
set -u
interval="${BACKUP_INTERVAL_SECONDS:-86400}"
keep="${BACKUP_KEEP:-14}"
while true; do
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  target="/backups/gesprekswijzer-$stamp.dump"
  if pg_dump --format=custom --no-owner --file "$target.partial"; then
    mv "$target.partial" "$target"
    echo "{\"event\": \"backup_written\", \"file\": \"$target\"}"
  else
    rm -f "$target.partial"
    echo "{\"event\": \"backup_failed\", \"level\": \"error\"}" >&2
  fi
  # Rotation: the newest $keep complete dumps stay.
  ls -1t /backups/gesprekswijzer-*.dump 2>/dev/null | tail -n "+$((keep + 1))" | while read -r old; do
    rm -f "$old"
  done
  sleep "$interval"
done
