package sqlite

import "fmt"

// CreateVersionTable returns the DDL of the version table.
func (Dialect) CreateVersionTable(table string) string {
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
  revision TEXT NOT NULL PRIMARY KEY,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')),
  duration_ms INTEGER NOT NULL
)`, quote(table))
}

// InsertVersion records a revision as applied.
func (Dialect) InsertVersion(table, revision, checksum string, durationMS int64) string {
	return fmt.Sprintf("INSERT INTO %s (revision, checksum, duration_ms) VALUES (%s, %s, %d)",
		quote(table), quoteString(revision), quoteString(checksum), durationMS)
}

// DeleteVersion forgets a revision.
func (Dialect) DeleteVersion(table, revision string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE revision = %s", quote(table), quoteString(revision))
}

// ListVersions selects the applied revisions.
func (Dialect) ListVersions(table string) string {
	return fmt.Sprintf("SELECT revision, checksum, applied_at, duration_ms FROM %s ORDER BY applied_at, revision", quote(table))
}
