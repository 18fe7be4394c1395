package postgres_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/schema"
)

// modelSchema is a schema as the models package would build it from Go
// structs: spellings PostgreSQL does not report (lower-case actions,
// unnamed keys, an 8-bit unsigned integer, a sized binary, FALSE, now(),
// a quoted number) included.
func modelSchema() *schema.Schema {
	ts := schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}
	return &schema.Schema{Tables: []*schema.Table{
		{
			Name: "todos",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true},
				{Name: "description", Type: schema.StringType{Size: 200}},
				{Name: "completed", Type: schema.BoolType{}, Default: schema.Literal{SQL: "FALSE"}},
				{Name: "created_at", Type: ts, Default: schema.Expr{SQL: "now()"}},
				{Name: "due_at", Type: ts, Nullable: true},
				{Name: "payload", Type: schema.BinaryType{Size: 16}, Nullable: true},
				{Name: "blob", Type: schema.BinaryType{}, Default: schema.Literal{SQL: "'ab'"}},
				{Name: "score", Type: schema.FloatType{Bits: 64}, Default: schema.Literal{SQL: "'-1.5'"}},
				{Name: "priority", Type: schema.IntegerType{Bits: 8, Unsigned: true}, Default: schema.Literal{SQL: "1e1"}},
				{Name: "price", Type: schema.DecimalType{Precision: 10, Scale: 2}, Default: schema.Literal{SQL: "+0.50"}},
				{Name: "list_id", Type: schema.IntegerType{Bits: 64}},
				{Name: "note", Type: schema.StringType{}, Nullable: true, Comment: "free text"},
				{Name: "code", Type: schema.StringType{Size: 3, Fixed: true}, Default: schema.Literal{SQL: "'abc'"}},
				{Name: "day", Type: schema.TimeType{Kind: schema.Date}, Nullable: true, Default: schema.Expr{SQL: "current_date"}},
				{Name: "at", Type: schema.TimeType{Kind: schema.TimeOfDay, Precision: 3}, Nullable: true},
				{Name: "tags", Type: schema.RawType{SQL: "VARCHAR(20)[]"}, Nullable: true},
				{Name: "count", Type: schema.RawType{SQL: "INT4"}, Default: schema.Literal{SQL: "'7'"}},
			},
			PrimaryKey:  &schema.PrimaryKey{Columns: []string{"id"}},
			Indexes:     []*schema.Index{{Name: "todos_list_id_idx", Parts: schema.Columns("list_id")}},
			ForeignKeys: []*schema.ForeignKey{{Columns: []string{"list_id"}, RefTable: "todo_lists", OnDelete: "cascade", OnUpdate: "no action"}},
			Comment:     "things to do",
		},
		{
			Name: "todo_lists",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true, Nullable: true},
				{Name: "title", Type: schema.StringType{Size: 200}, Default: schema.Literal{SQL: "'Untitled'"}},
				{Name: "owner", Type: schema.IntegerType{Bits: 64}, Nullable: true},
			},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
			// Unnamed, and pointing at the parent's primary key implicitly.
			ForeignKeys: []*schema.ForeignKey{{Columns: []string{"owner"}, RefTable: "todo_lists", OnDelete: "set null"}},
			Indexes:     []*schema.Index{{Name: "todo_lists_title_key", Parts: schema.Columns("title"), Unique: true}},
		},
		{
			// Primary key columns are NOT NULL whatever the model says.
			Name: "todo_tags",
			Columns: []*schema.Column{
				{Name: "todo_id", Type: schema.IntegerType{Bits: 64}, Nullable: true},
				{Name: "tag", Type: schema.StringType{Size: 30}, Nullable: true},
			},
			PrimaryKey:  &schema.PrimaryKey{Columns: []string{"tag", "todo_id"}},
			ForeignKeys: []*schema.ForeignKey{{Columns: []string{"todo_id"}, RefTable: "todos", OnDelete: "Cascade", OnUpdate: "restrict"}},
		},
		{
			Name: strings.Repeat("long_table_name_", 5), // 80 bytes, truncated by the server
			Columns: []*schema.Column{
				{Name: strings.Repeat("c", 70), Type: schema.IntegerType{Bits: 32}},
			},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{strings.Repeat("c", 70)}},
		},
	}}
}

// TestCanonical renders a schema built in Go, applies it, inspects the
// database, and wants exactly what Canonical makes of the same schema,
// the names PostgreSQL generates for keys included.
func TestCanonical(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	in := modelSchema()
	// The self reference has no columns until Canonical fills them in;
	// render what would be rendered after canonicalization.
	rendered := in.Clone()
	d.Canonical(rendered)
	createAll(t, db, d, rendered)
	got := inspect(t, d, db)

	want := in.Clone()
	d.Canonical(want)
	assertSame(t, want, got)

	// Spot checks that the comparison above is not vacuous.
	if c := column(t, got, "todos", "priority"); c.Type != (schema.IntegerType{Bits: 16}) || c.Default != (schema.Literal{SQL: "10"}) {
		t.Errorf("todos.priority: %s default %v, want int16 default 10", c.Type, c.Default)
	}
	if c := column(t, got, "todos", "created_at"); c.Default != (schema.Expr{SQL: "CURRENT_TIMESTAMP"}) {
		t.Errorf("todos.created_at default %v", c.Default)
	}
	if c := column(t, got, "todo_lists", "id"); c.Nullable || !c.AutoIncrement || c.Default != nil {
		t.Errorf("todo_lists.id: %+v, want NOT NULL identity without default", c)
	}
	if c := column(t, got, "todo_tags", "todo_id"); c.Nullable {
		t.Errorf("todo_tags.todo_id: primary key column is nullable")
	}
	if fk := tableOf(t, got, "todos").ForeignKeys[0]; fk.Name != "todos_list_id_fkey" || fk.OnDelete != "CASCADE" || fk.OnUpdate != "" {
		t.Errorf("todos foreign key %+v", fk)
	}
	if fk := tableOf(t, got, "todo_tags").ForeignKeys[0]; fk.OnDelete != "CASCADE" || fk.OnUpdate != "RESTRICT" || fk.RefColumns[0] != "id" {
		t.Errorf("todo_tags foreign key %+v", fk)
	}
	long := tableOf(t, got, strings.Repeat("long_table_name_", 5)[:63])
	if long.PrimaryKey.Name != strings.Repeat("long_table_name_", 4)[:58]+"_pkey" {
		t.Errorf("long table: primary key name %q", long.PrimaryKey.Name)
	}
	if diffs := schema.Differences(modelSchema(), in); len(diffs) > 0 {
		t.Errorf("Canonical changed its input through a clone: %v", diffs)
	}

	// Canonical is idempotent.
	again := want.Clone()
	d.Canonical(again)
	assertSame(t, want, again)
}

func TestCanonicalTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want schema.Type
	}{
		{schema.IntegerType{Bits: 8}, schema.IntegerType{Bits: 16}},
		{schema.IntegerType{Bits: 8, Unsigned: true}, schema.IntegerType{Bits: 16}},
		{schema.IntegerType{Bits: 24}, schema.IntegerType{Bits: 32}},
		{schema.IntegerType{Bits: 32, Unsigned: true}, schema.IntegerType{Bits: 32}},
		{schema.IntegerType{Bits: 64}, schema.IntegerType{Bits: 64}},
		{schema.IntegerType{}, schema.IntegerType{Bits: 64}},
		{schema.StringType{}, schema.StringType{}},
		{schema.StringType{Size: 10}, schema.StringType{Size: 10}},
		{schema.StringType{Fixed: true}, schema.StringType{Size: 1, Fixed: true}},
		{schema.FloatType{Bits: 32}, schema.FloatType{Bits: 32}},
		{schema.FloatType{}, schema.FloatType{Bits: 64}},
		{schema.DecimalType{Precision: 5}, schema.DecimalType{Precision: 5}},
		{schema.TimeType{Kind: schema.Timestamp, Precision: 9}, schema.TimeType{Kind: schema.Timestamp, Precision: 6}},
		{schema.TimeType{Kind: schema.Timestamp}, schema.TimeType{Kind: schema.Timestamp}},
		{schema.TimeType{Kind: schema.Date, WithZone: true, Precision: 3}, schema.TimeType{Kind: schema.Date}},
		{schema.BinaryType{Size: 16}, schema.BinaryType{}},
		{schema.RawType{SQL: "TIMESTAMPTZ(3)"}, schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 3}},
		{schema.RawType{SQL: "Int[3][3]"}, schema.RawType{SQL: "integer[]"}},
		{schema.RawType{SQL: "UUID"}, schema.RawType{SQL: "uuid"}},
		{schema.RawType{SQL: `"MyType"`}, schema.RawType{SQL: `"MyType"`}},
		{schema.RawType{SQL: "numeric(10, 2)"}, schema.DecimalType{Precision: 10, Scale: 2}},
	}
	for _, tc := range tests {
		if got := postgres.CanonicalType(tc.in); got != tc.want {
			t.Errorf("CanonicalType(%#v) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

// TestCanonicalTypesApplied checks canonicalType against the server: a
// column declared with each type's rendering is inspected as the
// canonical type.
func TestCanonicalTypesApplied(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	types := []schema.Type{
		schema.IntegerType{Bits: 8, Unsigned: true}, schema.IntegerType{Bits: 24}, schema.IntegerType{},
		schema.StringType{Fixed: true}, schema.StringType{Size: 7}, schema.FloatType{}, schema.FloatType{Bits: 32},
		schema.DecimalType{Precision: 12, Scale: 3}, schema.DecimalType{},
		schema.TimeType{Kind: schema.Timestamp, Precision: 9}, schema.TimeType{Kind: schema.Timestamp},
		schema.TimeType{Kind: schema.TimeOfDay, WithZone: true, Precision: 6}, schema.TimeType{Kind: schema.Date, Precision: 3},
		schema.BinaryType{Size: 3}, schema.RawType{SQL: "TIMESTAMPTZ(3)"}, schema.RawType{SQL: "Int[3][3]"},
		schema.RawType{SQL: "UUID"}, schema.RawType{SQL: "float(10)"}, schema.RawType{SQL: "Character Varying(9)"},
	}
	tb := &schema.Table{Name: "t"}
	for i, typ := range types {
		tb.Columns = append(tb.Columns, &schema.Column{Name: "c" + string(rune('a'+i)), Type: typ, Nullable: true})
	}
	want := &schema.Schema{Tables: []*schema.Table{tb}}
	createAll(t, db, d, want.Clone())
	d.Canonical(want)
	assertSame(t, want, inspect(t, d, db))
}

// attributesSchema is a schema as a model or schema file may write it,
// using the newer attributes without PostgreSQL's names and spellings:
// unnamed UNIQUE constraints, indexes and checks, identity kinds, serial,
// generated columns, quoted collations, an enum named by a RawType,
// INITIALLY DEFERRED without DEFERRABLE, MySQL's options.
func attributesSchema() *schema.Schema {
	return &schema.Schema{
		Enums: []*schema.Enum{{Name: "Mood", Values: []string{"sad", "ok"}}},
		Views: []*schema.View{{Name: "names", Def: "  SELECT people.name\n   FROM people;  "}},
		Tables: []*schema.Table{
			{
				Name:   "people",
				Engine: "InnoDB", Charset: "utf8mb4", Collation: "utf8mb4_bin",
				Columns: []*schema.Column{
					{Name: "id", Type: schema.IntegerType{Bits: 64}, Identity: schema.IdentityAlways},
					{Name: "num", Type: schema.IntegerType{Bits: 32}, AutoIncrement: true, Identity: schema.IdentitySerial, Default: schema.Literal{SQL: "1"}},
					{Name: "legacy", Type: schema.IntegerType{Bits: 16}, AutoIncrement: true, Identity: schema.IdentityKeyword},
					{Name: "name", Type: schema.StringType{Size: 50}, Collation: `"C"`},
					{Name: "mood", Type: schema.RawType{SQL: `"Mood"`}, Default: schema.Literal{SQL: "'ok'"}},
					{Name: "age", Type: schema.IntegerType{Bits: 32}, Nullable: true},
					{Name: "age2", Type: schema.IntegerType{Bits: 32}, Nullable: true, Generated: schema.Generated{Expr: " age + age "}, Default: schema.Literal{SQL: "0"}},
					{Name: "stamp", Type: schema.TimeType{Kind: schema.Timestamp, Precision: 6}, Nullable: true, OnUpdate: "CURRENT_TIMESTAMP", Collation: "default"},
					{Name: "boss", Type: schema.IntegerType{Bits: 64}, Nullable: true},
				},
				PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
				Indexes: []*schema.Index{
					{Parts: schema.Columns("name", "age"), Constraint: true},
					{Parts: []schema.IndexPart{{Column: "age", Desc: true}}, Where: "(age > 18)", Method: "BTREE"},
					{Parts: []schema.IndexPart{{Expr: "lower(name::text)"}}},
					{Parts: []schema.IndexPart{{Expr: "(age + 1)"}}, Unique: true},
					{Name: "people_hash", Parts: schema.Columns("num"), Method: "Hash"},
				},
				Checks: []*schema.Check{
					{Expr: "CHECK (age >= 0)"},
					{Expr: "(age < 200 AND num > 0)"},
				},
				ForeignKeys: []*schema.ForeignKey{{Columns: []string{"boss"}, RefTable: "people", InitiallyDeferred: true, OnDelete: "set null"}},
			},
		},
	}
}

// TestCanonicalAttributes builds attributesSchema in a database and wants
// Canonical of it to equal what Inspect reads back, generated names of
// unnamed constraints and indexes included.
func TestCanonicalAttributes(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	build(t, db, d, attributesSchema())
	got := inspect(t, d, db)
	want := attributesSchema()
	d.Canonical(want)
	assertSame(t, want, got)
	if !slices.Equal(indexNames(tableOf(t, got, "people")), []string{"people_age_idx", "people_expr_idx", "people_hash", "people_lower_idx", "people_name_age_key"}) {
		t.Errorf("index names %q", indexNames(tableOf(t, got, "people")))
	}
	for _, name := range []string{"people_age_check", "people_check"} {
		if _, ok := tableOf(t, got, "people").Check(name); !ok {
			t.Errorf("no check %q:\n%s", name, dump(got))
		}
	}
	if c := column(t, got, "people", "legacy"); c.Identity != "" || !c.AutoIncrement {
		t.Errorf("legacy: %+v", c)
	}
	again := want.Clone()
	d.Canonical(again)
	assertSame(t, want, again)
}

func indexNames(t *schema.Table) []string {
	var names []string
	for _, ix := range t.Indexes {
		names = append(names, ix.Name)
	}
	return names
}
