package runner

import (
	"context"
	"fmt"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
)

// Where DDL commits statement by statement (MySQL), a revision's progress
// is recorded after each statement in a small table beside the version
// table, so that a failure half-way can be resumed at the statement that
// failed. The statements used are plain SQL that every dialect accepts;
// revision ids are checked to hold only letters, digits and _.

func (r *Runner) progressTable() string { return r.table() + "_progress" }

func (r *Runner) createProgress(ctx context.Context, q dialect.Querier) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf(
		"CREATE TABLE IF NOT EXISTS %s (revision VARCHAR(64) NOT NULL PRIMARY KEY, direction VARCHAR(8) NOT NULL, done INTEGER NOT NULL)",
		r.Dialect.QuoteIdent(r.progressTable())))
	if err != nil {
		return fmt.Errorf("runner: create progress table %s: %w", r.progressTable(), err)
	}
	return nil
}

// beginProgress returns how many statements of rev already ran in dir, and
// records the start when none did.
func (r *Runner) beginProgress(ctx context.Context, q dialect.Querier, rev *revision.Revision, dir Direction) (int, error) {
	if err := r.createProgress(ctx, q); err != nil {
		return 0, err
	}
	if !revisionIDRE.MatchString(rev.ID) {
		return 0, fmt.Errorf("runner: revision id %q: use letters, digits and _ only", rev.ID)
	}
	table := r.Dialect.QuoteIdent(r.progressTable())
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT direction, done FROM %s WHERE revision = '%s'", table, rev.ID))
	if err != nil {
		return 0, fmt.Errorf("runner: read progress of %s: %w", rev.ID, err)
	}
	var (
		had       bool
		direction string
		done      int
	)
	if rows.Next() {
		had = true
		err = rows.Scan(&direction, &done)
	}
	rows.Close()
	if err != nil {
		return 0, fmt.Errorf("runner: read progress of %s: %w", rev.ID, err)
	}
	if had {
		if direction != string(dir) {
			return 0, fmt.Errorf("runner: revision %s stopped half-way in its %s, after %d statement(s); run %s to finish it, or undo them by hand and run `strata repair --reset %s`",
				rev.ID, Direction(direction).command(), done, Direction(direction).command(), rev.ID)
		}
		return done, nil
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (revision, direction, done) VALUES ('%s', '%s', 0)", table, rev.ID, dir)); err != nil {
		return 0, fmt.Errorf("runner: record progress of %s: %w", rev.ID, err)
	}
	return 0, nil
}

func (r *Runner) stepProgress(ctx context.Context, q dialect.Querier, id string, done int) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET done = %d WHERE revision = '%s'", r.Dialect.QuoteIdent(r.progressTable()), done, id))
	if err != nil {
		return fmt.Errorf("runner: record progress of %s: %w", id, err)
	}
	return nil
}

func (r *Runner) endProgress(ctx context.Context, q dialect.Querier, id string) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE revision = '%s'", r.Dialect.QuoteIdent(r.progressTable()), id))
	if err != nil {
		return fmt.Errorf("runner: clear progress of %s: %w", id, err)
	}
	return nil
}
