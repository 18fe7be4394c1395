package diff_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var (
	int64Type = schema.IntegerType{Bits: 64}
	textType  = schema.StringType{}
)

// tbl builds a table with an auto-increment id primary key and the given
// columns; fks are "column>table" references to that table's id.
func tbl(name string, cols []*schema.Column, fks ...string) *schema.Table {
	t := &schema.Table{
		Name:       name,
		Columns:    append([]*schema.Column{{Name: "id", Type: int64Type, AutoIncrement: true}}, cols...),
		PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
	}
	for _, fk := range fks {
		col, ref, _ := strings.Cut(fk, ">")
		t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{
			Name: "fk_" + name + "_" + col, Columns: []string{col}, RefTable: ref, RefColumns: []string{"id"},
		})
	}
	return t
}

func ref(name string) *schema.Column { return &schema.Column{Name: name, Type: int64Type} }

func sch(tables ...*schema.Table) *schema.Schema {
	s := &schema.Schema{Tables: tables}
	s.Normalize()
	return s
}

// describe renders ops for comparison, with the detail String leaves out.
func describe(ops []op.Op) []string {
	var out []string
	for _, o := range ops {
		s := o.String()
		switch o := o.(type) {
		case op.AddColumn:
			s += fmt.Sprintf(" %s", o.Column.Type)
			if o.Column.Nullable {
				s += " null"
			}
			if o.Backfill != nil {
				s += fmt.Sprintf(" backfill %s", o.Backfill)
			}
		case op.AlterColumn:
			if o.Backfill != nil {
				s += fmt.Sprintf(" backfill %s", o.Backfill)
			}
		case op.CreateIndex:
			s += fmt.Sprintf(" (%s)", strings.Join(o.Index.ColumnNames(), ", "))
			if o.Index.Unique {
				s += " unique"
			}
		}
		out = append(out, s)
	}
	return out
}

func TestSchemas(t *testing.T) {
	t.Parallel()
	title := &schema.Column{Name: "title", Type: schema.StringType{Size: 200}}
	tests := []struct {
		name     string
		from, to *schema.Schema
		want     []string
	}{
		{
			name: "equal schemas",
			from: sch(tbl("todos", []*schema.Column{title})),
			to:   sch(tbl("todos", []*schema.Column{title})),
		},
		{
			name: "create tables after the tables they reference",
			from: sch(),
			// a -> b -> c, and d -> a: name order alone would be wrong.
			to: sch(
				tbl("a", []*schema.Column{ref("b_id")}, "b_id>b"),
				tbl("b", []*schema.Column{ref("c_id")}, "c_id>c"),
				tbl("c", nil),
				tbl("d", []*schema.Column{ref("a_id")}, "a_id>a"),
			),
			want: []string{`create table "c"`, `create table "b"`, `create table "a"`, `create table "d"`},
		},
		{
			name: "a column joins the primary key: NOT NULL before the key, so the downgrade drops the key first",
			from: sch(tbl("items", []*schema.Column{{Name: "supplier_id", Type: int64Type, Nullable: true}})),
			to:   sch(setPK(tbl("items", []*schema.Column{ref("supplier_id")}), "supplier_id", "id")),
			want: []string{`drop primary key (id) on "items"`, `alter column "items"."supplier_id" (nullable true, want false) backfill 0`, `add primary key (supplier_id, id) on "items"`},
		},
		{
			name: "a dropped table referencing a kept table whose primary key changes goes before that key",
			from: sch(tbl("users", nil), tbl("taggings", []*schema.Column{ref("user_id")}, "user_id>users")),
			to:   sch(setPK(tbl("users", []*schema.Column{ref("user_id")}), "user_id")),
			want: []string{`drop table "taggings"`, `drop primary key (id) on "users"`, `add column "users"."user_id" int64 backfill 0`, `add primary key (user_id) on "users"`},
		},
		{
			name: "a cycle of references: the closing key is added after the tables",
			from: sch(),
			to: sch(
				tbl("a", []*schema.Column{ref("b_id")}, "b_id>b"),
				tbl("b", []*schema.Column{ref("a_id")}, "a_id>a"),
			),
			want: []string{`create table "b"`, `create table "a"`, `add foreign key "fk_b_a_id" on "b"`},
		},
		{
			name: "a cycle of references: the closing key is dropped before the tables",
			from: sch(
				tbl("a", []*schema.Column{ref("b_id")}, "b_id>b"),
				tbl("b", []*schema.Column{ref("a_id")}, "a_id>a"),
			),
			to:   sch(),
			want: []string{`drop foreign key "fk_b_a_id" on "b"`, `drop table "a"`, `drop table "b"`},
		},
		{
			name: "foreign key added to an existing table",
			from: sch(tbl("lists", nil), tbl("todos", []*schema.Column{ref("list_id")})),
			to:   sch(tbl("lists", nil), tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists")),
			want: []string{`add foreign key "fk_todos_list_id" on "todos"`},
		},
		{
			name: "foreign key action changed: dropped and added",
			from: sch(tbl("lists", nil), tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists")),
			to:   sch(tbl("lists", nil), setOnDelete(tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists"), "CASCADE")),
			want: []string{`drop foreign key "fk_todos_list_id" on "todos"`, `add foreign key "fk_todos_list_id" on "todos"`},
		},
		{
			name: "primary key columns changed: dropped, then added before the other changes",
			from: sch(tbl("todos", []*schema.Column{ref("n")})),
			to:   sch(setPK(tbl("todos", []*schema.Column{ref("n")}), "id", "n")),
			want: []string{`drop primary key (id) on "todos"`, `add primary key (id, n) on "todos"`},
		},
		{
			// "a" sorts first; its key must still outlive the foreign keys
			// of other tables that use it.
			name: "foreign keys of every table go before a key they use",
			from: sch(tbl("a", []*schema.Column{ref("n")}), tbl("z", []*schema.Column{ref("a_id")}, "a_id>a")),
			to:   sch(setPK(tbl("a", []*schema.Column{ref("n")}), "n"), tbl("z", []*schema.Column{ref("a_id")})),
			want: []string{`drop foreign key "fk_z_a_id" on "z"`, `drop primary key (id) on "a"`, `add primary key (n) on "a"`},
		},
		{
			name: "a dropped table goes before the key it references",
			from: sch(tbl("a", []*schema.Column{ref("n")}), tbl("b", []*schema.Column{ref("a_id")}, "a_id>a")),
			to:   sch(setPK(tbl("a", []*schema.Column{ref("n")}), "n")),
			want: []string{`drop table "b"`, `drop primary key (id) on "a"`, `add primary key (n) on "a"`},
		},
		{
			name: "a table that loses every column gets the new ones first",
			from: sch(&schema.Table{Name: "t", Columns: []*schema.Column{ref("x")}}),
			to:   sch(&schema.Table{Name: "t", Columns: []*schema.Column{ref("y")}}),
			want: []string{`add column "t"."y" int64 backfill 0`, `drop column "t"."x"`},
		},
		{
			name: "primary key removed",
			from: sch(tbl("todos", nil)),
			to:   sch(setPK(tbl("todos", nil))),
			want: []string{`drop primary key (id) on "todos"`},
		},
		{
			name: "create a self-referencing table",
			from: sch(),
			to:   sch(tbl("nodes", []*schema.Column{ref("parent_id")}, "parent_id>nodes")),
			want: []string{`create table "nodes"`},
		},
		{
			name: "reference to an existing table does not reorder",
			from: sch(tbl("z", nil)),
			to:   sch(tbl("z", nil), tbl("a", []*schema.Column{ref("z_id")}, "z_id>z"), tbl("b", nil)),
			want: []string{`create table "a"`, `create table "b"`},
		},
		{
			name: "drop tables before the tables they reference",
			from: sch(
				tbl("a", []*schema.Column{ref("b_id")}, "b_id>b"),
				tbl("b", []*schema.Column{ref("c_id")}, "c_id>c"),
				tbl("c", nil),
				tbl("d", []*schema.Column{ref("a_id")}, "a_id>a"),
			),
			to:   sch(),
			want: []string{`drop table "d"`, `drop table "a"`, `drop table "b"`, `drop table "c"`},
		},
		{
			name: "dropped tables first, so their names are free; kept tables' new columns before new tables",
			from: sch(tbl("old", nil), tbl("keep", nil)),
			to:   sch(tbl("new", nil), tbl("keep", []*schema.Column{{Name: "n", Type: int64Type, Nullable: true}})),
			want: []string{`drop table "old"`, `add column "keep"."n" int64 null`, `create table "new"`},
		},
		{
			name: "add nullable column without backfill",
			from: sch(tbl("todos", nil)),
			to:   sch(tbl("todos", []*schema.Column{{Name: "note", Type: textType, Nullable: true}})),
			want: []string{`add column "todos"."note" text null`},
		},
		{
			name: "add not null column backfilled with the zero value",
			from: sch(tbl("todos", nil)),
			to:   sch(tbl("todos", []*schema.Column{{Name: "done", Type: schema.BoolType{}}, {Name: "title", Type: textType}})),
			want: []string{
				`add column "todos"."done" bool backfill false`,
				`add column "todos"."title" text backfill ''`,
			},
		},
		{
			name: "add not null column backfilled with its default",
			from: sch(tbl("todos", nil)),
			to:   sch(tbl("todos", []*schema.Column{{Name: "rank", Type: int64Type, Default: schema.Literal{SQL: "5"}}})),
			want: []string{`add column "todos"."rank" int64 backfill 5`},
		},
		{
			name: "add not null column without zero value",
			from: sch(tbl("todos", nil)),
			to:   sch(tbl("todos", []*schema.Column{{Name: "doc", Type: schema.RawType{SQL: "jsonb"}}})),
			want: []string{`add column "todos"."doc" jsonb`},
		},
		{
			name: "add auto increment column without backfill",
			from: sch(&schema.Table{Name: "t", Columns: []*schema.Column{{Name: "a", Type: textType}}}),
			to:   sch(&schema.Table{Name: "t", Columns: []*schema.Column{{Name: "a", Type: textType}, {Name: "seq", Type: int64Type, AutoIncrement: true}}}),
			want: []string{`add column "t"."seq" int64`},
		},
		{
			name: "drop column",
			from: sch(tbl("todos", []*schema.Column{title, {Name: "note", Type: textType}})),
			to:   sch(tbl("todos", []*schema.Column{title})),
			want: []string{`drop column "todos"."note"`},
		},
		{
			name: "make not null, backfilled with the zero value",
			from: sch(tbl("todos", []*schema.Column{{Name: "title", Type: textType, Nullable: true}})),
			to:   sch(tbl("todos", []*schema.Column{{Name: "title", Type: textType}})),
			want: []string{`alter column "todos"."title" (nullable true, want false) backfill ''`},
		},
		{
			name: "make not null, backfilled with the new default",
			from: sch(tbl("todos", []*schema.Column{{Name: "n", Type: int64Type, Nullable: true}})),
			to:   sch(tbl("todos", []*schema.Column{{Name: "n", Type: int64Type, Default: schema.Literal{SQL: "3"}}})),
			want: []string{`alter column "todos"."n" (nullable true, want false, default <nil>, want 3) backfill 3`},
		},
		{
			name: "make nullable without backfill",
			from: sch(tbl("todos", []*schema.Column{{Name: "title", Type: textType}})),
			to:   sch(tbl("todos", []*schema.Column{{Name: "title", Type: textType, Nullable: true}})),
			want: []string{`alter column "todos"."title" (nullable false, want true)`},
		},
		{
			name: "change type",
			from: sch(tbl("todos", []*schema.Column{title})),
			to:   sch(tbl("todos", []*schema.Column{{Name: "title", Type: textType}})),
			want: []string{`alter column "todos"."title" (type varchar(200), want text)`},
		},
		{
			name: "change default",
			from: sch(tbl("todos", []*schema.Column{{Name: "done", Type: schema.BoolType{}, Default: schema.Literal{SQL: "false"}}})),
			to:   sch(tbl("todos", []*schema.Column{{Name: "done", Type: schema.BoolType{}, Default: schema.Literal{SQL: "true"}}})),
			want: []string{`alter column "todos"."done" (default false, want true)`},
		},
		{
			name: "change comment",
			from: sch(tbl("todos", []*schema.Column{title})),
			to:   sch(tbl("todos", []*schema.Column{{Name: "title", Type: title.Type, Comment: "shown"}})),
			want: []string{`alter column "todos"."title" (comment "", want "shown")`},
		},
		{
			name: "add index",
			from: sch(tbl("todos", []*schema.Column{title})),
			to:   sch(withIndexes(tbl("todos", []*schema.Column{title}), &schema.Index{Name: "idx_title", Parts: schema.Columns("title")})),
			want: []string{`create index "idx_title" on "todos" (title)`},
		},
		{
			name: "drop index",
			from: sch(withIndexes(tbl("todos", []*schema.Column{title}), &schema.Index{Name: "idx_title", Parts: schema.Columns("title")})),
			to:   sch(tbl("todos", []*schema.Column{title})),
			want: []string{`drop index "idx_title" on "todos"`},
		},
		{
			name: "index made unique is dropped and created",
			from: sch(withIndexes(tbl("todos", []*schema.Column{title}), &schema.Index{Name: "ix", Parts: schema.Columns("title")})),
			to:   sch(withIndexes(tbl("todos", []*schema.Column{title}), &schema.Index{Name: "ix", Parts: schema.Columns("title"), Unique: true})),
			want: []string{`drop index "ix" on "todos"`, `create index "ix" on "todos" (title) unique`},
		},
		{
			name: "index columns changed",
			from: sch(withIndexes(tbl("todos", []*schema.Column{title}), &schema.Index{Name: "ix", Parts: schema.Columns("title")})),
			to:   sch(withIndexes(tbl("todos", []*schema.Column{title}), &schema.Index{Name: "ix", Parts: schema.Columns("title", "id")})),
			want: []string{`drop index "ix" on "todos"`, `create index "ix" on "todos" (title, id)`},
		},
		{
			name: "indexes dropped before columns, created after",
			from: sch(withIndexes(tbl("todos", []*schema.Column{title, {Name: "old", Type: textType}}), &schema.Index{Name: "idx_old", Parts: schema.Columns("old")})),
			to: sch(withIndexes(tbl("todos", []*schema.Column{{Name: "title", Type: textType}, {Name: "new", Type: textType, Nullable: true}}),
				&schema.Index{Name: "idx_new", Parts: schema.Columns("new")})),
			want: []string{
				`drop index "idx_old" on "todos"`,
				`drop column "todos"."old"`,
				`add column "todos"."new" text null`,
				`alter column "todos"."title" (type varchar(200), want text)`,
				`create index "idx_new" on "todos" (new)`,
			},
		},
		{
			name: "a foreign key whose name alone changes is renamed",
			from: sch(tbl("lists", nil), tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists")),
			to:   sch(tbl("lists", nil), renameFKs(tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists"), "todos_list_id_fkey")),
			want: []string{`rename constraint "fk_todos_list_id" of "todos" to "todos_list_id_fkey"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			from, to := tt.from.Clone(), tt.to.Clone()
			ops, err := diff.Schemas(tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(ops); !slices.Equal(got, tt.want) {
				t.Errorf("Schemas:\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(tt.from, from) || !reflect.DeepEqual(tt.to, to) {
				t.Error("Schemas changed its arguments")
			}
			checkApply(t, tt.from, tt.to, ops)
		})
	}
}

func withIndexes(t *schema.Table, ixs ...*schema.Index) *schema.Table {
	t.Indexes = append(t.Indexes, ixs...)
	return t
}

func renameFKs(t *schema.Table, name string) *schema.Table {
	for _, fk := range t.ForeignKeys {
		fk.Name = name
	}
	return t
}

func setPK(t *schema.Table, cols ...string) *schema.Table {
	t.PrimaryKey = nil
	if len(cols) > 0 {
		t.PrimaryKey = &schema.PrimaryKey{Columns: cols}
	}
	return t
}

func setOnDelete(t *schema.Table, action string) *schema.Table {
	for _, fk := range t.ForeignKeys {
		fk.OnDelete = action
	}
	return t
}

func TestInverse(t *testing.T) {
	t.Parallel()
	col := &schema.Column{Name: "note", Type: textType, Nullable: true}
	ix := &schema.Index{Name: "idx_note", Parts: schema.Columns("note")}
	todos := tbl("todos", nil)
	ops := []op.Op{
		op.CreateTable{Table: todos},
		op.AddColumn{Table: "todos", Column: col},
		op.CreateIndex{Table: "todos", Index: ix},
		op.Execute{SQL: "UPDATE todos SET note = 'x'", Down: "UPDATE todos SET note = NULL"},
	}
	got, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	want := []op.Op{
		op.Execute{SQL: "UPDATE todos SET note = NULL", Down: "UPDATE todos SET note = 'x'"},
		op.DropIndex{Table: "todos", Index: ix},
		op.DropColumn{Table: "todos", Column: col},
		op.DropTable{Table: todos},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Inverse:\n got %q\nwant %q", describe(got), describe(want))
	}
	twice, err := diff.Inverse(got)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(twice, ops) {
		t.Errorf("Inverse twice:\n got %q\nwant %q", describe(twice), describe(ops))
	}
	if got, err := diff.Inverse(nil); err != nil || len(got) != 0 {
		t.Errorf("Inverse(nil) = %v, %v", got, err)
	}
}

func TestInverseIrreversible(t *testing.T) {
	t.Parallel()
	ops := []op.Op{
		op.CreateTable{Table: tbl("todos", nil)},
		op.Execute{SQL: "UPDATE todos SET done = true"},
	}
	got, err := diff.Inverse(ops)
	if !errors.Is(err, op.ErrIrreversible) {
		t.Fatalf("Inverse = %q, %v; want an error wrapping op.ErrIrreversible", describe(got), err)
	}
	if !strings.HasPrefix(err.Error(), "diff: ") {
		t.Errorf("error %q does not start with diff:", err)
	}
}

// checkApply applies ops to a clone of from, expects to, then applies
// their inverse and expects from.
func checkApply(t *testing.T, from, to *schema.Schema, ops []op.Op) {
	t.Helper()
	s := from.Clone()
	for _, o := range ops {
		checkReferences(t, s, o)
		if err := o.Apply(s); err != nil {
			t.Fatalf("Apply(%s): %v", o, err)
		}
	}
	s.Normalize()
	if d := schema.Differences(s, to); len(d) > 0 {
		t.Fatalf("from + ops %q differs from to:\n%s", describe(ops), strings.Join(d, "\n"))
	}
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range inv {
		checkReferences(t, s, o)
		if err := o.Apply(s); err != nil {
			t.Fatalf("Apply(%s) of the inverse: %v", o, err)
		}
	}
	s.Normalize()
	if d := schema.Differences(s, from); len(d) > 0 {
		t.Fatalf("to + inverse ops %q differs from from:\n%s", describe(inv), strings.Join(d, "\n"))
	}
	// The diff back is the inverse, up to order within a table, and but
	// for triggers: the inverse drops a new table's triggers before the
	// table, and the diff back creates a dropped table's triggers apart
	// from it.
	back, err := diff.Schemas(to, from)
	if err != nil {
		t.Fatalf("Schemas(to, from): %v", err)
	}
	back = withoutTriggersOf(back, func(o op.Op) (string, bool) { ct, ok := o.(op.CreateTable); return tableName(ct.Table), ok },
		func(o op.Op) (string, bool) { ct, ok := o.(op.CreateTrigger); return ct.Table, ok })
	inv = withoutTriggersOf(inv, func(o op.Op) (string, bool) { dt, ok := o.(op.DropTable); return tableName(dt.Table), ok },
		func(o op.Op) (string, bool) { dt, ok := o.(op.DropTrigger); return dt.Table, ok })
	if from.Ordered {
		// Moves may take another way back.
		return
	}
	// Unordered, the inverse puts a column back where it stood, the diff
	// back adds it at the end.
	inv = slices.Clone(inv)
	for i, o := range inv {
		if add, ok := o.(op.AddColumn); ok {
			add.Position = op.Position{}
			inv[i] = add
		}
	}
	if got, want := sorted(describe(back)), sorted(describe(inv)); !slices.Equal(got, want) {
		t.Errorf("Schemas(to, from) and Inverse(Schemas(from, to)) differ:\n%q\n%q", got, want)
	}
}

// withoutTriggersOf leaves out of ops the trigger ops (trigger gives
// their table) on tables that a table op (table gives its name) handles.
func withoutTriggersOf(ops []op.Op, table, trigger func(op.Op) (string, bool)) []op.Op {
	tables := map[string]bool{}
	for _, o := range ops {
		if name, ok := table(o); ok {
			tables[name] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(ops), func(o op.Op) bool {
		name, ok := trigger(o)
		return ok && tables[name]
	})
}

func tableName(t *schema.Table) string {
	if t == nil {
		return ""
	}
	return t.Name
}

// checkReferences fails when o, applied to s, would create a table
// before a table it references, or drop a table another one references.
func checkReferences(t *testing.T, s *schema.Schema, o op.Op) {
	t.Helper()
	switch o := o.(type) {
	case op.CreateTable:
		for _, fk := range o.Table.ForeignKeys {
			if _, ok := s.Table(fk.RefTable); !ok && fk.RefTable != o.Table.Name {
				t.Fatalf("%s before the table %q it references", o, fk.RefTable)
			}
		}
	case op.DropTable:
		for _, other := range s.Tables {
			for _, fk := range other.ForeignKeys {
				if fk.RefTable == o.Table.Name && other.Name != o.Table.Name {
					t.Fatalf("%s while %q references it", o, other.Name)
				}
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestSchemasApplyProperty diffs random pairs of small schemas: from
// plus the ops is to, and to plus the inverse ops is from.
func TestSchemasApplyProperty(t *testing.T) {
	t.Parallel()
	for seed := range uint64(500) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(seed, 0x5747a7a))
			from := randomSchema(r)
			to := mutate(r, from)
			if seed%2 == 1 {
				// Column and index order count (MySQL): shuffle some tables' too.
				from.Ordered, to.Ordered = true, true
				for _, t := range to.Tables {
					if r.IntN(2) == 0 {
						r.Shuffle(len(t.Columns), func(i, j int) { t.Columns[i], t.Columns[j] = t.Columns[j], t.Columns[i] })
					}
					if r.IntN(2) == 0 {
						r.Shuffle(len(t.Indexes), func(i, j int) { t.Indexes[i], t.Indexes[j] = t.Indexes[j], t.Indexes[i] })
					}
				}
			}
			ops, err := diff.Schemas(from, to)
			if err != nil {
				t.Fatalf("Schemas: %v", err)
			}
			if len(schema.Differences(from, to)) > 0 && len(ops) == 0 {
				t.Fatalf("schemas differ (%q) but Schemas found no ops", schema.Differences(from, to))
			}
			checkApply(t, from, to, ops)
		})
	}
}

var types = []schema.Type{
	schema.IntegerType{Bits: 32},
	schema.IntegerType{Bits: 64},
	schema.StringType{},
	schema.StringType{Size: 50},
	schema.BoolType{},
	schema.FloatType{Bits: 64},
	schema.DecimalType{Precision: 10, Scale: 2},
	schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6},
	schema.TimeType{Kind: schema.Date},
	schema.BinaryType{},
	schema.RawType{SQL: "jsonb"},
}

func randomColumn(r *rand.Rand, name string) *schema.Column {
	c := &schema.Column{Name: name, Type: types[r.IntN(len(types))], Nullable: r.IntN(2) == 0}
	if r.IntN(3) == 0 {
		c.Default = schema.ZeroValue(c.Type)
	}
	if r.IntN(8) == 0 {
		c.Default = schema.Expr{SQL: "CURRENT_TIMESTAMP"}
	}
	if r.IntN(8) == 0 {
		c.Comment = "comment " + name
	}
	return c
}

func randomIndexes(r *rand.Rand, t *schema.Table) {
	t.Indexes = nil
	for i := range r.IntN(3) {
		ix := &schema.Index{Name: fmt.Sprintf("ix_%s_%d", t.Name, i), Unique: r.IntN(2) == 0}
		for _, c := range t.Columns {
			if r.IntN(3) == 0 {
				ix.Parts = append(ix.Parts, schema.IndexPart{Column: c.Name})
			}
		}
		if len(ix.ColumnNames()) > 0 {
			t.Indexes = append(t.Indexes, ix)
		}
	}
}

func randomTable(r *rand.Rand, name string, tables []string) *schema.Table {
	t := tbl(name, nil)
	for i := range r.IntN(5) {
		t.Columns = append(t.Columns, randomColumn(r, fmt.Sprintf("c%d", i)))
	}
	for _, other := range tables {
		if r.IntN(3) == 0 {
			col := other + "_id"
			t.Columns = append(t.Columns, &schema.Column{Name: col, Type: int64Type, Nullable: true})
			t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{
				Name: "fk_" + name + "_" + col, Columns: []string{col}, RefTable: other, RefColumns: []string{"id"},
			})
		}
	}
	randomIndexes(r, t)
	randomTriggers(r, t)
	return t
}

// randomTriggers gives t none, one or two triggers, one naming a column
// (so that a type change makes it again).
func randomTriggers(r *rand.Rand, t *schema.Table) {
	t.Triggers = nil
	if r.IntN(3) == 0 {
		t.Triggers = append(t.Triggers, &schema.Trigger{Name: "ins_" + t.Name,
			Def: `CREATE TRIGGER ins_` + t.Name + ` AFTER INSERT ON "` + t.Name + `" FOR EACH ROW EXECUTE FUNCTION touch()`})
	}
	if len(t.Columns) > 1 && r.IntN(3) == 0 {
		c := t.Columns[1+r.IntN(len(t.Columns)-1)].Name
		t.Triggers = append(t.Triggers, &schema.Trigger{Name: "upd_" + t.Name,
			Def: `CREATE TRIGGER upd_` + t.Name + ` BEFORE UPDATE OF ` + c + ` ON "` + t.Name + `" FOR EACH ROW EXECUTE FUNCTION touch()`})
	}
}

// randomObjects gives s a random set of extensions and functions.
func randomObjects(r *rand.Rand, s *schema.Schema) {
	s.Extensions, s.Functions = nil, nil
	for _, name := range []string{"ltree", "pg_trgm"} {
		if r.IntN(2) == 0 {
			s.Extensions = append(s.Extensions, &schema.Extension{Name: name})
		}
	}
	for _, name := range []string{"touch", "score"} {
		if r.IntN(3) == 0 {
			continue
		}
		returns := []string{"integer", "bigint"}[r.IntN(2)]
		body := []string{"SELECT 1", "SELECT 2"}[r.IntN(2)]
		s.Functions = append(s.Functions, &schema.Function{Kind: schema.FunctionKind, Name: name, Returns: returns,
			Def: "CREATE OR REPLACE FUNCTION " + name + "() RETURNS " + returns + " AS $$" + body + "$$"})
	}
}

const tableNames = "abcdef"

func randomSchema(r *rand.Rand) *schema.Schema {
	s := &schema.Schema{}
	var names []string
	for _, n := range r.Perm(len(tableNames))[:r.IntN(len(tableNames))] {
		name := tableNames[n : n+1]
		s.Tables = append(s.Tables, randomTable(r, name, names))
		names = append(names, name)
	}
	randomObjects(r, s)
	s.Normalize()
	return s
}

// mutate returns a copy of s with tables added and dropped, and columns
// and indexes of kept tables added, dropped and changed. Primary and
// foreign keys of kept tables stay, as Schemas refuses to change them.
func mutate(r *rand.Rand, s *schema.Schema) *schema.Schema {
	out := &schema.Schema{}
	var names []string
	dropped := map[string]bool{}
	for _, t := range s.Tables {
		dropped[t.Name] = r.IntN(4) == 0
	}
	// Tables referencing a dropped table go too, since their foreign keys
	// cannot change.
	for again := true; again; {
		again = false
		for _, t := range s.Tables {
			for _, fk := range t.ForeignKeys {
				if dropped[fk.RefTable] && !dropped[t.Name] {
					dropped[t.Name], again = true, true
				}
			}
		}
	}
	for _, t := range s.Tables {
		if dropped[t.Name] {
			continue
		}
		t = t.Clone()
		names = append(names, t.Name)
		out.Tables = append(out.Tables, t)
		if r.IntN(2) == 0 {
			continue // unchanged
		}
		var cols []*schema.Column
		for _, c := range t.Columns {
			keyed := c.Name == "id" || strings.HasSuffix(c.Name, "_id")
			switch {
			case keyed:
			case r.IntN(4) == 0:
				continue // dropped
			case r.IntN(3) == 0:
				c = randomColumn(r, c.Name) // changed, maybe
			}
			cols = append(cols, c)
		}
		for i := range r.IntN(3) {
			cols = append(cols, randomColumn(r, fmt.Sprintf("n%d", i)))
		}
		t.Columns = cols
		if r.IntN(3) == 0 {
			randomTriggers(r, t)
		}
		if r.IntN(2) == 0 {
			randomIndexes(r, t)
		} else {
			t.Indexes = slices.DeleteFunc(t.Indexes, func(ix *schema.Index) bool {
				return slices.ContainsFunc(ix.ColumnNames(), func(c string) bool { _, ok := t.Column(c); return !ok })
			})
		}
	}
	for _, i := range r.Perm(len(tableNames)) {
		name := tableNames[i : i+1]
		if _, ok := s.Table(name); ok || r.IntN(3) > 0 {
			continue
		}
		// New tables reference any table of out, new ones included.
		out.Tables = append(out.Tables, randomTable(r, name, names))
		names = append(names, name)
	}
	if r.IntN(2) == 0 {
		randomObjects(r, out)
	} else {
		out.Extensions, out.Functions = s.Clone().Extensions, s.Clone().Functions
	}
	out.Normalize()
	return out
}

func TestSchemasRenames(t *testing.T) {
	t.Parallel()
	title := &schema.Column{Name: "title", Type: schema.StringType{Size: 200}}
	name := &schema.Column{Name: "name", Type: schema.StringType{Size: 300}}
	from := sch(tbl("todos", []*schema.Column{title}))
	to := sch(tbl("tasks", []*schema.Column{name}))
	ops, err := diff.Schemas(from, to, diff.RenameTable("todos", "tasks"), diff.RenameColumn("tasks", "title", "name"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ops {
		got = append(got, o.String())
	}
	want := []string{`rename table "todos" to "tasks"`, `rename column "tasks"."title" to "name"`, `alter column "tasks"."name" (type varchar(200), want varchar(300))`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	s := from.Clone()
	for _, o := range ops {
		if err := o.Apply(s); err != nil {
			t.Fatal(err)
		}
	}
	s.Normalize()
	if d := schema.Differences(s, to); len(d) > 0 {
		t.Fatalf("applied ops give %v", d)
	}
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range inv {
		if err := o.Apply(s); err != nil {
			t.Fatal(err)
		}
	}
	s.Normalize()
	if d := schema.Differences(s, from); len(d) > 0 {
		t.Fatalf("inverse ops give %v", d)
	}
	for _, bad := range [][]diff.Option{
		{diff.RenameTable("nosuch", "tasks")},
		{diff.RenameTable("todos", "nosuch")},
		{diff.RenameTable("todos", "tasks"), diff.RenameColumn("tasks", "nosuch", "name")},
	} {
		if _, err := diff.Schemas(from, to, bad...); err == nil {
			t.Errorf("a rename of something missing: want an error")
		}
	}
}

func TestSchemasEnumReplace(t *testing.T) {
	t.Parallel()
	from := &schema.Schema{Enums: []*schema.Enum{{Name: "mood", Values: []string{"sad", "ok"}}}}
	to := &schema.Schema{Enums: []*schema.Enum{{Name: "mood", Values: []string{"ok"}}}}
	ops, err := diff.Schemas(from, to)
	if err != nil || len(ops) != 1 || ops[0].String() != `replace the values of enum "mood" with ["ok"]` {
		t.Fatalf("ops %v, %v", ops, err)
	}
	add, err := diff.Schemas(to, from)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := diff.Inverse(add)
	if err != nil || len(inv) != 1 || inv[0].String() != `replace the values of enum "mood" with ["ok"]` {
		t.Fatalf("the inverse of adding a value: %v, %v", inv, err)
	}
}

func TestSchemasViewOrder(t *testing.T) {
	t.Parallel()
	base := &schema.View{Name: "a_base", Def: "SELECT id FROM items"}
	top := &schema.View{Name: "a_top", Def: "SELECT id FROM a_base WHERE id > 1"}
	from := &schema.Schema{}
	to := &schema.Schema{Views: []*schema.View{top, base}}
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ops {
		got = append(got, o.String())
	}
	if strings.Join(got, "; ") != `create view "a_base"; create view "a_top"` {
		t.Fatalf("creates %v: a view must follow the view it reads", got)
	}
	// Changing the base view drops its dependent first and makes both again.
	changed := &schema.Schema{Views: []*schema.View{top, {Name: "a_base", Def: "SELECT id FROM items WHERE id < 100"}}}
	ops, err = diff.Schemas(to, changed)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, o := range ops {
		got = append(got, o.String())
	}
	if strings.Join(got, "; ") != `drop view "a_top"; drop view "a_base"; create view "a_base"; create view "a_top"` {
		t.Fatalf("ops %v", got)
	}
}
