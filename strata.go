// Package strata is schema migration for Go: it compares the schema your
// Go structs describe with a live database, writes the next migration
// (upgrade and downgrade), applies it, and takes it back.
//
// A Migrator ties a database, its dialect, a migrations directory and the
// application's models together; its methods are the commands of the
// strata CLI:
//
//	m, err := strata.Open(ctx, "sqlite:app.db", strata.WithDir("migrations"), strata.WithModels(Todo{}))
//	rev, err := m.Autogenerate(ctx, "create todos") // writes migrations/<id>_create_todos.sql
//	results, err := m.Upgrade(ctx, "head")
//	results, err = m.Downgrade(ctx, "-1")
package strata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	pgxstdlib "github.com/jackc/pgx/v5/stdlib"
	modernc "modernc.org/sqlite"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/internal/dburl"
	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/models"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

// Migrator runs strata's commands against one database. It is safe for
// concurrent use (one made by OpenLazy once connected); runs against one
// database serialize on its lock.
type Migrator struct {
	graphMu sync.Mutex
	graph   *revision.Graph
	stamps  []revision.Stamp

	db      *sql.DB
	url     string // set by Open; scratch databases are made beside it
	ownsDB  bool
	dialect dialect.Dialect
	cfg     config

	// lazy: made by OpenLazy, not connected until a method needs the
	// database (connect.go).
	lazy      bool
	connMu    sync.Mutex
	connected bool
}

type config struct {
	dir  string
	fsys fs.FS
	// onDisk: fsys is dir on disk (WithDir, not WithFS).
	onDisk     bool
	models     []any
	logger     *slog.Logger
	table      string
	dialect    dialect.Dialect
	migrations []Migration
	noGlobal   bool
	devURL     string
	force      bool
	schemaFile string
	renames    []models.Rename
	// dryRunLimit bounds the rows a dry run copies (MySQL); 0 means
	// DefaultDryRunLimit, negative no limit.
	dryRunLimit int64
	format      string
	desired     *schema.Schema
	dbSchema    string
	onLint      func(lint.Finding)
	onProgress  func(runner.Event)
	// lockTimeout bounds the wait for another run's lock; nil means
	// runner.DefaultLockTimeout, 0 no bound.
	lockTimeout *time.Duration
	// x holds the -x key=value pairs Go migrations read with Op.X.
	x map[string]string
	// versionPaths are further directories of revision files, read with
	// dir (see WithVersionPaths).
	versionPaths []string
	// filter holds the include and exclude patterns (WithInclude,
	// WithExclude).
	filter nameFilter
	// goFromSource: unbuilt Go revisions join the graph, read from their
	// source (WithGoFromSource).
	goFromSource bool
}

// Option configures a Migrator.
type Option interface{ apply(*config) error }

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

// WithDir reads revisions from, and writes new ones to, a directory on disk.
func WithDir(dir string) Option {
	return optionFunc(func(c *config) error {
		if dir == "" {
			return errors.New("strata: WithDir: empty directory")
		}
		c.dir, c.fsys, c.onDisk = dir, os.DirFS(dir), true
		return nil
	})
}

// WithVersionPaths reads revision files from further directories on
// disk besides the migrations directory (WithDir or WithFS), as Alembic's
// version_locations do: one graph from all of them, so a revision in one
// may name a parent in another. New revisions go to the migrations
// directory unless RevisionSpec.VersionPath names one of these. An
// application that embeds its migrations (WithFS) embeds only its
// migrations package: the version paths are read from disk.
func WithVersionPaths(dirs ...string) Option {
	return optionFunc(func(c *config) error {
		for _, d := range dirs {
			if d == "" {
				return errors.New("strata: WithVersionPaths: empty directory")
			}
			c.versionPaths = append(c.versionPaths, d)
		}
		return nil
	})
}

// WithFS reads revisions from fsys, such as an embed.FS; Autogenerate
// needs WithDir as well to write.
func WithFS(fsys fs.FS) Option {
	return optionFunc(func(c *config) error {
		if fsys == nil {
			return errors.New("strata: WithFS: nil file system")
		}
		c.fsys, c.onDisk = fsys, false
		return nil
	})
}

// WithModels sets the structs that describe the desired schema.
func WithModels(models ...any) Option {
	return optionFunc(func(c *config) error {
		c.models = append(c.models, models...)
		return nil
	})
}

// WithLogger logs through l, with the keys revision, direction, statement
// and duration.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		if l == nil {
			return errors.New("strata: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	})
}

// WithMigrations adds Go migrations explicitly, beside (or, with
// WithoutGlobalRegistry, instead of) those registered with Register.
func WithMigrations(ms ...Migration) Option {
	return optionFunc(func(c *config) error {
		for _, m := range ms {
			if err := m.validate(); err != nil {
				return err
			}
		}
		c.migrations = append(c.migrations, ms...)
		return nil
	})
}

// WithoutGlobalRegistry ignores the migrations registered with Register,
// so that tests and tools see only what they pass.
func WithoutGlobalRegistry() Option {
	return optionFunc(func(c *config) error { c.noGlobal = true; return nil })
}

// WithDevURL names an empty database of the target's dialect that strata
// uses wherever it needs a scratch database (Test, UpgradeSQL and
// DowngradeSQL rendering Go revisions, WithSchemaFile, a dry run on
// MySQL) instead of creating one, so that no right to create databases is
// needed: strata refuses it unless it is empty, and empties it again
// afterwards. One run at a time may use it. Without it, scratch databases
// are temporary files for SQLite and temporary databases on the target's
// server otherwise.
func WithDevURL(rawURL string) Option {
	return optionFunc(func(c *config) error {
		if rawURL == "" {
			return errors.New("strata: WithDevURL: empty URL")
		}
		c.devURL = rawURL
		return nil
	})
}

// WithDatabaseSchema names the schema (namespace) of a PostgreSQL database
// that strata inspects and compares, instead of the connection's current
// schema (public by default). Other dialects have one schema per database.
func WithDatabaseSchema(name string) Option {
	return optionFunc(func(c *config) error {
		if name == "" {
			return errors.New("strata: WithDatabaseSchema: empty name")
		}
		c.dbSchema = name
		return nil
	})
}

// WithSchema gives the desired schema directly, built in Go, for what
// models and their tags cannot say; it is put in the dialect's canonical
// form and compared like models.
func WithSchema(s *schema.Schema) Option {
	return optionFunc(func(c *config) error {
		if s == nil {
			return errors.New("strata: WithSchema: nil schema")
		}
		c.desired = s
		return nil
	})
}

// WithSchemaFile takes the desired schema from a SQL file instead of
// models: strata applies it to a scratch database (a temporary SQLite
// file, or a temporary database on the target's server, dropped
// afterwards; or WithDevURL's, emptied again) and inspects that.
func WithSchemaFile(path string) Option {
	return optionFunc(func(c *config) error {
		if path == "" {
			return errors.New("strata: WithSchemaFile: empty path")
		}
		c.schemaFile = path
		return nil
	})
}

// WithRenameTable tells autogenerate that table old became new, so that
// it writes a rename instead of a drop and a create.
func WithRenameTable(old, new string) Option {
	return optionFunc(func(c *config) error {
		c.renames = append(c.renames, models.Rename{From: old, To: new})
		return nil
	})
}

// WithRenameColumn tells autogenerate that column old of table (its new
// name) became new.
func WithRenameColumn(table, old, new string) Option {
	return optionFunc(func(c *config) error {
		c.renames = append(c.renames, models.Rename{Table: table, From: old, To: new})
		return nil
	})
}

// WithDryRunLimit sets how many rows a dry run may copy where it
// rehearses on a copy (MySQL, MariaDB); a negative limit lifts it.
func WithDryRunLimit(rows int64) Option {
	return optionFunc(func(c *config) error {
		if rows == 0 {
			rows = -1
		}
		c.dryRunLimit = rows
		return nil
	})
}

// WithFormat sets the form of the revisions Autogenerate writes: "sql"
// (the default) or "go", a Go migration in the migrations package written
// through the op API, which runs on every dialect once compiled into the
// application.
func WithFormat(format string) Option {
	return optionFunc(func(c *config) error {
		if format != "sql" && format != "go" {
			return fmt.Errorf("strata: WithFormat(%q): want sql or go", format)
		}
		c.format = format
		return nil
	})
}

// WithForce lets upgrade and downgrade drop, empty or change tables and
// columns that hold data; without it they stop with a
// *runner.DataLossError that says what would be lost. On PostgreSQL and
// SQLite the revision that would lose data is rolled back (the ones
// before it in the run stay applied); on MySQL the guard predicts the
// losses first, so the revision that would lose data does not run (nor,
// for a plan of SQL revisions only, any revision of the run). It does not
// pass the check a generated type change carries: strata never cuts or
// rounds values itself.
func WithForce() Option {
	return optionFunc(func(c *config) error { c.force = true; return nil })
}

// WithLockTimeout bounds how long upgrade, downgrade, stamp and repair
// wait for the lock of another run on the same database (default
// runner.DefaultLockTimeout, one minute); 0 waits until the context ends.
// A run that gives up fails with a *runner.LockTimeoutError that names
// the holder where the database can tell, having changed nothing.
func WithLockTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) error {
		if d < 0 {
			return fmt.Errorf("strata: lock timeout %s: want 0 (wait forever) or more", d)
		}
		c.lockTimeout = &d
		return nil
	})
}

// WithLintReport makes Upgrade lint the revisions it is about to apply,
// once it holds the lock and has made its plan and before the first
// runs, and hand each active finding (lint.Active) to report. Nothing
// stops on a finding; `strata upgrade` prints them as warnings. A lint
// that cannot run (the schema cannot be read) reports nothing.
func WithLintReport(report func(lint.Finding)) Option {
	return optionFunc(func(c *config) error { c.onLint = report; return nil })
}

// ProgressEvent is a revision of an upgrade or downgrade starting or
// finishing, as WithProgress reports it.
type ProgressEvent = runner.Event

// WithProgress calls report as each revision of an upgrade or downgrade
// starts and as it finishes, while the run goes on (the CLI streams a line
// per revision, or a progress line on a terminal). report runs on the
// run's goroutine and should return quickly.
func WithProgress(report func(ProgressEvent)) Option {
	return optionFunc(func(c *config) error { c.onProgress = report; return nil })
}

// WithX passes key=value settings to Go migrations, which read them with
// Op.X (the CLI's repeatable -x key=value, as in Alembic). Later calls add
// to, and override, earlier ones.
func WithX(values map[string]string) Option {
	return optionFunc(func(c *config) error {
		for k, v := range values {
			if k == "" {
				return errors.New("strata: WithX: empty key")
			}
			if c.x == nil {
				c.x = map[string]string{}
			}
			c.x[k] = v
		}
		return nil
	})
}

// WithVersionTable names the version table (default strata_revisions).
func WithVersionTable(name string) Option {
	return optionFunc(func(c *config) error {
		if name == "" {
			return errors.New("strata: WithVersionTable: empty name")
		}
		c.table = name
		return nil
	})
}

// WithDialect sets the dialect instead of detecting it from the driver.
func WithDialect(d dialect.Dialect) Option {
	return optionFunc(func(c *config) error {
		if d == nil {
			return errors.New("strata: WithDialect: nil dialect")
		}
		c.dialect = d
		return nil
	})
}

// OpenDB opens the database a strata URL names: sqlite:path/to.db,
// sqlite::memory:, postgres://…, mysql://user:pass@host:port/db.
func OpenDB(rawURL string) (*sql.DB, error) {
	scheme, _, ok := strings.Cut(rawURL, ":")
	if !ok {
		return nil, fmt.Errorf("strata: database URL %q has no scheme; want sqlite:, postgres:// or mysql://", Redact(rawURL))
	}
	switch scheme {
	case "sqlite", "sqlite3":
		return sqlite.Open("sqlite:" + strings.TrimPrefix(rawURL, scheme+":"))
	case "postgres", "postgresql":
		db, err := postgres.Open(rawURL)
		return db, dburl.ScrubError(err, rawURL)
	case "mysql", "mariadb":
		db, err := mysql.Open(rawURL)
		return db, dburl.ScrubError(err, rawURL)
	}
	return nil, fmt.Errorf("strata: database URL scheme %q is not supported; want sqlite:, postgres:// or mysql://", scheme)
}

// Redact returns a database URL with its password replaced by xxxxx, for
// messages and logs: the password of user:password@ and the value of a
// password query parameter (?password=, passwd, pass, sslpassword). It
// works on URLs that do not parse too.
func Redact(rawURL string) string { return dburl.Redact(rawURL) }

// Open opens the database rawURL names and returns a Migrator that closes
// it on Close.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Migrator, error) {
	db, err := OpenDB(rawURL)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, &ConnectError{Database: Redact(rawURL), Err: dburl.ScrubError(err, rawURL)}
	}
	m, err := New(ctx, db, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	m.ownsDB, m.url = true, rawURL
	return m, nil
}

// New returns a Migrator for db. The dialect is detected from db's driver
// (pgx, go-sql-driver/mysql, modernc.org/sqlite) unless WithDialect sets
// it.
func New(ctx context.Context, db *sql.DB, opts ...Option) (*Migrator, error) {
	m := &Migrator{db: db}
	if err := m.configure(opts); err != nil {
		return nil, err
	}
	m.dialect = m.cfg.dialect
	if m.dialect == nil {
		d, err := detect(ctx, db)
		if err != nil {
			return nil, err
		}
		m.dialect = d
	}
	if err := m.cfg.filter.forDialect(m.dialect.Name()); err != nil {
		return nil, err
	}
	return m, nil
}

// configure applies opts and fills in the defaults.
func (m *Migrator) configure(opts []Option) error {
	for _, o := range opts {
		if err := o.apply(&m.cfg); err != nil {
			return err
		}
	}
	if m.cfg.fsys == nil {
		if err := WithDir("migrations").apply(&m.cfg); err != nil {
			return err
		}
	}
	if m.cfg.logger == nil {
		m.cfg.logger = slog.New(slog.DiscardHandler)
	}
	if m.cfg.table == "" {
		m.cfg.table = runner.DefaultTable
	}
	return nil
}

func detect(ctx context.Context, db *sql.DB) (dialect.Dialect, error) {
	switch db.Driver().(type) {
	case *modernc.Driver:
		return sqlite.New(ctx, db)
	case *pgxstdlib.Driver:
		return postgres.New(ctx, db)
	case *gomysql.MySQLDriver:
		return mysql.New(ctx, db)
	}
	return nil, fmt.Errorf("strata: cannot tell the dialect of driver %T; pass strata.WithDialect", db.Driver())
}

// Close closes the database if Open opened it.
func (m *Migrator) Close() error {
	if m.ownsDB {
		return m.db.Close()
	}
	return nil
}

// Dialect returns the Migrator's dialect.
func (m *Migrator) Dialect() dialect.Dialect { return m.dialect }

// DB returns the database handle.
func (m *Migrator) DB() *sql.DB { return m.db }

// Revisions reads the SQL revision files and the Go migrations and links
// them into one graph.
func (m *Migrator) Revisions() (*revision.Graph, error) {
	// The graph is kept while the revision files' names, sizes and
	// modification times stay the same, so that one command reads and
	// parses the files once, however many steps it takes. The first load
	// stamps the files as it reads them; later calls compare a fresh
	// listing with those stamps.
	m.graphMu.Lock()
	defer m.graphMu.Unlock()
	if m.graph != nil && m.stamps != nil {
		if now, err := m.stampsNow(); err == nil && slices.Equal(now, m.stamps) {
			return m.graph, nil
		}
	}
	g, stamps, err := m.loadRevisions()
	if err != nil {
		return nil, err
	}
	m.graph, m.stamps = g, stamps
	return g, nil
}

// splitOptions read revision files as the database does (MySQL's
// backslash escapes and DELIMITER lines, PostgreSQL's nested comments); a
// dialect of another name gets Split's reading without a dialect.
func (m *Migrator) splitOptions() []revision.SplitOption {
	switch name := m.dialectName(); name {
	case "sqlite", "postgres", "mysql":
		return []revision.SplitOption{revision.ForDialect(name)}
	}
	return nil
}

// loadRevisions reads the graph, with the stamps of the files read (nil
// when there is no directory, which then is never cached).
func (m *Migrator) loadRevisions() (*revision.Graph, []revision.Stamp, error) {
	revs, stamps, err := revision.LoadStamped(m.cfg.fsys, m.splitOptions()...)
	if err != nil {
		if m.cfg.onDisk {
			if derr := dirError(m.cfg.dir); derr != nil {
				return nil, nil, derr
			}
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		if len(m.cfg.migrations) == 0 && (m.cfg.noGlobal || len(registered()) == 0) {
			return nil, nil, fmt.Errorf("strata: no migrations directory %q; run `strata init` first", m.cfg.dir)
		}
	}
	if m.cfg.onDisk {
		for _, r := range revs {
			r.Dir = m.cfg.dir
		}
	}
	for _, dir := range m.cfg.versionPaths {
		more, st, err := revision.LoadStamped(os.DirFS(dir), m.splitOptions()...)
		if err != nil {
			if derr := dirError(dir); derr != nil {
				return nil, nil, derr
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("strata: version path %q does not exist; create it, or take it out of version_paths in %s", dir, ConfigFile)
			}
			return nil, nil, fmt.Errorf("strata: version path %s: %w", dir, err)
		}
		for _, r := range more {
			r.Dir = dir
		}
		revs = append(revs, more...)
		stamps = append(stamps, prefixStamps(dir, st)...)
	}
	gos := m.goRevisions()
	// Go files on disk that the binary lacks are refused before the graph
	// is made, which would ignore them.
	goStamps, err := m.checkBuilt(gos)
	var fromSource []*revision.Revision
	if err != nil {
		if goStamps, fromSource, err = m.goFromSource(goStamps, err); err != nil {
			return nil, nil, err
		}
	}
	if stamps != nil {
		stamps = append(stamps, goStamps...)
	}
	for _, g := range gos {
		revs = append(revs, g.revision(m.dialectName(), m.cfg.x))
	}
	revs = append(revs, fromSource...)
	g, err := revision.NewGraph(revs)
	return g, stamps, err
}

// prefixStamps names the stamps of a version path's files by the path, so
// that equal names in two directories stay apart.
func prefixStamps(dir string, st []revision.Stamp) []revision.Stamp {
	for i := range st {
		st[i].Name = dir + string(os.PathSeparator) + st[i].Name
	}
	return st
}

// dirError says why dir, the migrations directory on disk, cannot be
// read when it exists as something else than a directory: a file, or a
// symbolic link to nothing (nil when neither).
func dirError(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return nil
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(dir)
		if info, err = os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("strata: migrations directory %q is a dangling symbolic link: its target %q does not exist", dir, target)
		} else if err != nil {
			return nil
		}
	}
	if !info.IsDir() {
		return fmt.Errorf("strata: migrations directory %q is a file, not a directory (it is --dir, or dir in %s)", dir, ConfigFile)
	}
	return nil
}

func (m *Migrator) runner() (*runner.Runner, error) {
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	r := &runner.Runner{DB: m.db, Dialect: m.dialect, Graph: g, Table: m.cfg.table, Logger: m.cfg.logger, Force: m.cfg.force,
		LockTimeout: runner.DefaultLockTimeout}
	if m.cfg.lockTimeout != nil {
		r.LockTimeout = *m.cfg.lockTimeout
	}
	r.OnProgress = m.cfg.onProgress
	r.Scratch = func(ctx context.Context) (*sql.DB, func() error, error) {
		url, drop, err := m.scratch(ctx)
		if err != nil {
			return nil, nil, err
		}
		db, err := OpenDB(url)
		if err != nil {
			drop()
			return nil, nil, err
		}
		return db, func() error { return errors.Join(db.Close(), drop()) }, nil
	}
	return r, nil
}

// Result is what running one revision did.
type Result = runner.Result

// Upgrade applies the revisions up to target: "head" (or ""), "heads", a
// revision id or unique prefix, or "+N".
func (m *Migrator) Upgrade(ctx context.Context, target string) ([]Result, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	if report := m.cfg.onLint; report != nil {
		r.BeforeRun = func(ctx context.Context, plan []*revision.Revision) {
			findings, err := m.lintPlan(ctx, r, plan, false)
			if err != nil {
				m.cfg.logger.Debug("lint before upgrade did not run", "error", err)
				return
			}
			for _, f := range lint.Active(findings) {
				report(f)
			}
		}
	}
	return r.Upgrade(ctx, target)
}

// Downgrade undoes applied revisions down to target: "-N" ("" means -1), a
// revision id or unique prefix, or "base".
func (m *Migrator) Downgrade(ctx context.Context, target string) ([]Result, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	return r.Downgrade(ctx, target)
}

// State is where the database stands.
type State struct {
	// Current holds the applied revisions no applied revision follows;
	// empty at base.
	Current []*revision.Revision `json:"current"`
	// Applied lists the version table's rows.
	Applied []runner.Applied `json:"applied"`
	// Pending lists the revisions "heads" would apply, in order.
	Pending []*revision.Revision `json:"pending"`
	// Heads holds the graph's heads.
	Heads []string `json:"heads"`
	// HalfDone lists the revisions that stopped half-way (MySQL/MariaDB,
	// or a revision without a transaction), with their direction and
	// how many statements ran. A half-done downgrade's revision is still
	// in Applied and Current; a half-done upgrade's is not.
	HalfDone []runner.Progress `json:"half_done"`
}

// Status reads where the database stands among the revisions.
func (m *Migrator) Status(ctx context.Context) (*State, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	return m.status(ctx, r)
}

func (m *Migrator) status(ctx context.Context, r *runner.Runner) (*State, error) {
	rows, err := r.Applied(ctx)
	if err != nil {
		return nil, err
	}
	applied, err := r.AppliedSet(rows)
	if err != nil {
		return nil, err
	}
	st := &State{Applied: rows, Heads: r.Graph.Heads()}
	if st.HalfDone, err = r.HalfDone(ctx); err != nil {
		return nil, err
	}
	for _, id := range r.Graph.Current(applied) {
		rev, _ := r.Graph.Get(id)
		st.Current = append(st.Current, rev)
	}
	if st.Pending, err = r.Graph.UpgradePlan(applied, "heads"); err != nil {
		return nil, err
	}
	return st, nil
}

// Revision is one migration.
type Revision = revision.Revision
