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
