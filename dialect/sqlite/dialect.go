// Package sqlite is strata's dialect for SQLite, through the pure-Go
// driver modernc.org/sqlite, so the embedded default needs no C toolchain.
//
// # Inspection
//
// Inspect reads the main database with four set-based queries, whatever
// the number of tables: the objects of sqlite_schema with their SQL text,
// and sqlite_schema joined with pragma_table_xinfo, pragma_index_list with
// pragma_index_xinfo, and pragma_foreign_key_list. What the pragmas leave
// out is read from the CREATE statements SQLite keeps verbatim, with a
// small tokenizer that respects quotes ("x", `x`, [x], 'x'), comments and
// parentheses (parse.go): CHECK constraints and their names, foreign key
// names and DEFERRABLE, COLLATE, AUTOINCREMENT, generated column
// expressions, expression keys and WHERE of indexes, view definitions.
// Expressions are kept in a canonical spacing (tokens joined by single
// spaces, none inside parentheses), so that two spellings compare equal.
//
// Types are matched by declared name, case-insensitively, with SQLite's
// affinity rules for names it does not list (VARCHAR2 is a string, a name
// holding INT an integer); the declaration itself is kept as written
// (Column.DeclaredType), as is the text of each CREATE statement
// (source.go), which rendering writes again while the object is
// unchanged. UNIQUE constraints are indexes with Constraint
// set, under the names SQLite gives them (sqlite_autoindex_TABLE_N), and
// render as table constraints in the order that gives back those names.
//
// Triggers of tables and views are kept as the CREATE TRIGGER text SQLite
// keeps, with quotes taken off the names of tables, views and columns
// where they need none and the table after ON quoted (triggerDef), so
// that a trigger reads the same after SQLite rewrites it for a renamed
// table or column.
//
// STRICT and WITHOUT ROWID are table options (Table.Strict,
// Table.WithoutRowID). Not modelled, because the schema model has no
// place for them: ON CONFLICT clauses, MATCH, a view's column list, TEMP
// triggers; an unchanged table keeps them in its text. Virtual tables are
// left out with their shadow tables, and listed in Schema.Unmanaged.
//
// # Rendering
//
// SQLite lacks most of ALTER TABLE: changes it cannot make in place are
// rendered as the table rebuild its documentation describes (rebuild.go),
// which also says what the rebuild does about foreign keys, views and
// triggers. SQLite has no enum types, stored functions or extensions:
// their ops fail with ErrNoEnums and ErrNoRoutines.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/strata-go/strata/dialect"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect is the SQLite dialect. Its zero value is ready to use; New
// also learns the database's file, which Lock and LockHolder otherwise
// read from the connection they are given.
type Dialect struct {
	file  string // the main database's file; "" in memory
	known bool   // file was read
}

var (
	_ dialect.Dialect      = Dialect{}
	_ dialect.LockReporter = Dialect{}
)

// New returns the SQLite dialect for the database q reaches, with the
// name of its file read (PRAGMA database_list).
func New(ctx context.Context, q dialect.Querier) (*Dialect, error) {
	file, err := databaseFile(ctx, q)
	if err != nil {
		return nil, err
	}
	return &Dialect{file: file, known: true}, nil
}

// Name returns "sqlite".
func (Dialect) Name() string { return "sqlite" }

// Capabilities reports transactional DDL (SQLite rolls DDL back with the
// transaction) and a run lock (lock.go).
func (Dialect) Capabilities() dialect.Capabilities {
	return dialect.Capabilities{TransactionalDDL: true, RunLock: true}
}

// QuoteIdent returns name as SQL: bare when it is a plain lowercase name
// that is not a keyword, else in double quotes, doubling any inside.
func (Dialect) QuoteIdent(name string) string { return quote(name) }

// quote leaves plain names bare because tools that read migration files
// do not all unquote every identifier (sqlc keeps the quotes of ALTER
// TABLE ... ADD/DROP COLUMN "x" in the column's name), and bare names read
// better. Names with capitals are quoted too: SQLite would accept them
// bare, but quoting keeps their spelling for tools that fold bare names
// to lowercase.
func quote(name string) string {
	if bare(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// bare reports whether name can be written without quotes: lowercase
// ASCII letters, digits and underscores, not starting with a digit, and
// not a keyword (sqliteKeywords).
func bare(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return !sqliteKeywords[strings.ToUpper(name)]
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// DSN turns a strata URL (sqlite:path, sqlite::memory:, sqlite://path)
// into the driver's data source name, with a busy timeout and immediate
// transactions so that concurrent runners wait for the write lock instead
// of failing.
func DSN(rawURL string) (string, error) {
	rest, ok := strings.CutPrefix(rawURL, "sqlite:")
	if !ok {
		return "", fmt.Errorf("sqlite: URL %q: want sqlite:PATH", rawURL)
	}
	rest = strings.TrimPrefix(rest, "//")
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return "", fmt.Errorf("sqlite: URL %q names no file (use sqlite:path/to.db or sqlite::memory:)", rawURL)
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sqlite: URL %q: %w", rawURL, err)
	}
	if !hasPragma(params, "busy_timeout") {
		params.Add("_pragma", "busy_timeout(10000)")
	}
	if !params.Has("_txlock") {
		// A transaction takes the write lock when it begins, so two runners
		// queue up instead of failing to upgrade a read lock.
		params.Set("_txlock", "immediate")
	}
	if path == ":memory:" {
		return "file::memory:?" + params.Encode(), nil
	}
	return "file:" + path + "?" + params.Encode(), nil
}

func hasPragma(params url.Values, name string) bool {
	for _, p := range params["_pragma"] {
		if strings.HasPrefix(strings.ToLower(p), name) {
			return true
		}
	}
	return false
}

// Open opens the database a strata URL names.
func Open(rawURL string) (*sql.DB, error) {
	dsn, err := DSN(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	if strings.Contains(dsn, ":memory:") {
		// Each connection to :memory: is a database of its own.
		db.SetMaxOpenConns(1)
	}
	return db, nil
}
