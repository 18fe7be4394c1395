package mysql_test

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
)

// showCreateCases are judged by the server's own SHOW CREATE TABLE, not
// by strata's inspection: a database made from desired and one migrated
// to it from current print the same tables, and the downgrade prints
// current again.
var showCreateCases = []struct {
	name             string
	current, desired []string
}{
	{
		name:    "column added in the middle",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, b INT)"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, b INT)"},
	},
	{
		name:    "column added first",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, b INT)"},
		desired: []string{"CREATE TABLE t (a VARCHAR(10), id INT PRIMARY KEY, b INT)"},
	},
	{
		name:    "columns dropped from the middle come back in place",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT NOT NULL DEFAULT 3, c INT, d TEXT)"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, c INT)"},
	},
	{
		name:    "columns swapped",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(20) NOT NULL, c INT)"},
		desired: []string{"CREATE TABLE t (b VARCHAR(20) NOT NULL, id INT PRIMARY KEY, c INT, a INT)"},
	},
	{
		name:    "column renamed (dropped and added) in place",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, name TEXT, age INT)"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, user_name TEXT, age INT)"},
	},
	{
		name:    "row format and statistics options",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY) STATS_PERSISTENT=0 PACK_KEYS=1 MIN_ROWS=5"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY) ROW_FORMAT=DYNAMIC STATS_SAMPLE_PAGES=20 CHECKSUM=1 MIN_ROWS=7"},
	},
	{
		// Without keys: MariaDB gives the keys a table had when its
		// KEY_BLOCK_SIZE changes the old one of their own (docs/dialects.md).
		name:    "key block size",
		current: []string{"CREATE TABLE t (id INT, name VARCHAR(20))"},
		desired: []string{"CREATE TABLE t (id INT, name VARCHAR(20)) KEY_BLOCK_SIZE=8"},
	},
	{
		name:    "engine-defined options",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY) PAGE_COMPRESSED=1"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY)"},
	},
	{
		name:    "index comments",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a) COMMENT 'old', KEY kb (b))"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a) COMMENT 'new', KEY kb (b) COMMENT 'b''s')"},
	},
	{
		name:    "primary key comment",
		current: []string{"CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))"},
		desired: []string{"CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b) COMMENT 'pair')"},
	},
	{
		name:    "invisible columns",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT INVISIBLE, b INT)"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT INVISIBLE, c INT INVISIBLE DEFAULT 3)"},
	},
	{
		name:    "ignored indexes",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a) IGNORED, KEY kb (b))"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a), KEY kb (b) IGNORED, KEY kab (a, b) COMMENT 'both' IGNORED)"},
	},
	{
		name:    "fractional seconds",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a DATETIME NOT NULL, b TIMESTAMP(3) NULL, c TIME)"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a DATETIME(3) NOT NULL, b TIMESTAMP(6) NULL, c TIME(2), d TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))"},
	},
	{
		name:    "indexes in another order",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT, KEY ka (a), KEY kb (b), KEY kc (c))"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT, KEY kc (c), KEY ka (a), KEY kb (b))"},
	},
	{
		name:    "indexes renamed",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a), KEY kb (b), UNIQUE KEY ua (a))"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka2 (a), KEY kb2 (b), UNIQUE KEY ua (a))"},
	},
	{
		// kx may be InnoDB's for fx: the statement adding xy makes it again,
		// and ky after it, so that the order stays.
		name: "index beside a foreign key's keeps its place",
		current: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE c (id INT PRIMARY KEY, x INT, y INT, KEY kx (x), KEY ky (y), CONSTRAINT fx FOREIGN KEY (x) REFERENCES p (id))",
		},
		desired: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE c (id INT PRIMARY KEY, x INT, y INT, KEY kx (x), KEY ky (y), KEY xy (x, y), CONSTRAINT fx FOREIGN KEY (x) REFERENCES p (id))",
		},
	},
	{
		name: "functions and procedures",
		current: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, n INT)",
			"CREATE FUNCTION plus(a INT, b INT) RETURNS INT DETERMINISTIC RETURN a + b",
			"CREATE FUNCTION gone() RETURNS VARCHAR(10) RETURN 'x'",
			"CREATE PROCEDURE bump(IN k INT) BEGIN UPDATE t SET n = n + 1 WHERE id = k; END",
		},
		desired: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, n INT)",
			"CREATE FUNCTION plus(a INT, b INT, c INT) RETURNS BIGINT DETERMINISTIC RETURN a + b + c",
			"CREATE FUNCTION fresh(s VARCHAR(20)) RETURNS VARCHAR(20) NO SQL SQL SECURITY INVOKER COMMENT 'it''s new' RETURN UPPER(s)",
			"CREATE PROCEDURE bump(IN k INT, OUT total INT) READS SQL DATA BEGIN\n  SELECT COUNT(*) INTO total FROM t WHERE id = k;\nEND",
		},
	},
	{
		name: "events",
		current: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, at DATETIME)",
			"CREATE EVENT cleanup ON SCHEDULE EVERY 1 DAY DO DELETE FROM t",
			"CREATE EVENT gone ON SCHEDULE AT '2035-01-01 00:00:00' DO DELETE FROM t",
			"CREATE EVENT later ON SCHEDULE EVERY 1 HOUR STARTS '2030-01-01 00:00:00' DO DELETE FROM t",
		},
		desired: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, at DATETIME)",
			"CREATE EVENT cleanup ON SCHEDULE EVERY 2 HOUR ON COMPLETION PRESERVE DISABLE COMMENT 'hourly' DO DELETE FROM t WHERE at < NOW()",
			"CREATE EVENT fresh ON SCHEDULE EVERY '1 4' DAY_HOUR ENDS '2037-06-01 00:00:00' DO BEGIN\n  DELETE FROM t;\n  DELETE FROM t WHERE id < 0;\nEND",
			"CREATE EVENT later ON SCHEDULE EVERY 1 HOUR STARTS '2031-01-01 00:00:00' DO DELETE FROM t",
		},
	},
	{
		name:    "integer display widths",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT(4), c BIGINT(11) UNSIGNED)"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT(4), b INT, c BIGINT UNSIGNED)"},
	},
	{
		name: "checks written on columns (MariaDB)",
		current: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(20), n INT CHECK (n > 0), m INT, CONSTRAINT s_chk CHECK (s IN ('a', 'b')))",
		},
		desired: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(20) CHECK (s IN ('a', 'b')), n INT, m INT COMMENT 'small' CHECK (m < 10), CONSTRAINT n_pos CHECK (n > 0))",
		},
	},
	{
		name:    "partitioned by range, then by hash",
		current: []string{"CREATE TABLE t (id INT, joined DATE NOT NULL, PRIMARY KEY (id, joined)) PARTITION BY RANGE (YEAR(joined)) (PARTITION p2021 VALUES LESS THAN (2022), PARTITION pmax VALUES LESS THAN MAXVALUE)"},
		desired: []string{"CREATE TABLE t (id INT, joined DATE NOT NULL, PRIMARY KEY (id, joined)) PARTITION BY HASH (id) PARTITIONS 3"},
	},
	{
		name:    "partitioning added",
		current: []string{"CREATE TABLE t (a INT NOT NULL, b VARCHAR(5) NOT NULL, PRIMARY KEY (a, b))"},
		desired: []string{"CREATE TABLE t (a INT NOT NULL, b VARCHAR(5) NOT NULL, PRIMARY KEY (a, b)) PARTITION BY LIST COLUMNS (b) (PARTITION x VALUES IN ('a', 'b') COMMENT 'first', PARTITION y VALUES IN ('c'))"},
	},
	{
		name:    "partitions by key, subpartitions",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY) PARTITION BY LINEAR KEY () PARTITIONS 2"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY, y INT NOT NULL) PARTITION BY RANGE (id) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (PARTITION a VALUES LESS THAN (10), PARTITION b VALUES LESS THAN MAXVALUE)"},
	},
	{
		name:    "one hash partition",
		current: []string{"CREATE TABLE t (id INT PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 2"},
		desired: []string{"CREATE TABLE t (id INT PRIMARY KEY) PARTITION BY LINEAR HASH (id)"},
	},
}

func TestShowCreateConverge(t *testing.T) {
	t.Parallel()
	for _, tc := range showCreateCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			showCreateConverge(t, tc.current, tc.desired)
		})
	}
}

// showCreateConverge migrates a database made from current to desired,
// and back, comparing SHOW CREATE TABLE with a database made from desired
// and with current's own.
func showCreateConverge(t *testing.T, current, desired []string) {
	t.Helper()
	ctx := context.Background()
	a, d := fresh(t)
	b, _ := fresh(t)
	mustExec(t, a, current...)
	mustExec(t, b, desired...)
	before, want := showCreateAll(t, a), showCreateAll(t, b)
	from, to := inspect(t, d, a), inspect(t, d, b)
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	reverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
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
	mustExec(t, a, up...)
	if got := showCreateAll(t, a); !mapsEqual(got, want) {
		t.Fatalf("upgrade:\n%s\ngives\n%s\nwant\n%s", strings.Join(up, ";\n"), tablesText(got), tablesText(want))
	}
	if again, err := diff.Schemas(inspect(t, d, a), to); err != nil || len(again) > 0 {
		t.Fatalf("second diff: %v %v", again, err)
	}
	mustExec(t, a, down...)
	if got := showCreateAll(t, a); !mapsEqual(got, before) {
		t.Fatalf("downgrade:\n%s\ngives\n%s\nwant\n%s", strings.Join(down, ";\n"), tablesText(got), tablesText(before))
	}
	_ = ctx
}

var autoIncrementOption = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// showCreate returns SHOW CREATE TABLE of every base table, without the
// AUTO_INCREMENT counter, and what information_schema says of every
// routine and event.
func showCreateAll(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var name, def string
		if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE `"+n+"`").Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		out[n] = autoIncrementOption.ReplaceAllString(def, "")
	}
	// Routines and events as information_schema describes them; an event's
	// STARTS equal to its creation time is one made without STARTS.
	for _, q := range []string{
		`SELECT CONCAT('routine ', ROUTINE_TYPE, ' ', ROUTINE_NAME), CONCAT_WS(' | ', COALESCE(DTD_IDENTIFIER, ''), ROUTINE_DEFINITION,
  IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT, SQL_MODE,
  (SELECT COALESCE(GROUP_CONCAT(CONCAT_WS(' ', PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER) ORDER BY ORDINAL_POSITION), '')
   FROM information_schema.PARAMETERS p WHERE p.SPECIFIC_SCHEMA = r.ROUTINE_SCHEMA AND p.SPECIFIC_NAME = r.ROUTINE_NAME AND p.ROUTINE_TYPE = r.ROUTINE_TYPE))
FROM information_schema.ROUTINES r WHERE ROUTINE_SCHEMA = DATABASE()`,
		`SELECT CONCAT('event ', EVENT_NAME), CONCAT_WS(' | ', EVENT_DEFINITION, EVENT_TYPE, COALESCE(EXECUTE_AT, ''),
  COALESCE(INTERVAL_VALUE, ''), COALESCE(INTERVAL_FIELD, ''), COALESCE(IF(STARTS = CREATED, 'on creation', STARTS), ''), COALESCE(ENDS, ''),
  STATUS, ON_COMPLETION, EVENT_COMMENT)
FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()`,
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[k] = v
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func tablesText(m map[string]string) string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(m[n])
		b.WriteString("\n")
	}
	return b.String()
}

// TestIgnoreIndexInPlace: an index that only becomes ignored, or used
// again, changes in place, without being made again (nor the indexes
// after it).
func TestIgnoreIndexInPlace(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	want, _ := fresh(t)
	mustExec(t, db, "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a) IGNORED, KEY kb (b))")
	mustExec(t, want, "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a), KEY kb (b))")
	from := inspect(t, d, db)
	ops, err := diff.Schemas(from, inspect(t, d, want))
	if err != nil {
		t.Fatal(err)
	}
	up, err := dialect.RenderOps(d, from.Clone(), ops)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(up, ";\n"); got != "ALTER TABLE `t` ALTER INDEX `ka` NOT IGNORED" {
		t.Errorf("upgrade:\n%s\nwant ALTER INDEX `ka` NOT IGNORED alone", got)
	}
	showCreateConverge(t, []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a) IGNORED, KEY kb (b))"},
		[]string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a), KEY kb (b))"})
}
