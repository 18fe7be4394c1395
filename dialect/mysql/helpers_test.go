package mysql_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// fresh opens a new, empty database and the dialect probed on it.
func fresh(t *testing.T) (*sql.DB, *mysql.Dialect) {
	t.Helper()
	db, _ := testdb.Open(t, "mysql")
	d, err := mysql.New(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return db, d
}

func mustExec(t *testing.T, db dialect.Querier, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("exec %s: %v", s, err)
		}
	}
}

func inspect(t *testing.T, d *mysql.Dialect, db dialect.Querier) *schema.Schema {
	t.Helper()
	s, err := d.Inspect(context.Background(), db, dialect.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// render renders o against current and runs the statements.
func apply(t *testing.T, d *mysql.Dialect, db dialect.Querier, current *schema.Schema, o op.Op) []string {
	t.Helper()
	stmts, err := d.Render(current, o)
	if err != nil {
		t.Fatalf("render %s: %v", o, err)
	}
	for _, s := range stmts {
		if strings.HasSuffix(strings.TrimSpace(s), ";") {
			t.Errorf("statement ends in a semicolon: %s", s)
		}
	}
	mustExec(t, db, stmts...)
	return stmts
}

// createOrder returns the tables of s ordered so that every table comes
// after the tables its foreign keys reference (self references aside).
func createOrder(t *testing.T, s *schema.Schema) []*schema.Table {
	t.Helper()
	var out []*schema.Table
	done := map[string]bool{}
	var visit func(tb *schema.Table, path []string)
	visit = func(tb *schema.Table, path []string) {
		if done[tb.Name] {
			return
		}
		if slices.Contains(path, tb.Name) {
			t.Fatalf("foreign key cycle through %v", path)
		}
		for _, fk := range tb.ForeignKeys {
			if ref, ok := s.Table(fk.RefTable); ok && ref.Name != tb.Name {
				visit(ref, append(path, tb.Name))
			}
		}
		done[tb.Name] = true
		out = append(out, tb)
	}
	for _, tb := range s.Tables {
		visit(tb, nil)
	}
	return out
}

// create renders a CreateTable per table of s, in dependency order, and
// runs them.
func create(t *testing.T, d *mysql.Dialect, db dialect.Querier, s *schema.Schema) {
	t.Helper()
	current := &schema.Schema{}
	for _, tb := range createOrder(t, s) {
		o := op.CreateTable{Table: tb}
		apply(t, d, db, current, o)
		if err := o.Apply(current); err != nil {
			t.Fatal(err)
		}
	}
}

func diffSchemas(t *testing.T, what string, got, want *schema.Schema) {
	t.Helper()
	if d := schema.Differences(want, got); len(d) > 0 {
		t.Errorf("%s: schemas differ:\n  %s", what, strings.Join(d, "\n  "))
	}
}

func queryInt(t *testing.T, db dialect.Querier, query string, args ...any) int64 {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var n sql.NullInt64
	if !rows.Next() {
		t.Fatalf("%s: no rows", query)
	}
	if err := rows.Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if !n.Valid {
		return -1
	}
	return n.Int64
}

func dialectOptions(exclude ...string) dialect.InspectOptions {
	return dialect.InspectOptions{Exclude: exclude}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
