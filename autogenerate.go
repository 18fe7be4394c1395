package strata

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/models"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// ErrNoChanges is returned by Autogenerate when the database already
// matches the models.
var ErrNoChanges = errors.New("strata: no changes: the database matches the models")

// Inspect reads the database's schema as strata sees it, without the
// version table and what the include and exclude patterns leave out
// (WithInclude, WithExclude).
func (m *Migrator) Inspect(ctx context.Context) (*schema.Schema, error) {
	s, err := m.inspectAll(ctx)
	if err != nil {
		return nil, err
	}
	m.cfg.filter.apply(s)
	return s, nil
}

// Desired returns the schema the models (or the schema file) describe, in
// the dialect's canonical spelling.
func (m *Migrator) Desired(ctx context.Context) (*schema.Schema, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err // the canonical spelling depends on the server (MariaDB, MySQL)
	}
	if m.cfg.schemaFile != "" {
		return m.schemaFromFile(ctx)
	}
	if m.cfg.desired != nil {
		s := m.cfg.desired.Clone()
		m.dialect.Canonical(s)
		return s, nil
	}
	s, err := m.neutral()
	if err != nil {
		return nil, err
	}
	m.dialect.Canonical(s)
	return s, nil
}

// neutral is the desired schema as the models (or WithSchema) say it,
// before the dialect's canonical form; nil for a schema file.
func (m *Migrator) neutral() (*schema.Schema, error) {
	if m.cfg.schemaFile != "" {
		return nil, nil
	}
	if m.cfg.desired != nil {
		return m.cfg.desired.Clone(), nil
	}
	if len(m.cfg.models) == 0 {
		return nil, errors.New("strata: no models to compare with; pass them with strata.WithModels (cli.WithModels when mounting the commands), or a SQL schema file with --schema")
	}
	return models.Schema(m.cfg.models...)
}

// schemaFromFile applies the schema file to a scratch database and
// inspects it.
func (m *Migrator) schemaFromFile(ctx context.Context) (_ *schema.Schema, err error) {
	data, err := os.ReadFile(m.cfg.schemaFile)
	if err != nil {
		return nil, fmt.Errorf("strata: schema file: %w", err)
	}
	stmts, err := revision.Split(string(data), 1, m.splitOptions()...)
	if err != nil {
		return nil, fmt.Errorf("strata: schema file %s: %w", m.cfg.schemaFile, err)
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
	db, err := OpenDB(url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s.SQL); err != nil {
			return nil, fmt.Errorf("strata: schema file %s:%d: %w\n  statement: %s", m.cfg.schemaFile, s.Line, err, oneLine(s.SQL))
		}
	}
	s, err := m.dialect.Inspect(ctx, db, dialect.InspectOptions{})
	if err != nil {
		return nil, fmt.Errorf("strata: inspect the schema file's database: %w", err)
	}
	return s, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

// renameOptions turns renames into diff options.
func renameOptions(renames []models.Rename) []diff.Option {
	var opts []diff.Option
	for _, r := range renames {
		if r.Table == "" {
			opts = append(opts, diff.RenameTable(r.From, r.To))
		} else {
			opts = append(opts, diff.RenameColumn(r.Table, r.From, r.To))
		}
	}
	return opts
}

// renames lists the renames given (WithRenameTable, WithRenameColumn)
// and those the models ask for (renamed_from), tables first. A rename the
// database already shows (the new name there, the old one gone) is left
// out; a given one that names nothing there is kept, so that diff
// reports it.
func (m *Migrator) renames(current *schema.Schema) ([]models.Rename, error) {
	var out []models.Rename
	add := func(r models.Rename) { out = append(out, r) }
	done := func(r models.Rename) bool {
		if r.Table == "" {
			_, hasOld := current.Table(r.From)
			_, hasNew := current.Table(r.To)
			return hasNew && !hasOld
		}
		t, ok := current.Table(r.Table)
		if !ok {
			return false
		}
		_, hasOld := t.Column(r.From)
		_, hasNew := t.Column(r.To)
		return hasNew && !hasOld
	}
	for _, r := range m.cfg.renames {
		if !done(r) {
			add(r)
		}
	}
	if m.cfg.schemaFile != "" || len(m.cfg.models) == 0 {
		return tablesFirst(out), nil
	}
	tagged, err := models.Renames(m.cfg.models...)
	if err != nil {
		return nil, err
	}
	tableRenamed := map[string]string{} // new name -> old name, where it applies
	for _, r := range tagged {
		if r.Table != "" {
			continue
		}
		_, hasOld := current.Table(r.From)
		_, hasNew := current.Table(r.To)
		if hasOld && !hasNew && !slices.Contains(m.cfg.renames, r) {
			add(r)
			tableRenamed[r.To] = r.From
		}
	}
	for _, r := range tagged {
		if r.Table == "" || slices.Contains(m.cfg.renames, r) {
			continue
		}
		name := r.Table
		if old, ok := tableRenamed[name]; ok {
			name = old
		}
		t, ok := current.Table(name)
		if !ok {
			continue
		}
		_, hasOld := t.Column(r.From)
		_, hasNew := t.Column(r.To)
		if hasOld && !hasNew {
			add(r)
		}
	}
	return tablesFirst(out), nil
}

// tablesFirst puts table renames before column renames, as diff applies
// them, keeping the order within each.
func tablesFirst(rs []models.Rename) []models.Rename {
	slices.SortStableFunc(rs, func(a, b models.Rename) int {
		return cmp.Compare(min(len(a.Table), 1), min(len(b.Table), 1))
	})
	return rs
}

// managesObjects reports whether the desired schema speaks for the
// database's extensions, functions and triggers: a schema file or a
// schema given in Go (WithSchema) can hold them, the models cannot.
func (m *Migrator) managesObjects() bool {
	return m.cfg.schemaFile != "" || m.cfg.desired != nil
}

// keepUnmanaged gives desired, which comes from the models, the
// keepUnmanaged gives desired, which comes from the models, the
// extensions, functions, triggers, sequences, domains, composite types
// and materialized views of current, and what else the models cannot
// describe and the dialect keeps (dialect.ModelGapper), so that
// autogenerate leaves them alone rather than dropping them. A table the
// models rename keeps its triggers, following the renames as the database
// will; the triggers of a table the models drop go with it.
func keepUnmanaged(d dialect.Dialect, current, desired *schema.Schema, renames []models.Rename) error {
	cur := current.Clone()
	for _, r := range renames {
		var o op.Op
		if r.Table == "" {
			if _, ok := cur.Table(r.From); !ok {
				continue // diff reports the rename of a table that does not exist
			}
			o = op.RenameTable{From: r.From, To: r.To}
		} else {
			t, ok := cur.Table(r.Table)
			if !ok {
				continue
			}
			c, ok := t.Column(r.From)
			if !ok {
				continue
			}
			renamed := c.Clone()
			renamed.Name = r.To
			o = op.AlterColumn{Table: r.Table, From: c.Clone(), To: renamed}
		}
		if err := o.Apply(cur); err != nil {
			return fmt.Errorf("strata: follow %s to keep the database's triggers: %w", o, err)
		}
	}
	desired.Extensions = cur.Extensions
	desired.Functions = cur.Functions
	// Nor can they describe sequences, domains, composite types and
	// materialized views.
	desired.Sequences = cur.Sequences
	desired.Domains = cur.Domains
	desired.CompositeTypes = cur.CompositeTypes
	for _, v := range cur.Views {
		if _, ok := desired.View(v.Name); !ok && v.Materialized {
			desired.Views = append(desired.Views, v)
		}
	}
	for _, t := range desired.Tables {
		if ct, ok := cur.Table(t.Name); ok {
			t.Triggers = ct.Triggers
		}
	}
	if g, ok := d.(dialect.ModelGapper); ok {
		g.KeepModelGaps(cur, desired)
	}
	// A struct's field order is not a wish to move the columns of a table
	// that exists (on MySQL, a table copy): models add columns last, as
	// Alembic's do, and leave the order of the others alone.
	desired.Ordered = false
	desired.Normalize()
	return nil
}

// Plan is the difference between the database and the models.
type Plan struct {
	// Ops turn the database into the models; Reverse undoes them.
	Ops, Reverse []op.Op
	// Up and Down are the rendered statements of each direction.
	Up, Down []string
	// Warnings say what the ops do to existing data: rows lost, values
	// that must fit a narrower type, NULLs backfilled, duplicates under a
	// new unique index, with counts from the database.
	Warnings []string
	// Current is the database's schema the plan starts from.
	Current *schema.Schema
	// Neutral is the desired schema before the dialect's canonical form,
	// as the models say it; Go revisions are written from it, so that they
	// stay portable. Nil for a schema file.
	Neutral *schema.Schema
	// RenameCandidates are dropped and added columns of one table with the
	// same definition: perhaps renames, which a person should confirm
	// (WithRenameColumn), since a drop and an add lose the column's data.
	RenameCandidates []models.Rename
	// Unmanaged says, one line each, which objects of the database or of
	// the schema file strata does not manage (schema.Unmanaged): they are
	// not compared, so no ops is no answer about them.
	Unmanaged []string

	// warnedOp holds, for each of Warnings, the index in Ops of the op it
	// is about; upAt holds, for each op, the index in Up of its first
	// statement. writeRevision writes each warning above that statement.
	warnedOp, upAt []int
}

// Diff compares the database with the models and renders the ops both
// ways. It changes nothing.
func (m *Migrator) Diff(ctx context.Context) (*Plan, error) {
	// A Go revision the binary lacks would make the comparison a lie.
	if _, err := m.checkBuilt(m.goRevisions()); err != nil {
		return nil, err
	}
	current, err := m.Inspect(ctx)
	if err != nil {
		return nil, err
	}
	desired, err := m.Desired(ctx)
	if err != nil {
		return nil, err
	}
	if err := m.filterDesired(desired, current.Name); err != nil {
		return nil, err
	}
	renames, err := m.renames(current)
	if err != nil {
		return nil, err
	}
	if !m.managesObjects() {
		if err := keepUnmanaged(m.dialect, current, desired, renames); err != nil {
			return nil, err
		}
	}
	fileRenames, err := m.schemaFileRenames(current, desired)
	if err != nil {
		return nil, err
	}
	opts := append(renameOptions(renames), fileRenames...)
	ops, err := diff.Schemas(current, desired, append(opts, m.diffOptions()...)...)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	p := &Plan{Ops: ops, Reverse: reverse, Current: current}
	p.Unmanaged = unmanagedNotes(current, desired, m.desiredName())
	if p.Neutral, err = m.neutral(); err != nil {
		return nil, err
	}
	p.Warnings, p.warnedOp, p.RenameCandidates = m.review(ctx, current, ops)
	after := current.Clone()
	up, err := dialect.RenderStatements(m.dialect, after, ops)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	p.Up, p.upAt = dialect.StatementSQL(up), firstStatements(up, len(ops))
	if p.Down, err = m.renderOps(after, reverse); err != nil {
		return nil, err
	}
	return p, nil
}

// firstStatements returns, for each of n ops, the index of the first of
// stmts that carries it out; an op with no statement of its own (one a
// dialect folded into a later statement, or one that changes nothing it
// renders) takes the index of the next statement after those of the ops
// before it.
func firstStatements(stmts []dialect.Statement, n int) []int {
	at := make([]int, n)
	for i := range at {
		at[i] = -1
	}
	for j, st := range stmts {
		for _, i := range st.Ops {
			if i >= 0 && i < n && at[i] < 0 {
				at[i] = j
			}
		}
	}
	next := 0
	for i := range at {
		if at[i] < 0 {
			at[i] = next
		}
		next = at[i]
		for next < len(stmts) && slices.Contains(stmts[next].Ops, i) {
			next++
		}
	}
	return at
}

// Autogenerate compares the database with the models and writes the next
// revision into the migrations directory, with its upgrade and downgrade.
// The database must be at head, since the new revision follows it. It
// returns ErrNoChanges, and writes nothing, when there is no difference.
// A SQL revision records the database's dialect in its header
// (-- strata:dialect), and other databases refuse to run it; a Go
// revision (WithFormat("go")) runs on every database.
func (m *Migrator) Autogenerate(ctx context.Context, message string) (*revision.Revision, error) {
	return m.WriteRevision(ctx, message, nil)
}

// WriteRevision writes plan (from Diff, which it computes when plan is
// nil) as the next revision; see Autogenerate.
func (m *Migrator) WriteRevision(ctx context.Context, message string, plan *Plan) (*revision.Revision, error) {
	return m.writeRevision(ctx, message, plan, RevisionSpec{})
}

func (m *Migrator) writeRevision(ctx context.Context, message string, plan *Plan, spec RevisionSpec) (*revision.Revision, error) {
	if m.cfg.dir == "" {
		return nil, errors.New("strata: Autogenerate writes files; set the migrations directory with strata.WithDir")
	}
	if err := m.makeVersionPath(spec.VersionPath); err != nil {
		return nil, err
	}
	st, err := m.Status(ctx)
	if err != nil {
		return nil, err
	}
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	var parents []string
	if spec.Head == "" || spec.Head == "head" {
		if len(st.Pending) > 0 {
			return nil, fmt.Errorf("strata: the database is not up to date (%d revision(s) pending, first %s); run `upgrade` before generating the next revision",
				len(st.Pending), st.Pending[0].ID)
		}
		if len(st.Heads) > 1 {
			return nil, &revision.MultipleHeadsError{Heads: st.Heads}
		}
		parents = st.Heads
	} else {
		if parents, err = spec.parents(g); err != nil {
			return nil, err
		}
		// The new revision takes the database from its parent to the
		// models: the database must stand exactly there.
		var current []string
		for _, r := range st.Current {
			current = append(current, r.ID)
		}
		if !slices.Equal(current, parents) {
			at, want := strings.Join(current, ", "), strings.Join(parents, ", ")
			if at == "" {
				at = "base"
			}
			if want == "" {
				want = "base"
			}
			return nil, fmt.Errorf("strata: the database is at %s, not at %s, which the new revision follows; run `strata upgrade %s` (or downgrade to it) first",
				at, want, want)
		}
	}
	if plan == nil {
		if plan, err = m.Diff(ctx); err != nil {
			return nil, err
		}
	}
	if len(plan.Ops) == 0 {
		return nil, ErrNoChanges
	}
	taken := make([]string, 0, len(st.Applied))
	for _, a := range st.Applied {
		taken = append(taken, a.Revision)
	}
	rev := &revision.Revision{Parents: parents, Message: message}
	if err := m.fill(g, rev, spec, taken); err != nil {
		return nil, err
	}
	if message == "" {
		var what []string
		for _, o := range plan.Ops {
			what = append(what, o.String())
		}
		rev.Message = strings.Join(what, ", ")
	}
	if m.cfg.format == "go" {
		if err := m.writeGoRevision(rev, plan); err != nil {
			return nil, err
		}
		return rev, nil
	}
	// The SQL is this database's: the header says so, and other databases
	// refuse the file before running anything.
	rev.Dialect = revision.CanonicalDialect(m.dialect.Name())
	for _, s := range plan.Up {
		rev.Up = append(rev.Up, revision.Statement{SQL: s})
	}
	for _, s := range plan.Down {
		rev.Down = append(rev.Down, revision.Statement{SQL: s})
	}
	noteUp(rev, m.dialect.Name(), plan)
	if _, err := revision.Write(rev.Dir, rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// DiffError is returned by Check when the database differs from the
// models; Ops lists what migrate would do.
type DiffError struct {
	Ops []op.Op
	// Desired names what the database was compared with: "the models",
	// or the SQL file of WithSchemaFile.
	Desired string
	// Unmanaged are the plan's notes on what strata does not manage, and
	// so did not compare (Plan.Unmanaged).
	Unmanaged []string
}

func (e *DiffError) Error() string {
	lines := make([]string, len(e.Ops))
	for i, o := range e.Ops {
		lines[i] = "  " + o.String()
	}
	desired := e.Desired
	if desired == "" {
		desired = "the models"
	}
	return fmt.Sprintf("strata: the database differs from %s; `migrate` would:\n%s", desired, strings.Join(lines, "\n"))
}

// Check compares the database with the models (or the schema file of
// WithSchemaFile) and returns a *DiffError when they differ, nil when
// they match. It changes nothing.
//
// Objects strata does not manage (a domain, a MySQL event, an SQLite
// virtual table…) are not compared: CheckPlan returns the plan, whose
// Unmanaged field names them, for callers that must tell "no
// differences" from "no differences in what strata compares".
func (m *Migrator) Check(ctx context.Context) error {
	_, err := m.CheckPlan(ctx)
	return err
}

// CheckPlan is Check returning the plan too, when it could make one: its
// Unmanaged notes say what was not compared.
func (m *Migrator) CheckPlan(ctx context.Context) (*Plan, error) {
	plan, err := m.Diff(ctx)
	if err != nil {
		return nil, err
	}
	if len(plan.Ops) > 0 {
		return plan, &DiffError{Ops: plan.Ops, Desired: m.desiredName(), Unmanaged: plan.Unmanaged}
	}
	return plan, nil
}

// desiredName names the desired schema in messages: the schema file, or
// the models.
func (m *Migrator) desiredName() string {
	if m.cfg.schemaFile != "" {
		return m.cfg.schemaFile
	}
	return "the models"
}

// review looks at what ops do to the data the database holds now.
func (m *Migrator) review(ctx context.Context, current *schema.Schema, ops []op.Op) (warnings []string, at []int, renames []models.Rename) {
	q := m.dialect.QuoteIdent
	count := func(query string) int64 {
		var n int64
		if err := m.db.QueryRowContext(ctx, query).Scan(&n); err != nil {
			return -1
		}
		return n
	}
	rows := func(table string) int64 { return count("SELECT COUNT(*) FROM " + q(table)) }
	dropped := map[string][]*schema.Column{}
	added := map[string][]*schema.Column{}
	for i, o := range ops {
		// The warnings of the op before are about it.
		for len(at) < len(warnings) {
			at = append(at, i-1)
		}
		switch o := o.(type) {
		case op.DropTable:
			if n := rows(o.Table.Name); n > 0 {
				warnings = append(warnings, fmt.Sprintf("DATA LOSS: %s: its %d row(s) will be lost", o, n))
			}
		case op.DropColumn:
			dropped[o.Table] = append(dropped[o.Table], o.Column)
			if n := count(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s IS NOT NULL", q(o.Table), q(o.Column.Name))); n > 0 {
				warnings = append(warnings, fmt.Sprintf("DATA LOSS: %s: %d value(s) will be lost", o, n))
			}
		case op.AddColumn:
			added[o.Table] = append(added[o.Table], o.Column)
			if o.Backfill != nil {
				if n := rows(o.Table); n > 0 {
					warnings = append(warnings, fmt.Sprintf("%s: %d existing row(s) get %s", o, n, o.Backfill))
				}
			}
		case op.AlterColumn:
			if why := narrows(o.From.Type, o.To.Type); why != "" {
				warnings = append(warnings, fmt.Sprintf("NARROWING: %s: %s; values that do not fit make the upgrade fail or are cut", o, why))
			}
			if o.From.Nullable && !o.To.Nullable {
				if n := count(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s IS NULL", q(o.Table), q(o.From.Name))); n > 0 {
					warnings = append(warnings, fmt.Sprintf("%s: %d row(s) hold NULL and get %v", o, n, o.Backfill))
				}
			}
		case op.CreateIndex:
			if !o.Index.Unique {
				continue
			}
			if _, exists := current.Table(o.Table); !exists {
				continue
			}
			cols := o.Index.ColumnNames()
			if len(cols) != len(o.Index.Parts) || len(cols) == 0 {
				continue
			}
			quoted := make([]string, len(cols))
			notNull := make([]string, len(cols))
			for i, c := range cols {
				quoted[i] = q(c)
				notNull[i] = q(c) + " IS NOT NULL"
			}
			query := fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 AS one FROM %s WHERE %s GROUP BY %s HAVING COUNT(*) > 1) AS dups",
				q(o.Table), strings.Join(notNull, " AND "), strings.Join(quoted, ", "))
			if n := count(query); n > 0 {
				warnings = append(warnings, fmt.Sprintf("UNIQUE: %s: %d value(s) appear more than once, so the upgrade will fail until they are fixed", o, n))
			}
		}
	}
	for len(at) < len(warnings) {
		at = append(at, len(ops)-1)
	}
	for table, gone := range dropped {
		for _, d := range gone {
			for _, a := range added[table] {
				if d.Type == a.Type {
					renames = append(renames, models.Rename{Table: table, From: d.Name, To: a.Name})
				}
			}
		}
	}
	slices.SortFunc(renames, func(a, b models.Rename) int {
		return strings.Compare(a.Table+"."+a.From+"."+a.To, b.Table+"."+b.From+"."+b.To)
	})
	return warnings, at, renames
}

// narrows says how to narrows from, or "" when every value of from fits.
func narrows(from, to schema.Type) string {
	switch f := from.(type) {
	case schema.IntegerType:
		if t, ok := to.(schema.IntegerType); ok {
			if t.Bits < f.Bits || t.Unsigned != f.Unsigned {
				return fmt.Sprintf("%s to %s", from, to)
			}
			return ""
		}
	case schema.StringType:
		if t, ok := to.(schema.StringType); ok {
			if f.Size == 0 && t.Size > 0 || t.Size > 0 && t.Size < f.Size {
				return fmt.Sprintf("%s to %s", from, to)
			}
			return ""
		}
	case schema.DecimalType:
		if t, ok := to.(schema.DecimalType); ok {
			if t.Precision > 0 && (f.Precision == 0 || t.Precision-t.Scale < f.Precision-f.Scale || t.Scale < f.Scale) {
				return fmt.Sprintf("%s to %s", from, to)
			}
			return ""
		}
	case schema.FloatType:
		if t, ok := to.(schema.FloatType); ok {
			if t.Bits < f.Bits {
				return fmt.Sprintf("%s to %s", from, to)
			}
			return ""
		}
	}
	if from != to {
		return fmt.Sprintf("%s to %s, another kind of type", from, to)
	}
	return ""
}

// renderOps renders ops following them on s; see dialect.RenderOps.
func (m *Migrator) renderOps(s *schema.Schema, ops []op.Op) ([]string, error) {
	stmts, err := dialect.RenderOps(m.dialect, s, ops)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	return stmts, nil
}
