package sqlite_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/schema"
)

// TestCanonicalAll renders a schema written as models or a hand-written
// Go migration would write it, using every attribute of the model, and
// checks that Canonical of it is what inspecting the result gives.
func TestCanonicalAll(t *testing.T) {
	t.Parallel()
	in := &schema.Schema{
		Name:  "public",
		Enums: []*schema.Enum{{Name: "mood", Values: []string{"ok"}}},
		Views: []*schema.View{{Name: "Open Orders", Def: "SELECT id,total FROM orders WHERE status='new';"}},
		Tables: []*schema.Table{{
			Name:    "accounts",
			Comment: "people", Engine: "InnoDB", Charset: "utf8mb4", Collation: "utf8mb4_bin",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 32}, AutoIncrement: true, Identity: schema.IdentityKeyword},
				{Name: "email", Type: schema.StringType{Size: 320}, Collation: "nocase", Comment: "login"},
				{Name: "created", Type: schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, Default: schema.Expr{SQL: "current_timestamp"}, OnUpdate: "CURRENT_TIMESTAMP"},
				{Name: "mood", Type: schema.EnumType{Name: "mood"}, Nullable: true},
				{Name: "code", Type: schema.StringType{Size: 8, Fixed: true}, Collation: "BINARY"},
			},
			PrimaryKey: &schema.PrimaryKey{Name: "accounts_pkey", Columns: []string{"id"}},
			Indexes: []*schema.Index{
				{Name: "uq_email", Parts: schema.Columns("email"), Unique: true, Constraint: true},
				{Name: "accounts_created", Parts: []schema.IndexPart{{Column: "created", Desc: true}}, Method: "btree"},
				{Name: "accounts_lower", Parts: []schema.IndexPart{{Expr: "(lower(email))"}, {Column: "code", Prefix: 4}}, Where: "(created  IS NOT NULL)"},
			},
			Checks: []*schema.Check{{Name: "email_at", Expr: "(email LIKE '%@%')"}, {Expr: "length(code)=8"}},
		}, {
			Name: "orders",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 64}},
				{Name: "account", Type: schema.IntegerType{Bits: 64}},
				{Name: "total", Type: schema.DecimalType{Precision: 12, Scale: 2}, Default: schema.Literal{SQL: "0"}},
				{Name: "net", Type: schema.DecimalType{Precision: 12, Scale: 2}, Nullable: true, Default: schema.Literal{SQL: "1"}, Generated: schema.Generated{Expr: "(total*0.8)", Stored: true}},
				{Name: "status", Type: schema.StringType{}, Default: schema.Literal{SQL: "'new'"}},
				{Name: "region", Type: schema.StringType{}},
			},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{"id", "region"}},
			Indexes: []*schema.Index{
				{Name: "uq_b", Parts: schema.Columns("status", "id"), Unique: true, Constraint: true},
				{Name: "uq_a", Parts: []schema.IndexPart{{Column: "account", Desc: true}}, Unique: true, Constraint: true},
			},
			ForeignKeys: []*schema.ForeignKey{
				{Name: "orders_account", Columns: []string{"account"}, RefTable: "accounts", OnDelete: "cascade", OnUpdate: "NO ACTION", InitiallyDeferred: true},
				{Columns: []string{"account"}, RefTable: "accounts", RefColumns: []string{"id"}, Deferrable: true, InitiallyDeferred: true},
			},
		}},
	}
	db, d := open(t)
	// SQLite has no enum types: rendering them fails (TestEnumsUnsupported),
	// and Canonical drops them.
	noEnums := in.Clone()
	noEnums.Enums = nil
	ops, err := diff.Schemas(&schema.Schema{}, noEnums)
	if err != nil {
		t.Fatal(err)
	}
	stmts := renderAll(t, d, &schema.Schema{}, ops...)
	inTx(t, db, stmts)
	got := inspect(t, d, db)
	want := in.Clone()
	d.Canonical(want)
	if diffs := schema.Differences(want, got); len(diffs) > 0 {
		t.Fatalf("canonical differs from inspected:\n%s\nrendered:\n%s", strings.Join(diffs, "\n"), strings.Join(stmts, ";\n"))
	}
	checkNames(t, want, got)
	// Canonical is idempotent.
	again := want.Clone()
	d.Canonical(again)
	if diffs := schema.Differences(want, again); len(diffs) > 0 {
		t.Fatalf("Canonical twice differs:\n%s", strings.Join(diffs, "\n"))
	}
	acc, _ := want.Table("accounts")
	id, _ := acc.Column("id")
	eq(t, "identity", id.Identity, schema.IdentityKeyword)
	ix, _ := acc.Index("accounts_lower")
	eq(t, "expr", ix.Parts[0].Expr, "lower(email)")
	eq(t, "where", ix.Where, "created IS NOT NULL")
	if _, ok := acc.Index("sqlite_autoindex_accounts_1"); !ok {
		t.Errorf("the UNIQUE constraint is not named as SQLite names it: %+v", acc.Indexes)
	}
	eq(t, "view", want.Views[0].Def, "SELECT id, total FROM orders WHERE status = 'new'")
	eq(t, "enums", len(want.Enums), 0)
}
