package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
)

// Rehearsal is what a dry run found: each statement's outcome, or why the
// plan could not be rehearsed.
type Rehearsal struct {
	// Rehearsed is false when the database cannot run the plan and take it
	// back (DDL that commits at once); Reason says why.
	Rehearsed bool
	Reason    string
	Steps     []Step
	// Err is the first failure, which stopped the rehearsal.
	Err error
}

// Step is one statement of a rehearsal.
type Step struct {
	Revision     *revision.Revision
	Statement    revision.Statement
	RowsAffected int64
	// Skipped says why the statement did not run (its revision cannot run
	// in a transaction).
	Skipped string
	Err     error
}

// Rehearse runs the plan for target in dir inside one transaction on the
// real database and rolls it back, so the database is left as it was. It
// reports each statement's rows affected and the first failure, which is
// how changes that depend on the data show up: NOT NULL over rows holding
// NULL, duplicates under a new unique index, rows a new foreign key does
// not match. Databases whose DDL commits at once are not touched; the
// rehearsal says so and lists the statements.
func (r *Runner) Rehearse(ctx context.Context, dir Direction, target string) (reh *Rehearsal, err error) {
	conn, applied, release, err := r.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, release()) }()
	var plan []*revision.Revision
	if dir == Up {
		plan, err = r.Graph.UpgradePlan(applied, target)
	} else {
		plan, err = r.Graph.DowngradePlan(applied, target)
	}
	if err != nil {
		return nil, err
	}
	if err := r.checkDialects(plan, dir); err != nil {
		return nil, err
	}
	reh = &Rehearsal{Rehearsed: true}
	if !r.Dialect.Capabilities().TransactionalDDL {
		reh.Rehearsed = false
		reh.Reason = fmt.Sprintf("%s commits each DDL statement at once, so the plan cannot be run and taken back; nothing was run. Rehearse it on a copy of the database (strata test, or a staging server).", r.Dialect.Name())
		for _, rev := range plan {
			stmts := rev.Up
			if dir == Down {
				stmts = rev.Down
			}
			if rev.IsGo() {
				// Rendered against the schema as it stands: exact for the
				// first revision, a fair preview for the ones after.
				if stmts, err = r.statements(ctx, conn, rev, dir); err != nil {
					return nil, err
				}
			}
			for _, s := range stmts {
				reh.Steps = append(reh.Steps, Step{Revision: rev, Statement: s, Skipped: "not rehearsed"})
			}
		}
		// The data-loss guard predicts as a real run would, counting on
		// the real data (see predict.go); what it stops needs no copy.
		if p, ok := r.Dialect.(dialect.LossPredictor); ok && !r.Force {
			if _, err := r.predictPlan(ctx, conn, p, plan, dir); err != nil {
				reh.Err = AsDryRun(err)
				if dl := (*DataLossError)(nil); errors.As(err, &dl) {
					reh.Reason = fmt.Sprintf("the data-loss guard predicts from the real data, as the real run does, that the plan would destroy data; on %s the real run would stop before its first statement, so nothing was run.", r.Dialect.Name())
				}
			}
		} else if !r.Force {
			r.warnNoGuard()
		}
		return reh, nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("runner: begin: %w", err)
	}
	// Whatever happens, nothing of the rehearsal is kept.
	defer tx.Rollback()
	// The data-loss guard judges each revision as a real run would.
	guard, err := r.newEffect(ctx, tx)
	if err != nil {
		return nil, err
	}
	if guard == nil && !r.Force {
		r.warnNoGuard()
	}
	var passed []Result // what the real run would apply and keep
	for _, rev := range plan {
		if rev.NoTransaction {
			reh.Steps = append(reh.Steps, Step{Revision: rev, Skipped: "runs outside a transaction (-- strata:no-transaction), so it cannot be rehearsed"})
			continue
		}
		stmts, err := r.statements(ctx, tx, rev, dir)
		if err != nil {
			reh.Err = err
			return reh, nil
		}
		// The dialect refuses here what it would refuse in the real run.
		if err := r.checkStatements(ctx, tx, rev, dir, stmts, 0, true); err != nil {
			if re := (*RefusedError)(nil); errors.As(err, &re) {
				re.DryRun = true
			}
			reh.Err = err
			return reh, nil
		}
		var before *mark
		if guard != nil {
			if before, err = guard.mark(ctx, tx); err != nil {
				return nil, err
			}
		}
		for _, s := range stmts {
			step := Step{Revision: rev, Statement: s}
			if ender, ok := r.Dialect.(dialect.TransactionEnder); ok && ender.EndsTransaction(s.SQL) {
				// Run, it would keep what the rehearsal ran before it.
				step.Err = errEndsTransaction
				reh.Steps = append(reh.Steps, step)
				reh.Err = &PartialError{Applied: passed, Failed: rev, Direction: dir, Statement: s, Err: step.Err, RolledBack: true, DryRun: true}
				return reh, nil
			}
			res, err := r.exec(ctx, tx, s.SQL)
			if err != nil {
				step.Err = err
				reh.Steps = append(reh.Steps, step)
				reh.Err = &PartialError{Applied: passed, Failed: rev, Direction: dir, Statement: s, Err: err, RolledBack: true, DryRun: true}
				return reh, nil
			}
			if res != nil {
				step.RowsAffected, _ = res.RowsAffected()
			}
			reh.Steps = append(reh.Steps, step)
		}
		if before != nil {
			lost, err := guard.check(ctx, tx, rev, stmts, before, r.execOn(ctx, tx))
			if err != nil {
				reh.Err = err
				return reh, nil
			}
			if len(lost) > 0 {
				reh.Err = &DataLossError{Losses: lost, Applied: passed, DryRun: true}
				return reh, nil
			}
		}
		record := r.versionRecord(rev, dir, 0)
		if _, err := tx.ExecContext(ctx, record); err != nil {
			reh.Err = fmt.Errorf("runner: rehearse %s: record version: %w", rev.ID, err)
			return reh, nil
		}
		passed = append(passed, Result{Revision: rev, Direction: dir, Statements: len(stmts)})
	}
	return reh, nil
}

// errEndsTransaction stops a dry run before a statement that would end
// the transaction the plan is rehearsed in.
var errEndsTransaction = errors.New("the statement ends the transaction the revision runs in: the real run would keep the statements before it whatever follows, " +
	"and a dry run, which must keep nothing, stops before it; take transaction statements out of the revision (strata runs each revision in a transaction of its own)")

// AsDryRun returns err as a dry run found it: a *DataLossError (the
// data-loss guard refusing the run) or a *PartialError (a statement
// failing) is marked DryRun, so that it says what the real run would do
// and leave, its Applied the revisions the real run would complete and
// keep first. Other errors return as they are.
func AsDryRun(err error) error {
	var dl *DataLossError
	if errors.As(err, &dl) {
		c := *dl
		c.DryRun, c.RolledBack = true, false
		return &c
	}
	var pe *PartialError
	if errors.As(err, &pe) && !pe.Interrupted {
		c := *pe
		c.DryRun = true
		return &c
	}
	return err
}

// dryRunError says where a dry run failed and what the real run would
// leave behind there; the rehearsal itself kept nothing.
func (e *PartialError) dryRunError() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s failed at %s: %v\n  statement: %s", e.Direction, e.Failed.ID, e.Failed.Where(e.Statement), e.Err, oneLine(e.Statement.SQL, 200))
	if errors.Is(e.Err, errEndsTransaction) {
		return b.String() // the real run would not stop here: the error says what it does
	}
	b.WriteString("\n  The real run would stop here")
	if len(e.Applied) > 0 {
		ids := make([]string, len(e.Applied))
		for i, r := range e.Applied {
			ids[i] = r.Revision.ID
		}
		fmt.Fprintf(&b, ", after completing %s, which would stay done", strings.Join(ids, ", "))
	}
	switch {
	case e.RolledBack:
		fmt.Fprintf(&b, "; %s would be rolled back.", e.Failed.ID)
	case e.Executed > 0:
		fmt.Fprintf(&b, ", with %s of %s run and kept (this database commits DDL at once).", e.ranStatements(), e.Failed.ID)
	default:
		fmt.Fprintf(&b, ", before any statement of %s completed.", e.Failed.ID)
	}
	return b.String()
}
