package mysql

import "fmt"

// CreateVersionTable returns the DDL of the version table.
func (d *Dialect) CreateVersionTable(table string) string {
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
  %s VARCHAR(64) NOT NULL PRIMARY KEY,
  %s VARCHAR(64) NOT NULL,
  %s DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  %s BIGINT NOT NULL
)`, quote(table), quote("revision"), quote("checksum"), quote("applied_at"), quote("duration_ms"))
}

// InsertVersion records a revision as applied; applied_at takes its
// default, the server's current time.
func (d *Dialect) InsertVersion(table, revision, checksum string, durationMS int64) string {
	return fmt.Sprintf("INSERT INTO %s (%s, %s, %s) VALUES (%s, %s, %d)",
		quote(table), quote("revision"), quote("checksum"), quote("duration_ms"),
		quoteString(revision), quoteString(checksum), durationMS)
}

// DeleteVersion forgets a revision.
func (d *Dialect) DeleteVersion(table, revision string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE %s = %s", quote(table), quote("revision"), quoteString(revision))
}

// ListVersions selects revision, checksum, applied_at as text
// (YYYY-MM-DD HH:MM:SS.ffffff) and duration_ms of every applied revision,
// oldest first.
func (d *Dialect) ListVersions(table string) string {
	t := quote(table)
	return fmt.Sprintf("SELECT %s, %s, CAST(%s.%s AS CHAR) AS %s, %s FROM %s ORDER BY %s.%s, %s.%s",
		quote("revision"), quote("checksum"), t, quote("applied_at"), quote("applied_at"), quote("duration_ms"), t,
		t, quote("applied_at"), t, quote("revision"))
}
