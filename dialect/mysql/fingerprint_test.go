package mysql_test

import (
	"context"
	"testing"

	"github.com/strata-go/strata/dialect/mysql"
)

// TestFingerprint: every kind of DDL moves the fingerprint, no DML does,
// and strata's own tables are left out; both for the whole schema and
// for the part a statement can change (as the runner takes it).
func TestFingerprint(t *testing.T) {
	db, d := fresh(t)
	ctx := context.Background()
	exclude := []string{"strata_revisions", "strata_revisions_progress"}
	fp := func(stmt string) string {
		t.Helper()
		s, err := d.Fingerprint(ctx, db, stmt, exclude)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mustExec(t, db, "CREATE TABLE p (id INT PRIMARY KEY)")
	steps := []struct {
		stmt    string
		changes bool
	}{
		{"CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, a VARCHAR(10), p INT)", true},
		{"INSERT INTO t (a) VALUES ('x'), ('y')", false},
		{"UPDATE t SET a = 'z'", false},
		{"DELETE FROM t WHERE a = 'nothing'", false},
		{"ALTER TABLE t ADD COLUMN b INT", true},
		{"ALTER TABLE t MODIFY a VARCHAR(20)", true},
		{"ALTER TABLE t MODIFY a VARCHAR(20) NOT NULL", true},
		{"ALTER TABLE t ALTER a SET DEFAULT 'd'", true},
		{"ALTER TABLE t COMMENT 'c'", true},
		{"ALTER TABLE t MODIFY b INT COMMENT 'b'", true},
		{"CREATE INDEX t_a ON t (a)", true},
		{"ALTER TABLE t RENAME INDEX t_a TO t_a2", true},
		{"CREATE UNIQUE INDEX t_b ON t (b)", true},
		{"ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (p) REFERENCES p (id)", true},
		{"ALTER TABLE t DROP FOREIGN KEY t_p", true},
		{"ALTER TABLE t ADD CONSTRAINT t_chk CHECK (b > 0)", true},
		{"CREATE VIEW v AS SELECT a FROM t", true},
		{"CREATE OR REPLACE VIEW v AS SELECT a, b FROM t", true},
		{"CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.b = 1", true},
		{"CREATE PROCEDURE pr() SELECT 1", true},
		{"CREATE FUNCTION fn(x INT) RETURNS INT DETERMINISTIC RETURN x + 1", true},
		{"ALTER TABLE `t` ADD COLUMN c INT", true},
		{"ALTER ONLINE TABLE IF EXISTS t DROP COLUMN c", true},
		{"DROP INDEX t_b ON t", true},
		{"CREATE INDEX t_ab ON t (a, b) COMMENT 'on'", true},
		{"TRUNCATE TABLE t", false},
		{"CREATE TABLE IF NOT EXISTS t (x INT)", false},
		{"CREATE OR REPLACE TABLE p (id INT PRIMARY KEY, z INT)", true},
		{"/*!50000 ALTER TABLE p ADD COLUMN y INT */", true},
		{"RENAME TABLE t TO t2", true},
		{"INSERT INTO strata_revisions_progress VALUES (1)", false},
		{"DROP TABLE strata_revisions_progress", false},
		{"DROP VIEW v", true},
		{"DROP TABLE t2", true},
	}
	mustExec(t, db, "CREATE TABLE strata_revisions_progress (x INT)")
	if a, b := fp(""), fp(""); a != b {
		t.Fatalf("two fingerprints of one schema differ: %s, %s", a, b)
	}
	for _, s := range steps {
		whole, scoped := fp(""), fp(s.stmt)
		mustExec(t, db, s.stmt)
		if changed := fp("") != whole; changed != s.changes {
			t.Errorf("%s: the whole schema's fingerprint changed %t, want %t", s.stmt, changed, s.changes)
		}
		if changed := fp(s.stmt) != scoped; changed != s.changes {
			t.Errorf("%s: the statement's fingerprint changed %t, want %t", s.stmt, changed, s.changes)
		}
	}
}

// TestTransactional: DML is told from DDL by its tokens, not by text a
// comment or a string holds.
func TestTransactional(t *testing.T) {
	d := &mysql.Dialect{}
	for stmt, want := range map[string]bool{
		"INSERT INTO t VALUES (1)":                                          true,
		"  update t set a = 1":                                              true,
		"DELETE FROM t":                                                     true,
		"REPLACE INTO t VALUES (1)":                                         true,
		"LOAD DATA INFILE 'x' INTO TABLE t":                                 true,
		"WITH x AS (SELECT 1) UPDATE t, x SET t.a = 1":                      true,
		"WITH x AS (SELECT 1 FROM u) SELECT * FROM x":                       false,
		"WITH RECURSIVE x AS (SELECT 1), y (a) AS (SELECT 2) DELETE FROM t": true,
		"WITH x AS (SELECT 'UPDATE') SELECT * FROM x":                       false,
		"LOAD XML INFILE 'x' INTO TABLE t":                                  true,
		"LOAD INDEX INTO CACHE t":                                           false,
		"/*!50001 REPLACE INTO t VALUES (1) */":                             true,
		"CREATE INDEX i ON t (a)":                                           false,
		"/* INSERT */ CREATE TABLE t (a INT)":                               false,
		"-- INSERT INTO t\nALTER TABLE t ADD b INT":                         false,
		"# DELETE\nDROP TABLE t":                                            false,
		"/*!40000 INSERT INTO t VALUES (1) */":                              true,
		"/*!50001 CREATE VIEW v AS SELECT 1 */":                             false,
		"CREATE TABLE t AS SELECT 'INSERT' AS a":                            false,
		"CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET @a=1":         false,
		"SET @x = 1":   false,
		"CALL p()":     false,
		"":             false,
		"INSERT 'open": false,
	} {
		if got := d.Transactional(stmt); got != want {
			t.Errorf("Transactional(%q) = %t, want %t", stmt, got, want)
		}
	}
}
