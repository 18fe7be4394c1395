package strata

import (
	"context"

	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

// Lint flags risky changes in the revisions: the pending ones (checked
// against the database's schema as it stands), or every revision when all
// is set. Go migrations are linted on the statements they render. See
// docs/lint. With all, it reads only the revisions, not the database.
func (m *Migrator) Lint(ctx context.Context, all bool) ([]lint.Finding, error) {
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	if all {
		return m.lintPlan(ctx, r, r.Graph.Revisions(), true)
	}
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	r.Dialect = m.dialect // as probed
	st, err := m.status(ctx, r)
	if err != nil {
		return nil, err
	}
	return m.lintPlan(ctx, r, st.Pending, false)
}

// lintPlan lints revs, to be applied in order. Unless unknownStart, the
// first starts from the database's schema as it stands, which is
// inspected once, and only when a rule or a Go revision needs it; the
// schema before the others is unknown.
func (m *Migrator) lintPlan(ctx context.Context, r *runner.Runner, revs []*revision.Revision, unknownStart bool) ([]lint.Finding, error) {
	var (
		current    *schema.Schema
		inspected  bool
		inspectErr error
	)
	before := func() *schema.Schema {
		if !inspected {
			inspected = true
			current, inspectErr = m.inspectAll(ctx)
		}
		return current
	}
	var out []lint.Finding
	for i, rev := range revs {
		if unknownStart || i > 0 {
			out = append(out, lint.Revision(rev, m.dialect.Name(), nil, false)...)
			continue
		}
		if rev.IsGo() {
			if before() == nil {
				return nil, inspectErr
			}
			stmts, err := r.Preview(ctx, rev, current)
			if err != nil {
				return nil, err
			}
			cp := *rev
			cp.Up = stmts
			rev = &cp
		}
		out = append(out, lint.RevisionLazy(rev, m.dialect.Name(), before, false)...)
		if inspectErr != nil {
			return nil, inspectErr
		}
	}
	return out, nil
}

// LintRevision lints one revision's upgrade against current, the schema
// before it (nil when unknown), as migrate does for the revision it
// writes.
func (m *Migrator) LintRevision(rev *revision.Revision, current *schema.Schema) []lint.Finding {
	return lint.Revision(rev, m.dialect.Name(), current, false)
}
