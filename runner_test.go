package strata_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// goMigrations builds on the SQL base revision 001 (todos with id and
// description): a Go revision adds a NOT NULL column over existing rows,
// an index and rows, and runs dialect-specific SQL.
func goMigrations() []strata.Migration {
	return []strata.Migration{{
		Revision: "002", Parents: []string{"001"}, Message: "go: add done",
		Upgrade: func(ctx context.Context, op *strata.Op) error {
			op.AddColumn("todos", strata.Column("done", strata.Boolean))
			op.AddColumn("todos", strata.Column("note", strata.Varchar(50)).Null())
			op.CreateIndex("todos", "ix_todos_done", "done")
			op.BulkInsert("todos", []string{"id", "description", "done"}, []any{2, "from go", true})
			op.Execute("UPDATE todos SET note = 'pg' WHERE note IS NULL", strata.OnlyOn("postgres"))
			op.Execute("UPDATE todos SET note = 'my' WHERE note IS NULL", strata.OnlyOn("mysql"))
			op.Execute("UPDATE todos SET note = 'lite' WHERE note IS NULL", strata.OnlyOn("sqlite"))
			return nil
		},
		Downgrade: func(ctx context.Context, op *strata.Op) error {
			op.Execute("DELETE FROM todos WHERE description = 'from go'")
			op.DropIndex("todos", "ix_todos_done")
			op.DropColumn("todos", "note")
			op.DropColumn("todos", "done")
			return nil
		},
	}, {
		Revision: "003", Parents: []string{"002"}, Message: "go: not null note",
		Upgrade: func(ctx context.Context, op *strata.Op) error {
			op.AlterColumn("todos", "note", strata.SetNotNull())
			return nil
		},
		Downgrade: func(ctx context.Context, op *strata.Op) error {
			op.AlterColumn("todos", "note", strata.DropNotNull())
			return nil
		},
	}}
}

const baseRevision = "-- strata:revision 001\n-- strata:message sql: create todos\n-- migrate:up\n" +
	"CREATE TABLE todos (id INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL);\n" +
	"INSERT INTO todos (id, description) VALUES (1, 'one');\n-- migrate:down\nDROP TABLE todos;\n"

func TestGoMigrations(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_create.sql", baseRevision)
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(goMigrations()...), strata.WithoutGlobalRegistry(), strata.WithForce())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		before, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := m.Upgrade(ctx, "head"); err != nil || len(res) != 2 {
			t.Fatalf("upgrade: %v, %d results", err, len(res))
		}
		want := map[string]string{"sqlite": "lite", "postgres": "pg", "mysql": "my"}[dialect]
		var n int
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM todos WHERE note = '"+want+"' AND (done = false OR description = 'from go')").Scan(&n); err != nil || n != 2 {
			t.Fatalf("rows after the Go revisions: %d, %v", n, err)
		}
		s, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := s.Table("todos")
		if c, ok := tb.Column("note"); !ok || c.Nullable {
			t.Fatalf("note after 003: %+v", c)
		}
		if _, err := m.Downgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		after, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(after, before); d != "" {
			t.Fatalf("downgrade to 001 did not restore the schema:\n%s", d)
		}
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM todos").Scan(&n); err != nil || n != 1 {
			t.Fatalf("rows after downgrade: %d, %v", n, err)
		}
	})
}

// TestOfflineSQL: upgrade --sql writes what the online run does; the
// database's own client applies it to an empty database and gets the same
// schema and version rows.
func TestOfflineSQL(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		write(t, dir, "001_create.sql", baseRevision)
		open := func(url string) *strata.Migrator {
			m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(goMigrations()...), strata.WithoutGlobalRegistry())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			return m
		}
		online := open(testdb.URL(t, dialect))
		if _, err := online.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		offlineURL := testdb.URL(t, dialect)
		offline := open(offlineURL)
		var script bytes.Buffer
		if err := offline.UpgradeSQL(ctx, &script, "", "head"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"CREATE TABLE todos", "strata_revisions", "'003'"} {
			if !strings.Contains(script.String(), want) {
				t.Fatalf("offline script lacks %q:\n%s", want, script.String())
			}
		}
		runClient(t, dialect, offlineURL, script.String())
		a, err := online.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := offline.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(a, b); d != "" {
			t.Fatalf("offline script gives another schema:\n%s\nscript:\n%s", d, script.String())
		}
		st, err := offline.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Applied) != 3 || len(st.Pending) != 0 {
			t.Fatalf("after the offline script: %d applied, %d pending", len(st.Applied), len(st.Pending))
		}
		var down bytes.Buffer
		if err := offline.DowngradeSQL(ctx, &down, "head", "base"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(down.String(), "DROP TABLE todos") {
			t.Fatalf("offline downgrade lacks the drop:\n%s", down.String())
		}
	})
}

// runClient feeds script to the database's own command-line client.
func runClient(t *testing.T, dialect, url, script string) {
	t.Helper()
	var cmd *exec.Cmd
	switch dialect {
	case "sqlite":
		cmd = exec.Command("sqlite3", strings.TrimPrefix(url, "sqlite:"))
	case "postgres":
		cmd = exec.Command("psql", "-v", "ON_ERROR_STOP=1", "-q", url)
	case "mysql":
		cfg, err := mysql.Config(url)
		if err != nil {
			t.Fatal(err)
		}
		host, port, err := net.SplitHostPort(cfg.Addr)
		if err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command("mariadb", "--no-defaults", "-h", host, "-P", port, "-u", cfg.User, cfg.DBName)
		// The password goes through the environment, not the command line.
		cmd.Env = append(os.Environ(), "MYSQL_PWD="+cfg.Passwd)
	}
	if _, err := exec.LookPath(cmd.Path); err != nil {
		t.Skipf("the %s client is not installed: %v", dialect, err)
	}
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s client: %v\n%s\nscript:\n%s", dialect, err, out, script)
	}
}

func TestChecksumAndRepair(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_create.sql", baseRevision)
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		write(t, dir, "001_create.sql", strings.Replace(baseRevision, "VARCHAR(200)", "VARCHAR(300)", 1))
		write(t, dir, "002_more.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE more (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE more;\n")
		_, err := m.Upgrade(ctx, "head")
		var ce *runner.ChecksumMismatchError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "001_create.sql") || !strings.Contains(err.Error(), "strata repair 001") {
			t.Fatalf("upgrade over an edited applied file: %v", err)
		}
		if st, _ := m.Status(ctx); len(st.Applied) != 1 {
			t.Fatalf("the checksum error changed the database: %d applied", len(st.Applied))
		}
		if changed, err := m.Repair(ctx, nil, false); err != nil || len(changed) != 1 || changed[0] != "001" {
			t.Fatalf("repair: %v, %v", changed, err)
		}
		if res, err := m.Upgrade(ctx, "head"); err != nil || len(res) != 1 {
			t.Fatalf("upgrade after repair: %v, %d", err, len(res))
		}
	})
}

func TestStampAndTargets(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		// 001 <- 002 (branch a) and 001 <- 003 (branch b, labelled), two heads.
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE t1 (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE t1;\n")
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE t2 (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE t2;\n")
		write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 001\n-- strata:branch-labels side\n-- migrate:up\nCREATE TABLE t3 (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE t3;\n")
		m := open(t, url, dir)
		_, err := m.Upgrade(ctx, "head")
		if err == nil || !strings.Contains(err.Error(), "002, 003") || !strings.Contains(err.Error(), "merge") {
			t.Fatalf("upgrade head with two heads: %v", err)
		}
		if res, err := m.Upgrade(ctx, "side@head"); err != nil || len(res) != 2 {
			t.Fatalf("upgrade side@head: %v, %d", err, len(res))
		}
		if res, err := m.Upgrade(ctx, "heads"); err != nil || len(res) != 1 || res[0].Revision.ID != "002" {
			t.Fatalf("upgrade heads: %v, %v", err, res)
		}
		merge, err := m.Merge("join", "heads")
		if err != nil || len(merge.Parents) != 2 {
			t.Fatalf("merge: %v, %v", err, merge)
		}
		if res, err := m.Upgrade(ctx, "head"); err != nil || len(res) != 1 {
			t.Fatalf("upgrade to the merge: %v, %d", err, len(res))
		}
		if res, err := m.Downgrade(ctx, "-2"); err != nil || len(res) != 2 {
			t.Fatalf("downgrade -2: %v, %d", err, len(res))
		}
		added, removed, err := m.Stamp(ctx, "head", false)
		if err != nil || len(added) != 2 || len(removed) != 0 {
			t.Fatalf("stamp head: +%v -%v, %v", added, removed, err)
		}
		if _, removed, err := m.Stamp(ctx, "base", false); err != nil || len(removed) != 4 {
			t.Fatalf("stamp base: -%v, %v", removed, err)
		}
		s, _ := m.Inspect(ctx)
		if len(s.Tables) != 2 {
			t.Fatalf("stamp ran statements: %d tables", len(s.Tables))
		}
		if _, _, err := m.Stamp(ctx, "nosuch", false); err == nil {
			t.Fatal("stamp to an unknown revision: want an error")
		}
	})
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	if err := strata.Init(dir, "migrations", "sqlite:app.db"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, strata.ConfigFile))
	if err != nil || !strings.Contains(string(data), `database = "sqlite:app.db"`) {
		t.Fatalf("strata.toml: %q, %v", data, err)
	}
	write(t, filepath.Join(dir, "migrations"), "001.sql", baseRevision)
	if err := strata.Init(dir, "migrations", "sqlite:app.db"); err == nil {
		t.Fatal("init over a non-empty migrations directory: want an error")
	}
}

// TestSQLiteRebuildKeepsTriggers: a change SQLite's ALTER TABLE cannot
// make is the table rebuild, inside the revision's transaction, and the
// table's triggers, foreign keys and rows survive it.
func TestSQLiteRebuildKeepsTriggers(t *testing.T) {
	ctx := context.Background()
	url := testdb.URL(t, "sqlite")
	dir := t.TempDir()
	write(t, dir, "001.sql", `-- strata:revision 001
-- migrate:up
CREATE TABLE lists (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE items (id INTEGER PRIMARY KEY, list_id INTEGER REFERENCES lists (id), note TEXT);
CREATE TABLE audit (item_id INTEGER, what TEXT);
CREATE TRIGGER items_audit AFTER INSERT ON items BEGIN INSERT INTO audit VALUES (new.id, 'insert'); END;
INSERT INTO lists VALUES (1, 'home');
INSERT INTO items (id, list_id, note) VALUES (1, 1, NULL), (2, 1, 'x');
-- migrate:down
DROP TABLE audit;
DROP TABLE items;
DROP TABLE lists;
`)
	notNull := strata.Migration{Revision: "002", Parents: []string{"001"},
		Upgrade: func(ctx context.Context, op *strata.Op) error {
			op.AlterColumn("items", "note", strata.SetNotNull())
			return nil
		},
		Downgrade: func(ctx context.Context, op *strata.Op) error {
			op.AlterColumn("items", "note", strata.DropNotNull())
			return nil
		}}
	m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(notNull), strata.WithoutGlobalRegistry())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	db := m.DB()
	if _, err := db.ExecContext(ctx, "INSERT INTO items (id, list_id, note) VALUES (3, 1, 'y')"); err != nil {
		t.Fatal(err)
	}
	var audits, items, fks int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit WHERE item_id = 3").Scan(&audits); err != nil || audits != 1 {
		t.Fatalf("the trigger did not survive the rebuild: %d audit rows, %v", audits, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM items WHERE note IS NOT NULL").Scan(&items); err != nil || items != 3 {
		t.Fatalf("rows after the rebuild: %d, %v", items, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_foreign_key_list('items')").Scan(&fks); err != nil || fks != 1 {
		t.Fatalf("foreign keys after the rebuild: %d, %v", fks, err)
	}
	if _, err := m.Downgrade(ctx, "-1"); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger'").Scan(&audits); err != nil || audits != 1 {
		t.Fatalf("triggers after the downgrade's rebuild: %d, %v", audits, err)
	}
}

// TestStatusChangesNothing: read-only commands (current, history) do not
// create the version table.
func TestStatusChangesNothing(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		write(t, dir, "001.sql", baseRevision)
		m := open(t, testdb.URL(t, dialect), dir)
		st, err := m.Status(ctx)
		if err != nil || len(st.Pending) != 1 || len(st.Applied) != 0 {
			t.Fatalf("status of a fresh database: %+v, %v", st, err)
		}
		if _, err := m.DB().ExecContext(ctx, "SELECT 1 FROM strata_revisions"); err == nil {
			t.Fatal("status created the version table")
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if st, err := m.Status(ctx); err != nil || len(st.Applied) != 1 {
			t.Fatalf("status after upgrade: %+v, %v", st, err)
		}
	})
}

// TestDataLossGuardCountsOnlyRows: the guard names exactly the tables and
// columns that hold rows, whether or not the dialect can tell empty tables
// from its catalog (PostgreSQL asks pg_relation_size first): a table
// whose rows were all deleted, a table that never had any and a table
// already gone lose nothing; a filled table, a filled column and (on
// PostgreSQL) a partitioned table whose rows sit in a partition do. A Go
// revision's check, which runs inside its transaction, finds the same.
func TestDataLossGuardCountsOnlyRows(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		up := "CREATE TABLE filled (id INTEGER PRIMARY KEY, note VARCHAR(20));\n" +
			"CREATE TABLE emptied (id INTEGER PRIMARY KEY);\n" +
			"CREATE TABLE never (id INTEGER PRIMARY KEY);\n" +
			"CREATE TABLE gone (id INTEGER PRIMARY KEY);\n" +
			"CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(20), empty_col VARCHAR(20));\n"
		down := "DROP TABLE filled;\nDROP TABLE emptied;\nDROP TABLE never;\nDROP TABLE IF EXISTS gone;\n" +
			"ALTER TABLE notes DROP COLUMN body;\nALTER TABLE notes DROP COLUMN empty_col;\nDROP TABLE notes;\n"
		want := []string{"filled", "notes.body", "notes"}
		if dialect == "postgres" {
			up += "CREATE TABLE parted (id INTEGER NOT NULL) PARTITION BY RANGE (id);\n" +
				"CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100);\n"
			down += "DROP TABLE parted;\n"
			want = append(want, "parted")
		}
		write(t, dir, "001_tables.sql", "-- strata:revision 001\n-- migrate:up\n"+up+"-- migrate:down\n"+down)
		migrations := []strata.Migration{{
			Revision: "002", Parents: []string{"001"},
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.CreateTable("extra", strata.Column("id", strata.Integer).PrimaryKey())
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error {
				op.DropTable("extra")
				op.DropTable("filled")
				op.DropTable("never")
				return nil
			},
		}}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(migrations...), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		fill := []string{
			"INSERT INTO filled (id, note) VALUES (1, 'a'), (2, 'b')",
			"INSERT INTO emptied (id) VALUES (1)", "DELETE FROM emptied",
			"INSERT INTO notes (id, body) VALUES (1, 'x')",
			"DROP TABLE gone",
		}
		if dialect == "postgres" {
			fill = append(fill, "INSERT INTO parted (id) VALUES (5)")
		}
		for _, s := range fill {
			if _, err := m.DB().ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}

		names := func(err error) []string {
			t.Helper()
			var loss *runner.DataLossError
			if !errors.As(err, &loss) {
				t.Fatalf("downgrade over tables holding rows: err = %v, want a DataLossError", err)
			}
			var got []string
			for _, l := range loss.Losses {
				if l.Column != "" {
					got = append(got, l.Table+"."+l.Column)
				} else {
					got = append(got, l.Table)
				}
			}
			return got
		}
		// The Go revision 002 checks inside its own transaction.
		if got := names(func() error { _, err := m.Downgrade(ctx, "001"); return err }()); strings.Join(got, " ") != "filled" {
			t.Fatalf("Go revision's losses: %v, want [filled]", got)
		}
		if st, err := m.Status(ctx); err != nil || len(st.Current) != 1 || st.Current[0].ID != "002" {
			t.Fatalf("after the stopped downgrade: %v, %v; want still at 002", st.Current, err)
		}
		m.Close()
		m, err = strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(migrations[0]), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.DB().ExecContext(ctx, "DELETE FROM filled WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		// Of the SQL revision 001, checked before the run starts.
		if _, err := m.DB().ExecContext(ctx, "DROP TABLE extra"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := m.Stamp(ctx, "001", true); err != nil {
			t.Fatal(err)
		}
		if got := names(func() error { _, err := m.Downgrade(ctx, "base"); return err }()); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("losses: %v, want %v", got, want)
		}
		var n int
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM filled").Scan(&n); err != nil || n != 1 {
			t.Fatalf("the stopped downgrade changed filled: %d rows, %v", n, err)
		}
	})
}

// TestUpgradeStopsWhenCancelled: cancelling the context stops a run in
// the middle of a revision. On PostgreSQL and MariaDB the statement in
// flight is interrupted from another connection; SQLite finishes it and
// stops before the next. The revision is rolled back where DDL is
// transactional; on MariaDB the statement before stays applied and the
// error says so.
func TestUpgradeStopsWhenCancelled(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		slow := map[string]string{
			"sqlite":   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c",
			"postgres": "SELECT pg_sleep(60)",
			"mysql":    "SELECT SLEEP(60)",
		}[dialect]
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n"+slow+";\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE b;\nDROP TABLE a;\n")
		m := open(t, url, dir)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(300*time.Millisecond, cancel)
		_, err := m.Upgrade(ctx, "head")
		var pe *runner.PartialError
		if !errors.As(err, &pe) || !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled upgrade: err = %v, want a PartialError wrapping context.Canceled", err)
		}
		wantAt := "001.sql:4" // the slow statement, interrupted
		if dialect == "sqlite" {
			wantAt = "001.sql:5" // stopped before the next statement
		}
		if at := pe.Failed.Where(pe.Statement); at != wantAt {
			t.Fatalf("stopped at %s, want %s (%v)", at, wantAt, err)
		}
		st, err := m.Status(context.Background())
		if err != nil || len(st.Applied) != 0 {
			t.Fatalf("after the cancelled upgrade: %d applied, %v; want none", len(st.Applied), err)
		}
		s, err := m.Inspect(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		_, hasA := s.Table("a")
		if dialect == "mysql" {
			if !hasA || pe.RolledBack || pe.Executed != 1 {
				t.Fatalf("MariaDB: table a kept %t, rolled back %t, executed %d; want true, false, 1", hasA, pe.RolledBack, pe.Executed)
			}
		} else if hasA || !pe.RolledBack {
			t.Fatalf("table a kept %t, rolled back %t; want the revision rolled back", hasA, pe.RolledBack)
		}
	})
}

// TestRevisionFilesWithBodies: statements whose bodies hold semicolons,
// and strings the database escapes its own way, run through upgrade and
// downgrade as written, on each database's own syntax (MySQL: DELIMITER
// and backslash escapes; PostgreSQL: dollar quotes and E” strings;
// SQLite: a trigger body and a [bracketed] name).
func TestRevisionFilesWithBodies(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		up := map[string]string{
			"mysql": "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(50));\n" +
				"INSERT INTO notes VALUES (1, 'it\\'s; fine');\n" +
				"DELIMITER $$\n" +
				"CREATE PROCEDURE add_note(IN n INT)\nBEGIN\n  IF n > 0 THEN\n    INSERT INTO notes VALUES (n, 'added; by proc');\n  END IF;\nEND$$\n" +
				"DELIMITER ;\n" +
				"CALL add_note(2);\n",
			"postgres": "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(50));\n" +
				"INSERT INTO notes VALUES (1, E'it\\'s; fine');\n" +
				"CREATE FUNCTION add_note(n INT) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO notes VALUES (n, 'added; by proc');\nEND;\n$$;\n" +
				"SELECT add_note(2);\n",
			"sqlite": "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(50));\n" +
				"CREATE TABLE [log;s] (id INT);\n" +
				"CREATE TRIGGER notes_log AFTER INSERT ON notes BEGIN\n  INSERT INTO [log;s] VALUES (NEW.id);\nEND;\n" +
				"INSERT INTO notes VALUES (1, 'it''s; fine');\n" +
				"INSERT INTO notes VALUES (2, 'added; by proc');\n",
		}[dialect]
		down := map[string]string{
			"mysql":    "DROP PROCEDURE add_note;\nDROP TABLE notes;\n",
			"postgres": "DROP FUNCTION add_note(INT);\nDROP TABLE notes;\n",
			"sqlite":   "DROP TRIGGER notes_log;\nDROP TABLE [log;s];\nDROP TABLE notes;\n",
		}[dialect]
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\n"+up+"-- migrate:down\n"+down)
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithForce())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM notes WHERE (id = 1 AND body = 'it''s; fine') OR (id = 2 AND body = 'added; by proc')").Scan(&n); err != nil || n != 2 {
			t.Fatalf("rows the revision wrote: %d, %v; want 2", n, err)
		}
		if _, err := m.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		s, err := m.Inspect(ctx)
		if err != nil || len(s.Tables) != 0 {
			t.Fatalf("after downgrade: %v tables, %v", s, err)
		}
	})
}
