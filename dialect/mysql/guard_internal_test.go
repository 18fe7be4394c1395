package mysql

import (
	"strings"
	"testing"
)

// FuzzFollow feeds any statements to the guard's model of the catalog:
// it must never panic, whatever it cannot read.
func FuzzFollow(f *testing.F) {
	for _, s := range []string{
		"RENAME TABLE t TO u;DROP TABLE u", "ALTER TABLE t DROP COLUMN a, MODIFY b VARCHAR(1) NOT NULL",
		"INSERT INTO u (a) SELECT a FROM t", "CREATE TABLE u AS SELECT * FROM t", "CREATE TABLE u LIKE t",
		"UPDATE t, u SET t.a = 1", "DELETE FROM t", "ALTER TABLE t CHANGE a c ENUM('x') , RENAME TO v",
		"ALTER TABLE t DROP PARTITION p1, TRUNCATE PARTITION ALL", "CREATE OR REPLACE TABLE t (a INT)",
		"INSERT INTO t (SELECT", "ALTER TABLE t ADD (", "CREATE TABLE", "RENAME TABLE t TO",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, stmts string) {
		m := &model{db: "d", tables: map[string]*simTable{}, tableRefs: map[origin]int{}, colRefs: map[colRef]int{}, reported: map[string]bool{}}
		tt := &simTable{name: "t", holds: map[origin]bool{"t": true}}
		for _, c := range []string{"a", "b"} {
			ref := colRef{"t", c}
			tt.cols = append(tt.cols, &simCol{name: c, typ: sqlType{base: "varchar", args: []string{"10"}}, nullable: true, holds: &ref})
			m.colRefs[ref]++
		}
		m.tables["t"] = tt
		m.tableRefs["t"] = 1
		for i, s := range strings.Split(stmts, ";") {
			m.follow(i, Mode{}.Classify(s))
		}
	})
}

// TestFingerprintScope: the part of the catalog a statement can change
// comes from Classify, so comments and executable comments read as the
// server reads them.
func TestFingerprintScope(t *testing.T) {
	type scope struct {
		table             string
		namesOnly, scoped bool
	}
	for stmt, want := range map[string]scope{
		"CREATE TABLE IF NOT EXISTS t (a INT)":        {"t", false, true},
		"CREATE OR REPLACE TABLE `t` (a INT)":         {"t", false, true},
		"CREATE TEMPORARY TABLE t (a INT)":            {"", false, false},
		"CREATE TABLE db.t (a INT)":                   {"", false, false},
		"ALTER ONLINE TABLE IF EXISTS t DROP c":       {"t", false, true},
		"/*!50000 ALTER TABLE p ADD COLUMN y INT */":  {"p", false, true},
		"/* ALTER TABLE q */ ALTER TABLE p ADD y INT": {"p", false, true},
		"CREATE UNIQUE INDEX i ON t (a)":              {"t", false, true},
		"DROP INDEX i ON `t`":                         {"t", false, true},
		"DROP INDEX i ON db.t":                        {"", false, false},
		"DROP TABLE a, b":                             {"", true, true},
		"DROP TEMPORARY TABLE a":                      {"", false, false},
		"RENAME TABLE a TO b":                         {"", true, true},
		"TRUNCATE t":                                  {"", true, true},
		"CREATE VIEW v AS SELECT 1":                   {"", false, false},
		"INSERT INTO t VALUES (1)":                    {"", false, false},
		"ALTER TABLE 'open":                           {"", false, false},
	} {
		var got scope
		got.table, got.namesOnly, got.scoped = fingerprintScope(stmt)
		if got != want {
			t.Errorf("fingerprintScope(%q) = %+v, want %+v", stmt, got, want)
		}
	}
}
