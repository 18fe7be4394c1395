// Package dialect defines what strata asks of a database: how to inspect
// its schema, how to render an op as SQL, how to lock, and the SQL of the
// version table. Each database answers in its own package (dialect/sqlite,
// dialect/postgres, dialect/mysql); nothing else in strata knows how one
// database differs from another.
package dialect

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Querier is what strata runs SQL through: *sql.DB, *sql.Tx and *sql.Conn
// all satisfy it, as does the runner's recording executor.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// InspectOptions narrows what an Inspector reads.
type InspectOptions struct {
	// Schema is the schema to read where the database has schemas; empty
	// means the connection's default (public on PostgreSQL).
	Schema string
	// Exclude names tables to leave out, such as the version table.
	Exclude []string
}

// Inspector reads a live database's schema, normalized and in the
// canonical spelling of its dialect.
type Inspector interface {
	Inspect(ctx context.Context, q Querier, opts InspectOptions) (*schema.Schema, error)
}

// Renderer turns an op into SQL statements. current is the schema as it
// stands before the op; renderers that rebuild tables (SQLite) need it,
// the others may ignore it. Rendering never touches a database.
type Renderer interface {
	Render(current *schema.Schema, o op.Op) ([]string, error)
}

// Canonicalizer rewrites a schema from another source (models, a schema
// file) into the spelling this dialect's Inspector reports: the types the
// database stores, its defaults, its generated names. After it, a schema
// compares equal to the inspected one exactly when applying it would
// change nothing.
type Canonicalizer interface {
	Canonical(s *schema.Schema)
}

// ModelGapper is implemented by dialects with table attributes that Go
// models cannot state (SQLite's STRICT, say). KeepModelGaps copies them
// from current onto the matching tables of desired, which comes from
// models, so that autogenerate leaves them as the database has them.
type ModelGapper interface {
	KeepModelGaps(current, desired *schema.Schema)
}

// Locker takes the lock that keeps two runners from migrating the same
// database at once. It holds on conn until unlock is called, and goes
// away with the process that holds it, however it ends (kill -9
// included). Lock waits for as long as ctx lasts: the runner bounds the
// wait (its lock timeout) by ctx's deadline, so Lock must return soon
// after ctx ends, with an error that wraps ctx.Err().
type Locker interface {
	Lock(ctx context.Context, conn *sql.Conn) (unlock func(context.Context) error, err error)
}

// LockReporter is implemented by dialects that can say who holds the lock
// Lock waits for. The runner asks while it waits, and when it gives up,
// through db (the waiting connection is busy). LockHolder describes the
// holder for a person (such as "pid 4242, application strata, since
// 10:04:05"), or returns "" when no one holds the lock now.
type LockReporter interface {
	LockHolder(ctx context.Context, db *sql.DB) (string, error)
}

// VersionStore gives the SQL of strata's version table. Statements carry
// their values as literals so that offline (--sql) output is complete.
type VersionStore interface {
	// CreateVersionTable creates the table if it does not exist.
	CreateVersionTable(table string) string
	// InsertVersion records revision as applied.
	InsertVersion(table, revision, checksum string, durationMS int64) string
	// DeleteVersion forgets revision.
	DeleteVersion(table, revision string) string
	// ListVersions selects revision, checksum, applied_at (as text) and
	// duration_ms of every applied revision.
	ListVersions(table string) string
}

// ParamVersionStore is implemented by dialects that record a version row
// faster with parameters than with VersionStore's literals: PostgreSQL,
// where the driver prepares the statement once per connection and then
// only binds, sparing the server a parse and plan per revision. Offline
// output keeps the literal statements.
type ParamVersionStore interface {
	// InsertVersionParams inserts a version row from the parameters
	// revision, checksum and duration_ms, in that order.
	InsertVersionParams(table string) string
	// DeleteVersionParams deletes the version row of the parameter
	// revision.
	DeleteVersionParams(table string) string
}

// Capabilities says what a database can do, as probed from its version.
type Capabilities struct {
	// TransactionalDDL: DDL runs inside a transaction and rolls back with
	// it, so a revision and its version row commit together.
	TransactionalDDL bool
	// RunLock: Lock holds for the whole run (an advisory, named or file
	// lock), so no other runner can apply a revision meanwhile. Every
	// dialect of strata has one; the runner reads the version table and
	// makes its plan under it, and does not look again.
	RunLock bool
}

// Dialect is everything strata needs from one database.
type Dialect interface {
	// Name is "sqlite", "postgres" or "mysql".
	Name() string
	Capabilities() Capabilities
	// QuoteIdent quotes a name for use in SQL.
	QuoteIdent(name string) string
	Inspector
	Renderer
	Canonicalizer
	Locker
	VersionStore
}

// Executor is implemented by dialects that run some statements in their
// own way, such as SQLite's PRAGMA foreign_key_check, which reports
// violations as rows rather than failing. The runner uses it, when
// present, for every statement of a revision.
type Executor interface {
	Exec(ctx context.Context, q Querier, statement string) (sql.Result, error)
}

// Scratcher is implemented by dialects with database servers, where strata
// makes temporary databases (strata test, migrate --schema) beside the
// target on the same server.
type Scratcher interface {
	CreateDatabaseSQL(name string) string
	DropDatabaseSQL(name string) string
}

// Copier is implemented by dialects whose DDL commits at once (MySQL), so
// that a dry run can rehearse the plan on a copy instead: every table's
// definition, and the rows of the tables the plan touches, copied from
// the database src reaches into the empty database dst reaches.
type Copier interface {
	CopyForRehearsal(ctx context.Context, src, dst Querier, withData []string, limit int64) error
}

// CopyChecker is implemented by Copiers that can tell when a statement
// would reach past the copy to the database src reaches (naming it, as in
// db.table or USE db): a dry run on the copy then refuses to run, rather
// than change the database it promised to leave unchanged.
type CopyChecker interface {
	CheckForCopy(ctx context.Context, src Querier, statements []string) error
}

// NameReader is implemented by dialects that read, with their own lexer,
// the names a statement writes: every identifier outside strings and
// comments, bare or quoted, each part of a qualified name on its own. A
// dry run on a copy (Copier) copies the rows of the tables the plan's
// statements name. A name may be a keyword, a column or an alias too:
// callers match the names against the tables they know.
type NameReader interface {
	Names(statement string) []string
}

// Interrupter is implemented by dialects that can stop a statement in
// flight from another connection. The runner runs statements under a
// context that is never cancelled, because a cancellable one costs every
// statement a goroutine in database/sql and in the driver; it checks the
// caller's context between statements, and when that context ends while
// a statement runs on conn, it calls interrupt, once, from another
// goroutine. Without an Interrupter the statement in flight finishes
// first.
type Interrupter interface {
	// Interrupter prepares to interrupt what conn runs (reading its
	// session id, say), using db for the other connection.
	Interrupter(ctx context.Context, conn *sql.Conn, db *sql.DB) (interrupt func(), err error)
}

// SessionInterrupter builds an Interrupter's interrupt for servers where
// one session stops another's statement: idQuery reads conn's session id
// now, and interrupt runs the statement stop gives for it on another
// connection of db, with a time limit of its own (ctx has ended by then).
func SessionInterrupter(ctx context.Context, conn *sql.Conn, db *sql.DB, idQuery string, stop func(id int64) (query string, args []any)) (func(), error) {
	var id int64
	if err := conn.QueryRowContext(ctx, idQuery).Scan(&id); err != nil {
		return nil, fmt.Errorf("read the session id: %w", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		query, args := stop(id)
		db.ExecContext(ctx, query, args...)
	}, nil
}

// Statement is one rendered SQL statement and the ops it carries out,
// as indexes into the ops that were rendered: one for most statements,
// several where a dialect makes one statement of several ops (a SQLite
// table rebuild, a MySQL ALTER TABLE with several clauses), none for a
// statement of the dialect's own (a check after a rebuild, say).
type Statement struct {
	SQL string
	Ops []int
}

// PlanRenderer is implemented by dialects that render a list of ops
// better together than one at a time: SQLite rebuilds a table once for
// every change to it, MySQL alters a table in one statement. RenderPlan
// renders ops in order starting from current, which it must not change.
type PlanRenderer interface {
	RenderPlan(current *schema.Schema, ops []op.Op) ([]Statement, error)
}

// RenderStatements renders ops starting from s and follows them on s
// (op.Apply), so that s ends as the schema after the ops. A PlanRenderer
// renders them together; any other Renderer one op at a time, each op
// seeing the schema as it stands before it, as a table rebuild needs.
func RenderStatements(r Renderer, s *schema.Schema, ops []op.Op) ([]Statement, error) {
	if pr, ok := r.(PlanRenderer); ok {
		out, err := pr.RenderPlan(s, ops)
		if err != nil {
			return nil, err
		}
		for _, o := range ops {
			if err := o.Apply(s); err != nil {
				return nil, fmt.Errorf("follow %s: %w", o, err)
			}
		}
		return out, nil
	}
	var out []Statement
	for i, o := range ops {
		stmts, err := r.Render(s, o)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", o, err)
		}
		for _, sql := range stmts {
			out = append(out, Statement{SQL: sql, Ops: []int{i}})
		}
		if err := o.Apply(s); err != nil {
			return nil, fmt.Errorf("follow %s: %w", o, err)
		}
	}
	return out, nil
}

// RenderOps is RenderStatements for callers that need the SQL alone.
func RenderOps(r Renderer, s *schema.Schema, ops []op.Op) ([]string, error) {
	stmts, err := RenderStatements(r, s, ops)
	if err != nil {
		return nil, err
	}
	return StatementSQL(stmts), nil
}

// StatementSQL returns the SQL of stmts.
func StatementSQL(stmts []Statement) []string {
	out := make([]string, len(stmts))
	for i, st := range stmts {
		out[i] = st.SQL
	}
	return out
}

// GuardTable is a table as the data-loss guard sees it: an identity that
// survives a rename (PostgreSQL's oid, SQLite's root page), its name, the
// name quoted for SQL, and its columns.
type GuardTable struct {
	ID, Name, SQL string
	// Storage changes when the table's rows are replaced wholesale
	// (PostgreSQL's relfilenode: TRUNCATE, a rewrite); empty where the
	// database does not tell.
	Storage string
	// Reusable says the identity may pass to another table within a
	// transaction (SQLite's root page, freed by a drop and taken by the
	// next create): the guard then never trusts it to mean the same rows.
	Reusable bool
	Columns  []GuardColumn
}

// GuardColumn is a column as the data-loss guard sees it: an identity
// within its table that survives a rename where the database has one
// (PostgreSQL's attnum; SQLite's position and name), its name and its
// type as the database spells it.
type GuardColumn struct {
	ID, Name, Type string
}

// EffectGuard is implemented by dialects whose DDL is transactional, so
// that the runner judges a revision by what it does to the data rather
// than by how its SQL is spelled: inside the revision's transaction, it
// reads the catalog of the tables that hold rows before and after the
// revision, and where a table or column vanished or changed it compares
// the values that were there with the ones left, then commits or rolls
// back.
type EffectGuard interface {
	// GuardCatalog lists the application's tables with their columns;
	// with ids, only the tables of those identities that still exist.
	GuardCatalog(ctx context.Context, q Querier, ids []string) ([]GuardTable, error)
	// HoldingRows returns the identities of the tables of ts that hold at
	// least one row.
	HoldingRows(ctx context.Context, q Querier, ts []GuardTable) (map[string]bool, error)
	// WriteMark is read at the start of a revision, in its transaction;
	// Written is given it back at the end.
	WriteMark(ctx context.Context, q Querier) (int64, error)
	// Written returns the identities of the tables into which rows may
	// have been inserted, or from which rows may have been deleted, since
	// mark was read (more is fine: each is then asked for rows); all says
	// it cannot tell which, and any table may have been.
	Written(ctx context.Context, q Querier, mark int64) (ids []string, all bool, err error)
	// GuardValue is an SQL expression giving the value of column, a quoted
	// column name, as text after converting it to typ, a column type
	// GuardCatalog reported, so that a value kept through a type change
	// reads the same before and after.
	GuardValue(column, typ string) string
}

// Holding asks each table of ts whether it holds a row, a hundred tables
// to a query, and marks the ones that do in held. literal writes a table
// identity as an SQL literal. Dialects implementing EffectGuard use it.
func Holding(ctx context.Context, q Querier, ts []GuardTable, held map[string]bool, literal func(id string) string) error {
	const batch = 100
	for start := 0; start < len(ts); start += batch {
		chunk := ts[start:min(start+batch, len(ts))]
		parts := make([]string, len(chunk))
		for i, t := range chunk {
			parts[i] = "SELECT " + literal(t.ID) + " WHERE EXISTS (SELECT 1 FROM " + t.SQL + ")"
		}
		rows, err := q.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
		if err != nil {
			return fmt.Errorf("find tables holding rows: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("find tables holding rows: %w", err)
			}
			held[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find tables holding rows: %w", err)
		}
	}
	return nil
}

// LossPredictor is implemented by dialects whose DDL commits at once
// (MySQL, MariaDB), where the data-loss guard cannot look at a change's
// effect and take it back: it must predict, from the statements, what
// they will destroy before any of them runs.
type LossPredictor interface {
	// PredictLosses reads the current catalog through q, follows the
	// effect of stmts in order (renames, drops, copies, type changes), and
	// returns the data they would destroy, counted on the database as it
	// stands. It changes nothing.
	PredictLosses(ctx context.Context, q Querier, stmts []string) ([]PredictedLoss, error)
}

// PredictedLoss is data a statement would destroy, as a LossPredictor
// sees it.
type PredictedLoss struct {
	// Statement is the index in the statements given of the one that
	// destroys the data.
	Statement int
	// Table is the table as the statement names it; Column is empty when
	// the whole table goes.
	Table, Column string
	// Rows counts the rows whose data goes.
	Rows int64
	// Change says what the statement does, as a verb phrase: "drops",
	// "narrows the type (varchar(500) to varchar(5)) of".
	Change string
	// Example is one value that would be lost, quoted for a message, or
	// empty.
	Example string
}

// Fingerprinter is implemented by dialects with statements that commit on
// their own, outside any transaction (MySQL's DDL; PostgreSQL's CREATE
// INDEX CONCURRENTLY and the other statements that refuse a transaction
// block), so that after a crash the runner can establish from the catalog
// whether the statement in flight ran: it records a fingerprint before
// the statement, and compares it with one taken when it resumes.
type Fingerprinter interface {
	// Fingerprint hashes the schema of the connection's current database
	// (tables, columns, indexes, constraints, views, triggers, routines…)
	// as far as statement can change it, leaving out the tables named in
	// exclude. It changes with DDL only, never with the rows: two
	// fingerprints for one statement differ exactly when DDL that
	// statement could have run changed the schema between them. An empty
	// statement covers the whole schema.
	Fingerprint(ctx context.Context, q Querier, statement string, exclude []string) (string, error)
}

// HashLines runs query, whose rows are one text column each describing a
// part of the schema, and returns a hash of those lines taken in sorted
// order (sorted here: a query mixing collations cannot ORDER BY them), for
// Fingerprinter implementations.
func HashLines(ctx context.Context, q Querier, query string) (string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line sql.NullString
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		lines = append(lines, line.String)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Settler is implemented by dialects where a statement that runs outside a
// transaction can be left half-done by a crash (PostgreSQL's CREATE INDEX
// CONCURRENTLY leaves an invalid index behind). When the runner resumes a
// revision whose statement was in flight, it calls Settle for that
// statement before it compares fingerprints (Fingerprinter).
type Settler interface {
	// Settle removes what an interrupted run of statement left half-made,
	// so that the catalog shows the statement either done or not done.
	// It returns what it did, for the user, or "" when there was nothing.
	Settle(ctx context.Context, q Querier, statement string) (string, error)
}

// TransactionEnder is implemented by dialects whose DDL is
// transactional, so that a dry run, which runs a plan in one transaction
// and rolls it back, stops before a statement that would end that
// transaction (COMMIT, END, ROLLBACK) and keep what ran before it.
type TransactionEnder interface {
	EndsTransaction(statement string) bool
}

// StatementClassifier is implemented by dialects that can tell which
// statements of a non-transactional revision still run inside a
// transaction (MySQL's DML on InnoDB): the runner commits each such
// statement together with its progress record, so it applies exactly once.
type StatementClassifier interface {
	// Transactional reports whether statement commits or rolls back with
	// the transaction it runs in.
	Transactional(statement string) bool
}
