// Package runner applies revisions to a database: it takes the lock,
// creates the version table, plans the revisions a target needs, runs
// each in its own transaction with its version row where the database
// allows, and reports what it did.
package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
)

// DefaultTable is the name of the version table.
const DefaultTable = "strata_revisions"

// Direction says which way a revision ran.
type Direction string

// The directions.
const (
	Up   Direction = "up"
	Down Direction = "down"
)

// Command names the command that runs revisions in d: "upgrade" or
// "downgrade".
func (d Direction) Command() string { return d.command() }

func (d Direction) command() string {
	if d == Down {
		return "downgrade"
	}
	return "upgrade"
}

// Result is what running one revision did.
type Result struct {
	Revision  *revision.Revision `json:"revision"`
	Direction Direction          `json:"direction"`
	// Duration is how long the revision took (JSON: nanoseconds).
	Duration time.Duration `json:"duration_ns"`
	// Statements counts the statements the revision ran.
	Statements int `json:"statements"`
	// Resumed counts the statements that had run before this run, which
	// resumed the revision where an earlier run stopped; ResumeNote says,
	// for people, what the earlier run had left (which statements ran,
	// and whether the one in flight when it stopped had completed).
	Resumed    int    `json:"resumed"`
	ResumeNote string `json:"resume_note"`
}

// Applied is one row of the version table.
type Applied struct {
	Revision  string `json:"revision_id"`
	Checksum  string `json:"checksum"`
	AppliedAt string `json:"applied_at"`
	// Duration is how long the revision took (JSON: nanoseconds).
	Duration time.Duration `json:"duration_ns"`
}

// PartialError reports a revision that failed: what had completed before
// it, the revision and statement that failed, and the database's error,
// which it unwraps to.
type PartialError struct {
	// Applied lists the revisions that completed before the failure; they
	// stay applied.
	Applied []Result `json:"applied"`
	// Failed is the revision that failed.
	Failed    *revision.Revision `json:"failed"`
	Direction Direction          `json:"direction"`
	// Statement is the statement that failed, with its line.
	Statement revision.Statement `json:"statement"`
	// Executed counts the statements of Failed that ran before the failure;
	// without transactional DDL they stay executed.
	Executed int `json:"executed"`
	// RolledBack tells whether the failed revision's statements were rolled
	// back with its transaction.
	RolledBack bool `json:"rolled_back"`
	// Interrupted tells that the run stopped because its context ended
	// (Ctrl-C), not because a statement failed.
	Interrupted bool `json:"interrupted"`
	// Uncertain tells that Statement was sent but the connection failed
	// before its outcome was known: it may have completed on the server.
	// The next run establishes from the catalog whether it did.
	Uncertain bool `json:"uncertain"`
	// Ran lists the statements of Failed that ran and stay applied (its
	// first Executed statements), where the revision had no transaction.
	Ran []revision.Statement `json:"ran"`
	// DryRun says a dry run found the failure (AsDryRun): nothing was
	// kept, and the message says what the real run would leave.
	DryRun bool  `json:"dry_run"`
	Err    error `json:"-"`
}

func (e *PartialError) Error() string {
	if e.DryRun {
		return e.dryRunError()
	}
	var b strings.Builder
	what := "failed"
	if e.Interrupted {
		what = "was interrupted"
	}
	fmt.Fprintf(&b, "%s %s %s at %s: %v\n  statement: %s", e.Direction, e.Failed.ID, what,
		e.Failed.Where(e.Statement), e.Err, oneLine(e.Statement.SQL, 200))
	switch {
	case e.RolledBack:
		fmt.Fprintf(&b, "\n  the revision was rolled back; the database is as it was before %s", e.Failed.ID)
	case e.Executed > 0:
		why := "this database commits DDL at once"
		if e.Failed.NoTransaction {
			why = "the revision runs without a transaction"
		}
		fmt.Fprintf(&b, "\n  %s of %s ran before the %s and stay applied (%s).",
			e.ranStatements(), e.Failed.ID, e.cause(), why)
	default:
		fmt.Fprintf(&b, "\n  no statement of %s had completed before it", e.Failed.ID)
	}
	if !e.RolledBack {
		if e.Uncertain {
			fmt.Fprintf(&b, "\n  The failing statement was sent, but the connection failed before its outcome was known: it may have run."+
				"\n  The next run establishes from the database whether it did, and goes on from there.")
		}
		if e.Executed > 0 || e.Uncertain {
			at := fmt.Sprintf("at statement %d", e.Executed+1)
			if e.Uncertain {
				at = "where it stopped"
			}
			fmt.Fprintf(&b, "\n  The way forward: fix the cause and run %s again, which resumes %s;"+
				"\n  or undo what ran by hand and run `strata repair --reset %s`.",
				e.Direction.command(), at, e.Failed.ID)
		}
	}
	if len(e.Applied) > 0 {
		ids := make([]string, len(e.Applied))
		for i, r := range e.Applied {
			ids[i] = r.Revision.ID
		}
		fmt.Fprintf(&b, "\n  completed before the %s, and stay done: %s", e.cause(), strings.Join(ids, ", "))
	} else if e.Interrupted {
		fmt.Fprintf(&b, "\n  no revision completed before the interruption")
	}
	return b.String()
}

func (e *PartialError) Unwrap() error { return e.Err }

func (e *PartialError) cause() string {
	if e.Interrupted {
		return "interruption"
	}
	return "failure"
}

// ranStatements names the statements that ran: "statements 1-3 (a.sql:4, a.sql:6, a.sql:9)".
func (e *PartialError) ranStatements() string {
	if e.Executed == 1 {
		s := "statement 1"
		if len(e.Ran) == 1 {
			s += " (" + e.Failed.Where(e.Ran[0]) + ")"
		}
		return s
	}
	s := fmt.Sprintf("statements 1-%d", e.Executed)
	if len(e.Ran) == e.Executed && e.Failed.Path != "" {
		var where []string
		for _, st := range e.Ran {
			where = append(where, e.Failed.Where(st))
		}
		if len(where) > 6 {
			where = append(where[:2:2], "…", where[len(where)-1])
		}
		s += " (" + strings.Join(where, ", ") + ")"
	}
	return s
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n-3] + "..."
	}
	return s
}

// Runner runs revisions of Graph against DB.
type Runner struct {
	DB      *sql.DB
	Dialect dialect.Dialect
	Graph   *revision.Graph
	// Table is the version table; DefaultTable when empty.
	Table  string
	Logger *slog.Logger
	// Force runs revisions that destroy data in tables holding rows;
	// without it such a run stops with a *DataLossError: where DDL is
	// transactional, when the revision has run in its transaction, which
	// is rolled back (see effect); elsewhere before the run starts
	// (before the Go revision, for revisions written in Go).
	Force bool
	// OnStatement, when set, hears of every statement a run executes, with
	// its result or error (dry runs on a copy collect their steps so).
	OnStatement func(rev *revision.Revision, s revision.Statement, res sql.Result, err error)
	// Scratch, when set, gives offline mode an empty database of the same
	// dialect on which it runs what it writes, so that Go revisions render
	// against the real schema; done removes it (or empties it). Offline
	// mode calls it only for a plan that holds a Go revision.
	Scratch func(ctx context.Context) (db *sql.DB, done func() error, err error)
	// BeforeRun, when set, hears of the revisions a run is about to
	// apply or undo, in order, once the lock is held and the plan made,
	// before the data-loss guard and the first revision (Upgrade lints
	// them here).
	BeforeRun func(ctx context.Context, plan []*revision.Revision)
	// LockTimeout bounds the wait for the lock another run holds; zero
	// waits until ctx ends. The run then fails with a *LockTimeoutError.
	LockTimeout time.Duration
	// OnProgress, when set, hears of each revision of a run as it starts
	// and as it finishes, so that a caller can show progress while a long
	// run works rather than only when it ends. It is called on the run's
	// goroutine, under the lock: it should return quickly.
	OnProgress func(Event)

	progressReady atomic.Bool // the progress table exists with every column
	noGuardWarned sync.Once   // warnNoGuard has spoken
	// halfDone holds, during a run, the revisions that had a progress row
	// when the run took the lock (checkHalfDone); nil outside a run. The
	// lock spans the run, so no other run adds one meanwhile, and this
	// run's own row of a revision is gone once that revision commits (or
	// the run stops): a revision not in it has no row to resume from, and
	// resume need not read the table (a query per revision saved).
	halfDone atomic.Pointer[map[string]bool]
}

func (r *Runner) table() string {
	if r.Table == "" {
		return DefaultTable
	}
	return r.Table
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

// Applied reads the version table; a database without one has nothing
// applied. It changes nothing: read-only commands (current, history)
// must not create the table.
func (r *Runner) Applied(ctx context.Context) ([]Applied, error) {
	probe, err := r.DB.QueryContext(ctx, "SELECT 1 FROM "+r.Dialect.QuoteIdent(r.table())+" WHERE 1 = 0")
	if err != nil {
		return nil, nil // no version table yet
	}
	probe.Close()
	return r.read(ctx, r.DB)
}

// applied creates the version table if need be and reads it.
func (r *Runner) applied(ctx context.Context, q dialect.Querier) ([]Applied, error) {
	if _, err := q.ExecContext(ctx, r.Dialect.CreateVersionTable(r.table())); err != nil {
		return nil, fmt.Errorf("runner: create version table %s: %w", r.table(), err)
	}
	return r.read(ctx, q)
}

func (r *Runner) read(ctx context.Context, q dialect.Querier) ([]Applied, error) {
	rows, err := q.QueryContext(ctx, r.Dialect.ListVersions(r.table()))
	if err != nil {
		return nil, fmt.Errorf("runner: read version table %s: %w", r.table(), err)
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		var a Applied
		var ms int64
		if err := rows.Scan(&a.Revision, &a.Checksum, &a.AppliedAt, &ms); err != nil {
			return nil, fmt.Errorf("runner: read version table %s: %w", r.table(), err)
		}
		a.Duration = time.Duration(ms) * time.Millisecond
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("runner: read version table %s: %w", r.table(), err)
	}
	return out, nil
}

// AppliedSet returns the ids of the applied revisions, and an error when
// the database holds a revision the graph does not know.
func (r *Runner) AppliedSet(rows []Applied) (map[string]bool, error) {
	set := map[string]bool{}
	var unknown []string
	for _, a := range rows {
		set[a.Revision] = true
		if _, ok := r.Graph.Get(a.Revision); !ok {
			unknown = append(unknown, a.Revision)
		}
	}
	if len(unknown) > 0 {
		return set, fmt.Errorf("runner: the database has revision(s) %s applied, which the migrations directory does not hold; run with the directory that applied them, or remove the rows from %s if they are stale",
			strings.Join(unknown, ", "), r.table())
	}
	return set, nil
}

// Upgrade applies the revisions target needs, in order.
func (r *Runner) Upgrade(ctx context.Context, target string) ([]Result, error) {
	return r.run(ctx, Up, func(applied map[string]bool) ([]*revision.Revision, error) {
		return r.Graph.UpgradePlan(applied, target)
	})
}

// Downgrade undoes the applied revisions target needs, children first.
func (r *Runner) Downgrade(ctx context.Context, target string) ([]Result, error) {
	return r.run(ctx, Down, func(applied map[string]bool) ([]*revision.Revision, error) {
		plan, err := r.Graph.DowngradePlan(applied, target)
		if err != nil {
			return nil, err
		}
		for _, rev := range plan {
			if len(rev.Down) == 0 && len(rev.Up) > 0 {
				return nil, fmt.Errorf("runner: revision %s (%s) has no -- migrate:down statements, so it cannot be downgraded; nothing was changed", rev.ID, rev.Path)
			}
		}
		return plan, nil
	})
}

// begin pins a connection, takes the lock on it and reads the version
// table under the lock, checking the applied files' checksums, so that
// the plan (a relative target such as -1 included) is made from what is
// applied while no other run can change it. release unlocks and gives
// the connection back.
func (r *Runner) begin(ctx context.Context) (conn *sql.Conn, applied map[string]bool, release func() error, err error) {
	conn, release, err = r.lock(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := r.applied(ctx, conn)
	if err == nil {
		applied, err = r.AppliedSet(rows)
	}
	if err == nil {
		err = r.verify(rows)
	}
	if err != nil {
		return nil, nil, nil, errors.Join(err, release())
	}
	return conn, applied, release, nil
}

func (r *Runner) run(ctx context.Context, dir Direction, plan func(map[string]bool) ([]*revision.Revision, error)) (results []Result, err error) {
	conn, applied, release, err := r.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, release()) }()
	defer r.halfDone.Store(nil)
	if err := r.checkHalfDone(ctx, conn, dir); err != nil {
		return nil, err
	}
	revs, err := plan(applied)
	if err != nil || len(revs) == 0 {
		return nil, err
	}
	if err := r.checkDialects(revs, dir); err != nil {
		return nil, err
	}
	// Statements run under a context that is never cancelled (see runOne);
	// a statement in flight when ctx ends is stopped by the dialect.
	if in, ok := r.Dialect.(dialect.Interrupter); ok && ctx.Done() != nil {
		interrupt, err := in.Interrupter(context.WithoutCancel(ctx), conn, r.DB)
		if err != nil {
			r.logger().Debug("statements in flight cannot be interrupted", "error", err)
		} else {
			defer context.AfterFunc(ctx, interrupt)()
		}
	}
	if r.BeforeRun != nil {
		r.BeforeRun(ctx, revs)
	}
	var guard *effect
	predictor, predicts := r.Dialect.(dialect.LossPredictor)
	var predictLater map[*revision.Revision]bool
	if r.judgesByEffect() {
		if guard, err = r.newEffect(ctx, conn); err != nil {
			return nil, err
		}
	} else if !r.Force && predicts {
		if predictLater, err = r.predictPlan(ctx, conn, predictor, revs, dir); err != nil {
			return nil, err
		}
	} else if !r.Force {
		r.warnNoGuard()
	}
	for i, rev := range revs {
		if predictLater[rev] {
			if err := r.predictOne(ctx, conn, predictor, rev, dir); err != nil {
				return results, withApplied(err, results)
			}
		}
		r.progress(Event{Revision: rev, Direction: dir, Index: i + 1, Total: len(revs)})
		res, err := r.runOne(ctx, conn, rev, dir, guard)
		if err != nil {
			r.progress(Event{Revision: rev, Direction: dir, Index: i + 1, Total: len(revs), Finished: true, Err: err})
			return results, withApplied(err, results)
		}
		results = append(results, res)
		r.progress(Event{Revision: rev, Direction: dir, Index: i + 1, Total: len(revs), Finished: true, Result: &res})
	}
	return results, nil
}

// Event is one step of a run's progress, for Runner.OnProgress: a
// revision starting (Finished false) or finished, with its Result when it
// completed, its error when it failed.
type Event struct {
	Revision  *revision.Revision
	Direction Direction
	// Index is the revision's place in the run, from 1 to Total.
	Index, Total int
	Finished     bool
	Result       *Result
	Err          error
}

func (r *Runner) progress(e Event) {
	if r.OnProgress != nil {
		r.OnProgress(e)
	}
}

// withApplied tells the error that stopped a run which revisions the
// run had completed before it.
func withApplied(err error, results []Result) error {
	var pe *PartialError
	if errors.As(err, &pe) {
		pe.Applied = slices.Clone(results)
	}
	var de *DataLossError
	if errors.As(err, &de) {
		de.Applied = slices.Clone(results)
	}
	return err
}

var revisionIDRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
