// Package mysql is strata's dialect for MySQL and MariaDB, through
// go-sql-driver/mysql. MariaDB's differences are handled in mariadb.go.
//
// New probes the server once (SELECT VERSION(), @@default_storage_engine)
// and returns a *Dialect that knows whether it talks to MySQL or MariaDB.
// The files follow the concerns of dialect.Dialect: inspect.go reads
// information_schema, render.go turns ops into DDL (fkeys.go keeps
// foreign keys and the indexes InnoDB keeps for them whole around it,
// generated.go replaces columns the server cannot MODIFY), types.go maps
// column types and defaults, expr.go normalizes the SQL expressions the server
// prints (checks, generated columns, key parts, views), canonical.go
// rewrites schemas from other sources into the spelling the server
// reports, lock.go holds GET_LOCK, version.go the version table.
//
// What MySQL lacks, this dialect refuses rather than approximates: named
// enum types (CreateEnum, DropEnum and AddEnumValue return ErrNoEnumTypes;
// ENUM('a','b') is a column type, schema.RawType, and Canonical turns
// schema.EnumType columns into one), partial indexes (Index.Where) and,
// on MariaDB, functional key parts. DEFERRABLE foreign keys and identity
// kinds have no counterpart and Canonical drops them.
//
// Known gaps: partitioning, the AUTO_INCREMENT start value, ROW_FORMAT and
// other table options than ENGINE, CHARSET, COLLATE and COMMENT;
// invisible columns and indexes; MySQL 8's NOT ENFORCED checks (reported
// as ordinary checks); view options (ALGORITHM, SQL SECURITY, CHECK
// OPTION); triggers, routines and events. Expressions compare as the
// server prints them (see expr.go).
//
// MySQL commits every DDL statement on its own (no transactional DDL), so
// Capabilities reports TransactionalDDL false and the runner records its
// progress statement by statement.
package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/dburl"
)

// Config turns a strata URL, mysql://user:pass@host:port/db?param=value,
// into go-sql-driver's configuration, ready for mysql.NewConnector. Query
// parameters are the driver's (parseTime, tls, charset, …; others become
// session variables, SET name = value); ?password= is taken as the
// password. Errors never quote the password, not even a bad %-escape in
// it. The session strata gets is set up by session: see there.
func Config(rawURL string) (*mysql.Config, error) {
	u, err := dburl.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mysql: %w", err)
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return nil, fmt.Errorf("mysql: URL must start with mysql:// or mariadb://")
	}
	addr := u.Host
	if addr == "" {
		addr = "127.0.0.1:3306"
	} else if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(strings.Trim(addr, "[]"), "3306")
	}
	// The driver reads its parameters from a DSN; this one holds neither
	// user nor password, so no error of the driver can show them.
	q := url.Values{}
	for k, vs := range u.Query {
		if len(vs) > 0 {
			q.Set(k, vs[len(vs)-1])
		}
	}
	if !q.Has("parseTime") {
		q.Set("parseTime", "true")
	}
	cfg, err := mysql.ParseDSN("tcp(" + addr + ")/?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("mysql: URL parameters: %w", err)
	}
	cfg.User, cfg.Passwd, cfg.DBName = u.User, u.Password, u.Path
	session(cfg)
	return cfg, nil
}

// ProgramName is the program_name connection attribute strata's sessions
// carry, so that operators see strata in
// performance_schema.session_connect_attrs.
const ProgramName = "strata"

// session sets what every strata session gets: the program_name
// connection attribute, and STRICT_ALL_TABLES added to the session's
// sql_mode (the server's other modes kept, as is a sql_mode the URL sets),
// so that a statement that would cut or coerce a value (a narrowing
// ALTER, an INSERT of a too-long string) fails instead of warning, on any
// engine and whatever the server's global sql_mode says.
func session(cfg *mysql.Config) {
	if !strings.Contains(","+cfg.ConnectionAttributes, ",program_name:") {
		attr := "program_name:" + ProgramName
		if cfg.ConnectionAttributes != "" {
			attr = cfg.ConnectionAttributes + "," + attr
		}
		cfg.ConnectionAttributes = attr
	}
	base := "@@SESSION.sql_mode"
	if v, ok := cfg.Params["sql_mode"]; ok {
		// The driver sends params as SET sql_mode = <value>: the value
		// is an SQL expression, such as 'ANSI'.
		base = "(" + v + ")"
	}
	cfg.Params = setParam(cfg.Params, "sql_mode", "CONCAT_WS(',', NULLIF("+base+", ''), 'STRICT_ALL_TABLES')")
}

func setParam(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

// Open opens the database a mysql:// URL names, through go-sql-driver's
// connector with the configuration Config makes.
func Open(rawURL string) (*sql.DB, error) {
	cfg, err := Config(rawURL)
	if err != nil {
		return nil, err
	}
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysql: open: %w", dburl.ScrubError(err, rawURL))
	}
	return sql.OpenDB(c), nil
}

// Dialect is the MySQL and MariaDB dialect. Get one from New, which probes
// the server; the zero value assumes MySQL 8, which is right for rendering
// (it needs no server) but reads MariaDB's column defaults wrongly.
type Dialect struct {
	server server
}

var _ dialect.Dialect = (*Dialect)(nil)

// New returns the dialect for the server q reaches. It runs one query, to
// tell MariaDB from MySQL, record the version, and know which engine,
// character set and collation a table gets by default in the connection's
// database (so that AlterTable can go back to the engine, and Canonical
// can leave out table options that are the defaults).
func New(ctx context.Context, q dialect.Querier) (*Dialect, error) {
	rows, err := q.QueryContext(ctx, "SELECT VERSION(), @@default_storage_engine, @@character_set_database, @@collation_database")
	if err != nil {
		return nil, fmt.Errorf("mysql: probe version: %w", err)
	}
	defer rows.Close()
	var version, engine, charset, collation string
	if rows.Next() {
		if err := rows.Scan(&version, &engine, &charset, &collation); err != nil {
			return nil, fmt.Errorf("mysql: probe version: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mysql: probe version: %w", err)
	}
	if version == "" {
		return nil, fmt.Errorf("mysql: probe version: SELECT VERSION() returned nothing")
	}
	srv := parseServer(version)
	srv.engine, srv.charset, srv.collation = engine, charset, collation
	return &Dialect{server: srv}, nil
}

// Name returns "mysql", for MariaDB too.
func (d *Dialect) Name() string { return "mysql" }

// MariaDB reports whether New found a MariaDB server.
func (d *Dialect) MariaDB() bool { return d.server.mariaDB }

// Version returns the server's version as SELECT VERSION() reported it,
// or "" for a Dialect not made by New.
func (d *Dialect) Version() string { return d.server.version }

// Capabilities reports no transactional DDL: MySQL and MariaDB commit
// every DDL statement implicitly.
func (d *Dialect) Capabilities() dialect.Capabilities {
	return dialect.Capabilities{TransactionalDDL: false, RunLock: true}
}

// QuoteIdent quotes name with backticks, doubling any inside.
func (d *Dialect) QuoteIdent(name string) string { return quote(name) }

// quote is the one function that formats a name into SQL.
func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// quoteString is the one function that writes a string literal: it
// escapes backslashes and doubles single quotes, which is right under
// every sql_mode except NO_BACKSLASH_ESCAPES.
func quoteString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// unquoteString reads a single-quoted literal as the server prints it
// (doubled quotes, backslash escapes) and returns its value; ok is false
// when s is not one quoted literal. It reads as the lexer does.
func unquoteString(s string) (value string, ok bool) {
	if len(s) < 2 || s[0] != '\'' {
		return "", false
	}
	value, end, ok := quoted(s, 0, '\'', true)
	if !ok || end != len(s) {
		return "", false
	}
	return value, true
}
