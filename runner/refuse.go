package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
)

// RefusedError reports a revision the dialect refused to run after reading
// its statements (dialect.StatementChecker), before any of them ran.
type RefusedError struct {
	Revision  *revision.Revision
	Direction Direction
	// Statement is the statement at fault, with its line in the file
	// (for a Go revision, the number of the op it renders).
	Statement revision.Statement
	// DryRun is set when a dry run (Rehearse) met the refusal.
	DryRun bool
	dialect.Refusal
}

func (e *RefusedError) Error() string {
	var at []string
	if e.Revision.Path != "" {
		at = append(at, e.Revision.Path)
	}
	if e.Statement.Line > 0 {
		unit := "line"
		if e.Revision.IsGo() {
			unit = "op"
		}
		at = append(at, fmt.Sprintf("%s %d", unit, e.Statement.Line))
	}
	where := "revision " + e.Revision.ID
	if len(at) > 0 {
		where += " (" + strings.Join(at, ", ") + ")"
	}
	what := e.Direction.command()
	if e.DryRun {
		what = "dry run of " + what
	}
	return fmt.Sprintf("%s refused %s before running anything of it: table %s: %s.\n  To go on: %s",
		what, where, e.Table, e.Reason, e.Fix)
}

// checkStatements asks the dialect, where it reads statements
// (dialect.StatementChecker), whether stmts, from the one at index from
// (where a resumed revision goes on), may run now.
func (r *Runner) checkStatements(ctx context.Context, q dialect.Querier, rev *revision.Revision, dir Direction, stmts []revision.Statement, from int, inTx bool) error {
	checker, ok := r.Dialect.(dialect.StatementChecker)
	if !ok || from >= len(stmts) {
		return nil
	}
	stmts = stmts[from:]
	sqls := make([]string, len(stmts))
	for i, s := range stmts {
		sqls[i] = s.SQL
	}
	refusal, err := checker.CheckStatements(ctx, q, sqls, inTx)
	if err != nil {
		return fmt.Errorf("runner: %s %s: read the statements: %w", dir, rev.ID, err)
	}
	if refusal == nil {
		return nil
	}
	e := &RefusedError{Revision: rev, Direction: dir, Refusal: *refusal}
	if refusal.Statement >= 0 && refusal.Statement < len(stmts) {
		e.Statement = stmts[refusal.Statement]
	}
	return e
}
