package runner

import (
	"context"
	"fmt"
	"slices"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
)

// Where DDL commits at once (MySQL, MariaDB), the data-loss guard cannot
// run a revision and look; the dialect predicts instead
// (dialect.LossPredictor), from all the statements a run will execute in
// order, on the catalog as it stands before the first. A Go revision's
// statements exist only once it renders against the schema of its turn,
// so the revisions from the first Go revision on are predicted each just
// before it runs, on the catalog the revisions before it left.
//
// The prediction counts rows as the database holds them before the run,
// and cannot know how many rows the run's own data statements (INSERT …
// VALUES) will write: the revisions after the first that writes data are
// predicted again, each just before it runs, on the rows then there, so
// that a later revision dropping what an earlier one filled is stopped.

// predictPlan predicts the losses of revs up to the first Go revision,
// and returns the revisions to predict one by one when their turn comes.
func (r *Runner) predictPlan(ctx context.Context, q dialect.Querier, p dialect.LossPredictor, revs []*revision.Revision, dir Direction) (later map[*revision.Revision]bool, err error) {
	var now []*revision.Revision
	var stmts [][]revision.Statement
	later = map[*revision.Revision]bool{}
	classifier, _ := r.Dialect.(dialect.StatementClassifier)
	writesData := false
	for i, rev := range revs {
		if rev.IsGo() {
			for _, l := range revs[i:] {
				if !l.IsGo() { // a Go revision is predicted once rendered (guardGo)
					later[l] = true
				}
			}
			break
		}
		if writesData {
			later[rev] = true
		}
		s := fileStatements(rev, dir)
		if classifier != nil && !writesData {
			writesData = slices.ContainsFunc(s, func(st revision.Statement) bool { return classifier.Transactional(st.SQL) })
		}
		now = append(now, rev)
		stmts = append(stmts, s)
	}
	return later, r.predict(ctx, q, p, now, stmts)
}

// predictOne predicts the losses of one SQL revision, on the catalog as
// the revisions before it left it.
// The revisions before it in the run stay applied, and the error (its
// Applied) says so.
func (r *Runner) predictOne(ctx context.Context, q dialect.Querier, p dialect.LossPredictor, rev *revision.Revision, dir Direction) error {
	return r.predict(ctx, q, p, []*revision.Revision{rev}, [][]revision.Statement{fileStatements(rev, dir)})
}

func fileStatements(rev *revision.Revision, dir Direction) []revision.Statement {
	if dir == Down {
		return rev.Down
	}
	return rev.Up
}

// predict asks p what stmts, the statements of revs in order, would
// destroy, and returns a *DataLossError when anything.
func (r *Runner) predict(ctx context.Context, q dialect.Querier, p dialect.LossPredictor, revs []*revision.Revision, stmts [][]revision.Statement) error {
	type place struct {
		rev  *revision.Revision
		stmt revision.Statement
	}
	var flat []string
	var where []place
	for i, rev := range revs {
		for _, s := range stmts[i] {
			flat = append(flat, s.SQL)
			where = append(where, place{rev, s})
		}
	}
	if len(flat) == 0 {
		return nil
	}
	predicted, err := p.PredictLosses(ctx, q, flat)
	if err != nil {
		return fmt.Errorf("runner: data-loss guard, before %s ran (--force skips the guard): %w", revs[0].ID, err)
	}
	if len(predicted) == 0 {
		return nil
	}
	lost := make([]Loss, len(predicted))
	for i, pl := range predicted {
		at := where[pl.Statement]
		lost[i] = Loss{Revision: at.rev, Statement: at.stmt, Table: pl.Table, Column: pl.Column, Rows: pl.Rows, Change: pl.Change, Example: pl.Example}
	}
	return &DataLossError{Losses: lost}
}

// guardGo checks the statements a Go revision rendered, before they run,
// by prediction where the dialect predicts; a dialect that neither
// predicts nor judges by effect has no guard (warnNoGuard).
func (r *Runner) guardGo(ctx context.Context, q dialect.Querier, rev *revision.Revision, stmts []revision.Statement) error {
	p, ok := r.Dialect.(dialect.LossPredictor)
	if !ok {
		r.warnNoGuard()
		return nil
	}
	return r.predict(ctx, q, p, []*revision.Revision{rev}, [][]revision.Statement{stmts})
}
