package strata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
)

// UpgradeSQL writes the SQL that upgrade would run from from (a revision
// target, or "" / "base") to target, version-table statements included,
// without touching the database. Go revisions in the plan are rendered on
// a scratch database (the dev database of WithDevURL, else a temporary
// one); a plan of SQL revisions needs no database at all.
func (m *Migrator) UpgradeSQL(ctx context.Context, w io.Writer, from, target string) error {
	r, err := m.offlineRunner()
	if err != nil {
		return err
	}
	return r.Script(ctx, w, runner.Up, nonEmpty(from), target)
}

// DowngradeSQL writes the SQL that downgrade would run from from (a
// revision target the database is at) down to target, without touching
// the database.
func (m *Migrator) DowngradeSQL(ctx context.Context, w io.Writer, from, target string) error {
	if from == "" {
		return errors.New("strata: downgrade --sql needs the starting point: TO:FROM, such as base:head")
	}
	r, err := m.offlineRunner()
	if err != nil {
		return err
	}
	return r.Script(ctx, w, runner.Down, nonEmpty(from), target)
}

func nonEmpty(s string) []string {
	if s == "" || s == "base" {
		return nil
	}
	return []string{s}
}

// Stamp records the database as being at target without running
// anything; with purge the version table is emptied first.
func (m *Migrator) Stamp(ctx context.Context, target string, purge bool) (added, removed []string, err error) {
	if err := m.connect(ctx); err != nil {
		return nil, nil, err
	}
	r, err := m.runner()
	if err != nil {
		return nil, nil, err
	}
	return r.Stamp(ctx, target, purge)
}

// Repair accepts edits to applied revision files (all edited ones when ids
// is empty); with reset it forgets the progress of revisions that stopped
// half-way on a database without transactional DDL.
func (m *Migrator) Repair(ctx context.Context, ids []string, reset bool) ([]string, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	return r.Repair(ctx, ids, reset)
}

// NewRevision writes an empty SQL revision after the current head (or
// after parents, when given), for changes written by hand. Its header
// records the database's dialect (-- strata:dialect), as for the
// revisions Autogenerate writes.
func (m *Migrator) NewRevision(message string, parents ...string) (*revision.Revision, error) {
	return m.newRevision(false, message, parents)
}

// NewGoRevision writes an empty Go migration after the current head (or
// after parents) into the migrations package, to be compiled into the
// application.
func (m *Migrator) NewGoRevision(message string, parents ...string) (*revision.Revision, error) {
	return m.newRevision(true, message, parents)
}

func (m *Migrator) newRevision(goForm bool, message string, parents []string) (*revision.Revision, error) {
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	if len(parents) == 0 {
		parents = g.Heads()
		if len(parents) > 1 {
			return nil, &revision.MultipleHeadsError{Heads: parents}
		}
	} else {
		for i, p := range parents {
			r, err := g.Resolve(p)
			if err != nil {
				return nil, err
			}
			parents[i] = r.ID
		}
	}
	rev := &revision.Revision{Parents: parents, Message: message}
	if goForm {
		return m.writeGo(g, rev)
	}
	// Whoever fills it in writes this database's SQL (a merge, which stays
	// empty, records none).
	rev.Dialect = revision.CanonicalDialect(m.dialect.Name())
	return m.write(g, rev)
}

func (m *Migrator) writeGo(g *revision.Graph, rev *revision.Revision) (*revision.Revision, error) {
	if m.cfg.dir == "" {
		return nil, errors.New("strata: writing a revision needs the migrations directory; set it with strata.WithDir")
	}
	var taken []string
	for _, r := range g.Revisions() {
		taken = append(taken, r.ID)
	}
	rev.ID = revision.NewID(time.Now(), taken)
	if _, err := revision.WriteGo(m.cfg.dir, filepath.Base(m.cfg.dir), rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// Merge writes an empty revision whose parents are the given heads (all
// heads when refs is empty or "heads"), joining branches into one.
func (m *Migrator) Merge(message string, refs ...string) (*revision.Revision, error) {
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	var parents []string
	if len(refs) == 0 || len(refs) == 1 && refs[0] == "heads" {
		parents = g.Heads()
	} else {
		for _, ref := range refs {
			r, err := g.Resolve(ref)
			if err != nil {
				return nil, err
			}
			parents = append(parents, r.ID)
		}
	}
	if len(parents) < 2 {
		return nil, fmt.Errorf("strata: merge needs two or more heads; the graph has %v", parents)
	}
	if message == "" {
		message = "merge"
	}
	return m.write(g, &revision.Revision{Parents: parents, Message: message})
}

func (m *Migrator) write(g *revision.Graph, rev *revision.Revision) (*revision.Revision, error) {
	if m.cfg.dir == "" {
		return nil, errors.New("strata: writing a revision needs the migrations directory; set it with strata.WithDir")
	}
	var taken []string
	for _, r := range g.Revisions() {
		taken = append(taken, r.ID)
	}
	rev.ID = revision.NewID(time.Now(), taken)
	if _, err := revision.Write(m.cfg.dir, rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// Rehearse runs the plan for target (upgrade when dir is runner.Up) on the
// real database inside a transaction and rolls it back, reporting each
// statement's outcome; where DDL commits at once it runs nothing and says
// so. The database is left unchanged either way.
//
// Where DDL commits at once (MySQL, MariaDB), the plan is rehearsed on a
// copy instead: a scratch database on the same server (or the dev
// database of WithDevURL, emptied again) gets every table's definition and the rows of the tables the
// plan touches, up to the dry-run limit (WithDryRunLimit).
func (m *Migrator) Rehearse(ctx context.Context, dir runner.Direction, target string) (*runner.Rehearsal, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	reh, err := r.Rehearse(ctx, dir, target)
	if err != nil || reh.Rehearsed || reh.Err != nil {
		return reh, err // reh.Err: the data-loss guard stops the plan before it starts
	}
	copier, ok := m.dialect.(dialect.Copier)
	if !ok {
		return reh, nil
	}
	return m.rehearseOnCopy(ctx, r, copier, reh, dir, target)
}

// namedIn returns the names the statements of steps write, lower-cased,
// as the dialect's lexer reads them (dialect.NameReader); nil where the
// dialect cannot tell, so that every table counts as named.
func namedIn(d dialect.Dialect, steps []runner.Step) map[string]bool {
	nr, ok := d.(dialect.NameReader)
	if !ok {
		return nil
	}
	names := map[string]bool{}
	for _, s := range steps {
		for _, n := range nr.Names(s.Statement.SQL) {
			names[strings.ToLower(n)] = true
		}
	}
	return names
}

func (m *Migrator) rehearseOnCopy(ctx context.Context, r *runner.Runner, copier dialect.Copier, planned *runner.Rehearsal, dir runner.Direction, target string) (_ *runner.Rehearsal, err error) {
	current, err := m.inspectAll(ctx)
	if err != nil {
		return nil, err
	}
	if cc, ok := copier.(dialect.CopyChecker); ok {
		stmts := make([]string, len(planned.Steps))
		for i, s := range planned.Steps {
			stmts[i] = s.Statement.SQL
		}
		if err := cc.CheckForCopy(ctx, m.db, stmts); err != nil {
			return nil, fmt.Errorf("strata: dry run: %w", err)
		}
	}
	touched := runner.InternalTables(m.cfg.table)
	names := withRelated(m.dialect, current, namedIn(m.dialect, planned.Steps))
	for _, t := range current.Tables {
		if names == nil || names[strings.ToLower(t.Name)] {
			touched = append(touched, t.Name)
		}
	}
	url, drop, err := m.scratch(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if derr := drop(); derr != nil && err == nil {
			err = derr
		}
	}()
	copyDB, err := OpenDB(url)
	if err != nil {
		return nil, err
	}
	defer copyDB.Close()
	copyDB.SetMaxOpenConns(1) // session settings of the copy hold for the run
	src, err := m.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("strata: dry run: %w", err)
	}
	defer src.Close()
	dst, err := copyDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("strata: dry run: %w", err)
	}
	limit := m.cfg.dryRunLimit
	if limit == 0 {
		limit = DefaultDryRunLimit
	}
	if err := copier.CopyForRehearsal(ctx, src, dst, touched, limit); err != nil {
		dst.Close()
		return nil, fmt.Errorf("strata: dry run: %w", err)
	}
	dst.Close()
	gone := "dropped"
	if m.cfg.devURL != "" {
		gone = "emptied (the dev database)"
	}
	reh := &runner.Rehearsal{Rehearsed: true, Reason: fmt.Sprintf(
		"%s commits DDL at once, so the plan ran on a copy in a scratch database (every table's definition; the rows of %s), which was then %s; the database itself was not touched",
		m.dialect.Name(), strings.Join(touched, ", "), gone)}
	onCopy := &runner.Runner{DB: copyDB, Dialect: m.dialect, Graph: r.Graph, Table: r.Table, Logger: r.Logger, Force: r.Force,
		OnStatement: func(rev *revision.Revision, s revision.Statement, res sql.Result, err error) {
			step := runner.Step{Revision: rev, Statement: s, Err: err}
			if res != nil && err == nil {
				step.RowsAffected, _ = res.RowsAffected()
			}
			reh.Steps = append(reh.Steps, step)
		}}
	if dir == runner.Up {
		_, reh.Err = onCopy.Upgrade(ctx, target)
	} else {
		_, reh.Err = onCopy.Downgrade(ctx, target)
	}
	reh.Err = runner.AsDryRun(reh.Err)
	return reh, nil
}

// DefaultDryRunLimit is how many rows a dry run copies, at most, where it
// rehearses on a copy (MySQL); WithDryRunLimit changes it.
const DefaultDryRunLimit = 100_000

// StampSQL writes the SQL that Stamp would run to take a database
// recorded at from (a revision target, or "" / "base") to target, without
// touching the database: the version table's statements only, to run with
// the database's own client where strata may not connect (stamp --sql).
func (m *Migrator) StampSQL(ctx context.Context, w io.Writer, from, target string) error {
	r, err := m.runner()
	if err != nil {
		return err
	}
	return r.StampScript(ctx, w, nonEmpty(from), target)
}
