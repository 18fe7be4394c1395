package mysql_test

import (
	"slices"
	"testing"

	"github.com/strata-go/strata/schema"
)

// modelSchema is built the way the models package builds one from Go
// structs: neutral types, Go-flavoured defaults, no index for the foreign
// key, lower-case actions.
func modelSchema() *schema.Schema {
	id := func() *schema.Column {
		return &schema.Column{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true, Nullable: true}
	}
	return &schema.Schema{Name: "app", Tables: []*schema.Table{
		{
			Name: "todos",
			Columns: []*schema.Column{
				id(),
				{Name: "description", Type: schema.StringType{Size: 200}},
				{Name: "completed", Type: schema.BoolType{}, Default: schema.Literal{SQL: "false"}},
				{Name: "urgent", Type: schema.BoolType{}, Default: schema.Literal{SQL: "TRUE"}},
				{Name: "due_at", Type: schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, Nullable: true},
				{Name: "created_at", Type: schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, Default: schema.Expr{SQL: "current_timestamp(6)"}},
				{Name: "starts", Type: schema.TimeType{Kind: schema.Timestamp, Precision: 3}, Default: schema.Literal{SQL: "'2020-01-02'"}},
				{Name: "payload", Type: schema.BinaryType{}, Nullable: true},
				{Name: "digest", Type: schema.BinaryType{Size: 32}, Nullable: true},
				{Name: "score", Type: schema.FloatType{Bits: 64}, Default: schema.Literal{SQL: "1.50"}},
				{Name: "ratio", Type: schema.FloatType{Bits: 32}, Nullable: true},
				{Name: "price", Type: schema.DecimalType{Precision: 10, Scale: 2}, Default: schema.Literal{SQL: "3"}},
				{Name: "amount", Type: schema.DecimalType{}, Nullable: true},
				{Name: "title", Type: schema.StringType{Size: 50}, Default: schema.Literal{SQL: `'it''s \\ ok'`}},
				{Name: "code", Type: schema.StringType{Size: 3, Fixed: true}, Default: schema.Literal{SQL: "7"}},
				{Name: "notes", Type: schema.StringType{}, Nullable: true, Default: schema.Literal{SQL: "NULL"}},
				{Name: "count", Type: schema.IntegerType{Bits: 32, Unsigned: true}, Default: schema.Literal{SQL: "'5'"}},
				{Name: "small", Type: schema.IntegerType{Bits: 16}, Nullable: true},
				{Name: "tiny", Type: schema.IntegerType{Bits: 8}, Default: schema.Literal{SQL: "0"}},
				{Name: "day", Type: schema.TimeType{Kind: schema.Date}, Nullable: true},
				{Name: "at", Type: schema.TimeType{Kind: schema.TimeOfDay, WithZone: true}, Default: schema.Literal{SQL: "'09:30'"}},
				{Name: "list_id", Type: schema.IntegerType{Bits: 64}},
				{Name: "owner_id", Type: schema.IntegerType{Bits: 64}, Nullable: true},
				{Name: "kind", Type: schema.RawType{SQL: "ENUM('a','B')"}, Default: schema.Literal{SQL: "'B'"}},
			},
			PrimaryKey: &schema.PrimaryKey{Name: "todos_pkey", Columns: []string{"id"}},
			Indexes: []*schema.Index{
				{Name: "ix_todos_owner", Parts: schema.Columns("owner_id", "due_at")},
				{Parts: schema.Columns("description"), Unique: true},
			},
			ForeignKeys: []*schema.ForeignKey{
				{Columns: []string{"list_id"}, RefTable: "todo_lists", RefColumns: []string{"id"}, OnDelete: "cascade"},
				{Name: "fk_owner", Columns: []string{"owner_id"}, RefTable: "users", OnDelete: "set null", OnUpdate: "restrict"},
			},
			Comment: "things to do",
		},
		{
			Name: "todo_lists",
			Columns: []*schema.Column{
				id(),
				{Name: "name", Type: schema.StringType{Size: 200}, Comment: "shown to people"},
			},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
		},
		{
			Name:       "users",
			Columns:    []*schema.Column{id()},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
		},
	}}
}

// TestCanonical renders a model schema as it is, applies it and inspects
// the database: the result must equal Canonical of the model.
func TestCanonical(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	model := modelSchema()
	// The foreign key to users names no columns: Canonical fills them in,
	// and Render needs them.
	rendered := model.Clone()
	d.Canonical(rendered)
	for _, tb := range model.Tables {
		for _, fk := range tb.ForeignKeys {
			if len(fk.RefColumns) == 0 {
				fk.RefColumns = []string{"id"}
			}
		}
	}
	create(t, d, db, model)
	got := inspect(t, d, db)

	want := modelSchema()
	d.Canonical(want)
	diffSchemas(t, "inspected vs canonical model", got, want)
	diffSchemas(t, "canonical with and without ref columns", rendered, want)

	// Canonical is idempotent.
	again := want.Clone()
	d.Canonical(again)
	diffSchemas(t, "canonical twice", again, want)

	// Spot checks, so that the comparison cannot pass by both sides
	// losing the same thing.
	todos, _ := want.Table("todos")
	checks := map[string]*schema.Column{
		"completed":  col(schema.BoolType{}, false, lit{SQL: "0"}),
		"urgent":     col(schema.BoolType{}, false, lit{SQL: "1"}),
		"due_at":     col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, true, nil),
		"created_at": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, false, expr{SQL: "CURRENT_TIMESTAMP(6)"}),
		"starts":     col(schema.TimeType{Kind: schema.Timestamp, Precision: 3}, false, lit{SQL: "'2020-01-02 00:00:00.000'"}),
		"price":      col(schema.DecimalType{Precision: 10, Scale: 2}, false, lit{SQL: "3.00"}),
		"score":      col(schema.FloatType{Bits: 64}, false, lit{SQL: "1.5"}),
		"title":      col(schema.StringType{Size: 50}, false, lit{SQL: `'it''s \\ ok'`}),
		"code":       col(schema.StringType{Size: 3, Fixed: true}, false, lit{SQL: "'7'"}),
		"count":      col(schema.IntegerType{Bits: 32, Unsigned: true}, false, lit{SQL: "5"}),
		"notes":      col(schema.StringType{}, true, nil),
		"digest":     col(schema.RawType{SQL: "varbinary(32)"}, true, nil),
		"amount":     col(schema.DecimalType{Precision: 10}, true, nil),
		"at":         col(schema.TimeType{Kind: schema.TimeOfDay}, false, lit{SQL: "'09:30:00'"}),
		"kind":       col(schema.RawType{SQL: "enum('a','B')"}, false, lit{SQL: "'B'"}),
	}
	for name, w := range checks {
		c, ok := todos.Column(name)
		if !ok {
			t.Errorf("column %q missing", name)
			continue
		}
		if diff := schema.ColumnDifference(c, w); diff != "" {
			t.Errorf("canonical column %q: %s", name, diff)
		}
	}
	if c, _ := todos.Column("id"); c.Nullable || c.Default != nil || !c.AutoIncrement {
		t.Errorf("canonical id: %+v", c)
	}
	if todos.PrimaryKey.Name != "PRIMARY" {
		t.Errorf("primary key name %q, want PRIMARY", todos.PrimaryKey.Name)
	}
	// list_id: InnoDB's index for the unnamed key, named after the column;
	// description: the unnamed unique index; fk_owner needs none, since
	// ix_todos_owner leads with owner_id. They keep the models' order,
	// InnoDB's own last, as the server lists them (schema.Schema.Ordered).
	var names []string
	for _, ix := range todos.Indexes {
		names = append(names, ix.Name)
	}
	if !slices.Equal(names, []string{"ix_todos_owner", "description", "list_id"}) {
		t.Errorf("canonical indexes %v, want [ix_todos_owner description list_id]", names)
	}
	for _, fk := range todos.ForeignKeys {
		if fk.OnUpdate != "" || (fk.OnDelete != "CASCADE" && fk.OnDelete != "SET NULL") {
			t.Errorf("canonical foreign key %+v", fk)
		}
	}
	if want.Name != "" {
		t.Errorf("canonical schema name %q", want.Name)
	}
}
