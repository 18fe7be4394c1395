package replay

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/internal/oracle"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// The stages a step fails at.
const (
	StageInspect     = "inspect"     // the dialect's Inspect failed (R or S)
	StageDiff        = "diff"        // diff.Schemas failed
	StageRender      = "render"      // Render or op.Apply failed
	StageApply       = "apply"       // the server refused strata's DDL
	StageDifferences = "differences" // S differs from R after the upgrade
	StageSecondDiff  = "second diff not empty"
	StagePanic       = "panic"
	// The stages of the downgrade check (Runner.Inverse).
	StageInverse      = "inverse"          // diff.Inverse failed
	StageRenderDown   = "render downgrade" // rendering the inverse failed
	StageApplyDown    = "apply downgrade"  // the server refused it
	StageNotRestored  = "downgrade not restored"
	StageReapply      = "re-apply after downgrade"
	StageInverseSetup = "downgrade setup"
	StageOracle       = "oracle" // the database's own tool could not dump it
)

// RefError is a statement of the project's own up file that the server
// refused when applied to the reference database.
type RefError struct {
	Line      int
	Statement string
	Message   string
}

// StepResult is how one step went.
type StepResult struct {
	Step Step
	// OK: S, upgraded by strata, equals R after the step, and a second
	// diff is empty.
	OK bool
	// Stage and Message say where and why a step failed; Statement is the
	// statement the server refused (apply stages); Detail holds more
	// differences or ops.
	Stage, Message, Statement string
	Detail                    []string
	// RefErrors are the statements of the project's file the server
	// refused; the step then counts as failed even when strata converged
	// on what R became.
	RefErrors []RefError
	// Ops are the ops strata generated, as text, and Rendered the
	// statements it rendered from them.
	Ops      []string
	Rendered []string
	// Cause is the kind of the first difference the oracle found
	// (oracle.Diff.Cause), when the step failed on one.
	Cause string
	// Levels says, for SQLite, whether S's schema text equals R's at
	// each oracle.Level after the upgrade (OK is the strict verdict).
	Levels map[oracle.Level]bool `json:",omitempty"`
	// SelfOK: strata's own comparison of its inspections of S and R (the
	// judge before the oracle) found them equal after the upgrade.
	SelfOK bool
	// Resync says how S was made equal to R again after a failure:
	// "ddl" (strata's rendering of R's schema into a fresh database),
	// "replay" (R's statements replayed into a fresh database), or
	// "failed: …".
	Resync string
	// The downgrade check, when run: InverseTested is false when the step
	// passed with no ops, failed, or the check was not asked for.
	InverseTested bool
	InverseOK     bool
	InverseStage  string
	InverseMsg    string
	InverseStmt   string
	// InverseCause is the oracle's kind of difference when the downgrade
	// did not restore the schema.
	InverseCause string
	Duration     time.Duration
}

// Failed reports whether the step counts as failed: strata did not
// converge, or the project's own file was refused.
func (r *StepResult) Failed() bool { return !r.OK || len(r.RefErrors) > 0 }

// Summary is a run of one history on one dialect.
type Summary struct {
	History  string
	Dialect  string
	Server   string
	Inverse  bool
	Steps    []*StepResult
	Duration time.Duration
}

// Count returns passed (strata converged, reference applied cleanly),
// strataFailed (strata did not converge) and refRefused (the project's
// file was refused in part) counts.
func (s *Summary) Count() (passed, strataFailed, refRefused int) {
	for _, r := range s.Steps {
		if !r.OK {
			strataFailed++
		}
		if len(r.RefErrors) > 0 {
			refRefused++
		}
		if !r.Failed() {
			passed++
		}
	}
	return
}

// InverseCount returns how many downgrades were checked and how many
// restored the schema.
func (s *Summary) InverseCount() (ok, tested int) {
	for _, r := range s.Steps {
		if r.InverseTested {
			tested++
			if r.InverseOK {
				ok++
			}
		}
	}
	return
}

// Runner replays histories on one dialect.
type Runner struct {
	// Dialect is "sqlite", "postgres" or "mysql".
	Dialect string
	// Inverse also checks each passing step's generated downgrade.
	Inverse bool
	// StepTimeout bounds one step (default 2 minutes).
	StepTimeout time.Duration
	// Progress, when set, gets a mark per step: . ok, F failed, R the
	// project's file refused.
	Progress io.Writer
	// TempDir holds SQLite databases (default os.TempDir()).
	TempDir string
}

// database is one database on one connection.
type database struct {
	db   *sql.DB
	conn *sql.Conn
	d    dialect.Dialect
	drop func()
	// url opens the database again; path is SQLite's file; name is the
	// database's name on a server.
	url, path, name string
}

// dump reads the database's schema with the database's own tool.
func (db *database) dump(ctx context.Context) (*oracle.Dump, error) {
	return oracle.Take(ctx, db.d.Name(), db.conn, db.url, db.name)
}

func (db *database) close() {
	if db == nil {
		return
	}
	db.conn.Close()
	db.db.Close()
	if db.drop != nil {
		db.drop()
	}
}

// fresh creates an empty database of the runner's dialect.
func (r *Runner) fresh(ctx context.Context) (*database, error) {
	switch r.Dialect {
	case "sqlite":
		dir, err := os.MkdirTemp(r.TempDir, "strata-replay-")
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "replay.db")
		return r.open(ctx, "sqlite:"+path, path, func() { os.RemoveAll(dir) })
	case "postgres", "mysql":
		u, dropDB, err := testdb.Create(r.Dialect)
		if err != nil {
			return nil, err
		}
		return r.open(ctx, u, "", func() { _ = dropDB() })
	}
	return nil, fmt.Errorf("replay: unknown dialect %q; want sqlite, postgres or mysql", r.Dialect)
}

// open opens the database at u on one connection; drop, when not nil,
// removes it again, also when open fails.
func (r *Runner) open(ctx context.Context, u, path string, drop func()) (_ *database, err error) {
	defer func() {
		if err != nil && drop != nil {
			drop()
		}
	}()
	var db *sql.DB
	switch r.Dialect {
	case "sqlite":
		db, err = sqlite.Open(u)
	case "postgres":
		db, err = postgres.Open(u)
	case "mysql":
		db, err = mysql.Open(u)
	default:
		err = fmt.Errorf("replay: unknown dialect %q; want sqlite, postgres or mysql", r.Dialect)
	}
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	var d dialect.Dialect
	switch r.Dialect {
	case "sqlite":
		d, err = sqlite.New(ctx, conn)
	case "postgres":
		d, err = postgres.New(ctx, conn)
	case "mysql":
		d, err = mysql.New(ctx, conn)
	}
	if err != nil {
		conn.Close()
		db.Close()
		return nil, err
	}
	name := ""
	if r.Dialect != "sqlite" {
		if pu, err := url.Parse(u); err == nil {
			name = strings.TrimPrefix(pu.Path, "/")
		}
	}
	return &database{db: db, conn: conn, d: d, drop: drop, url: u, path: path, name: name}, nil
}

// copyOf makes a copy of src's database where the dialect can: SQLite's
// VACUUM INTO, PostgreSQL's CREATE DATABASE … TEMPLATE (src is closed
// and opened again around it, since a template database takes no
// connections). It returns nil and no error for MySQL.
func (r *Runner) copyOf(ctx context.Context, src **database) (*database, error) {
	switch r.Dialect {
	case "sqlite":
		dir, err := os.MkdirTemp(r.TempDir, "strata-replay-")
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "replay.db")
		if _, err := (*src).conn.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(path, "'", "''")+"'"); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		return r.open(ctx, "sqlite:"+path, path, func() { os.RemoveAll(dir) })
	case "postgres":
		u, err := url.Parse((*src).url)
		if err != nil {
			return nil, err
		}
		srcName := strings.TrimPrefix(u.Path, "/")
		admin, err := postgres.Open(testdb.ServerURL("postgres"))
		if err != nil {
			return nil, err
		}
		old := *src
		old.conn.Close()
		old.db.Close()
		name := testdb.Name()
		_, cerr := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+srcName)
		reopened, err := r.open(ctx, old.url, "", nil)
		if err != nil {
			admin.Close()
			return nil, fmt.Errorf("reopen the reference: %w", err)
		}
		reopened.drop = old.drop
		*src = reopened
		if cerr != nil {
			admin.Close()
			return nil, cerr
		}
		drop := func() {
			_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close()
		}
		u.Path = "/" + name
		return r.open(ctx, u.String(), "", drop)
	}
	return nil, nil
}

func (db *database) inspect(ctx context.Context, q dialect.Querier) (*schema.Schema, error) {
	if q == nil {
		q = db.conn
	}
	s, err := db.d.Inspect(ctx, q, dialect.InspectOptions{})
	if err != nil {
		return nil, err
	}
	s.Normalize()
	return s, nil
}

func (db *database) exec(ctx context.Context, q dialect.Querier, stmt string) error {
	if e, ok := db.d.(dialect.Executor); ok {
		_, err := e.Exec(ctx, q, stmt)
		return err
	}
	_, err := q.ExecContext(ctx, stmt)
	return err
}

// applyRendered runs strata's statements, in one transaction where the
// dialect has transactional DDL. It returns the refused statement.
func (db *database) applyRendered(ctx context.Context, stmts []string) (string, error) {
	var q dialect.Querier = db.conn
	var tx *sql.Tx
	if db.d.Capabilities().TransactionalDDL {
		var err error
		if tx, err = db.conn.BeginTx(ctx, nil); err != nil {
			return "", err
		}
		q = tx
	}
	for _, s := range stmts {
		if err := db.exec(ctx, q, s); err != nil {
			if tx != nil {
				_ = tx.Rollback()
			}
			return s, err
		}
	}
	if tx != nil {
		return "", tx.Commit()
	}
	return "", nil
}

// Server returns the dialect's server version.
func (r *Runner) Server(ctx context.Context) (string, error) {
	db, err := r.fresh(ctx)
	if err != nil {
		return "", err
	}
	defer db.close()
	query := map[string]string{"sqlite": "SELECT 'SQLite ' || sqlite_version()", "postgres": "SELECT 'PostgreSQL ' || current_setting('server_version')", "mysql": "SELECT VERSION()"}[r.Dialect]
	var v string
	err = db.conn.QueryRowContext(ctx, query).Scan(&v)
	return v, err
}

// replayRun is the state of one history's replay.
type replayRun struct {
	r       *Runner
	ref, s  *database
	applied []string // R's statements that the server took, in order
}

// Run replays h and returns every step's result. It fails only when the
// databases cannot be made; everything a step does wrong is in its
// result.
func (r *Runner) Run(ctx context.Context, h *History) (*Summary, error) {
	start := time.Now()
	sum := &Summary{History: h.Name, Dialect: r.Dialect, Inverse: r.Inverse}
	var err error
	if sum.Server, err = r.Server(ctx); err != nil {
		return nil, fmt.Errorf("replay: %s server: %w", r.Dialect, err)
	}
	run := &replayRun{r: r}
	if run.ref, err = r.fresh(ctx); err != nil {
		return nil, fmt.Errorf("replay: reference database: %w", err)
	}
	defer func() { run.ref.close() }()
	if run.s, err = r.fresh(ctx); err != nil {
		return nil, fmt.Errorf("replay: strata's database: %w", err)
	}
	defer func() { run.s.close() }()
	for _, st := range h.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res := run.step(ctx, st)
		sum.Steps = append(sum.Steps, res)
		if r.Progress != nil {
			mark := "."
			switch {
			case !res.OK:
				mark = "F"
			case len(res.RefErrors) > 0:
				mark = "R"
			}
			fmt.Fprint(r.Progress, mark)
		}
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:297] + "..."
	}
	return s
}

// step runs one step; it never panics.
func (run *replayRun) step(ctx context.Context, st Step) (res *StepResult) {
	start := time.Now()
	res = &StepResult{Step: st}
	defer func() { res.Duration = time.Since(start) }()
	timeout := run.r.StepTimeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			res.OK, res.Stage, res.Message = false, StagePanic, fmt.Sprint(p)
			res.Detail = []string{string(debug.Stack())}
			func() {
				defer func() {
					if p := recover(); p != nil {
						res.Resync = fmt.Sprintf("failed: panic: %v", p)
					}
				}()
				run.resync(ctx, res, nil, nil)
			}()
		}
	}()
	run.applyReference(ctx, res)
	want, err := run.ref.dump(ctx)
	if err != nil {
		res.Stage, res.Message = StageOracle, "reference: "+err.Error()
		return res
	}
	target, err := run.ref.inspect(ctx, nil)
	if err != nil {
		res.Stage, res.Message = StageInspect, "reference: "+err.Error()
		return res
	}
	beforeDump, err := run.s.dump(ctx)
	if err != nil {
		res.Stage, res.Message = StageOracle, err.Error()
		run.resync(ctx, res, target, want)
		return res
	}
	before, err := run.s.inspect(ctx, nil)
	if err != nil {
		res.Stage, res.Message = StageInspect, err.Error()
		run.resync(ctx, res, target, want)
		return res
	}
	ops, stage, err := run.upgrade(ctx, res, before, target, want)
	if err != nil {
		res.Stage, res.Message = stage, err.Error()
		run.resync(ctx, res, target, want)
		return res
	}
	res.OK = true
	if run.r.Inverse && len(ops) > 0 {
		run.inverse(ctx, res, ops, before, beforeDump, target, want)
	}
	return res
}

// applyReference applies the step's up file to R statement by statement,
// outside a transaction, noting what the server refuses.
func (run *replayRun) applyReference(ctx context.Context, res *StepResult) {
	text, err := os.ReadFile(res.Step.Up)
	if err != nil {
		res.RefErrors = append(res.RefErrors, RefError{Message: err.Error()})
		return
	}
	stmts, err := revision.Split(string(text), 1, revision.ForDialect(run.ref.d.Name()))
	if err != nil {
		res.RefErrors = append(res.RefErrors, RefError{Message: "split: " + err.Error()})
		return
	}
	for _, s := range stmts {
		if _, err := run.ref.conn.ExecContext(ctx, s.SQL); err != nil {
			res.RefErrors = append(res.RefErrors, RefError{Line: s.Line, Statement: oneLine(s.SQL), Message: oneLine(err.Error())})
			continue
		}
		run.applied = append(run.applied, s.SQL)
	}
}

// levels are the oracle levels a dialect's text is compared at: all of
// them for SQLite, Strict elsewhere.
func (r *Runner) levels() []oracle.Level {
	if r.Dialect == "sqlite" {
		return oracle.Levels
	}
	return []oracle.Level{oracle.Strict}
}

// upgrade diffs S towards target, renders, applies, and checks S's dump
// against R's (want).
func (run *replayRun) upgrade(ctx context.Context, res *StepResult, before, target *schema.Schema, want *oracle.Dump) ([]op.Op, string, error) {
	ops, err := diff.Schemas(before, target)
	if err != nil {
		return nil, StageDiff, err
	}
	for _, o := range ops {
		res.Ops = append(res.Ops, o.String())
	}
	stmts, err := dialect.RenderOps(run.s.d, before.Clone(), ops)
	if err != nil {
		return nil, StageRender, err
	}
	res.Rendered = stmts
	if bad, err := run.s.applyRendered(ctx, stmts); err != nil {
		res.Statement = oneLine(bad)
		return nil, StageApply, err
	}
	got, err := run.s.dump(ctx)
	if err != nil {
		return nil, StageOracle, err
	}
	after, err := run.s.inspect(ctx, nil)
	if err != nil {
		return nil, StageInspect, err
	}
	res.SelfOK = len(schema.Differences(after, target)) == 0
	var strict []oracle.Diff
	for _, l := range run.r.levels() {
		d := oracle.Differences(got, want, l)
		if run.r.Dialect == "sqlite" {
			if res.Levels == nil {
				res.Levels = map[oracle.Level]bool{}
			}
			res.Levels[l] = len(d) == 0
		}
		if l == oracle.Strict {
			strict = d
		}
	}
	if len(strict) > 0 {
		for _, x := range strict[1:] {
			res.Detail = append(res.Detail, x.String())
		}
		res.Cause = strict[0].Cause()
		return nil, StageDifferences, errors.New(strict[0].String())
	}
	again, err := diff.Schemas(after, target)
	if err != nil {
		return nil, StageSecondDiff, err
	}
	if len(again) > 0 {
		for _, o := range again[1:] {
			res.Detail = append(res.Detail, o.String())
		}
		return nil, StageSecondDiff, errors.New(again[0].String())
	}
	return ops, "", nil
}

// inverse checks that the inverse of ops, rendered and applied to S,
// restores S's dump from before the step (beforeDump); S is then
// upgraded again and must equal R (want), else it is re-synced.
func (run *replayRun) inverse(ctx context.Context, res *StepResult, ops []op.Op, before *schema.Schema, beforeDump *oracle.Dump, target *schema.Schema, want *oracle.Dump) {
	res.InverseTested = true
	fail := func(stage string, err error, stmt string) {
		res.InverseStage, res.InverseMsg, res.InverseStmt = stage, oneLine(err.Error()), oneLine(stmt)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		fail(StageInverse, err, "")
		return
	}
	running := before.Clone()
	up, err := dialect.RenderOps(run.s.d, running, ops)
	if err != nil {
		fail(StageRenderDown, fmt.Errorf("re-render the upgrade: %w", err), "")
		return
	}
	down, err := dialect.RenderOps(run.s.d, running, reverse)
	if err != nil {
		fail(StageRenderDown, err, "")
		return
	}
	// Downgrade, dump, upgrade again; re-sync when that does not bring S
	// back to R. (pg_dump sees only committed changes, so the downgrade
	// is committed on every dialect.)
	defer func() {
		if got, err := run.s.dump(ctx); err == nil && len(oracle.Differences(got, want, oracle.Strict)) == 0 {
			return
		}
		if bad, err := run.s.applyRendered(ctx, up); err != nil && res.InverseOK {
			res.InverseOK = false
			fail(StageReapply, err, bad)
		}
		if got, err := run.s.dump(ctx); err != nil || len(oracle.Differences(got, want, oracle.Strict)) > 0 {
			run.resync(ctx, res, target, want)
		}
	}()
	if bad, err := run.s.applyRendered(ctx, down); err != nil {
		fail(StageApplyDown, err, bad)
		return
	}
	restored, err := run.s.dump(ctx)
	if err != nil {
		fail(StageOracle, err, "")
		return
	}
	if d := oracle.Differences(restored, beforeDump, oracle.Strict); len(d) > 0 {
		fail(StageNotRestored, errors.New(d[0].String()), "")
		res.InverseCause = d[0].Cause()
		return
	}
	res.InverseOK = true
}

// resync makes S equal to R again, as the oracle sees them: a fresh
// database with strata's rendering of target, or failing that a copy of
// R, or R's statements replayed.
func (run *replayRun) resync(ctx context.Context, res *StepResult, target *schema.Schema, want *oracle.Dump) {
	if target == nil {
		var err error
		if target, err = run.ref.inspect(ctx, nil); err != nil {
			res.Resync = "failed: inspect reference: " + oneLine(err.Error())
			return
		}
	}
	if want == nil {
		var err error
		if want, err = run.ref.dump(ctx); err != nil {
			res.Resync = "failed: dump reference: " + oneLine(err.Error())
			return
		}
	}
	// try2 checks db against R's dump and makes it S, or closes it.
	try2 := func(db *database) error {
		got, err := db.dump(ctx)
		if err != nil {
			db.close()
			return err
		}
		if d := oracle.Differences(got, want, oracle.Strict); len(d) > 0 {
			db.close()
			return errors.New(d[0].String())
		}
		run.s.close()
		run.s = db
		return nil
	}
	try := func(fill func(db *database) error) error {
		db, err := run.r.fresh(ctx)
		if err != nil {
			return err
		}
		if err := fill(db); err != nil {
			db.close()
			return err
		}
		return try2(db)
	}
	ddlErr := try(func(db *database) error {
		empty := &schema.Schema{Name: target.Name}
		ops, err := diff.Schemas(empty, target)
		if err != nil {
			return err
		}
		stmts, err := dialect.RenderOps(db.d, empty.Clone(), ops)
		if err != nil {
			return err
		}
		_, err = db.applyRendered(ctx, stmts)
		return err
	})
	if ddlErr == nil {
		res.Resync = "ddl"
		return
	}
	if c, err := run.r.copyOf(ctx, &run.ref); err != nil || c != nil {
		if err == nil {
			err = try2(c)
		}
		if err == nil {
			res.Resync = "copy of R (strata's DDL of R: " + oneLine(ddlErr.Error()) + ")"
			return
		}
		res.Resync = "failed: copy of R: " + oneLine(err.Error())
		return
	}
	replayErr := try(func(db *database) error {
		for _, s := range run.applied {
			if _, err := db.conn.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("replay %s: %w", oneLine(s), err)
			}
		}
		return nil
	})
	if replayErr == nil {
		res.Resync = "replay (strata's DDL of R: " + oneLine(ddlErr.Error()) + ")"
		return
	}
	res.Resync = "failed: " + oneLine(replayErr.Error())
}
