package schema_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/schema"
)

// todos returns a small normalized schema: lists, and todos pointing at
// them.
func todos() *schema.Schema {
	s := &schema.Schema{Tables: []*schema.Table{
		{
			Name: "todos",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true},
				{Name: "title", Type: schema.StringType{Size: 200}},
				{Name: "done", Type: schema.BoolType{}, Default: schema.Literal{SQL: "false"}},
				{Name: "list_id", Type: schema.IntegerType{Bits: 64}, Nullable: true},
			},
			PrimaryKey: &schema.PrimaryKey{Name: "todos_pkey", Columns: []string{"id"}},
			Indexes: []*schema.Index{
				{Name: "idx_todos_title", Parts: schema.Columns("title")},
			},
			ForeignKeys: []*schema.ForeignKey{
				{Name: "fk_todos_list_id", Columns: []string{"list_id"}, RefTable: "lists", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
			},
		},
		{
			Name: "lists",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true},
				{Name: "name", Type: schema.StringType{}},
			},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
		},
	}}
	s.Normalize()
	return s
}

func table(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	tb, ok := s.Table(name)
	if !ok {
		t.Fatalf("no table %q", name)
	}
	return tb
}

func column(t *testing.T, s *schema.Schema, tableName, name string) *schema.Column {
	t.Helper()
	c, ok := table(t, s, tableName).Column(name)
	if !ok {
		t.Fatalf("no column %q.%q", tableName, name)
	}
	return c
}

func TestDifferences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, s *schema.Schema)
		want   []string
	}{
		{
			name:   "same",
			change: func(*testing.T, *schema.Schema) {},
		},
		{
			name: "table removed",
			change: func(t *testing.T, s *schema.Schema) {
				s.Tables = slices.DeleteFunc(s.Tables, func(tb *schema.Table) bool { return tb.Name == "lists" })
			},
			want: []string{`table "lists" removed`},
		},
		{
			name: "table added",
			change: func(t *testing.T, s *schema.Schema) {
				s.Tables = append(s.Tables, &schema.Table{Name: "tags"})
			},
			want: []string{`table "tags" added`},
		},
		{
			name: "column removed",
			change: func(t *testing.T, s *schema.Schema) {
				tb := table(t, s, "lists")
				tb.Columns = tb.Columns[:1]
			},
			want: []string{`table "lists": column "name" removed`},
		},
		{
			name: "column added",
			change: func(t *testing.T, s *schema.Schema) {
				tb := table(t, s, "lists")
				tb.Columns = append(tb.Columns, &schema.Column{Name: "color", Type: schema.StringType{}})
			},
			want: []string{`table "lists": column "color" added`},
		},
		{
			name: "column type",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "todos", "title").Type = schema.StringType{}
			},
			want: []string{`table "todos": column "title": type varchar(200), want text`},
		},
		{
			name: "column nullable",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "todos", "title").Nullable = true
			},
			want: []string{`table "todos": column "title": nullable false, want true`},
		},
		{
			name: "column default changed",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "todos", "done").Default = schema.Literal{SQL: "true"}
			},
			want: []string{`table "todos": column "done": default false, want true`},
		},
		{
			name: "column default removed",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "todos", "done").Default = nil
			},
			want: []string{`table "todos": column "done": default false, want <nil>`},
		},
		{
			name: "literal and expression of the same SQL differ",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "todos", "done").Default = schema.Expr{SQL: "false"}
			},
			want: []string{`table "todos": column "done": default false, want false`},
		},
		{
			name: "column auto increment",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "lists", "id").AutoIncrement = false
			},
			want: []string{`table "lists": column "id": auto increment true, want false`},
		},
		{
			name: "column comment",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "lists", "name").Comment = "shown"
			},
			want: []string{`table "lists": column "name": comment "", want "shown"`},
		},
		{
			name: "several column changes in one line",
			change: func(t *testing.T, s *schema.Schema) {
				c := column(t, s, "todos", "title")
				c.Type, c.Nullable = schema.StringType{}, true
			},
			want: []string{`table "todos": column "title": type varchar(200), want text, nullable false, want true`},
		},
		{
			// A column added back by a downgrade lands last: order is
			// not a difference.
			name: "column order ignored",
			change: func(t *testing.T, s *schema.Schema) {
				tb := table(t, s, "todos")
				tb.Columns[1], tb.Columns[2] = tb.Columns[2], tb.Columns[1]
			},
		},
		{
			name: "differences listed in column order of the first schema",
			change: func(t *testing.T, s *schema.Schema) {
				tb := table(t, s, "todos")
				tb.Columns[1], tb.Columns[3] = tb.Columns[3], tb.Columns[1]
				column(t, s, "todos", "title").Nullable = true
				column(t, s, "todos", "list_id").Nullable = false
			},
			want: []string{
				`table "todos": column "title": nullable false, want true`,
				`table "todos": column "list_id": nullable true, want false`,
			},
		},
		{
			name: "primary key columns",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").PrimaryKey.Columns = []string{"id", "list_id"}
			},
			want: []string{`table "todos": primary key (id), want (id, list_id)`},
		},
		{
			name: "primary key removed",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").PrimaryKey = nil
			},
			want: []string{`table "todos": primary key (id), want none`},
		},
		{
			name: "primary key name ignored",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").PrimaryKey.Name = "other"
			},
		},
		{
			name: "index removed",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").Indexes = nil
			},
			want: []string{`table "todos": index "idx_todos_title" removed`},
		},
		{
			name: "index added",
			change: func(t *testing.T, s *schema.Schema) {
				tb := table(t, s, "lists")
				tb.Indexes = append(tb.Indexes, &schema.Index{Name: "uq_lists_name", Parts: schema.Columns("name"), Unique: true})
			},
			want: []string{`table "lists": index "uq_lists_name" added`},
		},
		{
			name: "index made unique",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").Indexes[0].Unique = true
			},
			want: []string{`table "todos": index "idx_todos_title" changed`},
		},
		{
			name: "index columns",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").Indexes[0].Parts = schema.Columns("title", "done")
			},
			want: []string{`table "todos": index "idx_todos_title" changed`},
		},
		{
			name: "foreign key name ignored",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").ForeignKeys[0].Name = "todos_list_id_fkey"
			},
		},
		{
			name: "foreign key action",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").ForeignKeys[0].OnDelete = "SET NULL"
			},
			want: []string{`table "todos": foreign keys [(list_id) -> lists(id) on delete "CASCADE" on update ""], want [(list_id) -> lists(id) on delete "SET NULL" on update ""]`},
		},
		{
			name: "foreign key removed",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "todos").ForeignKeys = nil
			},
			want: []string{`table "todos": foreign keys [(list_id) -> lists(id) on delete "CASCADE" on update ""], want []`},
		},
		{
			name: "table comment",
			change: func(t *testing.T, s *schema.Schema) {
				table(t, s, "lists").Comment = "groups of todos"
			},
			want: []string{`table "lists": comment "", want "groups of todos"`},
		},
		{
			name: "changes in two tables, in table order",
			change: func(t *testing.T, s *schema.Schema) {
				column(t, s, "todos", "title").Nullable = true
				column(t, s, "lists", "name").Nullable = true
			},
			want: []string{
				`table "lists": column "name": nullable false, want true`,
				`table "todos": column "title": nullable false, want true`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := todos(), todos()
			tt.change(t, b)
			b.Normalize()
			got := schema.Differences(a, b)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Differences:\n got %q\nwant %q", got, tt.want)
			}
			if eq := schema.Equal(a, b); eq != (len(tt.want) == 0) {
				t.Errorf("Equal = %t, want %t", eq, len(tt.want) == 0)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	a := &schema.Schema{Tables: []*schema.Table{
		{
			Name: "b",
			Indexes: []*schema.Index{
				{Name: "ix2", Parts: schema.Columns("y")},
				{Name: "ix1", Parts: schema.Columns("x")},
			},
			ForeignKeys: []*schema.ForeignKey{
				{Name: "fk2", Columns: []string{"y"}, RefTable: "a", RefColumns: []string{"id"}, OnDelete: "NO ACTION"},
				{Name: "fk1", Columns: []string{"x"}, RefTable: "a", RefColumns: []string{"id"}, OnUpdate: "NO ACTION"},
			},
		},
		{Name: "a"},
	}}
	a.Normalize()
	var names []string
	for _, tb := range a.Tables {
		names = append(names, tb.Name)
	}
	if want := []string{"a", "b"}; !slices.Equal(names, want) {
		t.Errorf("tables %v, want %v", names, want)
	}
	b := a.Tables[1]
	if b.Indexes[0].Name != "ix1" || b.Indexes[1].Name != "ix2" {
		t.Errorf("indexes not sorted: %s, %s", b.Indexes[0].Name, b.Indexes[1].Name)
	}
	if b.ForeignKeys[0].Name != "fk1" || b.ForeignKeys[1].Name != "fk2" {
		t.Errorf("foreign keys not sorted: %s, %s", b.ForeignKeys[0].Name, b.ForeignKeys[1].Name)
	}
	for _, fk := range b.ForeignKeys {
		if fk.OnDelete != "" || fk.OnUpdate != "" {
			t.Errorf("%s: NO ACTION not normalized: on delete %q, on update %q", fk.Name, fk.OnDelete, fk.OnUpdate)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, s *schema.Schema)
	}{
		{"schema name", func(t *testing.T, s *schema.Schema) { s.Name = "other" }},
		{"table list", func(t *testing.T, s *schema.Schema) { s.Tables[0] = &schema.Table{Name: "x"} }},
		{"table name", func(t *testing.T, s *schema.Schema) { s.Tables[0].Name = "x" }},
		{"table comment", func(t *testing.T, s *schema.Schema) { s.Tables[0].Comment = "x" }},
		{"column list", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").Columns[0] = &schema.Column{Name: "x"} }},
		{"column", func(t *testing.T, s *schema.Schema) { column(t, s, "todos", "title").Nullable = true }},
		{"column type", func(t *testing.T, s *schema.Schema) { column(t, s, "todos", "title").Type = schema.BoolType{} }},
		{"primary key", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").PrimaryKey.Name = "x" }},
		{"primary key columns", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").PrimaryKey.Columns[0] = "x" }},
		{"index", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").Indexes[0].Unique = true }},
		{"index columns", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").Indexes[0].Parts[0].Column = "x" }},
		{"foreign key", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").ForeignKeys[0].OnDelete = "x" }},
		{"foreign key columns", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").ForeignKeys[0].Columns[0] = "x" }},
		{"foreign key ref columns", func(t *testing.T, s *schema.Schema) { table(t, s, "todos").ForeignKeys[0].RefColumns[0] = "x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			orig := todos()
			c := orig.Clone()
			if !reflect.DeepEqual(c, orig) {
				t.Fatalf("clone differs from the original:\n%#v\n%#v", c, orig)
			}
			tt.change(t, c)
			if !reflect.DeepEqual(orig, todos()) {
				t.Errorf("changing the clone's %s changed the original", tt.name)
			}
		})
	}
}

func TestCloneNil(t *testing.T) {
	t.Parallel()
	if c := (*schema.Schema)(nil).Clone(); c != nil {
		t.Errorf("nil schema clone = %v", c)
	}
	if c := (*schema.Table)(nil).Clone(); c != nil {
		t.Errorf("nil table clone = %v", c)
	}
	if c := (*schema.Column)(nil).Clone(); c != nil {
		t.Errorf("nil column clone = %v", c)
	}
	// A clone of a table without indexes or keys is DeepEqual to it, so
	// that ops holding clones compare equal.
	tb := &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "a", Type: schema.BoolType{}}}}
	if c := tb.Clone(); !reflect.DeepEqual(c, tb) {
		t.Errorf("clone %#v, want %#v", c, tb)
	}
	s := &schema.Schema{}
	if c := s.Clone(); !reflect.DeepEqual(c, s) {
		t.Errorf("clone %#v, want %#v", c, s)
	}
}

func TestLookups(t *testing.T) {
	t.Parallel()
	s := todos()
	tests := []struct {
		name  string
		table string
		col   string
		index string
		ok    bool
		pos   int
	}{
		{name: "column", table: "todos", col: "done", ok: true, pos: 2},
		{name: "first column", table: "todos", col: "id", ok: true, pos: 0},
		{name: "missing column", table: "todos", col: "nope", pos: -1},
		{name: "index", table: "todos", index: "idx_todos_title", ok: true},
		{name: "missing index", table: "lists", index: "idx_todos_title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb := table(t, s, tt.table)
			if tt.col != "" {
				c, ok := tb.Column(tt.col)
				if ok != tt.ok || ok && c.Name != tt.col {
					t.Errorf("Column(%q) = %v, %t", tt.col, c, ok)
				}
				if got := tb.ColumnIndex(tt.col); got != tt.pos {
					t.Errorf("ColumnIndex(%q) = %d, want %d", tt.col, got, tt.pos)
				}
			}
			if tt.index != "" {
				ix, ok := tb.Index(tt.index)
				if ok != tt.ok || ok && ix.Name != tt.index {
					t.Errorf("Index(%q) = %v, %t", tt.index, ix, ok)
				}
			}
		})
	}
	if _, ok := s.Table("nope"); ok {
		t.Error(`Table("nope") found a table`)
	}
}

func TestZeroValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  schema.Type
		want schema.Default
	}{
		{schema.IntegerType{Bits: 64}, schema.Literal{SQL: "0"}},
		{schema.IntegerType{Bits: 16, Unsigned: true}, schema.Literal{SQL: "0"}},
		{schema.FloatType{Bits: 32}, schema.Literal{SQL: "0"}},
		{schema.DecimalType{Precision: 10, Scale: 2}, schema.Literal{SQL: "0"}},
		{schema.BoolType{}, schema.Literal{SQL: "false"}},
		{schema.StringType{}, schema.Literal{SQL: "''"}},
		{schema.StringType{Size: 10, Fixed: true}, schema.Literal{SQL: "''"}},
		{schema.BinaryType{}, schema.Literal{SQL: "''"}},
		{schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, schema.Literal{SQL: "'0001-01-01 00:00:00'"}},
		{schema.TimeType{Kind: schema.Date}, schema.Literal{SQL: "'0001-01-01'"}},
		{schema.TimeType{Kind: schema.TimeOfDay}, schema.Literal{SQL: "'00:00:00'"}},
		{schema.RawType{SQL: "citext"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.typ != nil {
			name = tt.typ.String()
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := schema.ZeroValue(tt.typ); got != tt.want {
				t.Errorf("ZeroValue(%v) = %v, want %v", tt.typ, got, tt.want)
			}
		})
	}
}

func TestTypeString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  schema.Type
		want string
	}{
		{schema.IntegerType{Bits: 32}, "int32"},
		{schema.IntegerType{Bits: 64, Unsigned: true}, "uint64"},
		{schema.StringType{}, "text"},
		{schema.StringType{Size: 20}, "varchar(20)"},
		{schema.StringType{Size: 2, Fixed: true}, "char(2)"},
		{schema.BoolType{}, "bool"},
		{schema.FloatType{Bits: 64}, "float64"},
		{schema.DecimalType{}, "decimal"},
		{schema.DecimalType{Precision: 10, Scale: 2}, "decimal(10,2)"},
		{schema.TimeType{Kind: schema.Timestamp, Precision: 6}, "timestamp(6)"},
		{schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 3}, "timestamp(3) with time zone"},
		{schema.TimeType{Kind: schema.Date}, "date"},
		{schema.TimeType{Kind: schema.TimeOfDay, Precision: 0}, "time(0)"},
		{schema.BinaryType{}, "blob"},
		{schema.BinaryType{Size: 16}, "binary(16)"},
		{schema.RawType{SQL: "citext"}, "citext"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.typ.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.typ, got, tt.want)
			}
			if strings.TrimSpace(tt.want) != tt.want {
				t.Errorf("bad want %q", tt.want)
			}
		})
	}
}
