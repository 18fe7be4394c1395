package revision_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
)

// sqlSpace is white space to SQL (PostgreSQL's lexer).
const sqlSpace = " \t\n\r\f\v"

var update = flag.Bool("update", false, "rewrite the golden files of testdata/split")

// formatStatements renders Split's result as a golden file: each
// statement under a "=== line N" header, or the error.
func formatStatements(stmts []revision.Statement, err error) string {
	if err != nil {
		return "=== error\n" + err.Error() + "\n"
	}
	var b strings.Builder
	for _, s := range stmts {
		fmt.Fprintf(&b, "=== line %d\n%s\n", s.Line, s.SQL)
	}
	return b.String()
}

// TestSplitGolden splits each testdata/split/*.sql and compares the
// statements and their lines with the sibling .golden file. Run with
// -update to rewrite the golden files, and review their diff.
func TestSplitGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "split", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/split/*.sql files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			stmts, err := revision.Split(text, 1)
			if err == nil {
				checkStatements(t, text, 1, stmts)
			}
			got := formatStatements(stmts, err)
			// A file named for a dialect splits the same read as that
			// dialect as without one.
			for _, d := range []string{"mysql", "postgres", "sqlite"} {
				if strings.HasSuffix(name, "_"+d) {
					stmts, err := revision.Split(text, 1, revision.ForDialect(d))
					if as := formatStatements(stmts, err); as != got {
						t.Errorf("Split(%s) read as %s:\n%s\nwithout a dialect:\n%s", file, d, as, got)
					}
				}
			}
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Split(%s) differs from %s:\n--- got\n%s--- want\n%s", file, golden, got, want)
			}
		})
	}
}

// checkStatements checks what holds for any text: statements are
// non-empty, trimmed pieces of text, in order, each starting on its
// line.
func checkStatements(t *testing.T, text string, firstLine int, stmts []revision.Statement) {
	t.Helper()
	pos := 0
	for i, s := range stmts {
		if s.SQL == "" || s.SQL != strings.Trim(s.SQL, sqlSpace) {
			t.Errorf("statement %d: %q is empty or not trimmed", i, s.SQL)
		}
		j := strings.Index(text[pos:], s.SQL)
		if j < 0 {
			t.Errorf("statement %d: %q is not in the text after offset %d", i, s.SQL, pos)
			continue
		}
		pos += j
		if line := firstLine + strings.Count(text[:pos], "\n"); s.Line != line {
			t.Errorf("statement %d: %q: line %d, want %d", i, s.SQL, s.Line, line)
		}
		pos += len(s.SQL)
	}
}

func TestSplitFirstLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		text      string
		firstLine int
		wantLines []int
		wantErr   string
	}{
		{"offset", "\nSELECT 1;\n\nSELECT\n2;", 10, []int{11, 13}, ""},
		{"zero", "SELECT 1;\nSELECT 2;", 0, []int{0, 1}, ""},
		{"error line", "SELECT 1;\n\n'open", 7, nil, "line 9: unterminated ' quote"},
		{"error line after multi-line quote", "SELECT 'a\nb';\n\"c\nd\";\n`open", 1, nil, "line 5: unterminated ` quote"},
		{"error line after block comment", "/*\n\n*/ SELECT $$\n", 1, nil, "line 3: unterminated dollar quote $$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stmts, err := revision.Split(tt.text, tt.firstLine)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Split error %v, want %q", err, tt.wantErr)
				}
				if stmts != nil {
					t.Errorf("Split returned statements with its error: %v", stmts)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, s := range stmts {
				lines = append(lines, s.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(tt.wantLines) {
				t.Errorf("lines %v, want %v", lines, tt.wantLines)
			}
			checkStatements(t, tt.text, tt.firstLine, stmts)
		})
	}
}

func FuzzSplit(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "split", "*.sql"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for d := range fuzzDialects {
			f.Add(string(data), 1, uint8(d))
		}
	}
	f.Add("SELECT 1; SELECT 2", 5, uint8(0))
	f.Add("CREATE TRIGGER t BEGIN SELECT 1; END; SELECT 2;", 0, uint8(0))
	f.Add("DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 'a\\'b;'; END$$\nDELIMITER ;\nSELECT 1", 3, uint8(3))
	f.Add("# c\nSELECT 1--1; /*! SET x=1 */; SELECT [a;b], E'\\'';", 1, uint8(2))
	f.Fuzz(func(t *testing.T, text string, firstLine int, dialect uint8) {
		firstLine %= 1 << 20
		name := fuzzDialects[int(dialect)%len(fuzzDialects)]
		var opts []revision.SplitOption
		if name != "" {
			opts = append(opts, revision.ForDialect(name))
		}
		stmts, err := revision.Split(text, firstLine, opts...)
		if err != nil {
			if stmts != nil {
				t.Errorf("statements with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("error %q does not give the line", err)
			}
			return
		}
		last := firstLine + strings.Count(text, "\n")
		prev := firstLine
		for i, s := range stmts {
			if !strings.Contains(text, s.SQL) {
				t.Errorf("statement %d %q is not a substring of the input", i, s.SQL)
			}
			if s.SQL == "" || s.SQL != strings.Trim(s.SQL, sqlSpace) {
				t.Errorf("statement %d %q is empty or not trimmed", i, s.SQL)
			}
			if s.Line < prev || s.Line > last {
				t.Errorf("statement %d %q: line %d outside %d..%d", i, s.SQL, s.Line, prev, last)
			}
			prev = s.Line
		}
		// Splitting a statement again yields that statement, unless a
		// DELIMITER line said where it ends, or the dialect is unknown and
		// backslashes may have been read as MySQL's.
		if strings.Contains(strings.ToUpper(text), "DELIMITER") || name == "" && strings.Contains(text, "\\") {
			return
		}
		for i, s := range stmts {
			if name == "mysql" && strings.HasSuffix(s.SQL, "--") {
				continue // MySQL's -- comments at the end of the text, not before a byte such as #
			}
			again, err := revision.Split(s.SQL, s.Line, opts...)
			if err != nil || len(again) != 1 || again[0] != s {
				t.Errorf("statement %d %q split again: %v, %v", i, s.SQL, again, err)
			}
		}
	})
}

// fuzzDialects are the dialects FuzzSplit reads text as; "" is none.
var fuzzDialects = []string{"", "postgres", "sqlite", "mysql"}

// TestSplitDialects covers what the databases read differently: backslash
// escapes, comments, compound statements and DELIMITER lines. dialect ""
// is Split without ForDialect.
func TestSplitDialects(t *testing.T) {
	t.Parallel()
	type st = revision.Statement
	procedure := "CREATE PROCEDURE drop_fk(IN tbl VARCHAR(64), IN fk VARCHAR(64))\n" +
		"BEGIN\n" +
		"    IF EXISTS(SELECT * FROM information_schema.TABLE_CONSTRAINTS\n" +
		"        WHERE TABLE_NAME = tbl AND CONSTRAINT_NAME = fk) THEN\n" +
		"        SET @q = CONCAT('ALTER TABLE ', tbl, ' DROP FOREIGN KEY ', fk, ';');\n" +
		"        PREPARE stmt FROM @q;\n" +
		"        EXECUTE stmt;\n" +
		"        DEALLOCATE PREPARE stmt;\n" +
		"    END IF;\n" +
		"END"
	tests := []struct {
		name, dialect, text string
		want                []st
		wantErr             string
	}{
		// Backslashes.
		{"mysql backslash quote", "mysql", "INSERT INTO t VALUES ('it\\'s; fine');\nSELECT 2;",
			[]st{{"INSERT INTO t VALUES ('it\\'s; fine')", 1}, {"SELECT 2", 2}}, ""},
		{"mysql backslash double quote", "mysql", "SELECT \"a\\\";b\";\nSELECT 2;",
			[]st{{"SELECT \"a\\\";b\"", 1}, {"SELECT 2", 2}}, ""},
		{"mysql escaped backslash", "mysql", "SELECT '\\\\'; SELECT 'x;y';",
			[]st{{"SELECT '\\\\'", 1}, {"SELECT 'x;y'", 1}}, ""},
		{"mysql doubled quote", "mysql", "SELECT 'a''b;c';\nSELECT 2;",
			[]st{{"SELECT 'a''b;c'", 1}, {"SELECT 2", 2}}, ""},
		{"mysql backtick takes no backslash", "mysql", "SELECT `a\\`; SELECT 2;",
			[]st{{"SELECT `a\\`", 1}, {"SELECT 2", 1}}, ""},
		{"mysql unterminated after escape", "mysql", "SELECT 1;\n\nSELECT 'it\\';",
			nil, "line 3: unterminated ' quote"},
		{"unknown dialect: backslash when nothing else fits", "", "INSERT INTO t VALUES ('it\\'s');\nSELECT 2;",
			[]st{{"INSERT INTO t VALUES ('it\\'s')", 1}, {"SELECT 2", 2}}, ""},
		{"unknown dialect: standard strings first", "", "SELECT 'C:\\';\nSELECT 'D:\\';",
			[]st{{"SELECT 'C:\\'", 1}, {"SELECT 'D:\\'", 2}}, ""},
		{"unknown dialect: open either way", "", "SELECT 1;\nSELECT 'a\\'b\\'c",
			nil, "line 2: unterminated ' quote"},
		{"postgres backslash is ordinary", "postgres", "SELECT 'C:\\'; SELECT 'D:\\';",
			[]st{{"SELECT 'C:\\'", 1}, {"SELECT 'D:\\'", 1}}, ""},
		{"postgres E string", "postgres", "SELECT E'it\\'s;';\nSELECT 2;",
			[]st{{"SELECT E'it\\'s;'", 1}, {"SELECT 2", 2}}, ""},
		{"postgres E must be a word of its own", "postgres", "SELECT 1 WHERE 'x' LIKE'C:\\';\nSELECT 2;",
			[]st{{"SELECT 1 WHERE 'x' LIKE'C:\\'", 1}, {"SELECT 2", 2}}, ""},
		{"sqlite backslash is ordinary", "sqlite", "SELECT 'C:\\'; SELECT \"a\\\";",
			[]st{{"SELECT 'C:\\'", 1}, {"SELECT \"a\\\"", 1}}, ""},
		{"sqlite has no E strings", "sqlite", "SELECT E'a\\'; SELECT 2;",
			[]st{{"SELECT E'a\\'", 1}, {"SELECT 2", 1}}, ""},

		// Comments and names.
		{"mysql hash comment", "mysql", "# it's; a comment\nSELECT 1 # don't;\n;\nSELECT 2;",
			[]st{{"SELECT 1", 2}, {"SELECT 2", 4}}, ""},
		{"unknown dialect: hash comment between statements", "", "# it's; a comment\nSELECT 1;\n  # don't;\nSELECT 2;",
			[]st{{"SELECT 1", 2}, {"SELECT 2", 4}}, ""},
		{"postgres hash is an operator", "postgres", "SELECT 1 # 2;\nSELECT 3;",
			[]st{{"SELECT 1 # 2", 1}, {"SELECT 3", 2}}, ""},
		{"mysql dash dash needs a space", "mysql", "SELECT 1--1;\nSELECT 2; -- note;\n--\tnote;\nSELECT 3;",
			[]st{{"SELECT 1--1", 1}, {"SELECT 2", 2}, {"SELECT 3", 4}}, ""},
		{"postgres dash dash", "postgres", "SELECT 1--1;\nSELECT 2;",
			[]st{{"SELECT 1--1;\nSELECT 2", 1}}, ""},
		{"comments with quotes and semicolons", "", "/* it's; */ SELECT 1; -- don't; \"x\nSELECT /* ` */ 2;",
			[]st{{"SELECT 1", 1}, {"SELECT /* ` */ 2", 2}}, ""},
		{"mysql executable comments", "mysql", "/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SET @x = 1 */;\n/* plain; */\nSELECT /*+ hint; */ 1;",
			[]st{{"/*!40101 SET NAMES utf8mb4 */", 1}, {"/*M!100100 SET @x = 1 */", 2}, {"SELECT /*+ hint; */ 1", 4}}, ""},
		{"executable comment ending a statement", "", "CREATE TABLE t (y int) ENGINE=InnoDB\n/*!50100 PARTITION BY RANGE (y)\n(PARTITION p VALUES LESS THAN MAXVALUE) */;\n/*!40101 SET NAMES utf8mb4 */;",
			[]st{{"CREATE TABLE t (y int) ENGINE=InnoDB\n/*!50100 PARTITION BY RANGE (y)\n(PARTITION p VALUES LESS THAN MAXVALUE) */", 1}}, ""},
		{"mysql comments do not nest", "mysql", "/* a /* b; */ SELECT 1;",
			[]st{{"SELECT 1", 1}}, ""},
		{"postgres comments nest", "postgres", "/* a /* b; */ c; */\nSELECT 1;",
			[]st{{"SELECT 1", 2}}, ""},
		{"postgres unterminated nested comment", "postgres", "SELECT 1;\n/* a /* b */ SELECT 1;",
			nil, "line 2: unterminated /* comment"},
		{"backticks", "mysql", "SELECT `a;b``c;` FROM t;\nSELECT 2;",
			[]st{{"SELECT `a;b``c;` FROM t", 1}, {"SELECT 2", 2}}, ""},
		{"sqlite brackets", "sqlite", "CREATE TABLE [it's;t] (x);\nSELECT 1;",
			[]st{{"CREATE TABLE [it's;t] (x)", 1}, {"SELECT 1", 2}}, ""},
		{"sqlite unterminated bracket", "sqlite", "SELECT 1;\nSELECT [a;",
			nil, "line 2: unterminated [ quote"},
		{"dollar inside a name", "", "CREATE TABLE a$b$c (x int);\nSELECT 1;",
			[]st{{"CREATE TABLE a$b$c (x int)", 1}, {"SELECT 1", 2}}, ""},
		{"mysql has no dollar quotes", "mysql", "SELECT $a$; SELECT 1;",
			[]st{{"SELECT $a$", 1}, {"SELECT 1", 1}}, ""},

		// Compound statements.
		{"mysql procedure", "mysql", "DROP PROCEDURE IF EXISTS drop_fk;\n" + procedure + ";\nCALL drop_fk('a', 'b');",
			[]st{{"DROP PROCEDURE IF EXISTS drop_fk", 1}, {procedure, 2}, {"CALL drop_fk('a', 'b')", 12}}, ""},
		{"procedure without dialect", "", procedure + ";\nCALL drop_fk('a', 'b');",
			[]st{{procedure, 1}, {"CALL drop_fk('a', 'b')", 11}}, ""},
		{"mysql function with every block", "mysql", "CREATE DEFINER=`root`@`localhost` FUNCTION f(n INT) RETURNS INT\nBEGIN\n" +
			"  DECLARE i INT DEFAULT 0;\n  l: LOOP SET i = i + 1; IF i > n THEN LEAVE l; END IF; END LOOP l;\n" +
			"  WHILE i > 0 DO SET i = i - 1; END WHILE;\n  REPEAT SET i = i + 1; UNTIL i > 2 END REPEAT;\n" +
			"  FOR j IN 1..3 DO SET i = i + j; END FOR;\n  CASE WHEN i > 1 THEN SET i = 1; ELSE SET i = 2; END CASE;\n" +
			"  inner_block: BEGIN SET i = CASE i WHEN 1 THEN 2 ELSE 3 END; END inner_block;\n  RETURN i;\nEND;\nSELECT f(1);",
			[]st{{"CREATE DEFINER=`root`@`localhost` FUNCTION f(n INT) RETURNS INT\nBEGIN\n" +
				"  DECLARE i INT DEFAULT 0;\n  l: LOOP SET i = i + 1; IF i > n THEN LEAVE l; END IF; END LOOP l;\n" +
				"  WHILE i > 0 DO SET i = i - 1; END WHILE;\n  REPEAT SET i = i + 1; UNTIL i > 2 END REPEAT;\n" +
				"  FOR j IN 1..3 DO SET i = i + j; END FOR;\n  CASE WHEN i > 1 THEN SET i = 1; ELSE SET i = 2; END CASE;\n" +
				"  inner_block: BEGIN SET i = CASE i WHEN 1 THEN 2 ELSE 3 END; END inner_block;\n  RETURN i;\nEND", 1}, {"SELECT f(1)", 12}}, ""},
		{"mysql event", "mysql", "CREATE DEFINER = 'root'@'%' EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END;\nSELECT 1;",
			[]st{{"CREATE DEFINER = 'root'@'%' EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END", 1}, {"SELECT 1", 2}}, ""},
		{"mariadb or replace aggregate function", "mysql", "CREATE OR REPLACE AGGREGATE FUNCTION agg(x INT) RETURNS INT BEGIN DECLARE s INT DEFAULT 0; LOOP FETCH GROUP NEXT ROW; SET s = s + x; END LOOP; END;\nSELECT 1;",
			[]st{{"CREATE OR REPLACE AGGREGATE FUNCTION agg(x INT) RETURNS INT BEGIN DECLARE s INT DEFAULT 0; LOOP FETCH GROUP NEXT ROW; SET s = s + x; END LOOP; END", 1}, {"SELECT 1", 2}}, ""},
		{"begin and end as names", "mysql", "CREATE PROCEDURE p(IN begin INT, IN end INT)\nBEGIN\n  INSERT INTO spans (begin, end) VALUES (begin, end);\nEND;\n" +
			"CREATE TRIGGER t BEFORE INSERT ON spans FOR EACH ROW BEGIN SET NEW.end = NEW.begin + 1; END;\nSELECT 1;",
			[]st{{"CREATE PROCEDURE p(IN begin INT, IN end INT)\nBEGIN\n  INSERT INTO spans (begin, end) VALUES (begin, end);\nEND", 1},
				{"CREATE TRIGGER t BEFORE INSERT ON spans FOR EACH ROW BEGIN SET NEW.end = NEW.begin + 1; END", 5}, {"SELECT 1", 6}}, ""},
		{"mysql procedure of one statement", "mysql", "CREATE PROCEDURE p() SELECT 1;\nCALL p();",
			[]st{{"CREATE PROCEDURE p() SELECT 1", 1}, {"CALL p()", 2}}, ""},
		{"postgres begin atomic", "postgres", "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;\nEND;\nSELECT add(1, 2);",
			[]st{{"CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;\nEND", 1}, {"SELECT add(1, 2)", 5}}, ""},
		{"postgres parameter named begin", "", "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT begin; $$;\nSELECT f(1);",
			[]st{{"CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT begin; $$", 1}, {"SELECT f(1)", 2}}, ""},
		{"transaction begin is no block", "", "BEGIN;\nCREATE TABLE a (x int);\nEND;",
			[]st{{"BEGIN", 1}, {"CREATE TABLE a (x int)", 2}, {"END", 3}}, ""},
		{"postgres rule with several actions", "", "CREATE OR REPLACE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (';'));\nSELECT (1);",
			[]st{{"CREATE OR REPLACE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (';'))", 1}, {"SELECT (1)", 2}}, ""},
		{"unterminated rule", "postgres", "SELECT 1;\nCREATE RULE r AS ON INSERT TO a DO (INSERT INTO b VALUES (1);\nSELECT 2;",
			nil, "line 2: CREATE RULE has ( without )"},
		{"parentheses elsewhere do not hold semicolons", "", "SELECT (1;\nSELECT 2);",
			[]st{{"SELECT (1", 1}, {"SELECT 2)", 2}}, ""},
		{"unterminated procedure", "mysql", "SELECT 1;\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n",
			nil, "line 2: CREATE PROCEDURE body has BEGIN without END"},

		// DELIMITER.
		{"delimiter", "mysql", "DELIMITER $$\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 'a;b$$';\nEND$$\nDELIMITER ;\nCALL p();\n",
			[]st{{"CREATE PROCEDURE p()\nBEGIN\n  SELECT 'a;b$$';\nEND", 2}, {"CALL p()", 7}}, ""},
		{"delimiter makes the text mysql's", "", "SELECT 'it\\'s', 'x\\';y';\nDELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\ndelimiter ;\nCALL p();",
			[]st{{"SELECT 'it\\'s', 'x\\';y'", 1}, {"CREATE PROCEDURE p() BEGIN SELECT 1; END", 3}, {"CALL p()", 5}}, ""},
		{"delimiter after a backslash quote", "", "SELECT 'it\\'s';\nDELIMITER $$\nSELECT 'a;b'$$\nDELIMITER ;",
			[]st{{"SELECT 'it\\'s'", 1}, {"SELECT 'a;b'", 3}}, ""},
		{"delimiter semicolon makes the text mysql's", "", "DELIMITER ;\nSELECT 'a\\';b', 'c\\';d';\nSELECT 2;",
			[]st{{"SELECT 'a\\';b', 'c\\';d'", 2}, {"SELECT 2", 3}}, ""},
		{"the same without it", "", "SELECT 'a\\';b', 'c\\';d';\nSELECT 2;",
			[]st{{"SELECT 'a\\'", 1}, {"b', 'c\\';d'", 1}, {"SELECT 2", 2}}, ""},
		{"delimiter ends what the file says", "mysql", "DELIMITER //\nSELECT 1; SELECT 2//\nCREATE PROCEDURE p() BEGIN SELECT 1; END;//\nDELIMITER ;\nSELECT 3",
			[]st{{"SELECT 1; SELECT 2", 2}, {"CREATE PROCEDURE p() BEGIN SELECT 1; END;", 3}, {"SELECT 3", 5}}, ""},
		{"mysqldump delimiter", "mysql", "/*!50003 SET sql_mode = '' */ ;\nDELIMITER ;;\n/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END */;;\nDELIMITER ;",
			[]st{{"/*!50003 SET sql_mode = '' */", 1}, {"/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END */", 3}}, ""},
		{"quoted delimiter and a comment after it", "mysql", "DELIMITER '$$' -- for the body\nSELECT 1$$\nDELIMITER ; # back\nSELECT 2;",
			[]st{{"SELECT 1", 2}, {"SELECT 2", 4}}, ""},
		{"delimiter left on at the end", "mysql", "DELIMITER $$\nSELECT 1$$\nSELECT 2",
			[]st{{"SELECT 1", 2}, {"SELECT 2", 3}}, ""},
		{"delimiter inside a statement is a name", "mysql", "SELECT\ndelimiter FROM t;",
			[]st{{"SELECT\ndelimiter FROM t", 1}}, ""},
		{"sqlite has no delimiter lines", "sqlite", "DELIMITER //\nSELECT 1;",
			[]st{{"DELIMITER //\nSELECT 1", 1}}, ""},
		{"delimiter without a delimiter", "mysql", "SELECT 1;\nDELIMITER\nSELECT 2;",
			nil, "line 2: DELIMITER without a delimiter: write DELIMITER $$ before the statements, DELIMITER ; after them"},
		{"delimiter with a backslash", "", "DELIMITER \\\\\nSELECT 1;",
			nil, "line 1: DELIMITER \\\\: a delimiter is not empty and has no backslash"},
		{"delimiter with more after it", "mysql", "\nDELIMITER $$ x\nSELECT 1;",
			nil, "line 2: DELIMITER $$: unexpected \"x\" after the delimiter"},
		{"unterminated quote after a delimiter", "mysql", "DELIMITER $$\nSELECT 1$$\nSELECT 'a$$\n",
			nil, "line 3: unterminated ' quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []revision.SplitOption
			if tt.dialect != "" {
				opts = append(opts, revision.ForDialect(tt.dialect))
			}
			got, err := revision.Split(tt.text, 1, opts...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Split error %v, want %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("Split returned statements with its error: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Split:\n got %s\nwant %s", show(got), show(tt.want))
			}
		})
	}
}

// TestParseRoutines reads a whole revision file: each section is split
// on its own, with the file's line numbers.
func TestParseRoutines(t *testing.T) {
	t.Parallel()
	file := "-- strata:revision 20260101000000\n" +
		"-- migrate:up\n" +
		"DELIMITER $$\n" +
		"CREATE PROCEDURE p()\n" +
		"BEGIN\n" +
		"  SELECT 'it\\'s';\n" +
		"END$$\n" +
		"DELIMITER ;\n" +
		"CALL p();\n" +
		"-- migrate:down\n" +
		"SELECT 'C:\\';\n" +
		"DROP PROCEDURE p;\n"
	r, err := revision.Parse("routines.sql", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	wantUp := []revision.Statement{{SQL: "CREATE PROCEDURE p()\nBEGIN\n  SELECT 'it\\'s';\nEND", Line: 4}, {SQL: "CALL p()", Line: 9}}
	wantDown := []revision.Statement{{SQL: "SELECT 'C:\\'", Line: 11}, {SQL: "DROP PROCEDURE p", Line: 12}}
	if !slices.Equal(r.Up, wantUp) || !slices.Equal(r.Down, wantDown) {
		t.Errorf("up:%s\ndown:%s\nwant up:%s\ndown:%s", show(r.Up), show(r.Down), show(wantUp), show(wantDown))
	}
}

func TestSplitUnknownDialect(t *testing.T) {
	t.Parallel()
	_, err := revision.Split("SELECT 1", 1, revision.ForDialect("oracle"))
	if want := `revision: split SQL: unknown dialect "oracle" (want postgres, sqlite or mysql)`; err == nil || err.Error() != want {
		t.Errorf("Split error %v, want %q", err, want)
	}
}

// show lists statements as line: "SQL", for messages.
func show(stmts []revision.Statement) string {
	var b strings.Builder
	for _, s := range stmts {
		fmt.Fprintf(&b, "\n  %d: %q", s.Line, s.SQL)
	}
	return b.String()
}

// TestSplitOnServers runs split files on the databases themselves: each
// statement must be accepted alone (the MySQL driver takes one statement
// per call), and the rows must show that quotes, comments and bodies were
// read as the server reads them.
func TestSplitOnServers(t *testing.T) {
	t.Parallel()
	const mysqlText = `CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL);
# MySQL's own comment; it's skipped
CREATE PROCEDURE add_note(IN b TEXT)
BEGIN
  IF b <> '' THEN
    INSERT INTO notes (body) VALUES (b);
  END IF;
END;
DELIMITER $$
CREATE TRIGGER notes_bi BEFORE INSERT ON notes FOR EACH ROW
BEGIN
  IF NEW.body = 'x' THEN
    SET NEW.body = 'x; changed';
  END IF;
END$$
DELIMITER ;
CALL add_note('it\'s; "ok"');
INSERT INTO notes (body) VALUES ("a\"b;c"), ('\\'), ('x');
/*!40101 INSERT INTO notes (body) VALUES ('executable;') */;
CREATE TABLE parts (y INT NOT NULL)
/*!50100 PARTITION BY RANGE (y) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE) */;
INSERT INTO notes (body) SELECT CONCAT('partitions: ', COUNT(*)) FROM information_schema.PARTITIONS
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'parts' AND PARTITION_NAME IS NOT NULL;
`
	const postgresText = `CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
INSERT INTO notes (body) VALUES ('C:\'), (E'it\'s;'), ($$a;b$$), ($q$'$q$);
CREATE FUNCTION add_note(b text) RETURNS void LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO notes (body) VALUES (CASE WHEN b = '' THEN 'empty;' ELSE b END);
END;
SELECT add_note('');
CREATE TABLE inbox (body text);
CREATE RULE inbox_to_notes AS ON INSERT TO inbox DO INSTEAD
  (SELECT add_note(NEW.body); INSERT INTO notes (body) VALUES ('rule;'));
INSERT INTO inbox VALUES ('via rule');
`
	const sqliteText = `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO notes (body) VALUES ('C:\'), ('it''s;');
CREATE TRIGGER notes_ai AFTER INSERT ON notes WHEN NEW.body = 'x'
BEGIN
  UPDATE notes SET body = CASE WHEN NEW.id > 0 THEN 'x; changed' ELSE 'y' END WHERE id = NEW.id;
END;
INSERT INTO notes (body) VALUES ('x');
`
	tests := []struct {
		name, dialect, as, text string
		statements              int
		want                    []string
	}{
		{"mysql", "mysql", "mysql", mysqlText, 8, []string{`it's; "ok"`, `a"b;c`, `\`, "x; changed", "executable;", "partitions: 2"}},
		{"mysql without dialect", "mysql", "", mysqlText, 8, []string{`it's; "ok"`, `a"b;c`, `\`, "x; changed", "executable;", "partitions: 2"}},
		{"postgres", "postgres", "postgres", postgresText + "/* nested /* comment; */ it's still one */\n", 7, []string{`C:\`, "it's;", "a;b", "'", "empty;", "via rule", "rule;"}},
		{"postgres without dialect", "postgres", "", postgresText, 7, []string{`C:\`, "it's;", "a;b", "'", "empty;", "via rule", "rule;"}},
		{"sqlite", "sqlite", "sqlite", sqliteText + "CREATE TABLE [odd;name's] (x);\n", 5, []string{`C:\`, "it's;", "x; changed"}},
		{"sqlite without dialect", "sqlite", "", sqliteText, 4, []string{`C:\`, "it's;", "x; changed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []revision.SplitOption
			if tt.as != "" {
				opts = append(opts, revision.ForDialect(tt.as))
			}
			stmts, err := revision.Split(tt.text, 1, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if len(stmts) != tt.statements {
				t.Fatalf("%d statements, want %d:%s", len(stmts), tt.statements, show(stmts))
			}
			db, _ := testdb.Open(t, tt.dialect)
			ctx := t.Context()
			for _, s := range stmts {
				if _, err := db.ExecContext(ctx, s.SQL); err != nil {
					t.Fatalf("line %d: %v\n%s", s.Line, err, s.SQL)
				}
			}
			rows, err := db.QueryContext(ctx, "SELECT body FROM notes ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var body string
				if err := rows.Scan(&body); err != nil {
					t.Fatal(err)
				}
				got = append(got, body)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("notes %q, want %q", got, tt.want)
			}
		})
	}
}
