package mysql_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		sql    string
		kind   mysql.StatementKind
		tables string
	}{
		{"DROP /* c */ TABLE t", mysql.DropTable, "t"},
		{"drop table if exists `a`, b, `db`.`c`;", mysql.DropTable, "a b db.c"},
		{"DROP -- why\nTABLE t", mysql.DropTable, "t"},
		{"/*!40000 DROP TABLE t */", mysql.DropTable, "t"},
		{"DROP TEMPORARY TABLE t", mysql.DropTable, "t"},
		{"DROP INDEX i ON t", mysql.DropIndex, "t"},
		{"DROP INDEX `i` ON db.t ALGORITHM=INPLACE", mysql.DropIndex, "db.t"},
		{"CREATE UNIQUE INDEX i ON `t` (a) COMMENT 'ON u'", mysql.CreateIndex, "t"},
		{"CREATE FULLTEXT INDEX i ON t (a)", mysql.CreateIndex, "t"},
		{"LOAD DATA LOCAL INFILE 'f' REPLACE INTO TABLE t", mysql.LoadData, "t"},
		{"LOAD XML INFILE 'f' INTO TABLE db.t ROWS IDENTIFIED BY '<r>'", mysql.LoadData, "db.t"},
		{"WITH x AS (SELECT 1) UPDATE t, x SET t.a = 1", mysql.Update, "t x"},
		{"WITH RECURSIVE x (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3), y AS (SELECT 2) DELETE FROM t", mysql.Delete, "t"},
		{"WITH x AS (SELECT 1 FROM u) SELECT * FROM x", mysql.OtherDML, ""},
		{"CALL p()", mysql.OtherDML, ""},
		{"DROP VIEW v", mysql.OtherDDL, ""},
		{"DROP SCHEMA IF EXISTS app", mysql.DropDatabase, "app"},
		{"CREATE TABLE IF NOT EXISTS x (id int)", mysql.CreateTable, "x"},
		{"CREATE OR REPLACE TABLE x (id int)", mysql.CreateTable, "x"},
		{"CREATE INDEX i ON t (a)", mysql.CreateIndex, "t"},
		{"CREATE VIEW v AS SELECT * FROM t", mysql.OtherDDL, ""},
		{"RENAME TABLE a TO b, c TO `d`", mysql.RenameTable, "a b c d"},
		{"ALTER TABLE t RENAME TO u", mysql.AlterTable, "t"},
		{"ALTER ONLINE IGNORE TABLE t DROP COLUMN c", mysql.AlterTable, "t"},
		{"TRUNCATE t", mysql.TruncateTable, "t"},
		{"TRUNCATE TABLE `t`", mysql.TruncateTable, "t"},
		{"INSERT INTO t SELECT * FROM u", mysql.Insert, "t"},
		{"REPLACE INTO t VALUES (1)", mysql.Insert, "t"},
		{"UPDATE t JOIN u ON t.id = u.id SET t.a = 1", mysql.Update, "t u"},
		{"DELETE FROM t", mysql.Delete, "t"},
		{"SELECT 'DROP TABLE t'", mysql.OtherDML, ""},
		{"-- DROP TABLE t\nSELECT 1", mysql.OtherDML, ""},
		{"SET SESSION sql_mode = ''", mysql.Session, ""},
		{"FROBNICATE t", mysql.Unknown, ""},
		{"DROP TABLE 'unterminated", mysql.Unknown, ""},
	}
	for _, c := range cases {
		st := mysql.Classify(c.sql)
		var names []string
		for _, n := range st.Tables {
			names = append(names, n.String())
		}
		if st.Kind != c.kind || strings.Join(names, " ") != c.tables {
			t.Errorf("Classify(%q) = %s %v, want %s %s", c.sql, st.Kind, names, c.kind, c.tables)
		}
	}
	if st := mysql.Classify("DROP TEMPORARY TABLE IF EXISTS t"); !st.Temporary || !st.IfExists {
		t.Errorf("DROP TEMPORARY TABLE IF EXISTS: %+v", st)
	}
	if st := mysql.Classify("CREATE OR REPLACE TABLE x (id int)"); !st.OrReplace {
		t.Errorf("CREATE OR REPLACE: %+v", st)
	}
	if !mysql.Classify("FROBNICATE").Kind.DDL() || mysql.Classify("INSERT INTO t VALUES (1)").Kind.DDL() {
		t.Error("DDL(): unknown must count as DDL, INSERT must not")
	}
}

// TestGuardFollowsEffects predicts each case's losses on a database
// holding rows, following the statements' effects rather than their
// spelling.
func TestGuardFollowsEffects(t *testing.T) {
	ctx := context.Background()
	db, d := fresh(t)
	mustExec(t, db,
		"CREATE TABLE t (id INT PRIMARY KEY, title VARCHAR(500), n INT, price DECIMAL(10,2), status ENUM('new','old','gone'), at DATETIME, note VARCHAR(20))",
		"INSERT INTO t VALUES (1, 'a much longer title', 300, 12345.67, 'gone', '2026-01-02 03:04:05', NULL), (2, 'short', 5, 1.5, 'new', '2026-01-02 00:00:00', 'x'), (3, 'abc', -7, 0.25, 'old', NULL, NULL)",
		"CREATE TABLE x (id INT PRIMARY KEY)",
		"INSERT INTO x VALUES (1), (2)",
		"CREATE TABLE e (id INT PRIMARY KEY, c VARCHAR(10))",
		"CREATE TABLE words (w TEXT)",
		"INSERT INTO words VALUES ('12'), ('twelve')",
		"CREATE TABLE pt (id INT PRIMARY KEY) PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN (20), PARTITION p2 VALUES LESS THAN MAXVALUE)",
		"INSERT INTO pt VALUES (1), (2), (15), (25)",
	)
	var dbName string
	if err := db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&dbName); err != nil {
		t.Fatal(err)
	}
	type loss struct {
		stmt    int
		what    string // table or table.column
		rows    int64
		example string
	}
	cases := []struct {
		name  string
		stmts []string
		want  []loss
	}{
		{"rename then drop the renamed table", []string{"RENAME TABLE x TO y", "DROP TABLE y"}, []loss{{1, "y", 2, ""}}},
		{"alter rename then drop", []string{"ALTER TABLE x RENAME TO y", "DROP TABLE IF EXISTS `y`"}, []loss{{1, "y", 2, ""}}},
		{"rename then drop the old name", []string{"RENAME TABLE x TO y", "DROP TABLE IF EXISTS x"}, nil},
		{"create if not exists then drop", []string{"CREATE TABLE IF NOT EXISTS x (id INT)", "DROP TABLE x"}, []loss{{1, "x", 2, ""}}},
		{"a table created in the run", []string{"CREATE TABLE fresh (id INT)", "INSERT INTO fresh VALUES (1)", "DROP TABLE fresh"}, nil},
		{"comment inside DROP TABLE", []string{"DROP /* c */ TABLE t"}, []loss{{0, "t", 3, ""}}},
		{"executable comment", []string{"/*!40000 DROP TABLE x */"}, []loss{{0, "x", 2, ""}}},
		{"drop in a list", []string{"DROP TABLE e, `x`, t"}, []loss{{0, "x", 2, ""}, {0, "t", 3, ""}}},
		{"drop partitions", []string{"ALTER TABLE pt DROP PARTITION p0, p1"}, []loss{{0, "pt", 3, ""}}},
		{"truncate a partition", []string{"ALTER TABLE pt TRUNCATE PARTITION p2"}, []loss{{0, "pt", 1, ""}}},
		{"drop of an empty table", []string{"DROP TABLE e"}, nil},
		{"truncate", []string{"TRUNCATE x"}, []loss{{0, "x", 2, ""}}},
		{"delete without where is intended", []string{"DELETE FROM x", "DROP TABLE x"}, nil},
		{"delete with a limit is not", []string{"DELETE FROM x LIMIT 1", "DROP TABLE x"}, []loss{{1, "x", 2, ""}}},
		{"delete without where behind WITH is intended", []string{"WITH k AS (SELECT 1) DELETE FROM x", "DROP TABLE x"}, nil},
		{"delete with where behind WITH is not", []string{"WITH k AS (SELECT 1 AS one) DELETE FROM x WHERE id IN (SELECT one FROM k)", "DROP TABLE x"}, []loss{{1, "x", 2, ""}}},
		{"drop the database", []string{"DROP DATABASE IF EXISTS `" + dbName + "`"}, []loss{{0, "pt", 4, ""}, {0, "t", 3, ""}, {0, "words", 2, ""}, {0, "x", 2, ""}}},
		{"copy, drop, rename rebuild keeps the data", []string{
			"CREATE TABLE x_new (id INT PRIMARY KEY)",
			"INSERT INTO x_new (id) SELECT id FROM x",
			"DROP TABLE x",
			"RENAME TABLE x_new TO x",
		}, nil},
		{"rebuild that leaves a column out", []string{
			"CREATE TABLE t_new (id INT PRIMARY KEY, title VARCHAR(500), n INT, price DECIMAL(10,2), status VARCHAR(10), at DATETIME)",
			"INSERT INTO t_new SELECT id, title, n, price, status, at FROM t",
			"DROP TABLE t",
			"ALTER TABLE t_new RENAME t",
		}, []loss{{2, "t.note", 1, "'x'"}}},
		{"partial copy is no copy", []string{
			"CREATE TABLE x_new LIKE x",
			"INSERT INTO x_new SELECT * FROM x WHERE id = 1",
			"DROP TABLE x",
		}, []loss{{2, "x", 2, ""}}},
		{"create as select keeps it", []string{"CREATE TABLE keep AS SELECT * FROM x", "DROP TABLE x"}, nil},
		{"drop column", []string{"ALTER TABLE t DROP COLUMN note, DROP INDEX `PRIMARY`"}, []loss{{0, "t.note", 1, "'x'"}}},
		{"drop renamed column", []string{"ALTER TABLE t RENAME COLUMN note TO memo", "ALTER TABLE t DROP memo"}, []loss{{1, "t.memo", 1, "'x'"}}},
		{"narrow varchar", []string{"ALTER TABLE t MODIFY title VARCHAR(5)"}, []loss{{0, "t.title", 1, "'a much longer title'"}}},
		{"widen varchar", []string{"ALTER TABLE t MODIFY title VARCHAR(1000)"}, nil},
		{"narrow int", []string{"ALTER TABLE t CHANGE COLUMN n n TINYINT"}, []loss{{0, "t.n", 1, "'300'"}}},
		{"int unsigned", []string{"ALTER TABLE t MODIFY n INT UNSIGNED"}, []loss{{0, "t.n", 1, "'-7'"}}},
		{"decimal scale", []string{"ALTER TABLE t MODIFY price DECIMAL(10,1)"}, []loss{{0, "t.price", 2, "'12345.67'"}}},
		{"decimal precision", []string{"ALTER TABLE t MODIFY price DECIMAL(5,2)"}, []loss{{0, "t.price", 1, "'12345.67'"}}},
		{"datetime to date", []string{"ALTER TABLE t MODIFY at DATE"}, []loss{{0, "t.at", 1, "'2026-01-02 03:04:05'"}}},
		{"enum value removed", []string{"ALTER TABLE t MODIFY status ENUM('new','old')"}, []loss{{0, "t.status", 1, "'gone'"}}},
		{"enum value added", []string{"ALTER TABLE t MODIFY status ENUM('new','old','gone','more')"}, nil},
		{"text to int", []string{"ALTER TABLE words MODIFY w INT"}, []loss{{0, "words.w", 1, "'twelve'"}}},
		{"not null over nulls", []string{"ALTER TABLE t MODIFY note VARCHAR(20) NOT NULL DEFAULT ''"}, []loss{{0, "t.note", 2, "NULL"}}},
		{"a check is no NOT NULL", []string{"ALTER TABLE t MODIFY note VARCHAR(20) DEFAULT (NULL) CHECK (note IS NOT NULL OR id > 0)"}, nil},
		{"backfilled before not null", []string{"UPDATE t SET note = '' WHERE note IS NULL", "ALTER TABLE t MODIFY note VARCHAR(20) NOT NULL"}, nil},
		{"narrow after rename", []string{"RENAME TABLE t TO t2", "ALTER TABLE t2 CHANGE title name VARCHAR(5)"}, []loss{{1, "t2.title", 1, "'a much longer title'"}}},
		{"a quoted string is not a statement", []string{"SELECT 'DROP TABLE x'", "INSERT INTO e (c) VALUES ('DROP TABLE t')"}, nil},
		{"create or replace", []string{"CREATE OR REPLACE TABLE x (id INT)"}, []loss{{0, "x", 2, ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := d.PredictLosses(ctx, db, c.stmts)
			if err != nil {
				t.Fatal(err)
			}
			var g, w []string
			for _, l := range got {
				g = append(g, show(l))
			}
			for _, l := range c.want {
				table, col, _ := strings.Cut(l.what, ".")
				w = append(w, show(dialect.PredictedLoss{Statement: l.stmt, Table: table, Column: col, Rows: l.rows, Example: l.example}))
			}
			if strings.Join(g, "\n") != strings.Join(w, "\n") {
				t.Errorf("losses of %q:\n got %s\nwant %s\n(full: %+v)", c.stmts, g, w, got)
			}
		})
	}
	// More losses than one counting query holds: every one counted.
	var cols, drops []string
	for i := range 130 {
		cols = append(cols, fmt.Sprintf("c%d INT", i))
		drops = append(drops, fmt.Sprintf("DROP COLUMN c%d", i))
	}
	mustExec(t, db, "CREATE TABLE wide (id INT PRIMARY KEY, "+strings.Join(cols, ", ")+")", "INSERT INTO wide (id, c0, c129) VALUES (1, 7, 9)")
	got, err := d.PredictLosses(ctx, db, []string{"ALTER TABLE wide " + strings.Join(drops, ", ")})
	if err != nil || len(got) != 2 || show(got[0]) != "#0 wide.c0 1 '7'" || show(got[1]) != "#0 wide.c129 1 '9'" {
		t.Fatalf("130 dropped columns, two holding values: %+v, %v", got, err)
	}

	// Under ANSI_QUOTES, "x" names the table: the guard reads statements
	// as strata's session does.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	mustExec(t, conn, "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')")
	got, err = d.PredictLosses(ctx, conn, []string{`RENAME TABLE "x" TO "y"`, `DROP TABLE "y"`})
	if err != nil || len(got) != 1 || show(got[0]) != "#1 y 2 " {
		t.Fatalf("under ANSI_QUOTES: %+v, %v", got, err)
	}

	// The prediction changed nothing.
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM x").Scan(&n); err != nil || n != 2 {
		t.Fatalf("x after predicting: %d rows, %v", n, err)
	}
}

func show(l dialect.PredictedLoss) string {
	what := l.Table
	if l.Column != "" {
		what += "." + l.Column
	}
	return fmt.Sprintf("#%d %s %d %s", l.Statement, what, l.Rows, l.Example)
}

// TestNames: the names a dry run on a copy takes the rows of are read by
// the lexer: not from comments or single-quoted strings, but from
// executable comments and double-quoted strings (names under ANSI_QUOTES).
func TestNames(t *testing.T) {
	d := &mysql.Dialect{}
	got := strings.Join(d.Names("INSERT INTO db.t SELECT * FROM `u` /* v */ WHERE a = 'w' -- x\n AND \"y\" /*!50000 AND z */"), " ")
	if want := "INSERT INTO db t SELECT FROM u WHERE a AND y AND z"; got != want {
		t.Errorf("Names = %q, want %q", got, want)
	}
}
