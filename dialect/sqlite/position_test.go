package sqlite_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
)

// TestDowngradePutsColumnsBack drops columns from the middle and the end
// of a table holding rows: the downgrade puts each back where it stood
// (a rebuild for the middle one), keeping the rows.
func TestDowngradePutsColumnsBack(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	want, _ := open(t)
	exec(t, db, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER NOT NULL DEFAULT 7, c TEXT, d TEXT)`,
		`INSERT INTO t (id, a, c, d) VALUES (1, 'x', 'y', 'z'), (2, NULL, 'w', NULL)`)
	exec(t, want, `CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)`)
	from, to := inspect(t, d, db), inspect(t, d, want)
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	up := renderAll(t, d, from, ops...)
	inTx(t, db, up)
	down := renderAll(t, d, inspect(t, d, db), reverse...)
	inTx(t, db, down)
	if got := strings.Join(rows(t, db, "SELECT name FROM pragma_table_info('t') ORDER BY cid"), ","); got != "id,a,b,c,d" {
		t.Errorf("columns after the downgrade %s, want id,a,b,c,d\n%s", got, strings.Join(down, ";\n"))
	}
	if got := strings.Join(rows(t, db, "SELECT id || ':' || b || ':' || c FROM t ORDER BY id"), ","); got != "1:7:y,2:7:w" {
		t.Errorf("rows after the downgrade %s, want 1:7:y,2:7:w", got)
	}
}

// TestDowngradeLastColumnNoRebuild drops the last column: the downgrade
// adds it back with ALTER TABLE alone.
func TestDowngradeLastColumnNoRebuild(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	want, _ := open(t)
	exec(t, db, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, d TEXT)`)
	exec(t, want, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)`)
	from := inspect(t, d, db)
	ops, err := diff.Schemas(from, inspect(t, d, want))
	if err != nil {
		t.Fatal(err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	inTx(t, db, renderAll(t, d, from, ops...))
	down := renderAll(t, d, inspect(t, d, db), reverse...)
	if len(down) != 1 || !strings.HasPrefix(down[0], "ALTER TABLE") {
		t.Errorf("downgrade %q, want one ALTER TABLE", down)
	}
}
