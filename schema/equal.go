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
// a. Both must be normalized. Column order is not a difference: a column
// added back by a downgrade lands at the end of its table, and no
// migration tool reorders columns in place. Foreign keys compare by
// content, not name. It is meant for messages and tests; the diff
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
		case *fa != *fb:
			out = append(out, fmt.Sprintf("%s: definition %q, want %q", fa.Key(), fa.Def, fb.Def))
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
	}
	for _, ia := range a.Indexes {
		ib, ok := b.Index(ia.Name)
		switch {
		case !ok:
			add("index %q removed", ia.Name)
		case !IndexEqual(ia, ib):
			add("index %q changed", ia.Name)
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
	out = append(out, triggerDifferences("table", a.Name, a.Triggers, b.Triggers)...)
	if a.Comment != b.Comment {
		add("comment %q, want %q", a.Comment, b.Comment)
	}
	for _, o := range [][3]string{{"engine", a.Engine, b.Engine}, {"charset", a.Charset, b.Charset}, {"collation", a.Collation, b.Collation}} {
		if o[1] != o[2] {
			add("%s %q, want %q", o[0], o[1], o[2])
		}
	}
	return out
}

// checkStrings describes checks by expression: unnamed checks get names
// the database makes up.
func checkStrings(cks []*Check) []string {
	var out []string
	for _, c := range cks {
		out = append(out, c.Expr)
	}
	slices.Sort(out)
	return out
}

// ColumnDifference describes how b differs from a, or returns "" when
// they are equal (names aside).
func ColumnDifference(a, b *Column) string {
	var d []string
	if a.Type != b.Type {
		d = append(d, fmt.Sprintf("type %s, want %s", a.Type, b.Type))
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
	return strings.Join(d, ", ")
}

func pkEqual(a, b *PrimaryKey) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Columns, b.Columns)
}

func pkString(pk *PrimaryKey) string {
	if pk == nil {
		return "none"
	}
	return "(" + strings.Join(pk.Columns, ", ") + ")"
}

// IndexEqual reports whether two indexes are the same but for their names.
func IndexEqual(a, b *Index) bool {
	return a.Unique == b.Unique && a.Constraint == b.Constraint && a.Where == b.Where &&
		a.Method == b.Method && slices.Equal(a.Parts, b.Parts)
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
