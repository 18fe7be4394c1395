package strata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/internal/dburl"
	"github.com/strata-go/strata/runner"
)

// ConnectError is a database strata could not reach. Database is its URL
// with the password redacted.
type ConnectError struct {
	Database string
	Err      error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("strata: connect to %s: %v", e.Database, e.Err)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// OpenLazy returns a Migrator for the database rawURL names without
// connecting to it. The dialect comes from the URL's scheme, so the
// methods that read only the migrations directory (Revisions,
// NewRevision, NewGoRevision, Merge) never connect, nor do UpgradeSQL and
// DowngradeSQL (which need a scratch database only to render Go
// revisions) and Test (which runs on a scratch database); a SQLite file
// is then not created either. The first method that needs the database
// (Upgrade, Downgrade, Status, Stamp, Repair, Rehearse, Lint, Inspect and
// what builds on it: Diff, Autogenerate, Check, WriteSchema) connects, or
// fails with a *ConnectError naming the database (redacted); Connect
// connects at once.
//
// Until it connects, Dialect returns the scheme's dialect as its zero
// value (enough to read and render revisions); connecting probes the
// server as Open does. Such a Migrator is safe for concurrent use once
// connected.
func OpenLazy(rawURL string, opts ...Option) (*Migrator, error) {
	d, err := schemeDialect(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := OpenDB(rawURL)
	if err != nil {
		return nil, err
	}
	m := &Migrator{db: db, url: rawURL, ownsDB: true, lazy: true}
	if err := m.configure(opts); err != nil {
		db.Close()
		return nil, err
	}
	m.dialect = m.cfg.dialect
	if m.dialect == nil {
		m.dialect = d
	}
	if err := m.cfg.filter.forDialect(m.dialect.Name()); err != nil {
		db.Close()
		return nil, err
	}
	return m, nil
}

// schemeDialect returns the dialect a URL's scheme names, unprobed.
func schemeDialect(rawURL string) (dialect.Dialect, error) {
	scheme, _, ok := strings.Cut(rawURL, ":")
	if !ok {
		return nil, fmt.Errorf("strata: database URL %q has no scheme; want sqlite:, postgres:// or mysql://", Redact(rawURL))
	}
	switch scheme {
	case "sqlite", "sqlite3":
		return sqlite.Dialect{}, nil
	case "postgres", "postgresql":
		return postgres.Dialect{}, nil
	case "mysql", "mariadb":
		return &mysql.Dialect{}, nil
	}
	return nil, fmt.Errorf("strata: database URL scheme %q is not supported; want sqlite:, postgres:// or mysql://", scheme)
}

// Connect connects a Migrator made by OpenLazy to its database, once,
// and probes the server for its dialect (unless WithDialect set one). It
// returns a *ConnectError when the database cannot be reached. For a
// Migrator from Open or New it does nothing.
func (m *Migrator) Connect(ctx context.Context) error { return m.connect(ctx) }

func (m *Migrator) connect(ctx context.Context) error {
	if !m.lazy {
		return nil
	}
	m.connMu.Lock()
	defer m.connMu.Unlock()
	if m.connected {
		return nil
	}
	if err := m.db.PingContext(ctx); err != nil {
		return &ConnectError{Database: Redact(m.url), Err: dburl.ScrubError(err, m.url)}
	}
	if m.cfg.dialect == nil {
		d, err := detect(ctx, m.db)
		if err != nil {
			return fmt.Errorf("strata: %s: %w", Redact(m.url), err)
		}
		m.dialect = d
	}
	m.connected = true
	return nil
}

// offlineRunner is the runner of UpgradeSQL and DowngradeSQL, which never
// touch the target: where the dialect was not probed (OpenLazy), the
// scratch database that renders Go revisions is probed instead, so that
// its schema reads as the server spells it (MariaDB's defaults).
func (m *Migrator) offlineRunner() (*runner.Runner, error) {
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	probe := m.lazy && !m.connected && m.cfg.dialect == nil
	scratch := r.Scratch
	r.Scratch = func(ctx context.Context) (*sql.DB, func() error, error) {
		db, done, err := scratch(ctx)
		if err != nil || !probe {
			return db, done, err
		}
		d, err := detect(ctx, db)
		if err != nil {
			return nil, nil, errors.Join(fmt.Errorf("strata: scratch database: %w", err), done())
		}
		r.Dialect = d
		return db, done, nil
	}
	return r, nil
}
