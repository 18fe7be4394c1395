package sqlite

import (
	"testing"

	"github.com/strata-go/strata/schema"
)

// TestTableSource writes the user's statement while the table is what it
// says, under another name for a rebuild's new table, and never once the
// table changed or was renamed.
func TestTableSource(t *testing.T) {
	text := "CREATE TABLE t( id bigint PRIMARY KEY ,b bool DEFAULT NULL)"
	mk := func() *schema.Table {
		tb := &schema.Table{Name: "t", Columns: []*schema.Column{
			{Name: "id", Type: schema.IntegerType{Bits: 64}, DeclaredType: "bigint", Nullable: true},
			{Name: "b", Type: schema.BoolType{}, DeclaredType: "bool", Nullable: true, Default: schema.Literal{SQL: "NULL"}},
		}, PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}}}
		tb.Source = &schema.Source{Text: text, Key: tableKey(tb)}
		return tb
	}
	if got := createTable("t", mk()); got != text {
		t.Errorf("unchanged: %q, want the user's %q", got, text)
	}
	if got, want := createTable("_strata_new_t", mk()), "CREATE TABLE _strata_new_t ( id bigint PRIMARY KEY ,b bool DEFAULT NULL)"; got != want {
		t.Errorf("under another name: %q, want %q", got, want)
	}
	changed := mk()
	changed.Columns[1].Nullable = false
	if got, want := createTable("t", changed), "CREATE TABLE t (\n  id bigint,\n  b bool NOT NULL DEFAULT NULL,\n  PRIMARY KEY (id)\n)"; got != want {
		t.Errorf("changed: %q, want %q", got, want)
	}
	renamed := mk()
	renamed.Name = "u"
	if got := createTable("u", renamed); got == text {
		t.Errorf("renamed: the old statement %q", got)
	}
}

// TestStaleDeclaration writes a column's type, not a declaration an op
// left behind when it changed the type.
func TestStaleDeclaration(t *testing.T) {
	c := &schema.Column{Name: "item", Type: schema.StringType{Size: 200}, DeclaredType: "varchar(100)", Nullable: true}
	if got, want := columnDef(c), "item VARCHAR(200)"; got != want {
		t.Errorf("stale: %q, want %q", got, want)
	}
	c.Type = schema.StringType{Size: 100}
	if got, want := columnDef(c), "item varchar(100)"; got != want {
		t.Errorf("kept: %q, want %q", got, want)
	}
	s := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{
		{Name: "a", Type: schema.IntegerType{Bits: 64}, DeclaredType: "text"},
		{Name: "b", Type: schema.IntegerType{Bits: 64}, DeclaredType: "bigint"},
	}}}}
	Dialect{}.Canonical(s)
	if a, b := s.Tables[0].Columns[0], s.Tables[0].Columns[1]; a.DeclaredType != "" || a.Type != (schema.IntegerType{Bits: 64}) || b.DeclaredType != "bigint" {
		t.Errorf("canonical: a %+v, b %+v", a, b)
	}
}

// TestRawTypeDeclares declares a type a model names in SQL as named, so
// that it is written and compared so.
func TestRawTypeDeclares(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{
		{Name: "a", Type: schema.RawType{SQL: "bigint"}},
		{Name: "b", Type: schema.IntegerType{Bits: 64}},
	}}}}
	Dialect{}.Canonical(s)
	a, b := s.Tables[0].Columns[0], s.Tables[0].Columns[1]
	if a.DeclaredType != "bigint" || a.Type != (schema.IntegerType{Bits: 64}) || b.DeclaredType != "" {
		t.Errorf("canonical: a %+v, b %+v", a, b)
	}
	if got, want := columnDef(a), "a bigint NOT NULL"; got != want {
		t.Errorf("rendered %q, want %q", got, want)
	}
}
