package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Equal reports whether a and b hold the same objects. Both must be
// normalized.
func Equal(a, b *Schema) bool { return len(Differences(a, b)) == 0 }

// Differences lists, in readable form, every way in which b differs from
// a. Both must be normalized. Column order, and the order of the indexes
// of a kind (Index.Kind), are differences only when both schemas say they
// count (Schema.Ordered, MySQL): elsewhere a column added back by a
// downgrade may land at the end of its table (PostgreSQL cannot place
// it). Foreign keys compare by content, not name. It is meant for messages and tests; the diff
// package computes the operations.
func Differences(a, b *Schema) []string {
	var out []string
	for _, ta := range a.Tables {
		tb, ok := b.Table(ta.Name)
		if !ok {
			out = append(out, fmt.Sprintf("table %q removed", ta.Name))
			continue
		}
		out = append(out, tableDifferences(ta, tb)...)
		if a.Ordered && b.Ordered {
			if oa, ob := commonOrder(ta, tb), commonOrder(tb, ta); !slices.Equal(oa, ob) {
				out = append(out, fmt.Sprintf("table %q: column order %q, want %q", ta.Name, oa, ob))
			}
			if oa, ob := indexOrder(ta, tb), indexOrder(tb, ta); !slices.Equal(oa, ob) {
				out = append(out, fmt.Sprintf("table %q: index order %q, want %q", ta.Name, oa, ob))
			}
		}
		out = append(out, exclusionDifferences(ta, tb)...)
		out = append(out, partitionDifferences(ta, tb)...)
	}
	for _, tb := range b.Tables {
		if _, ok := a.Table(tb.Name); !ok {
			out = append(out, fmt.Sprintf("table %q added", tb.Name))
		}
	}
	for _, va := range a.Views {
		vb, ok := b.View(va.Name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("view %q removed", va.Name))
		case va.Def != vb.Def:
			out = append(out, fmt.Sprintf("view %q: definition %q, want %q", va.Name, va.Def, vb.Def))
		case va.Comment != vb.Comment:
			out = append(out, fmt.Sprintf("view %q: comment %q, want %q", va.Name, va.Comment, vb.Comment))
		case !SameView(va, vb):
			out = append(out, fmt.Sprintf("view %q: materialized %v with indexes %v, want materialized %v with %v", va.Name, va.Materialized, va.Indexes, vb.Materialized, vb.Indexes))
		default:
			out = append(out, triggerDifferences("view", va.Name, va.Triggers, vb.Triggers)...)
		}
	}
	for _, vb := range b.Views {
		if _, ok := a.View(vb.Name); !ok {
			out = append(out, fmt.Sprintf("view %q added", vb.Name))
		}
	}
	for _, ea := range a.Enums {
		eb, ok := b.Enum(ea.Name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("enum %q removed", ea.Name))
		case !slices.Equal(ea.Values, eb.Values):
			out = append(out, fmt.Sprintf("enum %q: values %q, want %q", ea.Name, ea.Values, eb.Values))
		case ea.Comment != eb.Comment:
			out = append(out, fmt.Sprintf("enum %q: comment %q, want %q", ea.Name, ea.Comment, eb.Comment))
		}
	}
	for _, eb := range b.Enums {
		if _, ok := a.Enum(eb.Name); !ok {
			out = append(out, fmt.Sprintf("enum %q added", eb.Name))
		}
	}
	for _, ea := range a.Extensions {
		if _, ok := b.Extension(ea.Name); !ok {
			out = append(out, fmt.Sprintf("extension %q removed", ea.Name))
		}
	}
	for _, eb := range b.Extensions {
		if _, ok := a.Extension(eb.Name); !ok {
			out = append(out, fmt.Sprintf("extension %q added", eb.Name))
		}
	}
	for _, fa := range a.Functions {
		fb, ok := b.Function(fa.Key())
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s removed", fa.Key()))
		case !SameFunction(fa, fb):
			out = append(out, fmt.Sprintf("%s: definition %q, want %q", fa.Key(), fa.Def, fb.Def))
		case fa.Comment != fb.Comment:
			out = append(out, fmt.Sprintf("%s: comment %q, want %q", fa.Key(), fa.Comment, fb.Comment))
		}
	}
	for _, fb := range b.Functions {
		if _, ok := a.Function(fb.Key()); !ok {
			out = append(out, fmt.Sprintf("%s added", fb.Key()))
		}
	}
	return append(out, pgDifferences(a, b)...)
}

// triggerDifferences describes how the triggers b of a table or view
// differ from a.
func triggerDifferences(kind, name string, a, b []*Trigger) []string {
	var out []string
	for _, ta := range a {
		tb, ok := FindTrigger(b, ta.Name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s %q: trigger %q removed", kind, name, ta.Name))
		case ta.Def != tb.Def:
			out = append(out, fmt.Sprintf("%s %q: trigger %q: definition %q, want %q", kind, name, ta.Name, ta.Def, tb.Def))
		}
	}
	for _, tb := range b {
		if _, ok := FindTrigger(a, tb.Name); !ok {
			out = append(out, fmt.Sprintf("%s %q: trigger %q added", kind, name, tb.Name))
		}
	}
	return out
}

func tableDifferences(a, b *Table) []string {
	var out []string
	add := func(format string, args ...any) {
		out = append(out, fmt.Sprintf("table %q: ", a.Name)+fmt.Sprintf(format, args...))
	}
	for _, ca := range a.Columns {
		cb, ok := b.Column(ca.Name)
		if !ok {
			add("column %q removed", ca.Name)
			continue
		}
		if d := ColumnDifference(ca, cb); d != "" {
			add("column %q: %s", ca.Name, d)
		}
	}
	for _, cb := range b.Columns {
		if _, ok := a.Column(cb.Name); !ok {
			add("column %q added", cb.Name)
		}
	}
	if !pkEqual(a.PrimaryKey, b.PrimaryKey) {
		add("primary key %s, want %s", pkString(a.PrimaryKey), pkString(b.PrimaryKey))
	} else if a.PrimaryKey != nil && a.PrimaryKey.Comment != b.PrimaryKey.Comment {
		add("primary key comment %q, want %q", a.PrimaryKey.Comment, b.PrimaryKey.Comment)
	}
	for _, ia := range a.Indexes {
		ib, ok := b.Index(ia.Name)
		switch {
		case !ok:
			add("index %q removed", ia.Name)
		case !IndexEqual(ia, ib):
			add("index %q changed", ia.Name)
		case ia.Comment != ib.Comment:
			add("index %q: comment %q, want %q", ia.Name, ia.Comment, ib.Comment)
		}
	}
	for _, ib := range b.Indexes {
		if _, ok := a.Index(ib.Name); !ok {
			add("index %q added", ib.Name)
		}
	}
	fka, fkb := fkStrings(a.ForeignKeys), fkStrings(b.ForeignKeys)
	if !slices.Equal(fka, fkb) {
		add("foreign keys %v, want %v", fka, fkb)
	}
	cka, ckb := checkStrings(a.Checks), checkStrings(b.Checks)
	if !slices.Equal(cka, ckb) {
		add("checks %q, want %q", cka, ckb)
	}
	for _, d := range constraintComments(a, b) {
		add("%s", d)
	}
	out = append(out, triggerDifferences("table", a.Name, a.Triggers, b.Triggers)...)
	if a.Comment != b.Comment {
		add("comment %q, want %q", a.Comment, b.Comment)
	}
	for _, o := range [][3]string{{"engine", a.Engine, b.Engine}, {"charset", a.Charset, b.Charset}, {"collation", a.Collation, b.Collation}, {"options", a.Options, b.Options}, {"partitioning", a.Partition, b.Partition}} {
		if o[1] != o[2] {
			add("%s %q, want %q", o[0], o[1], o[2])
		}
	}
	if a.WithoutRowID != b.WithoutRowID {
		add("without rowid %t, want %t", a.WithoutRowID, b.WithoutRowID)
	}
	if a.Strict != b.Strict {
		add("strict %t, want %t", a.Strict, b.Strict)
	}
	return out
}

// checkStrings describes checks by content: unnamed checks get names
// the database makes up.
func checkStrings(cks []*Check) []string {
	var out []string
	for _, c := range cks {
		out = append(out, CheckString(c))
	}
	slices.Sort(out)
	return out
}

// CheckString describes a check by its content, leaving its name and
// comment out: the expression, then NO INHERIT and NOT VALID where set.
func CheckString(c *Check) string {
	s := c.Expr
	if c.NoInherit {
		s += " no inherit"
	}
	if c.NotValid {
		s += " not valid"
	}
	return s
}

// constraintComments describes how the comments of b's checks and
// foreign keys differ from those of the same constraints (by content) of
// a.
func constraintComments(a, b *Table) []string {
	var out []string
	for _, cb := range b.Checks {
		for _, ca := range a.Checks {
			if CheckString(ca) == CheckString(cb) && ca.Comment != cb.Comment {
				out = append(out, fmt.Sprintf("check %q: comment %q, want %q", cb.Name, ca.Comment, cb.Comment))
				break
			}
		}
	}
	for _, fb := range b.ForeignKeys {
		for _, fa := range a.ForeignKeys {
			if FKString(fa) == FKString(fb) && fa.Comment != fb.Comment {
				out = append(out, fmt.Sprintf("foreign key %q: comment %q, want %q", fb.Name, fa.Comment, fb.Comment))
				break
			}
		}
	}
	return out
}

// ColumnDifference describes how b differs from a, or returns "" when
// they are equal (names aside).
func ColumnDifference(a, b *Column) string {
	var d []string
	if a.Type != b.Type {
		d = append(d, fmt.Sprintf("type %s, want %s", a.Type, b.Type))
	} else if !SameDeclaredType(a.DeclaredType, b.DeclaredType) {
		d = append(d, fmt.Sprintf("declared type %s, want %s", a.DeclaredType, b.DeclaredType))
	}
	if a.Nullable != b.Nullable {
		d = append(d, fmt.Sprintf("nullable %t, want %t", a.Nullable, b.Nullable))
	}
	if a.Default != b.Default {
		d = append(d, fmt.Sprintf("default %v, want %v", a.Default, b.Default))
	}
	if a.AutoIncrement != b.AutoIncrement {
		d = append(d, fmt.Sprintf("auto increment %t, want %t", a.AutoIncrement, b.AutoIncrement))
	}
	if a.Identity != b.Identity {
		d = append(d, fmt.Sprintf("identity %q, want %q", a.Identity, b.Identity))
	}
	if a.Sequence != b.Sequence {
		d = append(d, fmt.Sprintf("sequence %q, want %q", a.Sequence, b.Sequence))
	}
	if a.Generated != b.Generated {
		d = append(d, fmt.Sprintf("generated %+v, want %+v", a.Generated, b.Generated))
	}
	if a.Collation != b.Collation {
		d = append(d, fmt.Sprintf("collation %q, want %q", a.Collation, b.Collation))
	}
	if a.OnUpdate != b.OnUpdate {
		d = append(d, fmt.Sprintf("on update %q, want %q", a.OnUpdate, b.OnUpdate))
	}
	if a.Comment != b.Comment {
		d = append(d, fmt.Sprintf("comment %q, want %q", a.Comment, b.Comment))
	}
	if a.Invisible != b.Invisible {
		d = append(d, fmt.Sprintf("invisible %t, want %t", a.Invisible, b.Invisible))
	}
	if a.Check != b.Check {
		d = append(d, fmt.Sprintf("column check %q, want %q", a.Check, b.Check))
	}
	return strings.Join(d, ", ")
}

func pkEqual(a, b *PrimaryKey) bool { return PrimaryKeyEqual(a, b) }

// PrimaryKeyEqual reports whether two primary keys (nil for none) have the
// same columns and comment, whatever their names.
func PrimaryKeyEqual(a, b *PrimaryKey) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Columns, b.Columns)
}

func pkString(pk *PrimaryKey) string {
	if pk == nil {
		return "none"
	}
	s := "(" + strings.Join(pk.Columns, ", ") + ")"
	if pk.Comment != "" {
		s += fmt.Sprintf(" comment %q", pk.Comment)
	}
	return s
}

// IndexEqual reports whether two indexes are the same but for their names
// and comments, which change in place (see SetComment).
func IndexEqual(a, b *Index) bool {
	return a.Unique == b.Unique && a.Constraint == b.Constraint && a.Where == b.Where &&
		a.Method == b.Method && slices.Equal(a.Parts, b.Parts) && slices.Equal(a.Include, b.Include) &&
		a.NullsNotDistinct == b.NullsNotDistinct && slices.Equal(a.Params, b.Params) &&
		a.Deferrable == b.Deferrable && a.InitiallyDeferred == b.InitiallyDeferred &&
		a.Ignored == b.Ignored
}

// FKString describes a foreign key by its content, leaving its name out.
func FKString(fk *ForeignKey) string {
	s := fmt.Sprintf("(%s) -> %s(%s) on delete %q on update %q",
		strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "), fk.OnDelete, fk.OnUpdate)
	if fk.Deferrable {
		s += " deferrable"
		if fk.InitiallyDeferred {
			s += " initially deferred"
		}
	}
	if fk.Match != "" {
		s += " match " + strings.ToLower(fk.Match)
	}
	if fk.NotValid {
		s += " not valid"
	}
	return s
}

// fkStrings describes foreign keys by content, not by name, since
// databases generate names for unnamed constraints differently.
func fkStrings(fks []*ForeignKey) []string {
	var out []string
	for _, fk := range fks {
		out = append(out, FKString(fk))
	}
	slices.Sort(out)
	return out
}

// SameDeclaredType reports whether two declared types are the same
// declaration: equal but for letter case and white space, as the rest of
// a statement's text is compared, or one of them unknown ("", as for a Go
// model, whose type alone says what it wants).
func SameDeclaredType(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	return strings.EqualFold(strings.Join(strings.Fields(a), ""), strings.Join(strings.Fields(b), ""))
}

// commonOrder lists the columns of a that b has too, in a's order.
func commonOrder(a, b *Table) []string {
	var out []string
	for _, c := range a.Columns {
		if _, ok := b.Column(c.Name); ok {
			out = append(out, c.Name)
		}
	}
	return out
}

// indexOrder lists the indexes of a that b has too, in a's order, each
// kind apart.
func indexOrder(a, b *Table) []string {
	var out []string
	for _, kind := range []int{UniqueIndexKind, PlainIndexKind, FullTextIndexKind} {
		for _, ix := range a.Indexes {
			if _, ok := b.Index(ix.Name); ok && ix.Kind() == kind {
				out = append(out, ix.Name)
			}
		}
	}
	return out
}
