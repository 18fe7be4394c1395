package postgres

import (
	"fmt"

	"github.com/strata-go/strata/dialect"
)

// CreateVersionTable returns the DDL of the version table. applied_at
// defaults to clock_timestamp(), not now(), so that revisions applied in
// one transaction still list in the order they were applied.
func (Dialect) CreateVersionTable(table string) string {
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
  revision varchar(64) PRIMARY KEY,
  checksum varchar(64) NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  duration_ms bigint NOT NULL
)`, quote(table))
}

// InsertVersion records a revision as applied, its values as literals.
func (Dialect) InsertVersion(table, revision, checksum string, durationMS int64) string {
	return fmt.Sprintf("INSERT INTO %s (revision, checksum, duration_ms) VALUES (%s, %s, %d)",
		quote(table), quoteString(revision), quoteString(checksum), durationMS)
}

var _ dialect.ParamVersionStore = Dialect{}

// InsertVersionParams is InsertVersion with parameters.
func (Dialect) InsertVersionParams(table string) string {
	return fmt.Sprintf("INSERT INTO %s (revision, checksum, duration_ms) VALUES ($1, $2, $3)", quote(table))
}

// DeleteVersionParams is DeleteVersion with a parameter.
func (Dialect) DeleteVersionParams(table string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE revision = $1", quote(table))
}

// DeleteVersion forgets a revision.
func (Dialect) DeleteVersion(table, revision string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE revision = %s", quote(table), quoteString(revision))
}

// ListVersions selects revision, checksum, applied_at as text and
// duration_ms of every applied revision, in the order they were applied.
func (Dialect) ListVersions(table string) string {
	return fmt.Sprintf("SELECT revision, checksum, applied_at::text, duration_ms FROM %s ORDER BY applied_at, revision", quote(table))
}
