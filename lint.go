package strata

import (
	"context"

	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// Lint flags risky changes in the revisions: the pending ones (checked
// against the database's schema as it stands), or every revision when all
// is set. Go migrations are linted on the statements they render. See
// docs/lint.
func (m *Migrator) Lint(ctx context.Context, all bool) ([]lint.Finding, error) {
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	var revs []*revision.Revision
	if all {
		revs = r.Graph.Revisions()
	} else {
		st, err := m.Status(ctx)
		if err != nil {
			return nil, err
		}
		revs = st.Pending
	}
	current, err := m.Inspect(ctx)
	if err != nil {
		return nil, err
	}
	if all {
		current = nil // the schema before the first revision is unknown
	}
	var out []lint.Finding
	for i, rev := range revs {
		if i > 0 {
			current = nil // only the first revision's starting point is known
		}
		if rev.IsGo() {
			if current == nil {
				continue
			}
			stmts, err := r.Preview(ctx, rev, current)
			if err != nil {
				return nil, err
			}
			cp := *rev
			cp.Up = stmts
			rev = &cp
		}
		out = append(out, lint.Revision(rev, m.dialect.Name(), current, false)...)
	}
	return out, nil
}

// LintRevision lints one revision's upgrade against current, the schema
// before it (nil when unknown), as migrate does for the revision it
// writes.
func (m *Migrator) LintRevision(rev *revision.Revision, current *schema.Schema) []lint.Finding {
	return lint.Revision(rev, m.dialect.Name(), current, false)
}
