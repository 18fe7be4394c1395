// Package postgres is strata's dialect for PostgreSQL, through pgx v5's
// database/sql driver.
//
// New probes the server version once and returns a *Dialect that
// inspects a schema with a fixed number of set-based catalog queries
// (inspect.go), renders ops to SQL without a connection (render.go), maps
// PostgreSQL's types and defaults to strata's neutral model and back
// (types.go, canonical.go), serializes runners with an advisory lock
// (lock.go) and gives the SQL of the version table (version.go).
//
// Inspect reads tables with their columns (types, identity, serial,
// generated columns, collations, comments), keys, UNIQUE constraints,
// indexes (expressions, DESC, partial, method, operator classes), foreign
// keys (actions, DEFERRABLE), checks, triggers, and the schema's enum
// types, views, extensions, functions and procedures (objects.go); its
// doc comment lists what the model leaves out. What an extension owns is
// left to CREATE EXTENSION. Canonical maps a schema from
// elsewhere to what Inspect reports once it is rendered and applied,
// names PostgreSQL generates for unnamed objects included.
//
// PostgreSQL 10 or later is required (identity columns); generated
// columns need 12, and dropping a generation expression 13.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/strata-go/strata/dialect"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// minVersion is the oldest server strata supports: identity columns and
// pg_class.relispartition appeared in PostgreSQL 10.
const minVersion = 100000

// Dialect is the PostgreSQL dialect. New fills it from the server; the
// zero value assumes a current server (PostgreSQL 12 or later), which is
// enough for rendering, canonicalizing and the version-table SQL.
type Dialect struct {
	// version is the server_version_num, such as 150020; 0 when unknown.
	version int
}

var _ dialect.Dialect = (*Dialect)(nil)

// New returns the dialect for the server q reaches, probing its version
// once (SHOW server_version_num). It fails for servers older than
// PostgreSQL 10.
func New(ctx context.Context, q dialect.Querier) (*Dialect, error) {
	rows, err := q.QueryContext(ctx, "SHOW server_version_num")
	if err != nil {
		return nil, fmt.Errorf("postgres: probe server version: %w", err)
	}
	defer rows.Close()
	var num string
	if rows.Next() {
		if err := rows.Scan(&num); err != nil {
			return nil, fmt.Errorf("postgres: probe server version: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: probe server version: %w", err)
	}
	v, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return nil, fmt.Errorf("postgres: probe server version: unexpected server_version_num %q", num)
	}
	if v < minVersion {
		return nil, fmt.Errorf("postgres: server version %d is older than PostgreSQL 10, which strata needs", v)
	}
	return &Dialect{version: v}, nil
}

// ServerVersion returns the probed server_version_num (150020 for
// 15.20), or 0 for a Dialect not made by New.
func (d Dialect) ServerVersion() int { return d.version }

// atLeast reports whether the server is version v or later; an unknown
// version counts as current.
func (d Dialect) atLeast(v int) bool { return d.version == 0 || d.version >= v }

// Name returns "postgres".
func (Dialect) Name() string { return "postgres" }

// Capabilities reports transactional DDL: PostgreSQL rolls DDL back with
// the transaction.
func (Dialect) Capabilities() dialect.Capabilities {
	return dialect.Capabilities{TransactionalDDL: true, RunLock: true}
}

// QuoteIdent quotes name with double quotes, doubling any inside. It is
// the one place where the dialect formats a name into SQL.
func (Dialect) QuoteIdent(name string) string { return quote(name) }

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// quoteList quotes each name and joins them with commas.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// quoteString quotes s as a string literal. A string holding a backslash
// becomes an escape string (E-prefixed), so the literal means the same
// whatever standard_conforming_strings says.
func quoteString(s string) string {
	if strings.Contains(s, `\`) {
		s = strings.ReplaceAll(s, `\`, `\\`)
		return "E'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Open opens the database a postgres:// or postgresql:// URL names.
func Open(rawURL string) (*sql.DB, error) {
	if !strings.HasPrefix(rawURL, "postgres://") && !strings.HasPrefix(rawURL, "postgresql://") {
		return nil, fmt.Errorf("postgres: URL must start with postgres:// or postgresql://")
	}
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return db, nil
}
