// Package crashtest proves strata's safety promise under kill -9: it runs
// the strata binary's upgrade and downgrade as subprocesses on a revision
// set with real DDL and DML, SIGKILLs them at seeded random moments, and
// checks with tools strata did not write (pg_dump, SHOW CREATE TABLE,
// sqlite_schema) that the schema, the data and the version table agree,
// and that a rerun converges to a clean run's schema and data. A second
// mode starts 16 runners at once on one database and checks that each
// revision applied exactly once.
//
// The command internal/crashtest/cmd/crashtest runs it and prints a
// markdown table; TestCrashShort runs a short round inside go test.
package crashtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Config says what to run.
type Config struct {
	// Dialect is sqlite, postgres or mysql.
	Dialect string
	// Trials is the number of kill trials.
	Trials int
	// Seed makes the trials' choices (direction, start, target, kill
	// delay) the same from run to run; timing still varies.
	Seed uint64
	// Binary is the strata binary (see Build).
	Binary string
	// Concurrency runs the concurrent rounds too, with this many runners
	// (0: none).
	Concurrency int
	// FullCycleEvery: every so many trials (1: each), the rerun also runs
	// downgrade base and upgrade head, checking both against the clean
	// run; 0 never.
	FullCycleEvery int
	// Logger receives one line per trial; nil discards.
	Logger *slog.Logger
}

// Result is what a dialect's run found.
type Result struct {
	Dialect string
	Seed    uint64
	Trials  int
	// KilledMidRun counts the trials whose process was still running when
	// the SIGKILL came.
	KilledMidRun int
	// Disagreements counts trials where schema, data or version table did
	// not agree after the kill, or the rerun did not converge.
	Disagreements int
	// Stuck counts trials whose rerun (without kill) failed.
	Stuck int
	// DoubleApplies counts trials where a DML statement ran twice: a
	// revision's ct_log row seen twice, or a rerun's rows equal to the
	// clean run's with one DML statement run twice.
	DoubleApplies int
	// Problems describes each failing trial, in order.
	Problems []string
	// Rounds are the concurrency rounds.
	Rounds   []Round
	Duration time.Duration
}

// Failed reports whether anything broke the promise.
func (r *Result) Failed() bool {
	if r.Disagreements+r.Stuck+r.DoubleApplies > 0 {
		return true
	}
	for _, rd := range r.Rounds {
		if !rd.OK() {
			return true
		}
	}
	return false
}

// Build compiles ./cmd/strata of the module containing the working
// directory into dir and returns the binary's path.
func Build(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("crashtest: go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "strata")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/strata")
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("crashtest: go build ./cmd/strata: %w: %s", err, msg)
	}
	return bin, nil
}

// harness runs one dialect.
type harness struct {
	cfg    Config
	log    *slog.Logger
	tmp    string
	revs   []revision
	migDir string
	db     *database
	// full[k] is the clean run's snapshot with the first k revisions
	// applied; partial holds the states after a prefix of a revision's
	// statements, built by hand.
	full    []snapshot
	partial map[partialKey]snapshot
	// doubles caches the rows of the clean run at k with one DML
	// statement run twice (see explainDouble).
	doubles map[doubleKey]string
	// cleanUp, cleanDown: a clean run's duration from base to head and
	// back; startup: a run that applies nothing.
	cleanUp, cleanDown, startup time.Duration
}

type doubleKey struct{ k, rev, stmt int }

type partialKey struct {
	rev  int // 1-based index
	dir  string
	done int
}

// Run runs the trials (and concurrency rounds) of one dialect.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	h := &harness{cfg: cfg, log: cfg.Logger, partial: map[partialKey]snapshot{}, doubles: map[doubleKey]string{}}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	tmp, err := os.MkdirTemp("", "strata-crashtest-"+cfg.Dialect+"-")
	if err != nil {
		return nil, fmt.Errorf("crashtest: %w", err)
	}
	defer os.RemoveAll(tmp)
	h.tmp = tmp
	res := &Result{Dialect: cfg.Dialect, Seed: cfg.Seed}
	if err := h.trials(ctx, res); err != nil {
		return res, err
	}
	if cfg.Concurrency > 0 {
		rounds, err := h.concurrency(ctx, cfg.Concurrency)
		res.Rounds = rounds
		if err != nil {
			return res, err
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// A run is one finished strata subprocess.
type run struct {
	err      error // nil on exit 0
	output   string
	killed   bool // ended by our SIGKILL
	duration time.Duration
}

const runTimeout = 3 * time.Minute

// start starts strata with args on db.
func (h *harness) start(ctx context.Context, db *database, migDir string, args ...string) (*exec.Cmd, *bytes.Buffer, error) {
	full := append([]string{"--database", db.url, "--dir", migDir}, args...)
	cmd := exec.CommandContext(ctx, h.cfg.Binary, full...)
	cmd.Dir = h.tmp
	cmd.Env = append(os.Environ(), "DATABASE_URL=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("crashtest: start strata: %w", err)
	}
	return cmd, &out, nil
}

// strata runs strata to the end (or runTimeout).
func (h *harness) strata(ctx context.Context, db *database, migDir string, args ...string) run {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	t0 := time.Now()
	cmd, out, err := h.start(ctx, db, migDir, args...)
	if err != nil {
		return run{err: err}
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		err = fmt.Errorf("no answer after %s: %w", runTimeout, ctx.Err())
	}
	return run{err: err, output: out.String(), duration: time.Since(t0)}
}

// mustStrata runs strata and fails unless it exits 0.
func (h *harness) mustStrata(ctx context.Context, db *database, migDir string, args ...string) (time.Duration, error) {
	r := h.strata(ctx, db, migDir, args...)
	if r.err != nil {
		return 0, fmt.Errorf("crashtest: strata %s: %w\n%s", strings.Join(args, " "), r.err, r.output)
	}
	return r.duration, nil
}

// killAfter runs strata and SIGKILLs it after delay (a negative delay lets
// it finish).
func (h *harness) killAfter(ctx context.Context, delay time.Duration, args ...string) run {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	cmd, out, err := h.start(ctx, h.db, h.migDir, args...)
	if err != nil {
		return run{err: err}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if delay >= 0 {
		select {
		case err = <-done:
		case <-time.After(delay):
			_ = cmd.Process.Signal(syscall.SIGKILL)
			err = <-done
		}
	} else {
		err = <-done
	}
	r := run{err: err, output: out.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed = true
		}
	}
	return r
}

// target names the state with the first k revisions applied.
func (h *harness) target(k int) string {
	if k == 0 {
		return "base"
	}
	return h.revs[k-1].ID
}

// prepare writes the revision set, creates the databases and takes the
// clean run's snapshots.
func (h *harness) prepare(ctx context.Context) error {
	h.revs = trialRevisions(h.cfg.Dialect)
	h.migDir = filepath.Join(h.tmp, "migrations")
	if err := writeRevisions(h.migDir, h.revs); err != nil {
		return err
	}
	ref, err := newDatabase(h.cfg.Dialect, h.tmp, "reference")
	if err != nil {
		return err
	}
	defer ref.close()
	// The clean run, one revision at a time.
	n := len(h.revs)
	s, err := ref.snapshot(ctx)
	if err != nil {
		return err
	}
	h.full = []snapshot{s}
	for k := 1; k <= n; k++ {
		if _, err := h.mustStrata(ctx, ref, h.migDir, "upgrade", "--force", h.target(k)); err != nil {
			return err
		}
		s, err := ref.snapshot(ctx)
		if err != nil {
			return err
		}
		h.full = append(h.full, s)
	}
	// Its timing, base to head and back: the fastest of three, since a
	// busy machine only slows a run down and an overestimate would let
	// most runs end before their kill.
	for i := range 3 {
		down, err := h.mustStrata(ctx, ref, h.migDir, "downgrade", "--force", "base")
		if err != nil {
			return err
		}
		if err := h.expect(ctx, ref, 0, "clean downgrade to base"); err != nil {
			return err
		}
		up, err := h.mustStrata(ctx, ref, h.migDir, "upgrade", "--force", "head")
		if err != nil {
			return err
		}
		idle, err := h.mustStrata(ctx, ref, h.migDir, "upgrade", "--force", "head")
		if err != nil {
			return err
		}
		if i == 0 || down < h.cleanDown {
			h.cleanDown = down
		}
		if i == 0 || up < h.cleanUp {
			h.cleanUp = up
		}
		if i == 0 || idle < h.startup {
			h.startup = idle
		}
	}
	h.log.Info("clean run", "dialect", h.cfg.Dialect, "upgrade", h.cleanUp, "downgrade", h.cleanDown, "nothing to do", h.startup)
	// The states after each prefix of a revision's statements, where a
	// revision can stop half-way: every revision on MySQL, the ones
	// outside a transaction elsewhere. Built by hand on a database strata
	// never touches.
	raw, err := newDatabase(h.cfg.Dialect, h.tmp, "prefixes")
	if err != nil {
		return err
	}
	defer raw.close()
	for k, r := range h.revs {
		idx := k + 1
		half := h.cfg.Dialect == "mysql" || r.NoTx
		for d, stmt := range r.Up {
			if err := raw.exec(ctx, stmt); err != nil {
				return err
			}
			if half {
				if h.partial[partialKey{idx, "up", d + 1}], err = raw.snapshot(ctx); err != nil {
					return err
				}
			}
		}
		if !half {
			continue
		}
		if got := h.partial[partialKey{idx, "up", len(r.Up)}]; !got.equal(h.full[idx]) {
			return fmt.Errorf("crashtest: revision %d's statements by hand differ from strata's clean run: %s", idx, got.diff(h.full[idx]))
		}
		for d, stmt := range r.Down {
			if err := raw.exec(ctx, stmt); err != nil {
				return err
			}
			if h.partial[partialKey{idx, "down", d + 1}], err = raw.snapshot(ctx); err != nil {
				return err
			}
		}
		if got := h.partial[partialKey{idx, "down", len(r.Down)}]; !got.equal(h.full[idx-1]) {
			return fmt.Errorf("crashtest: revision %d's down statements by hand differ from strata's clean run: %s", idx, got.diff(h.full[idx-1]))
		}
		if err := raw.exec(ctx, r.Up...); err != nil {
			return err
		}
	}
	return nil
}

// expect checks db against the clean run with k revisions applied.
func (h *harness) expect(ctx context.Context, db *database, k int, what string) error {
	s, err := db.snapshot(ctx)
	if err != nil {
		return err
	}
	if !s.equal(h.full[k]) {
		return fmt.Errorf("%s: differs from the clean run at %s: %s", what, h.target(k), s.diff(h.full[k]))
	}
	return db.invalidIndexes(ctx)
}

func (h *harness) trials(ctx context.Context, res *Result) error {
	if err := h.prepare(ctx); err != nil {
		return err
	}
	db, err := newDatabase(h.cfg.Dialect, h.tmp, "trials")
	if err != nil {
		return err
	}
	h.db = db
	defer func() { h.db.close() }()
	n := len(h.revs)
	if _, err := h.mustStrata(ctx, h.db, h.migDir, "upgrade", "--force", "head"); err != nil {
		return err
	}
	at := n // the state the database is in between trials
	for i, c := range planTrials(h.cfg.Seed, h.cfg.Dialect, n, h.cfg.Trials) {
		res.Trials++
		up, from, to := c.up, c.from, c.to
		// Delay: at once, after the run ends, or a fraction of a clean
		// run's time for that span plus the start-up.
		clean := h.cleanUp
		if !up {
			clean = h.cleanDown
		}
		steps := max(to-from, from-to)
		span := max(time.Duration(float64(clean-h.startup)*float64(steps)/float64(n)), 0) + h.startup
		delay := time.Duration(c.frac * float64(span))
		if c.frac < 0 {
			delay = -1
		}
		t := trial{num: i + 1, up: up, from: from, to: to, delay: delay}
		if at != from {
			verb := "upgrade"
			if from < at {
				verb = "downgrade"
			}
			if _, err := h.mustStrata(ctx, h.db, h.migDir, verb, "--force", h.target(from)); err != nil {
				// A failed setup is a rerun that did not converge.
				t.stuck = append(t.stuck, "setup: "+err.Error())
				h.record(res, t)
				if err := h.repair(ctx); err != nil {
					return err
				}
				at = n
				continue
			}
		}
		h.trial(ctx, &t)
		h.record(res, t)
		// A database a trial left wrong would fail the next trials for
		// the same cause; each starts from a sound one.
		if t.stuckNow || len(t.disagree)+len(t.double) > 0 {
			if err := h.repair(ctx); err != nil {
				return err
			}
		}
		at = n
	}
	return nil
}

// A choice is what a trial does, drawn from the seed alone: the
// direction, the state it starts from and its target (numbers of applied
// revisions), and when the kill comes as a fraction of a clean run's time
// (-1: after the run ends).
type choice struct {
	up       bool
	from, to int
	frac     float64
}

// planTrials draws the trials' choices: one stream per seed and dialect,
// so a seed repeats the same trials. The kill comes at once in 10% of
// them, after the run ended in 10%, else uniformly within 1.2 times a
// clean run's time.
func planTrials(seed uint64, dialect string, n, trials int) []choice {
	rng := rand.New(rand.NewPCG(seed, uint64(slices.Index([]string{"sqlite", "postgres", "mysql"}, dialect)+1)))
	plan := make([]choice, trials)
	for i := range plan {
		c := &plan[i]
		c.up = rng.IntN(2) == 0
		if c.up {
			c.from = rng.IntN(n)
			c.to = c.from + 1 + rng.IntN(n-c.from)
		} else {
			c.from = 1 + rng.IntN(n)
			c.to = rng.IntN(c.from)
		}
		switch p := rng.Float64(); {
		case p < 0.1:
			c.frac = 0
		case p < 0.2:
			c.frac = -1
		default:
			c.frac = rng.Float64() * 1.2
		}
	}
	return plan
}

// A trial is one killed run and its checks.
type trial struct {
	num      int
	up       bool
	from, to int
	delay    time.Duration
	killed   bool
	// what was found
	disagree []string
	stuck    []string
	double   []string
	stuckNow bool // the database is left unusable
}

func (t trial) String() string {
	dir := "downgrade"
	if t.up {
		dir = "upgrade"
	}
	d := "after completion"
	if t.delay >= 0 {
		d = "kill at " + t.delay.Round(time.Millisecond).String()
	}
	return fmt.Sprintf("trial %d: %s %d->%d, %s", t.num, dir, t.from, t.to, d)
}

func (h *harness) record(res *Result, t trial) {
	if t.killed {
		res.KilledMidRun++
	}
	if len(t.disagree) > 0 {
		res.Disagreements++
	}
	if len(t.stuck) > 0 {
		res.Stuck++
	}
	if len(t.double) > 0 {
		res.DoubleApplies++
	}
	var probs []string
	for _, p := range t.disagree {
		probs = append(probs, "disagreement: "+p)
	}
	for _, p := range t.stuck {
		probs = append(probs, "stuck: "+p)
	}
	for _, p := range t.double {
		probs = append(probs, "double apply: "+p)
	}
	if len(probs) > 0 {
		res.Problems = append(res.Problems, fmt.Sprintf("%s %s: %s", h.cfg.Dialect, t, strings.Join(probs, "; ")))
	}
	h.log.Info("trial", "dialect", h.cfg.Dialect, "trial", t.String(), "killed", t.killed, "problems", len(probs))
}

// trial runs one killed command, checks the state, then the reruns.
func (h *harness) trial(ctx context.Context, t *trial) {
	verb := "upgrade"
	if !t.up {
		verb = "downgrade"
	}
	r := h.killAfter(ctx, t.delay, verb, "--force", h.target(t.to))
	t.killed = r.killed
	if !r.killed && r.err != nil {
		t.stuck = append(t.stuck, fmt.Sprintf("the run itself failed: %v: %s", r.err, oneLine(r.output)))
	}
	if err := h.db.waitIdle(ctx); err != nil {
		t.stuck = append(t.stuck, err.Error())
		t.stuckNow = true
		return
	}
	if !r.killed && r.err == nil {
		// Finished before the kill: it must be at the target.
		if err := h.expect(ctx, h.db, t.to, "finished run"); err != nil {
			t.disagree = append(t.disagree, err.Error())
		}
	} else {
		h.checkState(ctx, t)
	}
	h.checkDouble(ctx, t, "after the kill")
	// Rerun without kill, as an operator would: the killed command again,
	// then upgrade head; each must succeed and converge to the clean run.
	type step struct {
		verb, target string
		k            int
	}
	steps := []step{{verb, h.target(t.to), t.to}, {"upgrade", "head", len(h.revs)}}
	if e := h.cfg.FullCycleEvery; e > 0 && t.num%e == 0 {
		steps = append(steps, step{"downgrade", "base", 0}, step{"upgrade", "head", len(h.revs)})
	}
	for _, s := range steps {
		rr := h.strata(ctx, h.db, h.migDir, s.verb, "--force", s.target)
		if rr.err != nil {
			t.stuck = append(t.stuck, fmt.Sprintf("rerun %s %s: %v: %s", s.verb, s.target, rr.err, oneLine(rr.output)))
			t.stuckNow = true
			return
		}
		if err := h.expect(ctx, h.db, s.k, "rerun "+s.verb+" "+s.target); err != nil {
			if what, ok := h.explainDouble(ctx, s.k, min(t.from, t.to), max(t.from, t.to)); ok {
				t.double = append(t.double, "rerun "+s.verb+" "+s.target+": "+what)
			} else if len(t.double) > 0 && strings.Contains(err.Error(), "): data: ") {
				// The rows still carry the double apply found before.
			} else {
				t.disagree = append(t.disagree, err.Error())
			}
		}
		if err := h.checkVersions(ctx, s.k); err != nil {
			t.disagree = append(t.disagree, "rerun "+s.verb+" "+s.target+": "+err.Error())
		}
		h.checkDouble(ctx, t, "after rerun "+s.verb+" "+s.target)
	}
}

// checkState checks a killed run's state: the version table is a chain
// from the base, and schema and data equal the clean run at the version
// it names, or the half-done state the progress table names.
func (h *harness) checkState(ctx context.Context, t *trial) {
	applied, progress, err := h.db.versions(ctx)
	if err != nil {
		t.disagree = append(t.disagree, err.Error())
		return
	}
	k, err := h.chainLength(applied)
	if err != nil {
		t.disagree = append(t.disagree, "version table: "+err.Error())
		return
	}
	lo, hi := min(t.from, t.to), max(t.from, t.to)
	if k < lo || k > hi {
		t.disagree = append(t.disagree, fmt.Sprintf("version table at %d, outside the run's span %d..%d", k, lo, hi))
	}
	switch len(progress) {
	case 0:
	case 1:
		p := progress[0]
		idx := slices.IndexFunc(h.revs, func(r revision) bool { return r.ID == p.Revision })
		switch {
		case idx < 0:
			t.disagree = append(t.disagree, fmt.Sprintf("progress names unknown revision %s", p.Revision))
			return
		case p.Direction == "up" && idx != k:
			t.disagree = append(t.disagree, fmt.Sprintf("progress says %s half-upgraded, but %d revision(s) are applied", p.Revision, k))
			return
		case p.Direction == "down" && idx != k-1:
			t.disagree = append(t.disagree, fmt.Sprintf("progress says %s half-downgraded, but %d revision(s) are applied", p.Revision, k))
			return
		}
		// The state the progress names: after Done statements, or, with a
		// statement in flight, possibly after one more.
		var candidates []snapshot
		var names []string
		for done := p.Done; done <= p.Done+1; done++ {
			if done > p.Done && !p.InFlight {
				break
			}
			s, ok := h.partial[partialKey{idx + 1, p.Direction, done}]
			switch {
			case done == 0:
				s = h.full[k]
			case !ok:
				t.disagree = append(t.disagree, fmt.Sprintf("progress says %s %s after %d statement(s), a state no clean run has", p.Revision, p.Direction, done))
				return
			}
			candidates = append(candidates, s)
			names = append(names, fmt.Sprintf("%s %s after %d statement(s)", p.Revision, p.Direction, done))
		}
		got, err := h.db.snapshot(ctx)
		if err != nil {
			t.disagree = append(t.disagree, err.Error())
			return
		}
		if !slices.ContainsFunc(candidates, got.equal) {
			t.disagree = append(t.disagree, fmt.Sprintf("after the kill, expected %s: %s", strings.Join(names, " or "), got.diff(candidates[0])))
		}
		return
	default:
		t.disagree = append(t.disagree, fmt.Sprintf("%d revisions in progress at once", len(progress)))
		return
	}
	got, err := h.db.snapshot(ctx)
	if err != nil {
		t.disagree = append(t.disagree, err.Error())
		return
	}
	if !got.equal(h.full[k]) {
		t.disagree = append(t.disagree, fmt.Sprintf("after the kill, expected the clean run at %s: %s", h.target(k), got.diff(h.full[k])))
	}
}

// chainLength checks that the applied revisions are the first k of the
// chain (each one's parent applied) and returns k.
func (h *harness) chainLength(applied []string) (int, error) {
	k := 0
	for k < len(h.revs) && slices.Contains(applied, h.revs[k].ID) {
		k++
	}
	if k != len(applied) {
		var stray []string
		for _, a := range applied {
			if !slices.ContainsFunc(h.revs[:k], func(r revision) bool { return r.ID == a }) {
				stray = append(stray, a)
			}
		}
		return k, fmt.Errorf("revision(s) %s applied without their parent", strings.Join(stray, ", "))
	}
	return k, nil
}

// checkVersions checks that exactly the first k revisions are applied and
// nothing is in progress.
func (h *harness) checkVersions(ctx context.Context, k int) error {
	applied, progress, err := h.db.versions(ctx)
	if err != nil {
		return err
	}
	got, err := h.chainLength(applied)
	if err != nil {
		return err
	}
	if got != k {
		return fmt.Errorf("version table at %d, want %d", got, k)
	}
	if len(progress) > 0 {
		return fmt.Errorf("progress left: %+v", progress)
	}
	return nil
}

// checkDouble looks for a revision's log row twice.
func (h *harness) checkDouble(ctx context.Context, t *trial, when string) {
	counts, err := h.db.counts(ctx, "ct_log", "rev")
	if err != nil {
		t.disagree = append(t.disagree, err.Error())
		return
	}
	for _, rev := range slices.Sorted(maps.Keys(counts)) {
		if counts[rev] > 1 {
			t.double = append(t.double, fmt.Sprintf("%s: %s logged %d times", when, rev, counts[rev]))
		}
	}
}

// repair gives the next trial a fresh database at head after a stuck one.
func (h *harness) repair(ctx context.Context) error {
	if err := h.db.close(); err != nil {
		h.log.Warn("drop stuck database", "err", err)
	}
	db, err := newDatabase(h.cfg.Dialect, h.tmp, fmt.Sprintf("trials-%d", time.Now().UnixNano()))
	if err != nil {
		return err
	}
	h.db = db
	_, err = h.mustStrata(ctx, db, h.migDir, "upgrade", "--force", "head")
	return err
}

// oneLine shortens a run's output to its error (or its start) on one line.
func oneLine(s string) string {
	if i := strings.LastIndex(s, "Error: "); i >= 0 {
		s = s[i:]
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// isDML reports whether a statement of the revision sets writes rows.
func isDML(stmt string) bool {
	for _, p := range []string{"INSERT ", "UPDATE ", "DELETE "} {
		if strings.HasPrefix(stmt, p) {
			return true
		}
	}
	return false
}

// explainDouble looks for a DML statement that, run twice, explains the
// trial database's rows while its schema equals the clean run at k: the
// mark of a resume that ran an applied statement again. The states are
// built by hand on fresh databases, once each, and only when a rerun
// did not converge. Only the revisions the killed run was moving across
// (lo+1..hi) are suspects.
func (h *harness) explainDouble(ctx context.Context, k, lo, hi int) (string, bool) {
	got, err := h.db.snapshot(ctx)
	if err != nil || got.Schema != h.full[k].Schema {
		return "", false
	}
	type cand struct {
		rev, stmt int
		down      bool
	}
	var cands []cand
	for ri := lo; ri < hi; ri++ {
		if ri < k {
			for si, stmt := range h.revs[ri].Up {
				if isDML(stmt) {
					cands = append(cands, cand{ri, si, false})
				}
			}
		} else {
			for si, stmt := range h.revs[ri].Down {
				if isDML(stmt) {
					cands = append(cands, cand{ri, si, true})
				}
			}
		}
	}
	for _, c := range cands {
		key := doubleKey{k, c.rev, c.stmt}
		data, ok := h.doubles[key]
		if !ok {
			data, err = h.doubledData(ctx, k, c.rev, c.stmt)
			if err != nil {
				h.log.Warn("build a doubled state", "dialect", h.cfg.Dialect, "err", err)
				return "", false
			}
			h.doubles[key] = data
		}
		if data != "" && data == got.Data {
			dir, stmt := "up", ""
			if c.down {
				dir, stmt = "down", h.revs[c.rev].Down[c.stmt]
			} else {
				stmt = h.revs[c.rev].Up[c.stmt]
			}
			return fmt.Sprintf("the rows are those of the clean run at %s with %s statement %d of %s run twice (%s)",
				h.target(k), dir, c.stmt+1, h.revs[c.rev].ID, stmt), true
		}
	}
	return "", false
}

// doubledData returns the rows at k (the first k revisions applied),
// built by hand: when revision ri is among them, its up statement si runs
// twice on the way up; else every revision is applied, then taken back
// to k with its down statement si run twice. "" when the repeat fails (it
// cannot have happened).
func (h *harness) doubledData(ctx context.Context, k, ri, si int) (string, error) {
	db, err := newDatabase(h.cfg.Dialect, h.tmp, fmt.Sprintf("double-%d-%d-%d", k, ri, si))
	if err != nil {
		return "", err
	}
	defer db.close()
	top := k
	if ri >= k {
		top = len(h.revs)
	}
	for r := range top {
		for i, stmt := range h.revs[r].Up {
			if err := db.exec(ctx, stmt); err != nil {
				return "", err
			}
			if ri < k && r == ri && i == si {
				if err := db.exec(ctx, stmt); err != nil {
					return "", nil
				}
			}
		}
	}
	for r := top - 1; r >= k; r-- {
		for i, stmt := range h.revs[r].Down {
			if err := db.exec(ctx, stmt); err != nil {
				return "", nil
			}
			if r == ri && i == si {
				if err := db.exec(ctx, stmt); err != nil {
					return "", nil
				}
			}
		}
	}
	s, err := db.snapshot(ctx)
	if err != nil {
		return "", err
	}
	return s.Data, nil
}
