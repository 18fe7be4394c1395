package strata_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	dialectpkg "github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// seedRevisions writes a table, a revision that seeds it and deletes the
// seed on downgrade, and one that creates and fills a table in one step,
// dropping it on downgrade.
func seedRevisions(t *testing.T, dir string) {
	t.Helper()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE colors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL);\n-- migrate:down\nDROP TABLE colors;\n")
	write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nINSERT INTO colors (id, name) VALUES (1, 'red'), (2, 'green');\n-- migrate:down\nDELETE FROM colors WHERE id IN (1, 2);\n")
	write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 002\n-- migrate:up\nCREATE TABLE sizes (id INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO sizes (id) VALUES (1), (2), (3);\n-- migrate:down\nDROP TABLE sizes;\n")
}

// TestTestSeedRows: strata test passes revisions that insert rows and
// take them out again (the rows lost on its scratch database are the ones
// its own upgrades put there), and says what a real downgrade would need;
// the guard still stops the same downgrade on a real database.
func TestTestSeedRows(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		rep, err := m.Test(ctx)
		if err != nil {
			t.Fatalf("test of seeding revisions: %v (%+v)", err, rep)
		}
		if len(rep.Revisions) != 3 {
			t.Fatalf("report: %+v", rep)
		}
		for _, r := range rep.Revisions {
			if !r.OK {
				t.Fatalf("revision %s: %+v", r.Revision, r)
			}
		}
		if notes := strings.Join(rep.Revisions[2].Notes, "\n"); !strings.Contains(notes, "sizes") || !strings.Contains(notes, "3 row(s)") {
			t.Errorf("revision 003's notes do not say the downgrade drops the 3 rows of sizes: %q", notes)
		}
		// The guard still protects real data.
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Downgrade(ctx, "-1"); err == nil || !strings.Contains(err.Error(), "sizes") {
			t.Fatalf("downgrade of 003 on the real database holding rows: %v, want the data-loss guard", err)
		}
	})
}

// unreachable returns a URL of the dialect that no server answers (for
// SQLite, a file that does not exist yet), with a password to keep out of
// messages.
func unreachable(t *testing.T, dialect string) string {
	switch dialect {
	case "postgres":
		return "postgres://someone:s3cret@127.0.0.1:1/nodb?connect_timeout=2"
	case "mysql":
		return "mysql://someone:s3cret@127.0.0.1:1/nodb?timeout=2s"
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "app.db")
}

// goSeed is a Go migration after 001 that renders per dialect: offline SQL
// needs a scratch database to write it.
func goSeed() strata.Migration {
	return strata.Migration{
		Revision: "002", Parents: []string{"001"}, Message: "add shade",
		Upgrade: func(ctx context.Context, op *strata.Op) error {
			op.AddColumn("colors", strata.Column("shade", strata.Varchar(20)).Null())
			return nil
		},
		Downgrade: func(ctx context.Context, op *strata.Op) error {
			op.DropColumn("colors", "shade")
			return nil
		},
	}
}

// TestOpenLazyNeedsNoDatabase: a Migrator from OpenLazy reads and writes
// revisions and writes offline SQL of SQL revisions with no database to
// reach, creates no SQLite file, and fails with a *ConnectError naming
// the database (password hidden) only where it needs it.
func TestOpenLazyNeedsNoDatabase(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := unreachable(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		m, err := strata.OpenLazy(url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if m.Dialect().Name() != dialect {
			t.Fatalf("dialect %s, want %s", m.Dialect().Name(), dialect)
		}
		g, err := m.Revisions()
		if err != nil || strings.Join(g.Heads(), ",") != "003" {
			t.Fatalf("revisions: %v, %v", g, err)
		}
		a, err := m.NewRevision("branch a", "001")
		if err != nil {
			t.Fatal(err)
		}
		merged, err := m.Merge("join")
		if err != nil || len(merged.Parents) != 2 || !slices.Contains(merged.Parents, a.ID) {
			t.Fatalf("merge: %+v, %v", merged, err)
		}
		var b bytes.Buffer
		if err := m.UpgradeSQL(ctx, &b, "", "003"); err != nil {
			t.Fatalf("upgrade --sql of SQL revisions: %v", err)
		}
		if !strings.Contains(b.String(), "INSERT INTO sizes") {
			t.Fatalf("upgrade --sql:\n%s", b.String())
		}
		b.Reset()
		if err := m.DowngradeSQL(ctx, &b, "003", "001"); err != nil || !strings.Contains(b.String(), "DROP TABLE sizes") {
			t.Fatalf("downgrade --sql: %v\n%s", err, b.String())
		}
		if _, err := m.Lint(ctx, true); err != nil {
			t.Fatalf("lint of every revision: %v", err)
		}
		if file, ok := strings.CutPrefix(url, "sqlite:"); ok {
			if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("the SQLite file was created: %v", err)
			}
			return // SQLite creates its file on connecting: nothing is unreachable
		}
		var ce *strata.ConnectError
		_, err = m.Status(ctx)
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "someone:xxxxx@127.0.0.1:1/nodb") || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("status without a database: %v, want a *ConnectError naming the database, its password hidden", err)
		}
		if _, err := m.Upgrade(ctx, "head"); !errors.As(err, &ce) {
			t.Fatalf("upgrade without a database: %v", err)
		}
		if err := m.Connect(ctx); !errors.As(err, &ce) {
			t.Fatalf("connect: %v", err)
		}
	})
}

// TestOpenLazyConnects: a lazy Migrator connects when a method needs the
// database, and probes the dialect as Open does.
func TestOpenLazyConnects(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		m, err := strata.OpenLazy(url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		st, err := m.Status(ctx)
		if err != nil || len(st.Current) != 1 || st.Current[0].ID != "003" {
			t.Fatalf("status: %+v, %v", st, err)
		}
		eager, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer eager.Close()
		if fmt.Sprintf("%#v", eager.Dialect()) != fmt.Sprintf("%#v", m.Dialect()) {
			t.Fatalf("lazy dialect %#v, Open's %#v", m.Dialect(), eager.Dialect())
		}
	})
}

// devDatabase makes an empty database for WithDevURL and returns its URL
// and a function that counts its tables (seen by the server's own
// catalog).
func devDatabase(t *testing.T, dialect string) (string, func() int) {
	url := testdb.URL(t, dialect)
	db, err := strata.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	query := map[string]string{
		"sqlite":   "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite%'",
		"postgres": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')",
		"mysql":    "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
	}[dialect]
	return url, func() int {
		var n int
		if err := db.QueryRow(query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// TestDevURL: offline SQL renders a Go revision on the dev database, and
// strata test runs there; both leave it empty. A dev database that holds
// anything is refused and left as it is.
func TestDevURL(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dev, tables := devDatabase(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		removeFile(dir, "002.sql")
		write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 002\n-- migrate:up\nCREATE TABLE sizes (id INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO sizes (id) VALUES (1), (2), (3);\n-- migrate:down\nDROP TABLE sizes;\n")
		m, err := strata.OpenLazy(unreachable(t, dialect), strata.WithDir(dir), strata.WithoutGlobalRegistry(),
			strata.WithMigrations(goSeed()), strata.WithDevURL(dev))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		var b bytes.Buffer
		if err := m.UpgradeSQL(ctx, &b, "", "head"); err != nil {
			t.Fatalf("upgrade --sql with a Go revision on the dev database: %v", err)
		}
		if !regexp.MustCompile(`(?i)ALTER TABLE \W?colors\W? ADD (COLUMN )?\W?shade\b`).MatchString(b.String()) {
			t.Fatalf("upgrade --sql does not render the Go revision:\n%s", b.String())
		}
		if n := tables(); n != 0 {
			t.Fatalf("the dev database holds %d table(s) after upgrade --sql", n)
		}
		rep, err := m.Test(ctx)
		if err != nil || len(rep.Revisions) != 3 {
			t.Fatalf("test on the dev database: %v, %+v", err, rep)
		}
		if n := tables(); n != 0 {
			t.Fatalf("the dev database holds %d table(s) after test", n)
		}
		// Not empty: refused, and kept.
		db, err := strata.OpenDB(dev)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec("CREATE TABLE keepme (id INTEGER PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		_, err = m.Test(ctx)
		if err == nil || !strings.Contains(err.Error(), "is not empty") || !strings.Contains(err.Error(), "keepme") {
			t.Fatalf("test on a dev database that is not empty: %v", err)
		}
		if err := m.UpgradeSQL(ctx, &b, "", "head"); err == nil || !strings.Contains(err.Error(), "is not empty") {
			t.Fatalf("upgrade --sql on a dev database that is not empty: %v", err)
		}
		if n := tables(); n != 1 {
			t.Fatalf("the dev database holds %d table(s), want keepme alone", n)
		}
	})
}

// restrictedUser makes a user of the dialect's server that may not create
// databases, and an empty database it owns, all dropped when t ends; it
// returns the URL of that database as the user, and the URL of another
// database it may reach but not change.
func restrictedUser(t *testing.T, dialect string) (dev, target string) {
	ctx := context.Background()
	admin, err := strata.OpenDB(testdb.ServerURL(dialect))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	user, devName, targetName := testdb.Name(), testdb.Name(), testdb.Name()
	const password = "n0create"
	var setup, teardown []string
	switch dialect {
	case "postgres":
		setup = []string{
			fmt.Sprintf("CREATE ROLE %s LOGIN NOCREATEDB NOCREATEROLE PASSWORD '%s'", user, password),
			fmt.Sprintf("CREATE DATABASE %s OWNER %s", devName, user),
			fmt.Sprintf("CREATE DATABASE %s", targetName),
		}
		teardown = []string{
			fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", devName),
			fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", targetName),
			fmt.Sprintf("DROP ROLE IF EXISTS %s", user),
		}
	case "mysql":
		setup = []string{
			fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, password),
			fmt.Sprintf("CREATE DATABASE %s", devName),
			fmt.Sprintf("CREATE DATABASE %s", targetName),
			fmt.Sprintf("GRANT ALL ON %s.* TO '%s'@'%%'", devName, user),
			fmt.Sprintf("GRANT SELECT ON %s.* TO '%s'@'%%'", targetName, user),
		}
		teardown = []string{
			fmt.Sprintf("DROP DATABASE IF EXISTS %s", devName),
			fmt.Sprintf("DROP DATABASE IF EXISTS %s", targetName),
			fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", user),
		}
	}
	t.Cleanup(func() {
		for _, stmt := range teardown {
			if _, err := admin.ExecContext(ctx, stmt); err != nil {
				t.Errorf("%s: %v", stmt, err)
			}
		}
	})
	for _, stmt := range setup {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	at := func(db string) string {
		u, err := neturl.Parse(testdb.ServerURL(dialect))
		if err != nil {
			t.Fatal(err)
		}
		u.User = neturl.UserPassword(user, password)
		u.Path = "/" + db
		return u.String()
	}
	return at(devName), at(targetName)
}

// TestOfflineSQLWithoutCreateRight: a user who may not create databases
// writes the offline SQL of SQL revisions, and of a Go revision with a
// dev database; without one, the Go revision's error says to name one.
// SQLite has no users: its scratch databases are temporary files.
func TestOfflineSQLWithoutCreateRight(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		if dialect == "sqlite" {
			t.Skip("SQLite has no users or rights; its scratch databases are temporary files")
		}
		ctx := context.Background()
		dev, target := restrictedUser(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		m, err := strata.OpenLazy(target, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		var b bytes.Buffer
		if err := m.UpgradeSQL(ctx, &b, "", "head"); err != nil || !strings.Contains(b.String(), "INSERT INTO colors") {
			t.Fatalf("upgrade --sql of SQL revisions as a user who may not create databases: %v\n%s", err, b.String())
		}
		removeFile(dir, "002.sql")
		removeFile(dir, "003.sql")
		withGo, err := strata.OpenLazy(target, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithMigrations(goSeed()))
		if err != nil {
			t.Fatal(err)
		}
		defer withGo.Close()
		err = withGo.UpgradeSQL(ctx, &b, "", "head")
		if err == nil || !strings.Contains(err.Error(), "--dev-url") || strings.Contains(err.Error(), "n0create") {
			t.Fatalf("upgrade --sql of a Go revision without the right to create a scratch database: %v", err)
		}
		withDev, err := strata.OpenLazy(target, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithMigrations(goSeed()), strata.WithDevURL(dev))
		if err != nil {
			t.Fatal(err)
		}
		defer withDev.Close()
		b.Reset()
		if err := withDev.UpgradeSQL(ctx, &b, "", "head"); err != nil || !strings.Contains(b.String(), "shade") {
			t.Fatalf("upgrade --sql of a Go revision on the dev database: %v\n%s", err, b.String())
		}
		if rep, err := withDev.Test(ctx); err != nil {
			t.Fatalf("test on the dev database: %v, %+v", err, rep)
		}
	})
}

// TestDevURLSchemaFileAndDryRun: migrate --schema applies its file on the
// dev database, and a dry run that rehearses on a copy (MySQL) copies into
// it; both leave it empty. PostgreSQL and SQLite rehearse in a
// transaction on the target and leave the dev database alone.
func TestDevURLSchemaFileAndDryRun(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dev, tables := devDatabase(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		schemaFile := filepath.Join(t.TempDir(), "schema.sql")
		if err := os.WriteFile(schemaFile, []byte("CREATE TABLE colors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL);\nCREATE TABLE sizes (id INTEGER NOT NULL PRIMARY KEY);\nCREATE TABLE shapes (id INTEGER NOT NULL PRIMARY KEY);\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := strata.Open(ctx, testdb.URL(t, dialect), strata.WithDir(dir), strata.WithoutGlobalRegistry(),
			strata.WithDevURL(dev), strata.WithSchemaFile(schemaFile))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "002"); err != nil {
			t.Fatal(err)
		}
		reh, err := m.Rehearse(ctx, runner.Up, "head")
		if err != nil || reh.Err != nil || !reh.Rehearsed {
			t.Fatalf("dry run with a dev database: %v, %+v", err, reh)
		}
		if dialect == "mysql" && !strings.Contains(reh.Reason, "on a copy in a scratch database") {
			t.Fatalf("the MySQL dry run did not rehearse on a copy: %s", reh.Reason)
		}
		if n := tables(); n != 0 {
			t.Fatalf("the dev database holds %d table(s) after the dry run", n)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatalf("migrate --schema on the dev database: %v", err)
		}
		if len(plan.Ops) != 1 || !strings.Contains(plan.Ops[0].String(), "shapes") {
			t.Fatalf("migrate --schema: %v, want the table shapes created", plan.Ops)
		}
		if n := tables(); n != 0 {
			t.Fatalf("the dev database holds %d table(s) after migrate --schema", n)
		}
	})
}

// TestDevDatabaseClear: each dialect lists what a database holds, of
// every kind a revision may create, and Clear drops it all, foreign keys
// between tables in both directions included.
func TestDevDatabaseClear(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		m, err := strata.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		dd := m.Dialect().(dialectpkg.DevDatabase)
		stmts := map[string][]string{
			"sqlite": {
				"CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, b_id INTEGER)",
				"CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id))",
				"INSERT INTO a (b_id) VALUES (NULL)",
				"CREATE INDEX a_b ON a (b_id)",
				"CREATE VIEW v AS SELECT id FROM a",
				"CREATE TRIGGER tr AFTER INSERT ON b BEGIN UPDATE a SET b_id = NEW.id; END",
			},
			"postgres": {
				"CREATE SCHEMA other",
				"CREATE TABLE other.t (id int)",
				"CREATE TYPE mood AS ENUM ('ok', 'sad')",
				"CREATE DOMAIN posint AS integer CHECK (VALUE > 0)",
				"CREATE TABLE a (id serial PRIMARY KEY, b_id int, m mood, p posint)",
				"CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id))",
				"ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id)",
				"CREATE SEQUENCE s",
				"CREATE VIEW v AS SELECT id FROM a",
				"CREATE MATERIALIZED VIEW mv AS SELECT id FROM b",
				"CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1'",
				"CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'",
				"CREATE TYPE pair AS (x int, y int)",
			},
			"mysql": {
				"CREATE TABLE a (id INT PRIMARY KEY, b_id INT)",
				"CREATE TABLE b (id INT PRIMARY KEY, a_id INT, FOREIGN KEY (a_id) REFERENCES a (id))",
				"ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id)",
				"CREATE VIEW v AS SELECT id FROM a",
				"CREATE TRIGGER tr BEFORE INSERT ON b FOR EACH ROW SET NEW.a_id = NEW.a_id",
				"CREATE FUNCTION f (x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
				"CREATE PROCEDURE p () SELECT 1",
				"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1",
			},
		}[dialect]
		db := m.DB()
		if dialect == "postgres" {
			// An extension and a column of its type, where the server has it.
			var n int
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM pg_available_extensions WHERE name = 'citext'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				stmts = append(stmts, "CREATE EXTENSION citext", "CREATE TABLE c (name citext)")
			}
		}
		for _, s := range stmts {
			if _, err := db.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		objects, err := dd.Objects(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"table a", "table b", "view v"} {
			kind, name, _ := strings.Cut(want, " ")
			if !slices.Contains(objects, want) && !slices.Contains(objects, kind+" public."+name) {
				t.Errorf("Objects does not list %s: %v", want, objects)
			}
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := dd.Clear(ctx, conn); err != nil {
			t.Fatalf("clear %v: %v", objects, err)
		}
		if left, err := dd.Objects(ctx, conn); err != nil || len(left) > 0 {
			t.Fatalf("after Clear of %v: %v left (%v)", objects, left, err)
		}
		if dialect == "mysql" {
			var fk int
			if err := conn.QueryRowContext(ctx, "SELECT @@foreign_key_checks").Scan(&fk); err != nil || fk != 1 {
				t.Fatalf("foreign_key_checks after Clear: %d, %v", fk, err)
			}
		}
	})
}
