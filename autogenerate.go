package strata

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/models"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

// ErrNoChanges is returned by Autogenerate when the database already
// matches the models.
var ErrNoChanges = errors.New("strata: no changes: the database matches the models")

// Inspect reads the database's schema as strata sees it, without the
// version table.
func (m *Migrator) Inspect(ctx context.Context) (*schema.Schema, error) {
	s, err := m.dialect.Inspect(ctx, m.db, dialect.InspectOptions{Exclude: runner.InternalTables(m.cfg.table)})
	if err != nil {
		return nil, fmt.Errorf("strata: inspect: %w", err)
	}
	return s, nil
}

// Desired returns the schema the models describe, in the dialect's
// canonical spelling.
func (m *Migrator) Desired() (*schema.Schema, error) {
	if len(m.cfg.models) == 0 {
		return nil, errors.New("strata: no models to compare with; pass them with strata.WithModels (or cli.WithModels when mounting the commands)")
	}
	s, err := models.Schema(m.cfg.models...)
	if err != nil {
		return nil, err
	}
	m.dialect.Canonical(s)
	return s, nil
}

// Plan is the difference between the database and the models.
type Plan struct {
	// Ops turn the database into the models; Reverse undoes them.
	Ops, Reverse []op.Op
	// Up and Down are the rendered statements of each direction.
	Up, Down []string
}

// Diff compares the database with the models and renders the ops both
// ways. It changes nothing.
func (m *Migrator) Diff(ctx context.Context) (*Plan, error) {
	current, err := m.Inspect(ctx)
	if err != nil {
		return nil, err
	}
	desired, err := m.Desired()
	if err != nil {
		return nil, err
	}
	ops, err := diff.Schemas(current, desired)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	p := &Plan{Ops: ops, Reverse: reverse}
	after := current.Clone()
	if p.Up, err = render(m.dialect, after, ops); err != nil {
		return nil, err
	}
	if p.Down, err = render(m.dialect, after, reverse); err != nil {
		return nil, err
	}
	return p, nil
}

// render renders ops in order, following them on s so that each op sees
// the schema as it stands before it.
func render(d dialect.Renderer, s *schema.Schema, ops []op.Op) ([]string, error) {
	var out []string
	for _, o := range ops {
		stmts, err := d.Render(s, o)
		if err != nil {
			return nil, fmt.Errorf("strata: render %s: %w", o, err)
		}
		out = append(out, stmts...)
		if err := o.Apply(s); err != nil {
			return nil, fmt.Errorf("strata: %s: %w", o, err)
		}
	}
	return out, nil
}

// Autogenerate compares the database with the models and writes the next
// revision into the migrations directory, with its upgrade and downgrade.
// The database must be at head, since the new revision follows it. It
// returns ErrNoChanges, and writes nothing, when there is no difference.
func (m *Migrator) Autogenerate(ctx context.Context, message string) (*revision.Revision, error) {
	if m.cfg.dir == "" {
		return nil, errors.New("strata: Autogenerate writes files; set the migrations directory with strata.WithDir")
	}
	st, err := m.Status(ctx)
	if err != nil {
		return nil, err
	}
	if len(st.Pending) > 0 {
		return nil, fmt.Errorf("strata: the database is not up to date (%d revision(s) pending, first %s); run `upgrade` before generating the next revision",
			len(st.Pending), st.Pending[0].ID)
	}
	if len(st.Heads) > 1 {
		return nil, &revision.MultipleHeadsError{Heads: st.Heads}
	}
	plan, err := m.Diff(ctx)
	if err != nil {
		return nil, err
	}
	if len(plan.Ops) == 0 {
		return nil, ErrNoChanges
	}
	taken := make([]string, 0, len(st.Applied))
	for _, a := range st.Applied {
		taken = append(taken, a.Revision)
	}
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	for _, r := range g.Revisions() {
		taken = append(taken, r.ID)
	}
	rev := &revision.Revision{ID: revision.NewID(time.Now(), taken), Parents: st.Heads, Message: message}
	if message == "" {
		var what []string
		for _, o := range plan.Ops {
			what = append(what, o.String())
		}
		rev.Message = strings.Join(what, ", ")
	}
	for _, s := range plan.Up {
		rev.Up = append(rev.Up, revision.Statement{SQL: s})
	}
	for _, s := range plan.Down {
		rev.Down = append(rev.Down, revision.Statement{SQL: s})
	}
	if _, err := revision.Write(m.cfg.dir, rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// DiffError is returned by Check when the database differs from the
// models; Ops lists what migrate would do.
type DiffError struct{ Ops []op.Op }

func (e *DiffError) Error() string {
	lines := make([]string, len(e.Ops))
	for i, o := range e.Ops {
		lines[i] = "  " + o.String()
	}
	return fmt.Sprintf("strata: the database differs from the models; `migrate` would:\n%s", strings.Join(lines, "\n"))
}

// Check compares the database with the models and returns a *DiffError
// when they differ, nil when they match. It changes nothing.
func (m *Migrator) Check(ctx context.Context) error {
	plan, err := m.Diff(ctx)
	if err != nil {
		return err
	}
	if len(plan.Ops) > 0 {
		return &DiffError{Ops: plan.Ops}
	}
	return nil
}
