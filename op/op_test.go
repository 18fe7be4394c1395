package op_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var (
	int64Type = schema.IntegerType{Bits: 64}
	textType  = schema.StringType{}
)

func lists() *schema.Table {
	return &schema.Table{
		Name: "lists",
		Columns: []*schema.Column{
			{Name: "id", Type: int64Type, AutoIncrement: true},
			{Name: "name", Type: schema.StringType{Size: 100}},
			{Name: "note", Type: textType, Nullable: true},
		},
		PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
		Indexes:    []*schema.Index{{Name: "uq_lists_name", Parts: schema.Columns("name"), Unique: true}},
	}
}

func todos() *schema.Table {
	return &schema.Table{
		Name: "todos",
		Columns: []*schema.Column{
			{Name: "id", Type: int64Type, AutoIncrement: true},
			{Name: "list_id", Type: int64Type},
		},
		PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
		ForeignKeys: []*schema.ForeignKey{
			{Name: "fk_todos_list_id", Columns: []string{"list_id"}, RefTable: "lists", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
		},
	}
}

func TestInverseTwice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   op.Op
	}{
		{"create table", op.CreateTable{Table: lists()}},
		{"create table with foreign key", op.CreateTable{Table: todos()}},
		{"drop table", op.DropTable{Table: lists()}},
		{"add nullable column", op.AddColumn{Table: "lists", Column: &schema.Column{Name: "color", Type: textType, Nullable: true}}},
		{"add not null column backfilled with zero value", op.AddColumn{
			Table:    "lists",
			Column:   &schema.Column{Name: "rank", Type: int64Type},
			Backfill: schema.Literal{SQL: "0"},
		}},
		{"add not null column backfilled with its default", op.AddColumn{
			Table:    "lists",
			Column:   &schema.Column{Name: "rank", Type: int64Type, Default: schema.Literal{SQL: "7"}},
			Backfill: schema.Literal{SQL: "7"},
		}},
		{"add not null column backfilled with its default expression", op.AddColumn{
			Table:    "lists",
			Column:   &schema.Column{Name: "at", Type: schema.TimeType{}, Default: schema.Expr{SQL: "CURRENT_TIMESTAMP"}},
			Backfill: schema.Expr{SQL: "CURRENT_TIMESTAMP"},
		}},
		{"add auto increment column", op.AddColumn{Table: "lists", Column: &schema.Column{Name: "seq", Type: int64Type, AutoIncrement: true}}},
		{"add raw type column without zero value", op.AddColumn{Table: "lists", Column: &schema.Column{Name: "doc", Type: schema.RawType{SQL: "jsonb"}}}},
		{"drop nullable column", op.DropColumn{Table: "lists", Column: &schema.Column{Name: "note", Type: textType, Nullable: true}}},
		{"drop not null column", op.DropColumn{Table: "lists", Column: &schema.Column{Name: "name", Type: schema.StringType{Size: 100}}}},
		{"drop not null column with default", op.DropColumn{Table: "lists", Column: &schema.Column{Name: "rank", Type: int64Type, Default: schema.Literal{SQL: "7"}}}},
		{"alter type", op.AlterColumn{
			Table: "lists",
			From:  &schema.Column{Name: "name", Type: schema.StringType{Size: 100}},
			To:    &schema.Column{Name: "name", Type: textType},
		}},
		{"alter to not null with backfill", op.AlterColumn{
			Table:    "lists",
			From:     &schema.Column{Name: "note", Type: textType, Nullable: true},
			To:       &schema.Column{Name: "note", Type: textType},
			Backfill: schema.Literal{SQL: "''"},
		}},
		{"alter to not null with default backfill", op.AlterColumn{
			Table:    "lists",
			From:     &schema.Column{Name: "note", Type: textType, Nullable: true},
			To:       &schema.Column{Name: "note", Type: textType, Default: schema.Literal{SQL: "'n/a'"}},
			Backfill: schema.Literal{SQL: "'n/a'"},
		}},
		{"alter to nullable", op.AlterColumn{
			Table: "lists",
			From:  &schema.Column{Name: "name", Type: textType},
			To:    &schema.Column{Name: "name", Type: textType, Nullable: true},
		}},
		{"alter default", op.AlterColumn{
			Table: "lists",
			From:  &schema.Column{Name: "rank", Type: int64Type, Default: schema.Literal{SQL: "1"}},
			To:    &schema.Column{Name: "rank", Type: int64Type, Default: schema.Expr{SQL: "random()"}},
		}},
		{"create index", op.CreateIndex{Table: "lists", Index: &schema.Index{Name: "idx_lists_note", Parts: schema.Columns("note", "name")}}},
		{"create unique index", op.CreateIndex{Table: "lists", Index: &schema.Index{Name: "uq", Parts: schema.Columns("note"), Unique: true}}},
		{"drop index", op.DropIndex{Table: "lists", Index: &schema.Index{Name: "uq_lists_name", Parts: schema.Columns("name"), Unique: true}}},
		{"execute with down", op.Execute{SQL: "INSERT INTO lists (name) VALUES ('inbox')", Down: "DELETE FROM lists WHERE name = 'inbox'"}},
		{"execute with down for one dialect", op.Execute{SQL: "CREATE EXTENSION citext", Dialect: "postgres", Down: "DROP EXTENSION citext"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, err := tt.op.Inverse()
			if err != nil {
				t.Fatalf("%s: Inverse: %v", tt.op, err)
			}
			if reflect.TypeOf(inv) == reflect.TypeOf(tt.op) && !isSelfInverse(tt.op) {
				t.Errorf("%s: Inverse returned the same kind of op: %#v", tt.op, inv)
			}
			back, err := inv.Inverse()
			if err != nil {
				t.Fatalf("%s: Inverse of %s: %v", tt.op, inv, err)
			}
			if !reflect.DeepEqual(back, tt.op) {
				t.Errorf("inverting twice:\n got %#v\nwant %#v", back, tt.op)
			}
		})
	}
}

// isSelfInverse reports the ops whose inverse is an op of the same kind.
func isSelfInverse(o op.Op) bool {
	switch o.(type) {
	case op.AlterColumn, op.Execute:
		return true
	}
	return false
}

func TestInverse(t *testing.T) {
	t.Parallel()
	name := &schema.Column{Name: "name", Type: textType}
	tests := []struct {
		name string
		op   op.Op
		want op.Op
	}{
		{
			name: "drop not null column is added back with the zero value",
			op:   op.DropColumn{Table: "lists", Column: name},
			want: op.AddColumn{Table: "lists", Column: name, Backfill: schema.Literal{SQL: "''"}},
		},
		{
			name: "drop nullable column is added back without backfill",
			op:   op.DropColumn{Table: "lists", Column: &schema.Column{Name: "note", Type: textType, Nullable: true}},
			want: op.AddColumn{Table: "lists", Column: &schema.Column{Name: "note", Type: textType, Nullable: true}},
		},
		{
			name: "drop auto increment column is added back without backfill",
			op:   op.DropColumn{Table: "lists", Column: &schema.Column{Name: "id", Type: int64Type, AutoIncrement: true}},
			want: op.AddColumn{Table: "lists", Column: &schema.Column{Name: "id", Type: int64Type, AutoIncrement: true}},
		},
		{
			// The downgrade makes the column NOT NULL again, and rows
			// inserted meanwhile may hold NULL.
			name: "alter back to not null is backfilled",
			op: op.AlterColumn{
				Table: "lists",
				From:  &schema.Column{Name: "n", Type: int64Type},
				To:    &schema.Column{Name: "n", Type: int64Type, Nullable: true},
			},
			want: op.AlterColumn{
				Table:    "lists",
				From:     &schema.Column{Name: "n", Type: int64Type, Nullable: true},
				To:       &schema.Column{Name: "n", Type: int64Type},
				Backfill: schema.Literal{SQL: "0"},
			},
		},
		{
			name: "alter back to nullable keeps values",
			op: op.AlterColumn{
				Table:    "lists",
				From:     &schema.Column{Name: "n", Type: int64Type, Nullable: true},
				To:       &schema.Column{Name: "n", Type: int64Type},
				Backfill: schema.Literal{SQL: "0"},
			},
			want: op.AlterColumn{
				Table: "lists",
				From:  &schema.Column{Name: "n", Type: int64Type},
				To:    &schema.Column{Name: "n", Type: int64Type, Nullable: true},
			},
		},
		{
			name: "execute swaps up and down",
			op:   op.Execute{SQL: "up", Dialect: "mysql", Down: "down"},
			want: op.Execute{SQL: "down", Dialect: "mysql", Down: "up"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.op.Inverse()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Inverse:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestExecuteWithoutDownIsIrreversible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   op.Execute
	}{
		{"plain", op.Execute{SQL: "UPDATE todos SET done = true"}},
		{"one dialect", op.Execute{SQL: "VACUUM", Dialect: "sqlite"}},
		{"long SQL", op.Execute{SQL: strings.Repeat("UPDATE todos SET done = true; ", 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, err := tt.op.Inverse()
			if !errors.Is(err, op.ErrIrreversible) {
				t.Fatalf("Inverse() = %v, %v; want an error wrapping ErrIrreversible", inv, err)
			}
			if inv != nil {
				t.Errorf("Inverse() returned op %v with its error", inv)
			}
			if !strings.Contains(err.Error(), tt.op.String()) {
				t.Errorf("error %q does not name the op %s", err, tt.op)
			}
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   op.Op
		want string
	}{
		{op.CreateTable{Table: lists()}, `create table "lists"`},
		{op.DropTable{Table: lists()}, `drop table "lists"`},
		{op.AddColumn{Table: "lists", Column: &schema.Column{Name: "c"}}, `add column "lists"."c"`},
		{op.DropColumn{Table: "lists", Column: &schema.Column{Name: "c"}}, `drop column "lists"."c"`},
		{op.AlterColumn{
			Table: "lists",
			From:  &schema.Column{Name: "c", Type: textType},
			To:    &schema.Column{Name: "c", Type: textType, Nullable: true},
		}, `alter column "lists"."c" (nullable false, want true)`},
		{op.CreateIndex{Table: "lists", Index: &schema.Index{Name: "ix"}}, `create index "ix" on "lists"`},
		{op.DropIndex{Table: "lists", Index: &schema.Index{Name: "ix"}}, `drop index "ix" on "lists"`},
		{op.Execute{SQL: "SELECT\n\t1"}, `execute "SELECT 1"`},
		{op.Execute{SQL: strings.Repeat("x", 61)}, `execute "` + strings.Repeat("x", 57) + `..."`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.op.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func start() *schema.Schema {
	return &schema.Schema{Tables: []*schema.Table{lists(), todos()}}
}

func TestApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   op.Op
		want func(s *schema.Schema) // changes start() into the expected result
	}{
		{
			name: "create table",
			op:   op.CreateTable{Table: &schema.Table{Name: "tags", Columns: []*schema.Column{{Name: "id", Type: int64Type}}}},
			want: func(s *schema.Schema) {
				s.Tables = append(s.Tables, &schema.Table{Name: "tags", Columns: []*schema.Column{{Name: "id", Type: int64Type}}})
			},
		},
		{
			name: "drop table",
			op:   op.DropTable{Table: todos()},
			want: func(s *schema.Schema) { s.Tables = s.Tables[:1] },
		},
		{
			name: "add column",
			op:   op.AddColumn{Table: "lists", Column: &schema.Column{Name: "color", Type: textType, Nullable: true}},
			want: func(s *schema.Schema) {
				s.Tables[0].Columns = append(s.Tables[0].Columns, &schema.Column{Name: "color", Type: textType, Nullable: true})
			},
		},
		{
			name: "drop column drops its indexes",
			op:   op.DropColumn{Table: "lists", Column: &schema.Column{Name: "name"}},
			want: func(s *schema.Schema) {
				s.Tables[0].Columns = []*schema.Column{s.Tables[0].Columns[0], s.Tables[0].Columns[2]}
				s.Tables[0].Indexes = []*schema.Index{}
			},
		},
		{
			name: "alter column keeps its place",
			op: op.AlterColumn{
				Table: "lists",
				From:  &schema.Column{Name: "name", Type: schema.StringType{Size: 100}},
				To:    &schema.Column{Name: "name", Type: textType, Nullable: true},
			},
			want: func(s *schema.Schema) {
				s.Tables[0].Columns[1] = &schema.Column{Name: "name", Type: textType, Nullable: true}
			},
		},
		{
			name: "create index",
			op:   op.CreateIndex{Table: "lists", Index: &schema.Index{Name: "idx_lists_note", Parts: schema.Columns("note")}},
			want: func(s *schema.Schema) {
				s.Tables[0].Indexes = append(s.Tables[0].Indexes, &schema.Index{Name: "idx_lists_note", Parts: schema.Columns("note")})
			},
		},
		{
			name: "drop index",
			op:   op.DropIndex{Table: "lists", Index: &schema.Index{Name: "uq_lists_name"}},
			want: func(s *schema.Schema) { s.Tables[0].Indexes = []*schema.Index{} },
		},
		{
			name: "execute changes nothing",
			op:   op.Execute{SQL: "DROP TABLE lists"},
			want: func(*schema.Schema) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, want := start(), start()
			if err := tt.op.Apply(got); err != nil {
				t.Fatalf("Apply(%s): %v", tt.op, err)
			}
			tt.want(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after %s:\n got %s\nwant %s", tt.op, dump(got), dump(want))
			}
		})
	}
}

// TestApplyCopies checks that Apply keeps no reference to the op's
// table, column or index, so that changing the schema later leaves the
// op alone.
func TestApplyCopies(t *testing.T) {
	t.Parallel()
	s := &schema.Schema{}
	tb := lists()
	col := &schema.Column{Name: "c", Type: textType}
	ix := &schema.Index{Name: "ix", Parts: schema.Columns("c")}
	for _, o := range []op.Op{
		op.CreateTable{Table: tb},
		op.AddColumn{Table: "lists", Column: col},
		op.CreateIndex{Table: "lists", Index: ix},
	} {
		if err := o.Apply(s); err != nil {
			t.Fatalf("Apply(%s): %v", o, err)
		}
	}
	got := s.Tables[0]
	got.Name = "changed"
	got.Columns[0].Name = "changed"
	got.Columns[len(got.Columns)-1].Name = "changed"
	got.Indexes[len(got.Indexes)-1].Parts[0].Column = "changed"
	if tb.Name != "lists" || tb.Columns[0].Name != "id" || col.Name != "c" || ix.ColumnNames()[0] != "c" {
		t.Errorf("changing the schema changed the ops: table %q, column %q, column %q, index on %q", tb.Name, tb.Columns[0].Name, col.Name, ix.ColumnNames()[0])
	}
}

func TestApplyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   op.Op
		want string
	}{
		{"create existing table", op.CreateTable{Table: lists()}, `create table "lists": it exists already`},
		{"drop missing table", op.DropTable{Table: &schema.Table{Name: "nope"}}, `table "nope" does not exist`},
		{"add column to missing table", op.AddColumn{Table: "nope", Column: &schema.Column{Name: "c"}}, `table "nope" does not exist`},
		{"add existing column", op.AddColumn{Table: "lists", Column: &schema.Column{Name: "name"}}, `add column "lists"."name": it exists already`},
		{"drop column of missing table", op.DropColumn{Table: "nope", Column: &schema.Column{Name: "c"}}, `table "nope" does not exist`},
		{"drop missing column", op.DropColumn{Table: "lists", Column: &schema.Column{Name: "c"}}, `drop column "lists"."c": no such column`},
		{"alter column of missing table", op.AlterColumn{Table: "nope", From: &schema.Column{Name: "c"}, To: &schema.Column{Name: "c"}}, `table "nope" does not exist`},
		{"alter missing column", op.AlterColumn{Table: "lists", From: &schema.Column{Name: "c"}, To: &schema.Column{Name: "c"}}, `alter column "lists"."c": no such column`},
		{"create index on missing table", op.CreateIndex{Table: "nope", Index: &schema.Index{Name: "ix"}}, `table "nope" does not exist`},
		{"create existing index", op.CreateIndex{Table: "lists", Index: &schema.Index{Name: "uq_lists_name"}}, `create index "uq_lists_name": it exists already`},
		{"drop index of missing table", op.DropIndex{Table: "nope", Index: &schema.Index{Name: "ix"}}, `table "nope" does not exist`},
		{"drop missing index", op.DropIndex{Table: "todos", Index: &schema.Index{Name: "uq_lists_name"}}, `drop index "uq_lists_name": no such index on "todos"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := start()
			err := tt.op.Apply(s)
			if err == nil {
				t.Fatalf("Apply(%s) succeeded, want an error", tt.op)
			}
			if !strings.HasPrefix(err.Error(), "op: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Apply(%s) = %q, want op: …%s…", tt.op, err, tt.want)
			}
			if !reflect.DeepEqual(s, start()) {
				t.Errorf("failed Apply(%s) changed the schema: %s", tt.op, dump(s))
			}
		})
	}
}

func dump(s *schema.Schema) string {
	var b strings.Builder
	for _, t := range s.Tables {
		b.WriteString("\n  " + t.Name + ":")
		for _, c := range t.Columns {
			b.WriteString(" " + c.Name + " " + c.Type.String())
			if c.Nullable {
				b.WriteString(" null")
			}
			b.WriteString(",")
		}
		for _, ix := range t.Indexes {
			b.WriteString(" index " + ix.Name + "(" + strings.Join(ix.ColumnNames(), ",") + ")")
		}
	}
	return b.String()
}

func TestDropColumnDropsItsChecks(t *testing.T) {
	t.Parallel()
	s := &schema.Schema{Tables: []*schema.Table{{
		Name:    "items",
		Columns: []*schema.Column{{Name: "qty", Type: schema.IntegerType{Bits: 32}}, {Name: "qty2", Type: schema.IntegerType{Bits: 32}}},
		Checks:  []*schema.Check{{Name: "a", Expr: "qty > 0"}, {Name: "b", Expr: `"qty2" > 0`}, {Name: "c", Expr: "qty2 < 100"}},
	}}}
	c, _ := s.Tables[0].Column("qty")
	if err := (op.DropColumn{Table: "items", Column: c}).Apply(s); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, ck := range s.Tables[0].Checks {
		left = append(left, ck.Name)
	}
	if strings.Join(left, " ") != "b c" {
		t.Fatalf("checks left after dropping qty: %v, want b c", left)
	}
}
