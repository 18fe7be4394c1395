package strata

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

// TestReport is what Test found.
type TestReport struct {
	// Revisions holds one entry per revision, base to head, up to the first
	// that breaks.
	Revisions []RevisionTest `json:"revisions"`
	// ModelsMatch is nil when no models were given, else whether the schema
	// at head equals the models; ModelDifferences says how not.
	ModelsMatch      *bool    `json:"models_match,omitempty"`
	ModelDifferences []string `json:"model_differences,omitempty"`
	// Failed names the first revision that breaks, or "" when all pass.
	Failed string `json:"failed,omitempty"`
}

// RevisionTest is the outcome for one revision.
type RevisionTest struct {
	Revision string `json:"revision_id"`
	Message  string `json:"message,omitempty"`
	OK       bool   `json:"ok"`
	// Step is where it broke: "upgrade", "downgrade", "restore" (the
	// downgrade left a different schema) or "upgrade again".
	Step        string   `json:"step,omitempty"`
	Error       string   `json:"error,omitempty"`
	Differences []string `json:"differences,omitempty"`
	// Notes say what the revision would need on a database holding the
	// rows the test's own revisions inserted: the data-loss guard's
	// findings, which do not fail the test (see Test).
	Notes []string `json:"notes,omitempty"`
}

// ErrTestFailed is returned (wrapped) by Test when a revision breaks or
// the models do not match head.
var ErrTestFailed = errors.New("strata: test failed")

// Test proves the revisions on a scratch database, never the target: the
// graph has a single head; for every revision from base to head, upgrade
// to it, inspect, downgrade one step, check the schema is as before,
// upgrade again; finally the models, when given, match head. It returns
// the report and, when something breaks, an error wrapping ErrTestFailed
// that names the first revision that breaks.
//
// The scratch database (WithDevURL's, or a temporary one) starts empty,
// so every row on it was put there by the revisions under test: a step
// the data-loss guard stops, such as the downgrade of a revision that
// seeds a table, runs again forced, and what the guard found is a note
// of the revision's report, not a failure. The guard keeps protecting
// real databases.
func (m *Migrator) Test(ctx context.Context) (_ *TestReport, err error) {
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	if heads := g.Heads(); len(heads) > 1 {
		return nil, fmt.Errorf("%w: %w", ErrTestFailed, &revision.MultipleHeadsError{Heads: heads})
	}
	url, drop, err := m.scratch(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if derr := drop(); derr != nil && err == nil {
			err = derr
		}
	}()
	opts := []Option{WithFS(m.cfg.fsys), WithVersionTable(m.cfg.table), WithLogger(m.cfg.logger), WithoutGlobalRegistry()}
	gos := m.cfg.migrations
	if !m.cfg.noGlobal {
		gos = append(registered(), gos...)
	}
	if len(gos) > 0 {
		opts = append(opts, WithMigrations(gos...))
	}
	if len(m.cfg.models) > 0 {
		opts = append(opts, WithModels(m.cfg.models...))
	}
	s, err := Open(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	defer s.Close()

	rep := &TestReport{}
	fail := func(rt RevisionTest, step string, err error, diffs []string) (*TestReport, error) {
		rt.Step, rt.Differences = step, diffs
		if err != nil {
			rt.Error = err.Error()
		}
		rep.Revisions = append(rep.Revisions, rt)
		rep.Failed = rt.Revision
		detail := rt.Error
		if len(diffs) > 0 {
			detail = strings.Join(diffs, "; ")
		}
		return rep, fmt.Errorf("%w: revision %s breaks at %s: %s", ErrTestFailed, rt.Revision, step, detail)
	}
	for _, rev := range g.Revisions() {
		rt := RevisionTest{Revision: rev.ID, Message: rev.Message}
		before, err := s.Inspect(ctx)
		if err != nil {
			return nil, err
		}
		if err := s.guarded(&rt, "upgrade", func() error { _, err := s.Upgrade(ctx, rev.ID); return err }); err != nil {
			return fail(rt, "upgrade", err, nil)
		}
		after, err := s.Inspect(ctx)
		if err != nil {
			return nil, err
		}
		if err := s.guarded(&rt, "downgrade", func() error { _, err := s.Downgrade(ctx, "-1"); return err }); err != nil {
			return fail(rt, "downgrade", err, nil)
		}
		restored, err := s.Inspect(ctx)
		if err != nil {
			return nil, err
		}
		if d := schema.Differences(before, restored); len(d) > 0 {
			return fail(rt, "restore", nil, d)
		}
		if err := s.guarded(&rt, "upgrade again", func() error { _, err := s.Upgrade(ctx, rev.ID); return err }); err != nil {
			return fail(rt, "upgrade again", err, nil)
		}
		again, err := s.Inspect(ctx)
		if err != nil {
			return nil, err
		}
		if d := schema.Differences(after, again); len(d) > 0 {
			return fail(rt, "upgrade again", nil, d)
		}
		rt.OK = true
		rep.Revisions = append(rep.Revisions, rt)
	}
	if len(m.cfg.models) > 0 {
		// The models are compared with head as check compares them with
		// the database, leaving out what the patterns leave out.
		s.cfg.filter = m.cfg.filter
		plan, err := s.Diff(ctx)
		if err != nil {
			return nil, err
		}
		match := len(plan.Ops) == 0
		rep.ModelsMatch = &match
		for _, o := range plan.Ops {
			rep.ModelDifferences = append(rep.ModelDifferences, o.String())
		}
		if !match {
			return rep, fmt.Errorf("%w: the models differ from the schema at head: migrate would %s", ErrTestFailed, strings.Join(rep.ModelDifferences, ", "))
		}
	}
	return rep, nil
}

// guarded runs one step of Test on s, the scratch Migrator, as a real run
// would; when the data-loss guard stops it, the rows at stake are the
// test's own (the scratch database started empty), so the guard's
// findings become notes of rt and the step runs again forced.
func (s *Migrator) guarded(rt *RevisionTest, step string, run func() error) error {
	err := run()
	var loss *runner.DataLossError
	if !errors.As(err, &loss) {
		return err
	}
	for _, l := range loss.Losses {
		change, what := l.Change, "table "+l.Table
		if change == "" {
			change = "drops"
		}
		if l.Column != "" {
			what = fmt.Sprintf("column %s.%s", l.Table, l.Column)
		}
		rt.Notes = append(rt.Notes, fmt.Sprintf("%s %s %s, which holds %d row(s) the test's revisions inserted (%s): where such rows are real data, it needs --force",
			step, change, what, l.Rows, l.Revision.Where(l.Statement)))
	}
	s.cfg.force = true
	defer func() { s.cfg.force = false }()
	return run()
}
