package diff_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// generatedSuffix stands for a dialect's GeneratedName: names ending in
// _fkey, _check or _key followed by digits.
func generatedSuffix(_ *schema.Table, _ op.ConstraintKind, name string) bool {
	name = strings.TrimRight(name, "0123456789")
	return strings.HasSuffix(name, "_fkey") || strings.HasSuffix(name, "_check") || strings.HasSuffix(name, "_key")
}

func withPKName(t *schema.Table, name string) *schema.Table {
	t.PrimaryKey.Name = name
	return t
}

func withChecks(t *schema.Table, cks ...*schema.Check) *schema.Table {
	t.Checks = append(t.Checks, cks...)
	return t
}

// TestConstraintNames: a check, foreign key, UNIQUE constraint or index
// whose only change is its name is renamed, both ways; names the
// database generated on both sides, or none wanted, are no change.
func TestConstraintNames(t *testing.T) {
	qty := []*schema.Column{ref("qty"), ref("list_id")}
	uniq := func(name string) *schema.Index {
		return &schema.Index{Name: name, Parts: schema.Columns("qty"), Unique: true, Constraint: true}
	}
	plain := func(name string) *schema.Index { return &schema.Index{Name: name, Parts: schema.Columns("list_id")} }
	tests := []struct {
		name     string
		from, to *schema.Schema
		opts     []diff.Option
		want     []string
		// oneWay cases compare a name with none: no name wanted matches
		// any, but a name wanted is not matched by none.
		oneWay bool
	}{
		{
			name:   "a foreign key the target leaves unnamed keeps the database's name",
			from:   sch(tbl("lists", nil), tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists")),
			to:     sch(tbl("lists", nil), renameFKs(tbl("todos", []*schema.Column{ref("list_id")}, "list_id>lists"), "")),
			oneWay: true,
		},
		{
			name: "check renamed",
			from: sch(withChecks(tbl("items", qty), &schema.Check{Name: "qty_positive", Expr: "qty > 0"})),
			to:   sch(withChecks(tbl("items", qty), &schema.Check{Name: "qty_over_zero", Expr: "qty > 0"})),
			want: []string{`rename constraint "qty_positive" of "items" to "qty_over_zero"`},
		},
		{
			name: "check renamed and changed is a drop and an add",
			from: sch(withChecks(tbl("items", qty), &schema.Check{Name: "a", Expr: "qty > 0"})),
			to:   sch(withChecks(tbl("items", qty), &schema.Check{Name: "b", Expr: "qty > 1"})),
			want: []string{`drop check "qty > 0" on "items"`, `add check "qty > 1" on "items"`},
		},
		{
			name:   "unnamed check in the target keeps the database's name",
			from:   sch(withChecks(tbl("items", qty), &schema.Check{Name: "items_qty_check", Expr: "qty > 0"})),
			to:     sch(withChecks(tbl("items", qty), &schema.Check{Expr: "qty > 0"})),
			oneWay: true,
		},
		{
			name:   "unnamed check in the database, named in the target",
			from:   sch(withChecks(tbl("items", qty), &schema.Check{Expr: "qty > 0"})),
			to:     sch(withChecks(tbl("items", qty), &schema.Check{Name: "positive", Expr: "qty > 0"})),
			want:   []string{`drop check "qty > 0" on "items"`, `add check "qty > 0" on "items"`},
			oneWay: true,
		},
		{
			name: "generated names on both sides are no change",
			from: sch(tbl("lists", nil), renameFKs(withChecks(tbl("items", qty, "list_id>lists"), &schema.Check{Name: "items_qty_check1", Expr: "qty > 0"}), "old_list_id_fkey")),
			to:   sch(tbl("lists", nil), renameFKs(withChecks(tbl("items", qty, "list_id>lists"), &schema.Check{Name: "items_qty_check", Expr: "qty > 0"}), "items_list_id_fkey")),
			opts: []diff.Option{diff.GeneratedNames(generatedSuffix)},
		},
		{
			name: "generated names without GeneratedNames are renamed",
			from: sch(tbl("lists", nil), renameFKs(tbl("items", qty, "list_id>lists"), "old_list_id_fkey")),
			to:   sch(tbl("lists", nil), renameFKs(tbl("items", qty, "list_id>lists"), "items_list_id_fkey")),
			want: []string{`rename constraint "old_list_id_fkey" of "items" to "items_list_id_fkey"`},
		},
		{
			name: "a user's name for a generated one is renamed",
			from: sch(tbl("lists", nil), renameFKs(tbl("items", qty, "list_id>lists"), "items_to_lists")),
			to:   sch(tbl("lists", nil), renameFKs(tbl("items", qty, "list_id>lists"), "items_list_id_fkey")),
			opts: []diff.Option{diff.GeneratedNames(generatedSuffix)},
			want: []string{`rename constraint "items_to_lists" of "items" to "items_list_id_fkey"`},
		},
		{
			name: "unique constraint and index renamed",
			from: sch(withIndexes(tbl("items", qty), uniq("items_qty_uq"), plain("items_list_ix"))),
			to:   sch(withIndexes(tbl("items", qty), uniq("items_qty_unique"), plain("items_list_idx"))),
			want: []string{
				`rename constraint "items_list_ix" of "items" to "items_list_idx"`,
				`rename constraint "items_qty_uq" of "items" to "items_qty_unique"`,
			},
		},
		{
			name: "generated unique constraint names on both sides are no change",
			from: sch(withIndexes(tbl("items", qty), uniq("items_qty_key1"))),
			to:   sch(withIndexes(tbl("items", qty), uniq("items_qty_key"))),
			opts: []diff.Option{diff.GeneratedNames(generatedSuffix)},
		},
		{
			name: "a generated name in the target stands for none with UnnamedWhenGenerated",
			from: sch(tbl("lists", nil), renameFKs(withChecks(tbl("items", qty, "list_id>lists"), &schema.Check{Name: "mine", Expr: "qty > 0"}), "items_to_lists")),
			to:   sch(tbl("lists", nil), renameFKs(withChecks(tbl("items", qty, "list_id>lists"), &schema.Check{Name: "items_qty_check", Expr: "qty > 0"}), "items_list_id_fkey")),
			opts: []diff.Option{diff.GeneratedNames(generatedSuffix), diff.UnnamedWhenGenerated()},
		},
		{
			name: "a renamed table takes along the names generated from its old name",
			from: sch(tbl("lists", nil), withPKName(renameFKs(withChecks(tbl("users", qty, "list_id>lists"), &schema.Check{Name: "users_qty_check", Expr: "qty > 0"}), "users_list_id_fkey"), "users_pkey")),
			to:   sch(tbl("lists", nil), withPKName(renameFKs(withChecks(tbl("accounts", qty, "list_id>lists"), &schema.Check{Name: "accounts_qty_check", Expr: "qty > 0"}), "accounts_list_id_fkey"), "accounts_pkey")),
			opts: []diff.Option{diff.GeneratedNames(generatedSuffix), diff.RenameTable("users", "accounts")},
			want: []string{
				`rename table "users" to "accounts"`,
				`rename constraint "users_pkey" of "accounts" to "accounts_pkey"`,
				`rename constraint "users_list_id_fkey" of "accounts" to "accounts_list_id_fkey"`,
				`rename constraint "users_qty_check" of "accounts" to "accounts_qty_check"`,
			},
		},
		{
			name: "explicit rename of a check that also changes",
			from: sch(withChecks(tbl("items", qty), &schema.Check{Name: "a", Expr: "qty > 0"})),
			to:   sch(withChecks(tbl("items", qty), &schema.Check{Name: "b", Expr: "qty > 1"})),
			opts: []diff.Option{diff.RenameConstraint("items", "a", "b")},
			want: []string{`rename constraint "a" of "items" to "b"`, `drop check "qty > 0" on "items"`, `add check "qty > 1" on "items"`},
		},
		{
			name: "explicit rename the database already shows is nothing",
			from: sch(withChecks(tbl("items", qty), &schema.Check{Name: "b", Expr: "qty > 0"})),
			to:   sch(withChecks(tbl("items", qty), &schema.Check{Name: "b", Expr: "qty > 0"})),
			opts: []diff.Option{diff.RenameConstraint("items", "a", "b")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, err := diff.Schemas(tt.from, tt.to, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(ops); !slices.Equal(got, tt.want) {
				t.Fatalf("Schemas:\n got %q\nwant %q", got, tt.want)
			}
			if len(tt.opts) == 0 && !tt.oneWay {
				checkApply(t, tt.from, tt.to, ops)
			}
			// Renamed back by the inverse.
			s := tt.from.Clone()
			for _, o := range ops {
				if err := o.Apply(s); err != nil {
					t.Fatal(err)
				}
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
			for _, tb := range tt.from.Tables {
				got, _ := s.Table(tb.Name)
				if names(got) != names(tb) {
					t.Errorf("after the inverse: names %s, want %s", names(got), names(tb))
				}
			}
		})
	}
}

func TestRenameConstraintNamesNothing(t *testing.T) {
	from := sch(withChecks(tbl("items", []*schema.Column{ref("qty")}), &schema.Check{Name: "c", Expr: "qty > 0"}))
	_, err := diff.Schemas(from, from, diff.RenameConstraint("items", "a", "b"))
	if err == nil || !strings.Contains(err.Error(), `rename constraint "a" of "items" to "b"`) {
		t.Fatalf("err = %v", err)
	}
}

func names(t *schema.Table) string {
	var out []string
	for _, fk := range t.ForeignKeys {
		out = append(out, "fk:"+fk.Name)
	}
	for _, ck := range t.Checks {
		out = append(out, "check:"+ck.Name)
	}
	for _, ix := range t.Indexes {
		out = append(out, "index:"+ix.Name)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
