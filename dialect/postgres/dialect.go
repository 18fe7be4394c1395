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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/dburl"
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

// ApplicationName is the application_name strata's sessions carry unless
// the URL (or PGAPPNAME) sets one, so that operators see strata in
// pg_stat_activity.
const ApplicationName = "strata"

// ConnectionCheckInterval is the client_connection_check_interval, in
// milliseconds, of strata's sessions on PostgreSQL 14 and later: while a
// statement runs, the server looks this often whether the client is still
// there, so that a strata killed mid-statement does not leave its backend
// holding the run's lock (and the revision's locks) until the statement
// ends.
const ConnectionCheckInterval = 1000

// Config parses a postgres:// or postgresql:// URL into pgx's
// configuration, with application_name set to ApplicationName unless the
// URL sets one. ?password= is taken as the password. Errors never quote
// the password.
func Config(rawURL string) (*pgx.ConnConfig, error) {
	u, err := dburl.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("postgres: URL must start with postgres:// or postgresql://")
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", dburl.ScrubError(err, rawURL))
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = ApplicationName
	}
	return cfg, nil
}

// Open opens the database a postgres:// or postgresql:// URL names,
// through pgx's database/sql adapter with the configuration Config makes.
// Each new session on PostgreSQL 14 or later also gets
// client_connection_check_interval (see ConnectionCheckInterval), set
// after connecting because older servers reject the name at startup.
func Open(rawURL string) (*sql.DB, error) {
	cfg, err := Config(rawURL)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(afterConnect)), nil
}

// afterConnect sets what a session gets beyond Config's startup
// parameters.
func afterConnect(ctx context.Context, conn *pgx.Conn) error {
	if serverVersion(conn.PgConn().ParameterStatus("server_version")) < 14 {
		return nil
	}
	if _, ok := conn.Config().RuntimeParams["client_connection_check_interval"]; ok {
		return nil
	}
	if _, err := conn.Exec(ctx, "SET client_connection_check_interval = "+strconv.Itoa(ConnectionCheckInterval)); err != nil {
		return fmt.Errorf("postgres: set client_connection_check_interval: %w", err)
	}
	return nil
}

// serverVersion returns the major version in a server_version such as
// "15.20 (Debian 15.20-0+deb12u1)", or 0.
func serverVersion(v string) int {
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(v)
	}
	n, _ := strconv.Atoi(v[:end])
	return n
}
