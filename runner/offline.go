package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// ErrOffline is returned to a Go revision that reads the database while
// strata writes SQL offline (upgrade --sql) instead of running it.
var ErrOffline = errors.New("runner: offline mode (--sql) cannot read the database")

// recorder is the executor of offline mode: it records what would run and
// refuses to read.
type recorder struct{ stmts []string }

func (r *recorder) ExecContext(_ context.Context, query string, _ ...any) (sql.Result, error) {
	r.stmts = append(r.stmts, query)
	return driverResult{}, nil
}

func (r *recorder) QueryContext(context.Context, string, ...any) (*sql.Rows, error) {
	return nil, ErrOffline
}

type driverResult struct{}

func (driverResult) LastInsertId() (int64, error) { return 0, nil }
func (driverResult) RowsAffected() (int64, error) { return 0, nil }

// Script writes to w, without touching the database, the SQL that would
// take a database at from (revision targets, or none for base) to target
// in direction dir: the version table's statements included, each
// revision in its transaction where the database allows. Go revisions
// render against the schema their preceding Go revisions built from base;
// one that reads the database, or follows a SQL revision on SQLite where a
// table must be rebuilt, fails with a clear error.
func (r *Runner) Script(ctx context.Context, w io.Writer, dir Direction, from []string, target string) error {
	applied := map[string]bool{}
	for _, f := range from {
		if f == "base" {
			continue
		}
		plan, err := r.Graph.UpgradePlan(map[string]bool{}, f)
		if err != nil {
			return err
		}
		for _, rev := range plan {
			applied[rev.ID] = true
		}
	}
	var (
		plan []*revision.Revision
		err  error
	)
	if dir == Up {
		plan, err = r.Graph.UpgradePlan(applied, target)
	} else {
		plan, err = r.Graph.DowngradePlan(applied, target)
	}
	if err != nil {
		return err
	}
	if err := r.checkDialects(plan, dir); err != nil {
		return err
	}
	// Go revisions render against the schema as it stands before them.
	// With a scratch database, every revision's statements also run there,
	// so the schema is inspected, whatever SQL came before; without one it
	// is known only from base and through Go revisions.
	var state *schema.Schema
	if len(applied) == 0 && dir == Up {
		state = &schema.Schema{}
	}
	// Only a Go revision needs a database to render: a plan of SQL
	// revisions is written as it stands, without creating any database.
	var scratch *sql.DB
	if r.Scratch != nil && slices.ContainsFunc(plan, (*revision.Revision).IsGo) {
		db, done, err := r.Scratch(ctx)
		if err != nil {
			return fmt.Errorf("runner: offline: scratch database: %w", err)
		}
		defer done()
		scratch = db
		// Bring the scratch database to the starting point.
		start, err := r.Graph.UpgradePlan(map[string]bool{}, "heads")
		if err != nil {
			return err
		}
		for _, rev := range start {
			if !applied[rev.ID] {
				continue
			}
			if err := r.replay(ctx, scratch, rev, Up); err != nil {
				return err
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "-- strata %s to %s (%s), written offline\n\n", dir.command(), target, r.Dialect.Name())
	if dir == Up {
		fmt.Fprintf(&b, "%s;\n\n", r.Dialect.CreateVersionTable(r.table()))
	}
	for _, rev := range plan {
		stmts := rev.Up
		if dir == Down {
			stmts = rev.Down
		}
		if rev.IsGo() {
			if scratch != nil {
				if state, err = r.Dialect.Inspect(ctx, scratch, dialect.InspectOptions{Exclude: r.internalTables()}); err != nil {
					return fmt.Errorf("runner: offline: inspect the scratch database: %w", err)
				}
			}
			stmts, state, err = r.render(ctx, &recorder{}, rev, dir, state)
			if err != nil {
				return err
			}
		} else {
			state = nil // raw SQL: its effect on the schema is unknown
		}
		if scratch != nil {
			for _, s := range stmts {
				if _, err := r.exec(ctx, scratch, s.SQL); err != nil {
					return fmt.Errorf("runner: offline: %s %s fails on a scratch database at %s: %w", dir, rev.ID, rev.Where(s), err)
				}
			}
		}
		inTx := r.Dialect.Capabilities().TransactionalDDL && !rev.NoTransaction
		fmt.Fprintf(&b, "-- %s %s", dir, rev.ID)
		if rev.Message != "" {
			fmt.Fprintf(&b, ": %s", rev.Message)
		}
		b.WriteString("\n")
		if inTx {
			b.WriteString("BEGIN;\n")
		}
		for _, s := range stmts {
			fmt.Fprintf(&b, "%s;\n", strings.TrimRight(s.SQL, "; \n\t"))
		}
		fmt.Fprintf(&b, "%s;\n", r.versionRecord(rev, dir, 0))
		if inTx {
			b.WriteString("COMMIT;\n")
		}
		b.WriteString("\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// replay runs a revision on the scratch database of offline mode.
func (r *Runner) replay(ctx context.Context, db *sql.DB, rev *revision.Revision, dir Direction) error {
	stmts := rev.Up
	if rev.IsGo() {
		current, err := r.Dialect.Inspect(ctx, db, dialect.InspectOptions{Exclude: r.internalTables()})
		if err != nil {
			return err
		}
		if stmts, _, err = r.render(ctx, db, rev, dir, current); err != nil {
			return err
		}
	}
	for _, s := range stmts {
		if _, err := r.exec(ctx, db, s.SQL); err != nil {
			return fmt.Errorf("runner: offline: %s fails on a scratch database at %s: %w", rev.ID, rev.Where(s), err)
		}
	}
	return nil
}
