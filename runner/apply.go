package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// runOne runs one revision in one direction on conn: in a transaction
// together with its version row where the database allows, else statement
// by statement with its progress recorded, so that a failure half-way can
// be resumed.
//
// The revision's statements run under ctx without its cancellation: a
// cancellable context costs each statement a goroutine in database/sql
// and in the driver, a measurable share of a run of small revisions.
// When ctx ends, the revision stops before its next statement, or at its
// current one where the dialect can interrupt it (see run), and is
// rolled back where it has a transaction.
func (r *Runner) runOne(ctx context.Context, conn *sql.Conn, rev *revision.Revision, dir Direction, guard *effect) (Result, error) {
	stop := ctx
	ctx = context.WithoutCancel(ctx)
	log := r.logger().With("revision", rev.ID, "direction", string(dir))
	start := time.Now()
	inTx := r.Dialect.Capabilities().TransactionalDDL && !rev.NoTransaction
	var q dialect.Querier = conn
	var tx *sql.Tx
	if inTx {
		var err error
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return Result{}, fmt.Errorf("runner: %s %s: begin: %w", dir, rev.ID, err)
		}
		q = tx
	}
	rollback := func() error {
		if tx == nil {
			return nil
		}
		return tx.Rollback()
	}
	stmts, err := r.statements(ctx, q, rev, dir)
	if err != nil {
		return Result{}, errors.Join(err, rollback())
	}
	if rev.IsGo() && !r.Force && !r.judgesByEffect() {
		if err := r.guardGo(ctx, q, rev, stmts); err != nil {
			return Result{}, errors.Join(err, rollback())
		}
	}
	var before *mark
	if guard != nil && tx != nil {
		if before, err = guard.mark(ctx, tx); err != nil {
			return Result{}, errors.Join(err, rollback())
		}
	}
	skip, note := 0, ""
	intended := -1 // the statement whose intent is recorded already
	var chain []string
	if !inTx {
		chain = chainOf(stmts)
		if skip, note, err = r.resume(ctx, q, rev, dir, stmts, &intended); err != nil {
			return Result{}, err
		}
		if note != "" {
			log.Info("resuming a revision that stopped half-way", "done", skip, "note", note)
		}
	}
	if err := r.checkStatements(ctx, q, rev, dir, stmts, min(skip, len(stmts)), inTx); err != nil {
		return Result{}, errors.Join(err, rollback())
	}
	classifier, _ := r.Dialect.(dialect.StatementClassifier)
	fingerprinter, _ := r.Dialect.(dialect.Fingerprinter)
	// The run lock (taken before the plan was made) keeps other runs out,
	// so a failure here is this run's own: never read as another run
	// having done the revision meanwhile.
	fail := func(i int, s revision.Statement, err error, uncertain bool) error {
		cerr := stop.Err()
		if cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		pe := &PartialError{Failed: rev, Direction: dir, Statement: s, Executed: i, Uncertain: uncertain, Err: err, Interrupted: cerr != nil}
		if !inTx {
			pe.Ran = stmts[:min(i, len(stmts))]
		}
		switch {
		case inTx:
			if rerr := tx.Rollback(); rerr != nil {
				pe.Err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			} else {
				pe.RolledBack, pe.Executed, pe.Ran = true, 0, nil
			}
		case tx != nil: // the version row's transaction
			if rerr := tx.Rollback(); rerr != nil {
				pe.Err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			}
		}
		if !inTx && i == 0 && !uncertain {
			// Nothing of the revision ran, here or in an earlier run (a
			// resume would have skipped what had): it is not half-done,
			// and a progress row left behind would block the other
			// direction until a repair.
			if derr := r.endProgress(ctx, conn, rev.ID); derr != nil {
				log.Warn("the failed revision's progress row stays", "error", derr)
			}
		}
		log.Error("statement failed", "statement", oneLine(s.SQL, 200), "error", err)
		return pe
	}
	for i, s := range stmts {
		if i < skip {
			continue
		}
		if err := stop.Err(); err != nil {
			return Result{}, fail(i, s, err, false)
		}
		t := time.Now()
		if !inTx && classifier != nil && classifier.Transactional(s.SQL) {
			// DML: the statement and its progress commit together.
			if err := r.execWithProgress(ctx, conn, rev, s, i, chain); err != nil {
				return Result{}, fail(i, s, err, false)
			}
			log.Debug("statement", "statement", oneLine(s.SQL, 200), "duration", time.Since(t))
			continue
		}
		if !inTx && fingerprinter != nil && intended != i {
			fp, err := fingerprinter.Fingerprint(ctx, q, s.SQL, r.internalTables())
			if err == nil {
				err = r.intend(ctx, q, rev.ID, i, chain, fp)
			}
			if err != nil {
				return Result{}, fail(i, s, err, false)
			}
		}
		res, err := r.exec(ctx, q, s.SQL)
		if r.OnStatement != nil {
			r.OnStatement(rev, s, res, err)
		}
		if err != nil {
			uncertain := false
			if !inTx && fingerprinter != nil {
				// The server answered with an error, so the statement did
				// not complete: forget the intent, unless the connection
				// is gone, when whether it completed is not known (the
				// next run establishes it from the catalog).
				// What it left half-made (an invalid index after a
				// cancelled CREATE INDEX CONCURRENTLY) is removed first,
				// so that it can run again; if that fails, the intent
				// stays and the next run settles it.
				if st, ok := r.Dialect.(dialect.Settler); ok {
					if did, serr := st.Settle(ctx, q, s.SQL); serr != nil {
						uncertain = true
					} else if did != "" {
						log.Info("the failed statement had left work half-done", "statement", oneLine(s.SQL, 200), "settled", did)
					}
				}
				if !uncertain {
					if cerr := r.clearIntent(ctx, q, rev.ID); cerr != nil {
						uncertain = true
					}
				}
			}
			return Result{}, fail(i, s, err, uncertain)
		}
		if !inTx {
			// One write records the statement done and, where the next is
			// DDL too, the intent of the next; after the last, the version
			// row's transaction ends the progress, and until it commits
			// the intent left on this statement lets a resume establish it
			// from the catalog.
			next := i + 1
			var err error
			switch {
			case fingerprinter != nil && next == len(stmts):
			case fingerprinter != nil && (classifier == nil || !classifier.Transactional(stmts[next].SQL)):
				var fp string
				if fp, err = fingerprinter.Fingerprint(ctx, q, stmts[next].SQL, r.internalTables()); err == nil {
					err = r.stepProgressAndIntend(ctx, q, rev.ID, next, chain, fp)
					intended = next
				}
			default:
				err = r.stepProgress(ctx, q, rev.ID, next, chain)
			}
			if err != nil {
				return Result{}, fail(next, s, err, false)
			}
		}
		log.Debug("statement", "statement", oneLine(s.SQL, 200), "duration", time.Since(t))
	}
	if before != nil {
		lost, err := guard.check(ctx, tx, rev, stmts, before, r.execOn(ctx, tx))
		if err != nil {
			return Result{}, fail(len(stmts), revision.Statement{SQL: "-- strata: data-loss guard"}, err, false)
		}
		if len(lost) > 0 {
			return Result{}, errors.Join(&DataLossError{Losses: lost, RolledBack: true}, rollback())
		}
	} else if guard != nil {
		// Outside a transaction nothing can be judged or taken back; the
		// revision may have filled tables.
		if err := guard.refresh(ctx, q); err != nil {
			return Result{}, err
		}
	}
	elapsed := time.Since(start)
	record := r.versionRecord(rev, dir, elapsed.Milliseconds())
	if !inTx {
		// The version row and the end of the progress commit together.
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return Result{}, fail(len(stmts), revision.Statement{SQL: "BEGIN"}, fmt.Errorf("record version: %w", err), false)
		}
		q = tx
	}
	_, err = r.recordVersion(ctx, q, record, rev, dir, elapsed)
	if err == nil && !inTx {
		err = r.endProgress(ctx, q, rev.ID)
	}
	if err != nil {
		return Result{}, fail(len(stmts), revision.Statement{SQL: record}, fmt.Errorf("record version: %w", err), false)
	}
	if inTx {
		if err := stop.Err(); err != nil {
			// After the last statement: the commit is where it stopped.
			at := revision.Statement{SQL: "COMMIT"}
			if len(stmts) > 0 {
				at.Line = stmts[len(stmts)-1].Line
			}
			return Result{}, fail(len(stmts), at, err, false)
		}
	}
	if err := tx.Commit(); err != nil {
		return Result{}, &PartialError{Failed: rev, Direction: dir, Statement: revision.Statement{SQL: "COMMIT"}, Executed: len(stmts), Ran: ranIf(!inTx, stmts), Err: err}
	}
	res := Result{Revision: rev, Direction: dir, Duration: time.Since(start), Statements: len(stmts), Resumed: skip, ResumeNote: note}
	log.Info("applied", "duration", res.Duration, "statements", res.Statements)
	return res, nil
}

// execWithProgress runs a statement that commits with a transaction (DML)
// in one transaction with the record of its completion, so that a crash
// leaves both or neither.
func (r *Runner) execWithProgress(ctx context.Context, conn *sql.Conn, rev *revision.Revision, s revision.Statement, i int, chain []string) (err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			}
		}
	}()
	res, err := r.exec(ctx, tx, s.SQL)
	if r.OnStatement != nil {
		r.OnStatement(rev, s, res, err)
	}
	if err != nil {
		return err
	}
	if err := r.stepProgress(ctx, tx, rev.ID, i+1, chain); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func ranIf(ok bool, stmts []revision.Statement) []revision.Statement {
	if ok {
		return stmts
	}
	return nil
}

// exec runs one statement of a revision, through the dialect's Executor
// where it has one.
func (r *Runner) exec(ctx context.Context, q dialect.Querier, statement string) (sql.Result, error) {
	if e, ok := r.Dialect.(dialect.Executor); ok {
		return e.Exec(ctx, q, statement)
	}
	return q.ExecContext(ctx, statement)
}

// statements returns what a revision runs in one direction: the file's
// statements, or for a Go revision the rendering of the ops its program
// returns, given the schema as it stands.
func (r *Runner) statements(ctx context.Context, q dialect.Querier, rev *revision.Revision, dir Direction) ([]revision.Statement, error) {
	if !rev.IsGo() {
		if dir == Down {
			return rev.Down, nil
		}
		return rev.Up, nil
	}
	current, err := r.Dialect.Inspect(ctx, q, dialect.InspectOptions{Exclude: r.internalTables()})
	if err != nil {
		return nil, fmt.Errorf("runner: %s %s: inspect the schema for its Go ops: %w", dir, rev.ID, err)
	}
	stmts, _, err := r.render(ctx, q, rev, dir, current)
	return stmts, err
}

// render runs a Go revision's program and renders its ops, following each
// on a copy of current so that every op sees the schema before it. It
// returns the schema after the ops, nil when current is nil.
func (r *Runner) render(ctx context.Context, q revision.Querier, rev *revision.Revision, dir Direction, current *schema.Schema) ([]revision.Statement, *schema.Schema, error) {
	prog := rev.UpFunc
	if dir == Down {
		prog = rev.DownFunc
	}
	if prog == nil {
		return nil, nil, fmt.Errorf("runner: revision %s has no %s function", rev.ID, dir.command())
	}
	state := current.Clone()
	ops, err := prog(ctx, q, current.Clone())
	if err != nil {
		return nil, nil, fmt.Errorf("runner: %s %s: %w", dir, rev.ID, err)
	}
	if state != nil {
		stmts, err := dialect.RenderStatements(r.Dialect, state, ops)
		if err != nil {
			return nil, nil, fmt.Errorf("runner: %s %s: %w", dir, rev.ID, err)
		}
		out := make([]revision.Statement, len(stmts))
		line := 1
		for i, st := range stmts {
			// Line is the op's number; a statement of the dialect's own
			// belongs to the op before it.
			if len(st.Ops) > 0 {
				line = st.Ops[0] + 1
			}
			out[i] = revision.Statement{SQL: st.SQL, Line: line}
		}
		return out, state, nil
	}
	// Without the schema before them the ops render one at a time, as
	// dialects that need no schema to render do.
	var out []revision.Statement
	for i, o := range ops {
		sqls, err := r.Dialect.Render(state, o)
		if err != nil {
			return nil, nil, fmt.Errorf("runner: %s %s: op %d (%s): %w", dir, rev.ID, i+1, o, err)
		}
		for _, s := range sqls {
			out = append(out, revision.Statement{SQL: s, Line: i + 1})
		}
		if state != nil {
			if err := o.Apply(state); err != nil {
				return nil, nil, fmt.Errorf("runner: %s %s: op %d (%s): %w", dir, rev.ID, i+1, o, err)
			}
		}
	}
	return out, state, nil
}

// Preview renders a Go revision's upgrade against current (the schema
// before it) without running anything; its program may read the
// database. A SQL revision's statements are returned as they are.
func (r *Runner) Preview(ctx context.Context, rev *revision.Revision, current *schema.Schema) ([]revision.Statement, error) {
	if !rev.IsGo() {
		return rev.Up, nil
	}
	stmts, _, err := r.render(ctx, r.DB, rev, Up, current)
	return stmts, err
}

// internalTables are strata's own tables, left out of inspection.
func (r *Runner) internalTables() []string { return []string{r.table(), r.progressTable()} }

// InternalTables lists the tables strata keeps in a database: the version
// table and the progress table of non-transactional revisions.
func InternalTables(versionTable string) []string {
	if versionTable == "" {
		versionTable = DefaultTable
	}
	return []string{versionTable, versionTable + "_progress"}
}

// recordVersion runs record, the literal statement that inserts or
// deletes rev's version row, or the same with parameters where the
// dialect prefers them (a statement its driver prepares once).
func (r *Runner) recordVersion(ctx context.Context, q dialect.Querier, record string, rev *revision.Revision, dir Direction, elapsed time.Duration) (sql.Result, error) {
	pv, ok := r.Dialect.(dialect.ParamVersionStore)
	switch {
	case !ok:
		return q.ExecContext(ctx, record)
	case dir == Down:
		return q.ExecContext(ctx, pv.DeleteVersionParams(r.table()), rev.ID)
	}
	return q.ExecContext(ctx, pv.InsertVersionParams(r.table()), rev.ID, rev.Checksum, elapsed.Milliseconds())
}

// execOn runs a statement on q, as the data-loss guard asks.
func (r *Runner) execOn(ctx context.Context, q revision.Querier) func(revision.Statement) error {
	return func(s revision.Statement) error {
		_, err := r.exec(ctx, q, s.SQL)
		return err
	}
}

// versionRecord is the statement that records rev as applied (Up) or
// forgets it (Down), with the time the upgrade took.
func (r *Runner) versionRecord(rev *revision.Revision, dir Direction, durationMS int64) string {
	if dir == Down {
		return r.Dialect.DeleteVersion(r.table(), rev.ID)
	}
	return r.Dialect.InsertVersion(r.table(), rev.ID, rev.Checksum, durationMS)
}
