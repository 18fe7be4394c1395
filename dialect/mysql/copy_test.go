package mysql_test

import (
	"context"
	"testing"
)

// TestCopyForRehearsal: the copy a dry run runs on carries what revisions
// use besides tables and rows: generated and invisible columns, views
// (one reading another), triggers and routines, MariaDB's sequences. A
// trigger or routine whose body names the original database by name acts
// on the copy, never on the original.
func TestCopyForRehearsal(t *testing.T) {
	ctx := context.Background()
	src, d := fresh(t)
	dst, _ := fresh(t)
	var srcDB string
	if err := src.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&srcDB); err != nil {
		t.Fatal(err)
	}
	q := "`" + srcDB + "`"
	mustExec(t, src,
		"CREATE TABLE people (id INT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL, name_len INT AS (CHAR_LENGTH(name)) VIRTUAL, secret INT INVISIBLE DEFAULT 7)",
		"INSERT INTO people (id, name, secret) VALUES (1, 'ann', 42)",
		"CREATE TABLE pets (id INT NOT NULL PRIMARY KEY, name VARCHAR(20))",
		"INSERT INTO pets VALUES (1, 'rex')",
		"CREATE TABLE audit (id INT NOT NULL PRIMARY KEY)",
		"CREATE VIEW named AS SELECT id, name FROM people",
		"CREATE VIEW named2 AS SELECT id FROM named",
		"CREATE TRIGGER audit_pets AFTER INSERT ON audit FOR EACH ROW UPDATE "+q+".pets SET name = 'trigger'",
		"CREATE PROCEDURE rename_pets() UPDATE "+q+".pets SET name = 'procedure'",
	)
	if d.MariaDB() {
		mustExec(t, src, "CREATE SEQUENCE ids")
	}
	if err := d.CopyForRehearsal(ctx, src, dst, []string{"people", "pets"}, -1); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, dst, "SELECT secret FROM people WHERE id = 1"); n != 42 {
		t.Errorf("the invisible column's value: %d, want 42", n)
	}
	if n := queryInt(t, dst, "SELECT name_len FROM people WHERE id = 1"); n != 3 {
		t.Errorf("the generated column: %d, want 3", n)
	}
	if n := queryInt(t, dst, "SELECT COUNT(*) FROM named2"); n != 1 {
		t.Errorf("the view over a view reads %d rows, want 1", n)
	}
	mustExec(t, dst, "INSERT INTO audit VALUES (1)", "DROP VIEW named2", "DROP VIEW named")
	if n := queryInt(t, dst, "SELECT COUNT(*) FROM pets WHERE name = 'trigger'"); n != 1 {
		t.Errorf("the copied trigger did not act on the copy")
	}
	mustExec(t, dst, "CALL rename_pets()", "DROP TRIGGER audit_pets", "DROP PROCEDURE rename_pets")
	if n := queryInt(t, dst, "SELECT COUNT(*) FROM pets WHERE name = 'procedure'"); n != 1 {
		t.Errorf("the copied procedure did not act on the copy")
	}
	if d.MariaDB() {
		mustExec(t, dst, "SELECT NEXTVAL(ids)")
	}
	if n := queryInt(t, src, "SELECT COUNT(*) FROM pets WHERE name = 'rex'"); n != 1 {
		t.Errorf("running the copy's trigger and procedure changed the original's rows")
	}
}
