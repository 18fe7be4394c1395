package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var _ dialect.PlanRenderer = Dialect{}

// RenderPlan renders ops together, so that a table is rebuilt at most
// once for all the changes a revision makes to it.
//
// The ops that change a table in place (columns, indexes, keys, checks)
// are grouped per table. A group in which one op needs a rebuild (rebuild.go)
// becomes a single rebuild to the table as it stands after the whole
// group, and carries out every op of the group, the ones ALTER TABLE
// could have made too; a group with no such op renders op by op, in
// place. The rebuild stands where the group's last op stood, so that what
// the ops before it create (a new table its foreign keys name) exists.
// A group ends before an op that uses the table as it stands: SQL of the
// user's (op.Execute), rows inserted, a view or trigger over it, the
// table renamed, dropped or created. The table's changes after such an
// op form a group of their own, and a second rebuild only when that group
// needs one too. A column renamed (RENAME COLUMN, which also renames the
// column where other tables, views and triggers name it) runs in place
// and ends the group only when one of its ops names the column. When a
// table the group's table referenced is dropped, the rebuild comes before
// the drop (with foreign keys on, the drop checks the rows referencing
// it), and the table's later changes still join it.
//
// The foreign key checks of all the rebuilds come once, last.
func (d Dialect) RenderPlan(current *schema.Schema, ops []op.Op) ([]dialect.Statement, error) {
	steps, err := planSteps(current, ops)
	if err != nil {
		return nil, err
	}
	var (
		out     []dialect.Statement
		rebuilt []string
	)
	s := current.Clone()
	for _, st := range steps {
		stmts, ops, err := st.render(d, s)
		if err != nil {
			return nil, err
		}
		if st.rebuild {
			rebuilt = append(rebuilt, st.table)
		}
		for _, sql := range stmts {
			out = append(out, dialect.Statement{SQL: sql, Ops: ops})
		}
		for _, it := range st.items {
			if err := it.o.Apply(s); err != nil {
				return nil, fmt.Errorf("sqlite: follow %s: %w", it.o, err)
			}
		}
	}
	for _, sql := range foreignKeyChecks(s, rebuilt) {
		out = append(out, dialect.Statement{SQL: sql})
	}
	return out, nil
}

// item is one op to render, and its index among the ops rendered. An
// AlterColumn that renames a column and changes it too is two items: the
// rename, then the change.
type item struct {
	i int
	o op.Op
}

// step is what renders at one place: one item, or a table's group
// rebuilt.
type step struct {
	items   []item
	table   string // the rebuilt table
	rebuild bool
}

// render returns the step's statements and the ops they carry out,
// rendered against s, the schema before the step.
func (st step) render(d Dialect, s *schema.Schema) ([]string, []int, error) {
	var idx []int
	for _, it := range st.items {
		if !slices.Contains(idx, it.i) {
			idx = append(idx, it.i)
		}
	}
	if !st.rebuild {
		stmts, err := d.renderOne(s, st.items[0].o)
		if err != nil {
			return nil, nil, fmt.Errorf("render %s: %w", st.items[0].o, err)
		}
		return stmts, idx, nil
	}
	before, err := tableOf(s, st.table)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: %s: %w", st.items[0].o, err)
	}
	after, sources, err := follow(s, before, st.items)
	if err != nil {
		return nil, nil, err
	}
	return rebuild(before, after, sources), idx, nil
}

// follow applies a group's items to a copy of table t of s and returns the
// table after them, with the expression each column takes its values
// from in the old table (copyAll, adjusted by each op).
func follow(s *schema.Schema, t *schema.Table, items []item) (*schema.Table, map[string]string, error) {
	after := t.Clone()
	// The table's foreign keys, and the other tables' keys to it, follow
	// renames and drops of columns: the other tables come along.
	scratch := s.Clone()
	scratch.Tables = slices.DeleteFunc(scratch.Tables, func(x *schema.Table) bool { return x.Name == t.Name })
	scratch.Tables = append(scratch.Tables, after)
	sources := copyAll(t, t)
	for _, it := range items {
		switch o := it.o.(type) {
		case op.AddColumn:
			delete(sources, o.Column.Name)
			if o.Backfill != nil && !o.Column.Nullable && o.Column.Generated.Expr == "" {
				// Existing rows get the backfill value in the copy.
				sources[o.Column.Name] = formatDefault(o.Backfill)
			}
		case op.DropColumn:
			delete(sources, o.Column.Name)
		case op.AlterColumn:
			src, ok := sources[o.From.Name]
			delete(sources, o.From.Name)
			switch {
			case o.To.Generated.Expr != "" || o.From.Generated.Expr != "":
				// Computed, or no value kept to copy.
			case ok && o.Backfill != nil && !o.To.Nullable:
				sources[o.To.Name] = fmt.Sprintf("coalesce(%s, %s)", src, formatDefault(o.Backfill))
			case ok:
				sources[o.To.Name] = src
			}
		}
		if err := it.o.Apply(scratch); err != nil {
			return nil, nil, fmt.Errorf("sqlite: follow %s: %w", it.o, err)
		}
	}
	for name := range sources {
		if _, ok := after.Column(name); !ok {
			delete(sources, name)
		}
	}
	return after, sources, nil
}

// planSteps groups ops into the steps RenderPlan renders, in order.
func planSteps(current *schema.Schema, ops []op.Op) ([]step, error) {
	s := current.Clone()
	var items []item
	for i, o := range ops {
		if ac, ok := o.(op.AlterColumn); ok && ac.From != nil && ac.To != nil && ac.From.Name != ac.To.Name && schema.ColumnDifference(ac.From, ac.To) != "" {
			renamed := ac.From.Clone()
			renamed.Name = ac.To.Name
			items = append(items,
				item{i, op.AlterColumn{Table: ac.Table, From: ac.From, To: renamed}},
				item{i, op.AlterColumn{Table: ac.Table, From: renamed, To: ac.To, Backfill: ac.Backfill}})
			continue
		}
		items = append(items, item{i, o})
	}
	// Per table, the open group: where its items are, and whether one of
	// them needs a rebuild.
	type group struct {
		at      []int // indexes into items
		rebuild bool
		// refs are the tables the table referenced when the group opened:
		// the old table keeps those keys until the rebuild.
		refs []string
		// pin, when not -1, is the item the rebuild must come before.
		pin int
	}
	var groups []*group
	open := map[string]*group{}
	var order []string // tables with an open group, in order of opening
	// member[k] is the group item k belongs to.
	member := make([]*group, len(items))
	closeGroup := func(table string) {
		key := strings.ToLower(table)
		if _, ok := open[key]; ok {
			delete(open, key)
			order = slices.DeleteFunc(order, func(n string) bool { return n == key })
		}
	}
	for k, it := range items {
		table, inPlace := changesInPlace(it.o)
		switch {
		case inPlace:
			key := strings.ToLower(table)
			g, ok := open[key]
			if !ok {
				g = &group{pin: -1}
				groups = append(groups, g)
				if t, found := s.Table(table); found {
					for _, fk := range t.ForeignKeys {
						g.refs = append(g.refs, strings.ToLower(fk.RefTable))
					}
				}
				open[key] = g
				order = append(order, key)
			}
			if t, _ := s.Table(table); needsRebuild(t, it.o) {
				g.rebuild = true
			}
			g.at = append(g.at, k)
			member[k] = g
		case isRename(it.o):
			// RENAME COLUMN runs where it stands; the table's open group
			// goes on past it unless one of its ops names the column, under
			// either name.
			ac := it.o.(op.AlterColumn)
			if g, ok := open[strings.ToLower(ac.Table)]; ok && slices.ContainsFunc(g.at, func(j int) bool {
				return mentionsColumn(items[j].o, ac.From.Name) || mentionsColumn(items[j].o, ac.To.Name)
			}) {
				closeGroup(ac.Table)
			}
		default:
			uses, all := usesTables(it.o)
			if all {
				for _, n := range slices.Clone(order) {
					closeGroup(n)
				}
			}
			for _, n := range uses {
				closeGroup(n)
			}
			if d, ok := it.o.(op.DropTable); ok {
				// A table's old foreign keys go before the table they
				// reference is dropped (diff drops them first): with foreign
				// keys on, the drop checks the rows referencing it. The
				// rebuild comes before the drop, and the table's changes
				// after it still join.
				for _, n := range order {
					if g := open[n]; g.pin < 0 && slices.Contains(g.refs, strings.ToLower(d.Table.Name)) {
						g.pin = k
					}
				}
			}
		}
		// An op that cannot follow fails to render, with the reason, below.
		_ = it.o.Apply(s)
	}
	for _, n := range slices.Clone(order) {
		closeGroup(n)
	}
	pinned := map[int][]*group{}
	for _, g := range groups {
		if g.rebuild && g.pin >= 0 {
			pinned[g.pin] = append(pinned[g.pin], g)
		}
	}
	var steps []step
	emit := func(g *group) {
		st := step{rebuild: true}
		for _, j := range g.at {
			st.items = append(st.items, items[j])
		}
		st.table, _ = changesInPlace(st.items[0].o)
		steps = append(steps, st)
	}
	for k, it := range items {
		for _, g := range pinned[k] {
			emit(g)
		}
		g := member[k]
		switch {
		case g == nil || !g.rebuild:
			// Rendered in place, op by op.
			steps = append(steps, step{items: []item{it}})
		case g.pin < 0 && g.at[len(g.at)-1] == k:
			emit(g)
		}
	}
	return steps, nil
}

// changesInPlace returns the table an op changes in place, when it is an
// op a rebuild can carry out: a column added, dropped or changed (not
// renamed), an index, a key or a check added or dropped.
func changesInPlace(o op.Op) (string, bool) {
	switch o := o.(type) {
	case op.AddColumn:
		return o.Table, true
	case op.DropColumn:
		return o.Table, true
	case op.AlterColumn:
		if o.From != nil && o.To != nil && o.From.Name != o.To.Name {
			return "", false // RENAME COLUMN, on its own
		}
		return o.Table, true
	case op.CreateIndex:
		return o.Table, true
	case op.DropIndex:
		return o.Table, true
	case op.AddForeignKey:
		return o.Table, true
	case op.DropForeignKey:
		return o.Table, true
	case op.AddCheck:
		return o.Table, true
	case op.DropCheck:
		return o.Table, true
	case op.AddPrimaryKey:
		return o.Table, true
	case op.DropPrimaryKey:
		return o.Table, true
	case op.DropConstraint:
		return o.Table, true
	case op.AlterTable:
		return o.Table, true
	case op.RenameConstraint:
		return o.Table, true
	case op.MoveColumn:
		return o.Table, true
	}
	return "", false
}

// usesTables returns the tables an op that is not changesInPlace uses as
// they stand, so that no change to them may move past it; all is true
// when it may use any (SQL of the user's, an op unknown here).
func usesTables(o op.Op) (tables []string, all bool) {
	switch o := o.(type) {
	case op.CreateTable:
		return []string{o.Table.Name}, false
	case op.DropTable:
		return []string{o.Table.Name}, false
	case op.RenameTable:
		return []string{o.From, o.To}, false
	case op.BulkInsert:
		return []string{o.Table}, false
	case op.CreateTrigger:
		return []string{o.Table}, false
	case op.DropTrigger:
		return []string{o.Table}, false
	case op.CreateView:
		return nil, true // it may name any table, through other views too
	case op.DropView:
		return nil, false
	case op.CreateEnum, op.DropEnum, op.AddEnumValue, op.ReplaceEnum,
		op.CreateFunction, op.DropFunction, op.ReplaceFunction, op.CreateExtension, op.DropExtension:
		return nil, false // fail to render on SQLite anyway
	}
	return nil, true
}

// needsRebuild reports whether o, one of changesInPlace's ops on table t
// (as it stands before o; nil when unknown), needs the table rebuilt:
// ALTER TABLE cannot make it.
func needsRebuild(t *schema.Table, o op.Op) bool {
	switch o := o.(type) {
	case op.AddColumn:
		c := o.Column
		_, exprDefault := c.Default.(schema.Expr)
		// ALTER TABLE ADD COLUMN takes neither a STORED generated column nor
		// a default that is not a constant, nor NOT NULL without a default;
		// it fills the rows there are with the default, so a NOT NULL
		// column whose rows take another value (the backfill) is rebuilt,
		// the copy giving them that value.
		// ADD COLUMN puts the column last: one placed elsewhere (a
		// downgrade putting back a column dropped from the middle) is
		// rebuilt into place.
		return c.Generated.Stored || exprDefault && c.Generated.Expr == "" ||
			!c.Nullable && o.Backfill != nil && o.Backfill != c.Default ||
			!o.Position.IsEnd() && (t == nil || !o.Position.AtEnd(t))
	case op.DropColumn:
		return t == nil || usedByTable(t, o.Column.Name)
	case op.AlterColumn:
		return schema.ColumnDifference(o.From, o.To) != ""
	case op.CreateIndex:
		return isUniqueConstraint(o.Index)
	case op.DropIndex:
		return isUniqueConstraint(o.Index)
	case op.DropConstraint:
		if t == nil {
			return true
		}
		ix, ok := t.Index(o.Name)
		return !ok || isUniqueConstraint(ix)
	case op.AlterTable:
		// SQLite keeps no comment and no MySQL table options; STRICT and
		// WITHOUT ROWID are the table's own definition.
		return o.From.WithoutRowID != o.To.WithoutRowID || o.From.Strict != o.To.Strict
	case op.RenameConstraint:
		return !isIndexRename(t, o)
	case op.MoveColumn:
		return true
	}
	return true // keys and checks
}

// isRename reports whether o is an AlterColumn that renames its column
// (and changes nothing else: planSteps splits those that do).
func isRename(o op.Op) bool {
	ac, ok := o.(op.AlterColumn)
	return ok && ac.From != nil && ac.To != nil && ac.From.Name != ac.To.Name
}

// mentionsColumn reports whether o, one of changesInPlace's ops, names
// the column called name: as the column it adds, drops or changes, or in
// an index, key or check.
func mentionsColumn(o op.Op, name string) bool {
	parts := func(ix *schema.Index) bool {
		if ix == nil {
			return false
		}
		return ix.HasColumn(name) || mentions(ix.Where, name) ||
			slices.ContainsFunc(ix.Parts, func(p schema.IndexPart) bool { return mentions(p.Expr, name) })
	}
	fk := func(fk *schema.ForeignKey) bool { return fk != nil && slices.Contains(fk.Columns, name) }
	switch o := o.(type) {
	case op.AddColumn:
		return o.Column.Name == name || mentions(o.Column.Generated.Expr, name)
	case op.DropColumn:
		return o.Column.Name == name
	case op.AlterColumn:
		return o.From.Name == name || o.To.Name == name || mentions(o.To.Generated.Expr, name)
	case op.CreateIndex:
		return parts(o.Index)
	case op.DropIndex:
		return parts(o.Index)
	case op.AddForeignKey:
		return fk(o.ForeignKey)
	case op.DropForeignKey:
		return fk(o.ForeignKey)
	case op.AddCheck:
		return o.Check != nil && mentions(o.Check.Expr, name)
	case op.DropCheck:
		return o.Check != nil && mentions(o.Check.Expr, name)
	case op.AddPrimaryKey:
		return o.PrimaryKey != nil && slices.Contains(o.PrimaryKey.Columns, name)
	case op.DropPrimaryKey:
		return o.PrimaryKey != nil && slices.Contains(o.PrimaryKey.Columns, name)
	case op.AlterTable:
		return false
	case op.MoveColumn:
		return o.Column.Name == name
	}
	return true // DropConstraint: whatever it names may use the column
}
