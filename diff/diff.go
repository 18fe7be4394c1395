// Package diff compares two schemas and returns the ops that turn one into
// the other, in an order the database accepts: extensions first and
// functions before the tables that call them, tables before the foreign
// keys that point at them and the triggers they carry, indexes dropped
// before their columns, tables dropped after the tables that reference
// them.
//
// The result is deterministic (tables and columns in name order, then
// dependency order). Both schemas must be in the same dialect's canonical
// spelling (dialect.Canonicalizer), so that a plain comparison decides
// what changed. Renames of tables and columns are never guessed: a renamed
// column is a drop and an add, unless RenameTable or RenameColumn says
// otherwise. A constraint or index whose definition stays and whose name
// changes is renamed (op.RenameConstraint); names the database generated
// on both sides are no change (GeneratedNames).
package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Schemas returns the ops that turn from into to, in this order: renames
// (tables, columns, then the constraints RenameConstraint names);
// new extensions; new enum types and values; new and changed sequences,
// domains and composite types (see planTypes); views (materialized ones
// too) that go or change
// dropped; triggers that go or change dropped (and those that must be
// made again around a change they name); functions that go and name a
// dropped table, or that are made again, dropped; new and replaced
// functions (see functionPlan); the foreign keys kept tables lose;
// dropped tables, referencing ones first; what else kept tables lose
// (SQLite's STRICT and WITHOUT ROWID, checks, indexes, primary keys,
// columns); what kept tables gain (constraints and indexes renamed,
// columns, type and nullability changes, primary keys, indexes, checks);
// new tables, referenced ones first, with foreign keys that close a cycle
// added after all of them; kept tables' new foreign keys and options;
// functions that name a new table; new and changed views with their
// triggers; new triggers; functions that go; composite types, domains
// and sequences that go; dropped enum types; dropped extensions. Drops come before creates so that names a database keeps
// per schema (PostgreSQL's constraint and index names) are free again. A
// dropped table or view takes its triggers along, without a DropTrigger.
func Schemas(from, to *schema.Schema, opts ...Option) ([]op.Op, error) {
	var (
		out  []op.Op
		errs []string
		cfg  config
	)
	for _, o := range opts {
		o(&cfg)
	}
	// Renames first: the renamed table or column is then compared with its
	// new self, so that any other change to it is an alter, not a drop and
	// an add.
	from = from.Clone()
	for old, name := range sortedPairs(cfg.tables) {
		if _, ok := from.Table(old); !ok {
			errs = append(errs, fmt.Sprintf("rename table %q to %q: no table %q in the database", old, name, old))
			continue
		}
		if _, ok := to.Table(name); !ok {
			errs = append(errs, fmt.Sprintf("rename table %q to %q: no table %q in the target", old, name, name))
			continue
		}
		rename := op.RenameTable{From: old, To: name}
		if err := rename.Apply(from); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, rename)
	}
	for _, key := range sortedKeys(cfg.columns) {
		table, old, _ := strings.Cut(key, "\x00")
		name := cfg.columns[key]
		ft, ok := from.Table(table)
		tt, ok2 := to.Table(table)
		if !ok || !ok2 {
			errs = append(errs, fmt.Sprintf("rename column %q.%q to %q: table %q must be in both schemas", table, old, name, table))
			continue
		}
		fc, ok := ft.Column(old)
		_, ok2 = tt.Column(name)
		if !ok || !ok2 {
			errs = append(errs, fmt.Sprintf("rename column %q.%q to %q: the database needs column %q and the target column %q", table, old, name, old, name))
			continue
		}
		renamed := fc.Clone()
		renamed.Name = name
		alter := op.AlterColumn{Table: table, From: fc.Clone(), To: renamed}
		if err := alter.Apply(from); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, alter)
	}
	renamed, rerrs := cfg.renameConstraints(from, to)
	out = append(out, renamed...)
	errs = append(errs, rerrs...)
	// Extensions first: their types, functions and operator classes may be
	// used by anything after.
	for _, e := range to.Extensions {
		if _, ok := from.Extension(e.Name); !ok {
			out = append(out, op.CreateExtension{Extension: e})
		}
	}
	for _, e := range to.Enums {
		if _, ok := from.Enum(e.Name); !ok {
			out = append(out, op.CreateEnum{Enum: e})
		}
	}
	for _, e := range from.Enums {
		if ne, ok := to.Enum(e.Name); ok {
			ops, err := enumValues(e, ne)
			if err != nil {
				errs = append(errs, err.Error())
			}
			out = append(out, ops...)
			if e.Comment != ne.Comment {
				out = append(out, op.SetComment{Kind: op.CommentType, Name: e.Name, From: e.Comment, To: ne.Comment})
			}
		}
	}
	// Sequences, domains and composite types are made before what uses
	// them, and dropped after.
	typesEarly, typesAfterFunctions, typesLate, typesBeforeFunctionDrops := planTypes(from, to)
	out = append(out, typesEarly...)

	// Views that go or change are dropped, and with them the views built on
	// them (the database refuses otherwise), dependents first; the ones
	// still wanted are created again at the end, dependencies first.
	var added, removed []*schema.Table
	for _, t := range to.Tables {
		if _, ok := from.Table(t.Name); !ok {
			added = append(added, t)
		}
	}
	for _, t := range from.Tables {
		if _, ok := to.Table(t.Name); !ok {
			removed = append(removed, t)
		}
	}
	fns := planFunctions(from, to, added, removed)
	rebuilt := map[string]bool{}
	for _, v := range from.Views {
		// A view calling a function that is dropped and made again goes too:
		// the database refuses to drop the function under it.
		if nv, ok := to.View(v.Name); !ok || !schema.SameView(nv, v) || fns.recreatedMentioned(v.Def) {
			rebuilt[v.Name] = true
		}
	}
	for grew := true; grew; {
		grew = false
		for _, v := range from.Views {
			if rebuilt[v.Name] {
				continue
			}
			for name := range rebuilt {
				if schema.Mentions(v.Def, name) {
					rebuilt[v.Name], grew = true, true
					break
				}
			}
		}
	}
	fromViews := viewOrder(from.Views)
	for i := len(fromViews) - 1; i >= 0; i-- {
		if v := fromViews[i]; rebuilt[v.Name] {
			out = append(out, op.DropView{View: v})
		}
	}

	// Triggers that go, change, or stand on a column whose type changes or
	// on a function made again are dropped before those changes (PostgreSQL
	// refuses to change a column a trigger names), and created again at the
	// end. A dropped table or view takes its triggers along.
	dropTriggers, createTriggers := planTriggers(from, to, rebuilt, fns)
	out = append(out, dropTriggers...)
	out = append(out, fns.dropEarly...)
	out = append(out, fns.createEarly...)
	out = append(out, typesAfterFunctions...)

	// Kept tables lose what goes first (foreign keys, checks, indexes,
	// columns), so that dropped tables are no longer referenced and their
	// names (PostgreSQL's constraint and index names are per schema) are
	// free before new tables take them. The foreign keys of every kept
	// table go before anything else, and dropped tables before the other
	// losses, so that no key or column is dropped while a foreign key
	// still uses it; the inverse then adds the keys and columns back
	// before the foreign keys.
	type change struct{ before, after, last []op.Op }
	changes := map[string]change{}
	var losses []op.Op
	for _, ft := range from.Tables {
		tt, ok := to.Table(ft.Name)
		if !ok {
			continue
		}
		before, after, last, err := tables(&cfg, ft, tt, from.Ordered && to.Ordered)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		changes[ft.Name] = change{before, after, last}
		for _, o := range before {
			if _, fk := o.(op.DropForeignKey); fk {
				out = append(out, o)
			} else {
				losses = append(losses, o)
			}
		}
	}

	// A foreign key that closes a cycle among dropped tables goes first,
	// mirroring how such a key is added after the tables are created.
	order := map[string]int{}
	sortedRemoved := sortByReferences(removed)
	for i, t := range sortedRemoved {
		order[t.Name] = i + 1
	}
	var dropped []*schema.Table
	for _, t := range sortedRemoved {
		t = t.Clone()
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool {
			between := order[fk.RefTable] > order[t.Name]
			if between {
				out = append(out, op.DropForeignKey{Table: t.Name, ForeignKey: fk})
			}
			return between
		})
		dropped = append(dropped, t)
	}
	for i := len(dropped) - 1; i >= 0; i-- {
		out = append(out, op.DropTable{Table: dropped[i]})
	}
	out = append(out, losses...)

	// Kept tables gain columns, types, indexes and checks before new tables
	// are created, since a new table may reference a new column.
	for _, ft := range from.Tables {
		out = append(out, changes[ft.Name].after...)
	}

	created := map[string]bool{}
	var deferred []op.Op
	for _, t := range sortByReferences(added) {
		t = t.Clone()
		// Its triggers come once every table and function exists.
		t.Triggers = nil
		// A reference to a table not created yet closes a cycle: add it once
		// every table exists.
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool {
			_, exists := from.Table(fk.RefTable)
			later := fk.RefTable != t.Name && !created[fk.RefTable] && !exists
			if later {
				deferred = append(deferred, op.AddForeignKey{Table: t.Name, ForeignKey: fk})
			}
			return later
		})
		created[t.Name] = true
		out = append(out, op.CreateTable{Table: t})
	}
	out = append(out, deferred...)

	// Last, kept tables' new foreign keys (they may point at new tables)
	// and table options.
	for _, ft := range from.Tables {
		out = append(out, changes[ft.Name].last...)
	}
	out = append(out, fns.createLate...)

	// A view is created with its triggers.
	for _, v := range viewOrder(to.Views) {
		if _, ok := from.View(v.Name); !ok || rebuilt[v.Name] {
			out = append(out, op.CreateView{View: v})
		}
	}
	out = append(out, createTriggers...)
	// Comments of views and functions kept in place; those made again
	// get theirs as they are created.
	for _, v := range to.Views {
		if old, ok := from.View(v.Name); ok && !rebuilt[v.Name] && old.Comment != v.Comment {
			out = append(out, op.SetComment{Kind: op.CommentView, Name: v.Name, From: old.Comment, To: v.Comment})
		}
	}
	for _, f := range to.Functions {
		if old, ok := from.Function(f.Key()); ok && schema.Replaceable(old, f) && old.Comment != f.Comment {
			out = append(out, op.SetComment{Kind: op.CommentFunction, Name: f.Key(), From: old.Comment, To: f.Comment})
		}
	}
	out = append(out, typesBeforeFunctionDrops...)
	out = append(out, fns.dropLate...)
	out = append(out, typesLate...)
	for _, e := range from.Enums {
		if _, ok := to.Enum(e.Name); !ok {
			out = append(out, op.DropEnum{Enum: e})
		}
	}
	for _, e := range from.Extensions {
		if _, ok := to.Extension(e.Name); !ok {
			out = append(out, op.DropExtension{Extension: e})
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("diff: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// enumValues adds the values to has that want has, where they belong.
// Removing or reordering values is not something PostgreSQL can do in
// place.
func enumValues(has, want *schema.Enum) ([]op.Op, error) {
	var ops []op.Op
	values := slices.Clone(has.Values)
	for i, v := range want.Values {
		if slices.Contains(values, v) {
			continue
		}
		after := ""
		if i > 0 {
			after = want.Values[i-1]
		}
		ops = append(ops, op.AddEnumValue{Enum: has.Name, Value: v, After: after, Before: slices.Clone(values)})
		at := len(values)
		if after != "" {
			at = slices.Index(values, after) + 1
		}
		values = slices.Insert(values, at, v)
	}
	if !slices.Equal(values, want.Values) {
		// Values go or move: the type is made again.
		return []op.Op{op.ReplaceEnum{Enum: has.Name, From: slices.Clone(has.Values), To: slices.Clone(want.Values)}}, nil
	}
	return ops, nil
}

// Inverse returns the ops that undo ops: each op's inverse, in reverse
// order.
func Inverse(ops []op.Op) ([]op.Op, error) {
	out := make([]op.Op, 0, len(ops))
	for i := len(ops) - 1; i >= 0; i-- {
		inv, err := ops[i].Inverse()
		if err != nil {
			return nil, fmt.Errorf("diff: %w", err)
		}
		out = append(out, inv)
	}
	return out, nil
}

func tables(cfg *config, from, to *schema.Table, ordered bool) (before, after, last []op.Op, err error) {
	// A changed primary key is dropped first (columns it keeps NOT NULL
	// can then change) and added before the other changes (columns it
	// needs become NOT NULL with it).
	var dropPK, addPK, renames []op.Op
	if fp, tp := from.PrimaryKey, to.PrimaryKey; fp != nil && tp != nil && slices.Equal(fp.Columns, tp.Columns) &&
		cfg.followsRename(to, fp.Name, tp.Name) {
		// Only the name PostgreSQL generated from a table's old name: a
		// primary key's name is otherwise left as it is.
		renames = append(renames, op.RenameConstraint{Table: from.Name, From: fp.Name, To: tp.Name, Kind: op.PrimaryKeyConstraint})
	}
	if !slices.Equal(pkColumns(from), pkColumns(to)) || !schema.PrimaryKeyEqual(from.PrimaryKey, to.PrimaryKey) {
		if from.PrimaryKey != nil {
			dropPK = append(dropPK, op.DropPrimaryKey{Table: from.Name, PrimaryKey: from.PrimaryKey})
		}
		if to.PrimaryKey != nil {
			addPK = append(addPK, op.AddPrimaryKey{Table: to.Name, PrimaryKey: to.PrimaryKey})
		}
	}
	var dropFKs, dropChecks, alterColumns, addChecks, addFKs, attrs []op.Op
	// Foreign keys and checks pair up by definition, then by name: one
	// whose only change is its name is renamed (see matchNamed).
	fromFKs, toFKs, fkRenames := cfg.matchNamed(from, to, op.ForeignKeyConstraint, namedFKs(from.ForeignKeys), namedFKs(to.ForeignKeys))
	for _, r := range fkRenames {
		renames = append(renames, op.RenameConstraint{Table: from.Name, From: from.ForeignKeys[r[0]].Name, To: to.ForeignKeys[r[1]].Name, Kind: op.ForeignKeyConstraint})
	}
	for i, fk := range from.ForeignKeys {
		if !fromFKs[i] {
			dropFKs = append(dropFKs, op.DropForeignKey{Table: from.Name, ForeignKey: fk})
		}
	}
	for i, fk := range to.ForeignKeys {
		if !toFKs[i] {
			addFKs = append(addFKs, op.AddForeignKey{Table: to.Name, ForeignKey: fk})
		}
	}
	fromChecks, toChecks, checkRenames := cfg.matchNamed(from, to, op.CheckConstraint, namedChecks(from.Checks), namedChecks(to.Checks))
	for _, r := range checkRenames {
		renames = append(renames, op.RenameConstraint{Table: from.Name, From: from.Checks[r[0]].Name, To: to.Checks[r[1]].Name, Kind: op.CheckConstraint})
	}
	for i, ck := range from.Checks {
		if !fromChecks[i] {
			dropChecks = append(dropChecks, op.DropCheck{Table: from.Name, Check: ck})
		}
	}
	for i, ck := range to.Checks {
		if !toChecks[i] {
			addChecks = append(addChecks, op.AddCheck{Table: to.Name, Check: ck})
		}
	}
	// SQLite's table options constrain the rest (STRICT the types,
	// WITHOUT ROWID the primary key): one the table loses goes before the
	// other changes, one it gains after them, so that the downgrade, in
	// reverse, does the same.
	var dropOptions []op.Op
	mid := from.Attrs()
	mid.Strict = from.Strict && to.Strict
	mid.WithoutRowID = from.WithoutRowID && to.WithoutRowID
	if mid != from.Attrs() {
		dropOptions = append(dropOptions, op.AlterTable{Table: from.Name, From: from.Attrs(), To: mid})
	}
	comments := constraintComments(from, to, ordered)
	if mid != to.Attrs() {
		attrs = append(attrs, op.AlterTable{Table: to.Name, From: mid, To: to.Attrs()})
	}
	// An index of the same definition under another name is renamed, or,
	// where the database generated both names, left alone.
	paired, ixRenames := cfg.indexRenames(from, to)
	dropIndexes, createIndexes, ignoreIndexes, redone := indexes(from, to, ordered, paired)
	for _, r := range ixRenames {
		if rc, ok := r.(op.RenameConstraint); !ok || !redone[rc.To] {
			renames = append(renames, r)
		}
	}
	dropColumns, addColumns, moveColumns, lateDrops := columns(from, to, ordered)
	for _, c := range to.Columns {
		old, ok := from.Column(c.Name)
		if ok && schema.ColumnDifference(old, c) != "" {
			alter := op.AlterColumn{Table: to.Name, From: old.Clone(), To: c.Clone()}
			if old.Nullable && !c.Nullable {
				alter.Backfill = op.BackfillValue(c)
			}
			alterColumns = append(alterColumns, alter)
		}
	}
	if lateDrops {
		addColumns, dropColumns = append(addColumns, dropColumns...), nil
	}
	dropExclusions, addExclusions := exclusions(from, to)
	dropPartitions, addPartitions, err := partitions(from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, group := range [][]op.Op{dropOptions, dropPartitions, dropFKs, dropChecks, dropExclusions, dropIndexes, dropPK, dropColumns} {
		before = append(before, group...)
	}
	// Columns take their new types and NOT NULL before the primary key is
	// added, so that the downgrade, in reverse, drops that key before a
	// column of it may become nullable again.
	// Renames come after the drops, which may free the names they take.
	for _, group := range [][]op.Op{renames, addColumns, alterColumns, moveColumns, addPK, createIndexes, ignoreIndexes, addChecks, addExclusions} {
		after = append(after, group...)
	}
	return before, after, slices.Concat(addFKs, attrs, addPartitions, comments), nil
}

// constraintComments returns the SetComment ops of the indexes, primary
// key, checks and foreign keys that from and to both have (by name for
// indexes, by content for the others, under from's name) with another
// comment. Where order counts, an index's comment is its definition's
// (see indexes).
func constraintComments(from, to *schema.Table, ordered bool) []op.Op {
	var out []op.Op
	set := func(kind, name, was, want string) {
		if was != want {
			out = append(out, op.SetComment{Kind: kind, Table: to.Name, Name: name, From: was, To: want})
		}
	}
	if from.PrimaryKey != nil && to.PrimaryKey != nil && slices.Equal(from.PrimaryKey.Columns, to.PrimaryKey.Columns) {
		set(op.CommentConstraint, from.PrimaryKey.Name, from.PrimaryKey.Comment, to.PrimaryKey.Comment)
	}
	for _, ix := range to.Indexes {
		if old, ok := from.Index(ix.Name); ok && !ordered && schema.IndexEqual(old, ix) {
			kind := op.CommentIndex
			if ix.Constraint {
				kind = op.CommentConstraint
			}
			set(kind, ix.Name, old.Comment, ix.Comment)
		}
	}
	for _, ck := range to.Checks {
		if i := slices.IndexFunc(from.Checks, func(o *schema.Check) bool { return schema.CheckString(o) == schema.CheckString(ck) }); i >= 0 {
			set(op.CommentConstraint, from.Checks[i].Name, from.Checks[i].Comment, ck.Comment)
		}
	}
	for _, fk := range to.ForeignKeys {
		if i := slices.IndexFunc(from.ForeignKeys, func(o *schema.ForeignKey) bool { return schema.FKString(o) == schema.FKString(fk) }); i >= 0 {
			set(op.CommentConstraint, from.ForeignKeys[i].Name, from.ForeignKeys[i].Comment, fk.Comment)
		}
	}
	return out
}

func pkColumns(t *schema.Table) []string {
	if t.PrimaryKey == nil {
		return nil
	}
	return t.PrimaryKey.Columns
}

// sortByReferences orders tables so that each comes after the tables its
// foreign keys point at, where the references allow (a cycle keeps name
// order for its members).
func sortByReferences(ts []*schema.Table) []*schema.Table {
	byName := map[string]*schema.Table{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	var out []*schema.Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t *schema.Table)
	visit = func(t *schema.Table) {
		if state[t.Name] != 0 {
			return
		}
		state[t.Name] = 1
		for _, fk := range t.ForeignKeys {
			if ref, ok := byName[fk.RefTable]; ok && ref != t {
				visit(ref)
			}
		}
		state[t.Name] = 2
		out = append(out, t)
	}
	names := make([]string, 0, len(ts))
	for _, t := range ts {
		names = append(names, t.Name)
	}
	slices.Sort(names)
	for _, n := range names {
		visit(byName[n])
	}
	return out
}

// Option adjusts Schemas.
type Option func(*config)

type config struct {
	tables      map[string]string // old name -> new name
	columns     map[string]string // table + "\x00" + old -> new
	constraints map[string]string // table + "\x00" + old -> new
	generated   func(t *schema.Table, kind op.ConstraintKind, name string) bool
	// unnamedGenerated: see UnnamedWhenGenerated.
	unnamedGenerated bool
}

// RenameTable says that table old became new: Schemas renames it rather
// than dropping one table and creating another.
func RenameTable(old, new string) Option {
	return func(c *config) {
		if c.tables == nil {
			c.tables = map[string]string{}
		}
		c.tables[old] = new
	}
}

// RenameColumn says that column old of table (by its new name, after any
// table rename) became new.
func RenameColumn(table, old, new string) Option {
	return func(c *config) {
		if c.columns == nil {
			c.columns = map[string]string{}
		}
		c.columns[table+"\x00"+old] = new
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// sortedPairs iterates over m in key order.
func sortedPairs(m map[string]string) func(func(string, string) bool) {
	return func(yield func(string, string) bool) {
		for _, k := range sortedKeys(m) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

// viewOrder returns views with each after the views its definition names,
// where the names allow (a cycle keeps name order).
func viewOrder(views []*schema.View) []*schema.View {
	byName := map[string]*schema.View{}
	for _, v := range views {
		byName[v.Name] = v
	}
	state := map[string]int{}
	var out []*schema.View
	var visit func(v *schema.View)
	visit = func(v *schema.View) {
		if state[v.Name] != 0 {
			return
		}
		state[v.Name] = 1
		for _, other := range views {
			if other != v && schema.Mentions(v.Def, other.Name) {
				visit(other)
			}
		}
		state[v.Name] = 2
		out = append(out, v)
	}
	names := make([]string, 0, len(views))
	for _, v := range views {
		names = append(names, v.Name)
	}
	slices.Sort(names)
	for _, n := range names {
		visit(byName[n])
	}
	return out
}
