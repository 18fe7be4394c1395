package conformance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
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

// Mode is what the harness checks of each case.
type Mode string

// The modes.
const (
	// ModeRoundTrip: desired → inspect → render → fresh database →
	// inspect: equal (issue 3).
	ModeRoundTrip Mode = "roundtrip"
	// ModeConverge: current → autogenerate towards desired → upgrade:
	// equal to desired, second diff empty, downgrade: equal to current
	// (issue 5).
	ModeConverge Mode = "converge"
)

// Modes lists the modes in report order.
var Modes = []Mode{ModeRoundTrip, ModeConverge}

// Status is how a case ended.
type Status string

// The statuses. Only Pass and Fail count towards the pass rate.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	// NotApplicable: the server refused the case's own DDL.
	NotApplicable Status = "not applicable"
	// Skipped: the case uses a feature outside the schema model.
	Skipped Status = "skipped"
	// Ineligible: the case is not meant for this server or mode.
	Ineligible Status = "ineligible"
)

// The stages a case fails (or is found not applicable) at.
const (
	StageSetup        = "setup"            // creating or opening a database
	StageApplyCurrent = "apply current"    // not applicable
	StageApplyDesired = "apply desired"    // not applicable
	StageInspect      = "inspect"          // the dialect's Inspect failed
	StageDiff         = "diff"             // diff.Schemas failed
	StageInverse      = "inverse"          // diff.Inverse failed
	StageRender       = "render"           // Render or op.Apply failed
	StageRenderDown   = "render downgrade" // rendering the inverse failed
	StageApply        = "apply"            // the server refused rendered DDL
	StageApplyDown    = "apply downgrade"  // the server refused the downgrade
	StageRoundTrip    = "round trip differs"
	StageNotConverged = "not converged" // upgraded A differs from B
	StageSecondDiff   = "second diff not empty"
	StageNotRestored  = "downgrade not restored"
	StagePanic        = "panic"
	StageOracle       = "oracle" // the database's own tool could not dump it
)

// Result is one case's outcome in one mode.
type Result struct {
	Case   *Case
	Mode   Mode
	Status Status
	// Stage is where a failing or not applicable case stopped.
	Stage string
	// Message is the error or first difference; Detail holds the rest
	// (more differences, the statement that failed).
	Message string
	Detail  []string
	// Reasons name the skipped features, or the ineligibility.
	Reasons []string
	// Levels says, for SQLite, whether the case passes when the schema
	// text is compared at each oracle.Level (Status is the strict
	// verdict); nil on the other dialects.
	Levels map[oracle.Level]bool
	// Cause is the kind of the first difference the oracle found
	// (oracle.Diff.Cause), when the case failed on one; LevelCauses has
	// it per level for SQLite.
	Cause       string
	LevelCauses map[oracle.Level]string
	// SelfOK says whether strata's own comparison of its inspections
	// (schema.Differences, the harness's judge before the oracle) found
	// the schemas equal at every point the oracle judged; false when the
	// case stopped before.
	SelfOK   bool
	Duration time.Duration
}

// Runner runs cases of one dialect against fresh databases.
type Runner struct {
	// Dialect is "sqlite", "postgres" or "mysql".
	Dialect string
	// Parallel is how many cases run at once (default 2).
	Parallel int
	// Timeout bounds one case (default 2 minutes).
	Timeout time.Duration
	// MySQLEquivalent is the MySQL version a MariaDB server counts as for
	// mysqldef's version bounds (default "5.7"; see Eligible).
	MySQLEquivalent string
	// Progress, when set, gets a dot per case.
	Progress io.Writer
	// Reuse, on PostgreSQL, keeps each database for a later case instead
	// of dropping it: every schema in it is dropped and public made
	// again, which takes milliseconds where CREATE DATABASE and DROP
	// DATABASE take a second or more each. What the harness runs lives in
	// schemas (extensions go with the schema that holds them; cases with
	// roles or other database-wide objects are skipped), so a reset
	// database is as empty as a new one. The databases are dropped at the
	// end of Run. Other dialects ignore it.
	Reuse bool

	server *Server
	poolMu sync.Mutex
	pool   []pooled
}

// pooled is a PostgreSQL database kept for reuse.
type pooled struct {
	url  string
	drop func() error
}

// resetPostgres empties a PostgreSQL database: every schema but the
// system ones dropped, and public made again as CREATE DATABASE makes it
// (owned by pg_database_owner, with its comment and USAGE for PUBLIC), so
// that pg_dump cannot tell a reset database from a new one.
const resetPostgres = `DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT nspname FROM pg_namespace
		WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
		AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
	LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
	END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
COMMENT ON SCHEMA public IS 'standard public schema';
GRANT USAGE ON SCHEMA public TO PUBLIC`

// take returns a database for a case: from the pool when Reuse is set on
// PostgreSQL, else a new one; release gives it back (or drops it), drop
// drops it.
func (r *Runner) take() (u string, release, drop func(), err error) {
	if r.Reuse && r.Dialect == "postgres" {
		r.poolMu.Lock()
		if n := len(r.pool); n > 0 {
			p := r.pool[n-1]
			r.pool = r.pool[:n-1]
			r.poolMu.Unlock()
			return p.url, func() { r.giveBack(p) }, func() { _ = p.drop() }, nil
		}
		r.poolMu.Unlock()
	}
	u, dropDB, err := testdb.Create(r.Dialect)
	if err != nil {
		return "", nil, nil, err
	}
	drop = func() { _ = dropDB() }
	if r.Reuse && r.Dialect == "postgres" {
		p := pooled{url: u, drop: dropDB}
		return u, func() { r.giveBack(p) }, drop, nil
	}
	return u, drop, drop, nil
}

// giveBack resets a pooled database and keeps it, or drops it when the
// reset fails.
func (r *Runner) giveBack(p pooled) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(p.url)
	if err == nil {
		_, err = db.ExecContext(ctx, resetPostgres)
		db.Close()
	}
	if err != nil {
		_ = p.drop()
		return
	}
	r.poolMu.Lock()
	r.pool = append(r.pool, p)
	r.poolMu.Unlock()
}

// drain drops the pooled databases.
func (r *Runner) drain() {
	r.poolMu.Lock()
	pool := r.pool
	r.pool = nil
	r.poolMu.Unlock()
	for _, p := range pool {
		_ = p.drop()
	}
}

// Summary is a run of one dialect in one mode.
type Summary struct {
	Dialect  string
	Mode     Mode
	Server   Server
	Results  []*Result
	Duration time.Duration
}

// Count returns how many results have status st.
func (s *Summary) Count(st Status) int {
	n := 0
	for _, r := range s.Results {
		if r.Status == st {
			n++
		}
	}
	return n
}

// Eligible returns how many cases were eligible: all but the ineligible.
func (s *Summary) Eligible() int { return len(s.Results) - s.Count(Ineligible) }

// PassRate is passed / (passed + failed), in percent; 0 when none ran.
func (s *Summary) PassRate() float64 {
	p, f := s.Count(Pass), s.Count(Fail)
	if p+f == 0 {
		return 0
	}
	return 100 * float64(p) / float64(p+f)
}

// Server probes the dialect's server once: its version and flavor.
func (r *Runner) Server(ctx context.Context) (Server, error) {
	if r.server != nil {
		return *r.server, nil
	}
	srv := Server{Dialect: r.Dialect, MySQLEquivalent: r.MySQLEquivalent}
	var (
		db    *sql.DB
		err   error
		query string
	)
	switch r.Dialect {
	case "sqlite":
		db, err = sqlite.Open("sqlite::memory:")
		query = "SELECT sqlite_version()"
	case "postgres":
		db, err = postgres.Open(testdb.ServerURL("postgres"))
		query = "SHOW server_version"
	case "mysql":
		db, err = mysql.Open(testdb.ServerURL("mysql"))
		query = "SELECT VERSION()"
	default:
		return srv, fmt.Errorf("conformance: unknown dialect %q; want sqlite, postgres or mysql", r.Dialect)
	}
	if err != nil {
		return srv, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, query).Scan(&srv.Version); err != nil {
		return srv, fmt.Errorf("conformance: %s server: %w", r.Dialect, err)
	}
	srv.MariaDB = strings.Contains(strings.ToLower(srv.Version), "mariadb")
	if r.Dialect == "postgres" {
		var n int
		_ = db.QueryRowContext(ctx, "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'").Scan(&n)
		srv.Extensions = map[string]bool{"pgvector": n > 0}
	}
	r.server = &srv
	return srv, nil
}

// Run runs cases in mode and returns their results in the cases' order.
func (r *Runner) Run(ctx context.Context, cases []*Case, mode Mode) (*Summary, error) {
	srv, err := r.Server(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	sum := &Summary{Dialect: r.Dialect, Mode: mode, Server: srv, Results: make([]*Result, len(cases))}
	parallel := r.Parallel
	if parallel < 1 {
		parallel = 2
	}
	var (
		wg   sync.WaitGroup
		next = make(chan int)
		mu   sync.Mutex
	)
	for range parallel {
		wg.Go(func() {
			for i := range next {
				res := r.runCase(ctx, cases[i], mode, srv)
				sum.Results[i] = res
				if r.Progress != nil {
					mu.Lock()
					fmt.Fprint(r.Progress, progressMark(res.Status))
					mu.Unlock()
				}
			}
		})
	}
	for i := range cases {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	r.drain()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

func progressMark(st Status) string {
	switch st {
	case Pass:
		return "."
	case Fail:
		return "F"
	case NotApplicable:
		return "n"
	case Skipped:
		return "s"
	}
	return ""
}

// Filter returns the cases whose names match re (all when re is nil).
func Filter(cases []*Case, re *regexp.Regexp) []*Case {
	if re == nil {
		return cases
	}
	var out []*Case
	for _, c := range cases {
		if re.MatchString(c.Name) {
			out = append(out, c)
		}
	}
	return out
}

// runCase decides eligibility and skips, then runs the mode with a
// timeout, turning a panic in strata into a failure.
func (r *Runner) runCase(ctx context.Context, c *Case, mode Mode, srv Server) (res *Result) {
	start := time.Now()
	res = &Result{Case: c, Mode: mode}
	defer func() { res.Duration = time.Since(start) }()
	if ok, why := Eligible(c, srv, mode); !ok {
		res.Status, res.Reasons = Ineligible, []string{why}
		return res
	}
	texts := []string{c.Desired}
	if mode == ModeConverge {
		texts = append(texts, c.Current)
	}
	if reasons := Skip(r.Dialect, texts...); len(reasons) > 0 {
		res.Status, res.Reasons = Skipped, reasons
		return res
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			res.Status, res.Stage = Fail, StagePanic
			res.Message = fmt.Sprint(p)
			res.Detail = []string{string(debug.Stack())}
		}
	}()
	c2 := &caseRun{r: r, res: res, levels: []oracle.Level{oracle.Strict}, failed: map[oracle.Level]bool{}}
	if r.Dialect == "sqlite" {
		c2.levels = oracle.Levels
	}
	c2.noReuse = databaseWide(r.Dialect, texts...)
	defer c2.cleanup()
	var err error
	switch mode {
	case ModeRoundTrip:
		err = c2.roundTrip(ctx, c)
	case ModeConverge:
		err = c2.converge(ctx, c)
	default:
		err = &stageError{stage: StageSetup, err: fmt.Errorf("unknown mode %q", mode)}
	}
	if err != nil {
		for _, l := range c2.levels {
			c2.failed[l] = true
		}
	}
	res.SelfOK = err == nil && !c2.selfFailed
	if c2.firstStrict != nil {
		err = c2.firstStrict
	}
	if r.Dialect == "sqlite" {
		res.Levels = map[oracle.Level]bool{}
		res.LevelCauses = map[oracle.Level]string{}
		for _, l := range c2.levels {
			res.Levels[l] = !c2.failed[l]
			if cause, ok := c2.causes[l]; ok {
				res.LevelCauses[l] = cause
			} else if c2.failed[l] {
				var se *stageError
				if errors.As(err, &se) {
					res.LevelCauses[l] = se.stage + ": " + Normalize(se.err.Error())
				}
			}
		}
	}
	var se *stageError
	switch {
	case err == nil:
		res.Status = Pass
	case errors.As(err, &se):
		res.Status, res.Stage = Fail, se.stage
		if se.notApplicable {
			res.Status = NotApplicable
		}
		res.Message, res.Detail, res.Cause = oneLine(se.err.Error()), se.detail, se.cause
	default:
		res.Status, res.Stage, res.Message = Fail, StageSetup, oneLine(err.Error())
	}
	return res
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// stageError is a failure at a stage.
type stageError struct {
	stage         string
	err           error
	detail        []string
	notApplicable bool
	// cause is the oracle's kind of difference (oracle.Diff.Cause).
	cause string
}

func (e *stageError) Error() string { return e.stage + ": " + e.err.Error() }

func fail(stage string, err error, detail ...string) error {
	return &stageError{stage: stage, err: err, detail: detail}
}

// caseRun holds the databases of one case, to drop them at the end.
type caseRun struct {
	r        *Runner
	res      *Result
	cleanups []func()
	// levels are the oracle levels judged (SQLite: all, else Strict);
	// failed marks those that failed, and firstStrict is the first strict
	// failure, which decides the case's status while the looser levels
	// are still followed to the end.
	levels      []oracle.Level
	failed      map[oracle.Level]bool
	causes      map[oracle.Level]string
	firstStrict error
	// noReuse: the case makes database-wide objects, so its PostgreSQL
	// databases are dropped rather than reset for reuse.
	noReuse bool
	// selfFailed: strata's own comparison found a difference.
	selfFailed bool
}

// judge compares two dumps of the oracle at every level and notes the
// first difference at each. A strict difference fails the case at stage,
// but the run goes on to the end, so that the looser levels' verdicts
// and strata's self-check are known too; runCase reports the first
// strict difference.
func (c *caseRun) judge(stage string, got, want *oracle.Dump) {
	for _, l := range c.levels {
		d := oracle.Differences(got, want, l)
		if len(d) == 0 || c.failed[l] {
			continue
		}
		c.failed[l] = true
		if c.causes == nil {
			c.causes = map[oracle.Level]string{}
		}
		c.causes[l] = stage + ": " + d[0].Cause()
		if l == oracle.Strict {
			var more []string
			for _, x := range d[1:] {
				more = append(more, x.String())
			}
			c.firstStrict = &stageError{stage: stage, err: errors.New(d[0].String()), detail: more, cause: d[0].Cause()}
		}
	}
}

// self is strata's own comparison of two of its inspections, the
// harness's judge before the oracle, kept as an extra check.
func (c *caseRun) self(got, want *schema.Schema) {
	if len(schema.Differences(got, want)) > 0 {
		c.selfFailed = true
	}
}

func (c *caseRun) cleanup() {
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}

// database is a fresh database on one connection.
type database struct {
	conn *sql.Conn
	d    dialect.Dialect
	// url and name locate it for the oracle (pg_dump takes the URL; the
	// MySQL dump masks the database's name).
	url, name string
}

// dump reads the database's schema with the database's own tool.
func (db *database) dump(ctx context.Context) (*oracle.Dump, error) {
	d, err := oracle.Take(ctx, db.d.Name(), db.conn, db.url, db.name)
	if err != nil {
		return nil, fail(StageOracle, err)
	}
	return d, nil
}

// fresh creates an empty database, dropped when the case ends.
func (c *caseRun) fresh(ctx context.Context) (*database, error) {
	var (
		db       *sql.DB
		err      error
		u, dname string
	)
	switch c.r.Dialect {
	case "sqlite":
		dir, err := os.MkdirTemp("", "strata-conformance-")
		if err != nil {
			return nil, fail(StageSetup, err)
		}
		c.cleanups = append(c.cleanups, func() { os.RemoveAll(dir) })
		db, err = sqlite.Open("sqlite:" + filepath.Join(dir, "case.db"))
		if err != nil {
			return nil, fail(StageSetup, err)
		}
	default:
		var release, drop func()
		u, release, drop, err = c.r.take()
		if err != nil {
			return nil, fail(StageSetup, err)
		}
		c.cleanups = append(c.cleanups, func() {
			if c.noReuse {
				drop()
			} else {
				release()
			}
		})
		if pu, err := url.Parse(u); err == nil {
			dname = strings.TrimPrefix(pu.Path, "/")
		}
		if c.r.Dialect == "postgres" {
			db, err = postgres.Open(u)
		} else {
			db, err = mysql.Open(u)
		}
		if err != nil {
			return nil, fail(StageSetup, err)
		}
	}
	c.cleanups = append(c.cleanups, func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fail(StageSetup, err)
	}
	c.cleanups = append(c.cleanups, func() { conn.Close() })
	var d dialect.Dialect
	switch c.r.Dialect {
	case "sqlite":
		d, err = sqlite.New(ctx, conn)
	case "postgres":
		d, err = postgres.New(ctx, conn)
	case "mysql":
		d, err = mysql.New(ctx, conn)
	}
	if err != nil {
		return nil, fail(StageSetup, err)
	}
	return &database{conn: conn, d: d, url: u, name: dname}, nil
}

// applyText runs the case's own DDL statement by statement, outside a
// transaction. A schema file is declarative, and sqldef's cases need not
// list tables before the tables that reference them, so the statements
// the server refuses are tried again after the others, pass after pass,
// while a pass gets one more through. What still fails makes the case not
// applicable, with the first refusal's message.
func (db *database) applyText(ctx context.Context, stage, text string) error {
	stmts, err := revision.Split(text, 1, revision.ForDialect(db.d.Name()))
	if err != nil {
		return &stageError{stage: stage, err: fmt.Errorf("split: %w", err), notApplicable: true}
	}
	pending := make([]string, len(stmts))
	for i, s := range stmts {
		pending[i] = s.SQL
	}
	for len(pending) > 0 {
		var (
			failed   []string
			firstErr error
		)
		for _, s := range pending {
			if _, err := db.conn.ExecContext(ctx, s); err != nil {
				if ctx.Err() != nil {
					return fail(StageSetup, ctx.Err())
				}
				failed = append(failed, s)
				if firstErr == nil {
					firstErr = err
				}
			}
		}
		if len(failed) == len(pending) {
			return &stageError{stage: stage, err: firstErr, detail: []string{failed[0]}, notApplicable: true}
		}
		pending = failed
	}
	return nil
}

// applyRendered runs strata's statements, in one transaction where the
// dialect has transactional DDL.
func (db *database) applyRendered(ctx context.Context, stage string, stmts []string) error {
	var q dialect.Querier = db.conn
	var tx *sql.Tx
	if db.d.Capabilities().TransactionalDDL {
		var err error
		if tx, err = db.conn.BeginTx(ctx, nil); err != nil {
			return fail(stage, err)
		}
		q = tx
	}
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			if tx != nil {
				_ = tx.Rollback()
			}
			return fail(stage, err, s)
		}
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			return fail(stage, err)
		}
	}
	return nil
}

func (db *database) inspect(ctx context.Context) (*schema.Schema, error) {
	s, err := db.d.Inspect(ctx, db.conn, dialect.InspectOptions{})
	if err != nil {
		return nil, fail(StageInspect, err)
	}
	s.Normalize()
	return s, nil
}

// render renders ops in order on s, as strata's Autogenerate does.
func render(d dialect.Renderer, s *schema.Schema, ops []op.Op, stage string) ([]string, error) {
	out, err := dialect.RenderOps(d, s, ops)
	if err != nil {
		return nil, fail(stage, err)
	}
	return out, nil
}

func (c *caseRun) roundTrip(ctx context.Context, cs *Case) error {
	db1, err := c.fresh(ctx)
	if err != nil {
		return err
	}
	if err := db1.applyText(ctx, StageApplyDesired, cs.Desired); err != nil {
		return err
	}
	want, err := db1.dump(ctx)
	if err != nil {
		return err
	}
	first, err := db1.inspect(ctx)
	if err != nil {
		return err
	}
	ops, err := diff.Schemas(&schema.Schema{Name: first.Name}, first)
	if err != nil {
		return fail(StageDiff, err)
	}
	stmts, err := render(db1.d, &schema.Schema{Name: first.Name}, ops, StageRender)
	if err != nil {
		return err
	}
	db2, err := c.fresh(ctx)
	if err != nil {
		return err
	}
	if err := db2.applyRendered(ctx, StageApply, stmts); err != nil {
		return err
	}
	got, err := db2.dump(ctx)
	if err != nil {
		return err
	}
	c.judge(StageRoundTrip, got, want)
	second, err := db2.inspect(ctx)
	if err != nil {
		return err
	}
	c.self(second, first)
	return nil
}

func (c *caseRun) converge(ctx context.Context, cs *Case) error {
	a, err := c.fresh(ctx)
	if err != nil {
		return err
	}
	if err := a.applyText(ctx, StageApplyCurrent, cs.Current); err != nil {
		return err
	}
	b, err := c.fresh(ctx)
	if err != nil {
		return err
	}
	if err := b.applyText(ctx, StageApplyDesired, cs.Desired); err != nil {
		return err
	}
	current, err := a.dump(ctx)
	if err != nil {
		return err
	}
	desired, err := b.dump(ctx)
	if err != nil {
		return err
	}
	target, err := b.inspect(ctx)
	if err != nil {
		return err
	}
	before, err := a.inspect(ctx)
	if err != nil {
		return err
	}
	ops, err := diff.Schemas(before, target)
	if err != nil {
		return fail(StageDiff, err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		return fail(StageInverse, err)
	}
	running := before.Clone()
	up, err := render(a.d, running, ops, StageRender)
	if err != nil {
		return err
	}
	down, err := render(a.d, running, reverse, StageRenderDown)
	if err != nil {
		return err
	}
	if err := a.applyRendered(ctx, StageApply, up); err != nil {
		return err
	}
	upgraded, err := a.dump(ctx)
	if err != nil {
		return err
	}
	c.judge(StageNotConverged, upgraded, desired)
	after, err := a.inspect(ctx)
	if err != nil {
		return err
	}
	c.self(after, target)
	again, err := diff.Schemas(after, target)
	if err != nil {
		return fail(StageSecondDiff, err)
	}
	if len(again) > 0 {
		var more []string
		for _, o := range again[1:] {
			more = append(more, o.String())
		}
		return fail(StageSecondDiff, errors.New(again[0].String()), more...)
	}
	if err := a.applyRendered(ctx, StageApplyDown, down); err != nil {
		return err
	}
	downgraded, err := a.dump(ctx)
	if err != nil {
		return err
	}
	c.judge(StageNotRestored, downgraded, current)
	restored, err := a.inspect(ctx)
	if err != nil {
		return err
	}
	c.self(restored, before)
	return nil
}
