package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// TestDowngradeColumnAtEnd drops a column from the middle of a table:
// PostgreSQL cannot place a column, so the downgrade adds it back at the
// end (see docs/dialects.md), and a move is refused rather than ignored.
func TestDowngradeColumnAtEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, d := freshDB(t)
	mustExec(t, db, `CREATE TABLE t (id int PRIMARY KEY, a text, b text)`, `INSERT INTO t VALUES (1, 'x', 'y')`)
	from := inspect(t, d, db)
	to := from.Clone()
	tb, _ := to.Table("t")
	tb.Columns = tb.Columns[:1:1]
	tb.Columns = append(tb.Columns, from.Tables[0].Columns[2].Clone())
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	if add, ok := reverse[0].(op.AddColumn); !ok || add.Position != (op.Position{After: "id"}) {
		t.Fatalf("inverse %v, want the column added after id", reverse)
	}
	running := from.Clone()
	up, err := dialect.RenderOps(d, running, ops)
	if err != nil {
		t.Fatal(err)
	}
	down, err := dialect.RenderOps(d, running, reverse)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, up...)
	mustExec(t, db, down...)
	var names string
	if err := db.QueryRowContext(ctx, `SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 't'`).Scan(&names); err != nil {
		t.Fatal(err)
	}
	if names != "id,b,a" {
		t.Errorf("columns %s, want id,b,a", names)
	}
	_, err = d.Render(inspect(t, d, db), op.MoveColumn{Table: "t", Column: &schema.Column{Name: "a"}, To: op.Position{After: "id"}})
	if err == nil || !strings.Contains(err.Error(), "cannot move a column") {
		t.Errorf("MoveColumn: %v, want an error", err)
	}
}
