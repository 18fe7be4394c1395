package strata_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// crashRevisions is a revision set of real DDL and DML, where running a DML
// statement twice shows in the data (a counter goes up by 2) and running a
// DDL statement twice fails.
var crashRevisions = map[string]map[string]string{"mysql": crashMySQL, "sqlite": crashSQLite, "postgres": crashPostgres}

// crashPostgres is crashMySQL for PostgreSQL, without a transaction. The
// concurrent index builds and drop cannot run in a transaction, so each
// runs alone, and a crash after it, before its progress record, is
// established from the catalog's fingerprint: a second run would fail.
var crashPostgres = map[string]string{
	"001_base.sql": `-- strata:revision 001
-- strata:no-transaction
-- migrate:up
CREATE TABLE acct (id int PRIMARY KEY, name text, hits int NOT NULL DEFAULT 0);
INSERT INTO acct (id, name) VALUES (1, 'one'), (2, 'two');
UPDATE acct SET hits = hits + 1;
ALTER TABLE acct ADD COLUMN email text;
CREATE INDEX CONCURRENTLY acct_name ON acct (name);
INSERT INTO acct (id, name) VALUES (3, 'three');
-- migrate:down
DROP TABLE acct;
`,
	"002_more.sql": `-- strata:revision 002
-- strata:parents 001
-- strata:no-transaction
-- migrate:up
UPDATE acct SET hits = hits + 10;
CREATE TABLE note (id serial PRIMARY KEY, acct_id int NOT NULL REFERENCES acct (id), body text);
INSERT INTO note (acct_id, body) SELECT id, name FROM acct ORDER BY id;
ALTER TABLE acct DROP COLUMN email, ADD COLUMN score int DEFAULT 5;
CREATE INDEX CONCURRENTLY acct_score ON acct (score);
UPDATE acct SET score = score + hits;
-- migrate:down
DROP INDEX CONCURRENTLY acct_score;
UPDATE acct SET hits = hits - 10;
DELETE FROM note WHERE acct_id = 3;
DROP TABLE note;
ALTER TABLE acct DROP COLUMN score, ADD COLUMN email text;
UPDATE acct SET hits = hits + 100;
`,
}

// crashSQLite is crashMySQL for SQLite, without a transaction, so that
// it runs statement by statement as revisions do on MySQL. VACUUM cannot
// run in a transaction: a crash after it runs it again, which is harmless.
var crashSQLite = map[string]string{
	"001_base.sql": `-- strata:revision 001
-- strata:no-transaction
-- migrate:up
CREATE TABLE acct (id INTEGER PRIMARY KEY, name TEXT, hits INTEGER NOT NULL DEFAULT 0);
INSERT INTO acct (id, name) VALUES (1, 'one'), (2, 'two');
UPDATE acct SET hits = hits + 1;
ALTER TABLE acct ADD COLUMN email TEXT;
CREATE INDEX acct_name ON acct (name);
INSERT INTO acct (id, name) VALUES (3, 'three');
-- migrate:down
DROP TABLE acct;
`,
	"002_more.sql": `-- strata:revision 002
-- strata:parents 001
-- strata:no-transaction
-- migrate:up
UPDATE acct SET hits = hits + 10;
CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, acct_id INTEGER NOT NULL REFERENCES acct (id), body TEXT);
INSERT INTO note (acct_id, body) SELECT id, name FROM acct;
ALTER TABLE acct DROP COLUMN email;
ALTER TABLE acct ADD COLUMN score INTEGER DEFAULT 5;
VACUUM;
UPDATE acct SET score = score + hits;
-- migrate:down
VACUUM;
UPDATE acct SET hits = hits - 10;
DELETE FROM note WHERE acct_id = 3;
DROP TABLE note;
ALTER TABLE acct DROP COLUMN score;
ALTER TABLE acct ADD COLUMN email TEXT;
UPDATE acct SET hits = hits + 100;
`,
}

var crashMySQL = map[string]string{
	"001_base.sql": `-- strata:revision 001
-- migrate:up
CREATE TABLE acct (id INT PRIMARY KEY, name VARCHAR(20), hits INT NOT NULL DEFAULT 0);
INSERT INTO acct (id, name) VALUES (1, 'one'), (2, 'two');
UPDATE acct SET hits = hits + 1;
ALTER TABLE acct ADD COLUMN email VARCHAR(50);
CREATE INDEX acct_name ON acct (name);
INSERT INTO acct (id, name) VALUES (3, 'three');
-- migrate:down
DROP TABLE acct;
`,
	"002_more.sql": `-- strata:revision 002
-- strata:parents 001
-- migrate:up
UPDATE acct SET hits = hits + 10;
CREATE TABLE note (id INT PRIMARY KEY AUTO_INCREMENT, acct_id INT NOT NULL, body TEXT, CONSTRAINT note_acct FOREIGN KEY (acct_id) REFERENCES acct (id));
INSERT INTO note (acct_id, body) SELECT id, name FROM acct;
ALTER TABLE acct DROP COLUMN email, ADD COLUMN score INT DEFAULT 5;
UPDATE acct SET score = score + hits;
-- migrate:down
UPDATE acct SET hits = hits - 10;
DELETE FROM note WHERE acct_id = 3;
DROP TABLE note;
ALTER TABLE acct DROP COLUMN score, ADD COLUMN email VARCHAR(50);
UPDATE acct SET hits = hits + 100;
`,
}

// TestCrashHelperProcess is not a test: TestResumeAfterClientDeath runs
// the test binary with it as a subprocess that upgrades or downgrades and
// SIGKILLs itself at a cut point (see killConn).
func TestCrashHelperProcess(t *testing.T) {
	spec := os.Getenv("STRATA_CRASH_HELPER")
	if spec == "" {
		t.Skip("run by TestResumeAfterClientDeath")
	}
	parts := strings.Split(spec, "|") // url|dir|direction|target|kill-at
	killAt, _ := strconv.ParseInt(parts[4], 10, 64)
	var inner driver.Connector
	if strings.HasPrefix(parts[0], "postgres") {
		db, err := sql.Open("pgx", parts[0])
		if err != nil {
			t.Fatal(err)
		}
		inner = dsnConnector{drv: db.Driver(), dsn: parts[0]}
	} else if strings.HasPrefix(parts[0], "sqlite:") {
		dsn, err := sqlite.DSN(parts[0])
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			t.Fatal(err)
		}
		inner = dsnConnector{drv: db.Driver(), dsn: dsn}
	} else {
		cfg, err := mysql.Config(parts[0])
		if err != nil {
			t.Fatal(err)
		}
		if inner, err = gomysql.NewConnector(cfg); err != nil {
			t.Fatal(err)
		}
	}
	k := &killer{at: killAt}
	db := sql.OpenDB(killConnector{Connector: inner, k: k})
	ctx := context.Background()
	m, err := strata.New(ctx, db, strata.WithDir(parts[1]), strata.WithForce())
	if err != nil {
		t.Fatal(err)
	}
	if parts[2] == "up" {
		_, err = m.Upgrade(ctx, parts[3])
	} else {
		_, err = m.Downgrade(ctx, parts[3])
	}
	fmt.Printf("cutpoints=%d\n", k.n.Load())
	if err != nil {
		t.Fatal(err)
	}
}

// killer counts the cut points of a run, one before and one after each
// statement the client sends and each commit, and kills the process with
// SIGKILL at cut point at (never when at is 0).
type killer struct {
	n  atomic.Int64
	at int64
}

func (k *killer) tick() {
	if k.n.Add(1) == k.at {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}

// dsnConnector opens connections of a driver that has no Connector of its
// own.
type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

type killConnector struct {
	driver.Connector
	k *killer
}

func (c killConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &killConn{Conn: conn, k: c.k}, nil
}

// killConn passes everything to the MySQL driver's connection, ticking the
// killer around each Exec and Commit.
type killConn struct {
	driver.Conn
	k *killer
}

func (c *killConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.k.tick()
	res, err := e.ExecContext(ctx, query, args)
	if !errors.Is(err, driver.ErrSkip) {
		c.k.tick()
	}
	return res, err
}

func (c *killConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := c.Conn.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *killConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *killConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var tx driver.Tx
	var err error
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		tx, err = b.BeginTx(ctx, opts)
	} else {
		//lint:ignore SA1019 the driver has no BeginTx
		tx, err = c.Conn.Begin()
	}
	if err != nil {
		return nil, err
	}
	return killTx{Tx: tx, k: c.k}, nil
}

func (c *killConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *killConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *killConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *killConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type killTx struct {
	driver.Tx
	k *killer
}

func (t killTx) Commit() error {
	t.k.tick()
	err := t.Tx.Commit()
	t.k.tick()
	return err
}

// crashRun runs the helper process: dir upgraded or downgraded to target
// on url, killed at cut point killAt (0: never). It returns the cut
// points counted when the run was not killed, and whether it was killed.
func crashRun(t *testing.T, url, dir, direction, target string, killAt int) (cutpoints int, killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("STRATA_CRASH_HELPER=%s|%s|%s|%s|%d", url, dir, direction, target, killAt))
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return 0, true
		}
	}
	if err != nil {
		t.Fatalf("helper %s %s (kill at %d): %v\n%s", direction, target, killAt, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "cutpoints="); ok {
			cutpoints, _ = strconv.Atoi(v)
		}
	}
	return cutpoints, false
}

// dump describes a MySQL database as tools other than strata see it: SHOW
// CREATE TABLE of every table but the progress table (its AUTO_INCREMENT
// counter left out, as a rolled-back insert moves it), every row of every
// table, and the version table's revisions.
func dump(t *testing.T, dialect string, db *sql.DB) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return dumpSQLite(t, db)
	case "postgres":
		return dumpPostgres(t, db)
	}
	ctx := context.Background()
	var b strings.Builder
	rows, err := db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'strata_revisions_progress' ORDER BY TABLE_NAME")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, tbl := range tables {
		var name, create, isView string
		if err := db.QueryRowContext(ctx, "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", tbl).Scan(&isView); err != nil {
			t.Fatal(err)
		}
		if isView == "VIEW" { // SHOW CREATE VIEW has four columns
			var cs, co string
			if err := db.QueryRowContext(ctx, "SHOW CREATE VIEW `"+tbl+"`").Scan(&name, &create, &cs, &co); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s\n", create)
			continue
		}
		if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE `"+tbl+"`").Scan(&name, &create); err != nil {
			t.Fatal(err)
		}
		fields := strings.Fields(create)
		for i, f := range fields {
			if strings.HasPrefix(f, "AUTO_INCREMENT=") {
				fields[i] = "AUTO_INCREMENT=?"
			}
		}
		fmt.Fprintf(&b, "%s\n", strings.Join(fields, " "))
		// Values InnoDB hands out do not roll back with a transaction: a
		// killed insert burns AUTO_INCREMENT values, so those columns are
		// left out.
		var cols string
		if err := db.QueryRowContext(ctx, "SELECT GROUP_CONCAT(CONCAT('`', COLUMN_NAME, '`') ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND EXTRA NOT LIKE '%auto_increment%'", tbl).Scan(&cols); err != nil {
			t.Fatal(err)
		}
		if tbl == "strata_revisions" {
			cols = "revision, checksum"
		}
		dumpRows(t, db, "SELECT "+cols+" FROM `"+tbl+"` ORDER BY 1", "", &b)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM strata_revisions_progress").Scan(&n); err == nil && n != 0 {
		fmt.Fprintf(&b, "progress rows left: %d\n", n)
	}
	return b.String()
}

// dumpPostgres is dump for PostgreSQL: columns, constraints and indexes
// as the catalog describes them (pg_get_constraintdef, pg_indexes), every
// row of every table but the values sequences hand out (not rolled back
// with a transaction), the version table's revisions.
func dumpPostgres(t *testing.T, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	lines := func(query string) []string {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				t.Fatal(err)
			}
			out = append(out, l)
		}
		return out
	}
	for _, q := range []string{
		`SELECT concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default) FROM information_schema.columns
		 WHERE table_schema = current_schema() AND table_name <> 'strata_revisions_progress' ORDER BY table_name, ordinal_position`,
		`SELECT concat_ws(' ', c.relname, k.conname, pg_get_constraintdef(k.oid)) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		 WHERE c.relnamespace = current_schema()::regnamespace AND c.relname <> 'strata_revisions_progress' ORDER BY 1`,
		`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> 'strata_revisions_progress' ORDER BY 1`,
	} {
		for _, l := range lines(q) {
			fmt.Fprintln(&b, l)
		}
	}
	for _, tbl := range lines(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'strata_revisions_progress' ORDER BY 1`) {
		cols := strings.Join(lines(fmt.Sprintf(`SELECT quote_ident(column_name) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '%s'
			AND coalesce(column_default, '') NOT LIKE 'nextval%%' ORDER BY ordinal_position`, tbl)), ", ")
		if tbl == "strata_revisions" {
			cols = "revision, checksum"
		}
		for _, l := range lines(fmt.Sprintf(`SELECT row(%s)::text FROM %q ORDER BY 1`, cols, tbl)) {
			fmt.Fprintf(&b, "  %s %s\n", tbl, l)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM strata_revisions_progress").Scan(&n); err == nil && n != 0 {
		fmt.Fprintf(&b, "progress rows left: %d\n", n)
	}
	return b.String()
}

// dumpSQLite is dump for SQLite: sqlite_schema's SQL text, every row of
// every table, the version table's revisions.
func dumpSQLite(t *testing.T, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	rows, err := db.QueryContext(ctx, "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND name <> 'strata_revisions_progress' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var typ, name string
		var text sql.NullString
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s\n", text.String)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tbl := range tables {
		cols := "*"
		if tbl == "strata_revisions" {
			cols = "revision, checksum"
		}
		dumpRows(t, db, "SELECT "+cols+" FROM \""+tbl+"\" ORDER BY 1", tbl+" ", &b)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM strata_revisions_progress").Scan(&n); err == nil && n != 0 {
		fmt.Fprintf(&b, "progress rows left: %d\n", n)
	}
	return b.String()
}

func crashDir(t *testing.T, dialect string) string {
	dir := t.TempDir()
	for name, body := range crashRevisions[dialect] {
		write(t, dir, name, body)
	}
	return dir
}

// TestResumeAfterClientDeath kills an upgrade and a downgrade at every cut
// point (before and after each statement the client sends and each
// commit), then runs them again: every run converges on the schema and
// data of a run never killed, each DML statement applied once. On MySQL
// every revision runs statement by statement; on SQLite and PostgreSQL the
// revisions are -- strata:no-transaction.
func TestResumeAfterClientDeath(t *testing.T) {
	for _, dialect := range []string{"mysql", "sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			testdb.Skip(t, dialect)
			resumeAfterClientDeath(t, dialect)
		})
	}
}

func resumeAfterClientDeath(t *testing.T, dialect string) {
	ctx := context.Background()
	dir := crashDir(t, dialect)
	type phase struct{ direction, target, from string }
	for _, ph := range []phase{{"up", "head", ""}, {"down", "001", "head"}} {
		t.Run(ph.direction, func(t *testing.T) {
			// The clean run, never killed: the oracle.
			cleanDB, cleanURL := testdb.Open(t, dialect)
			if ph.from != "" {
				if _, killed := crashRun(t, cleanURL, dir, "up", ph.from, 0); killed {
					t.Fatal("clean run killed")
				}
			}
			cuts, _ := crashRun(t, cleanURL, dir, ph.direction, ph.target, 0)
			want := dump(t, dialect, cleanDB)
			if cuts < 10 {
				t.Fatalf("only %d cut points counted", cuts)
			}
			// Every cut point on MySQL, every second on the others (whose
			// no-transaction revisions take the same path at every cut);
			// with -short, every fourth. Each costs a process and a
			// database.
			stride := 1
			if dialect != "mysql" {
				stride = 2
			}
			if testing.Short() {
				stride = 4
			}
			for at := 1; at <= cuts; at += stride {
				// A subtest per cut point, so that its database and
				// connections go away before the next.
				t.Run(fmt.Sprint("cut", at), func(t *testing.T) {
					db, url := testdb.Open(t, dialect)
					if ph.from != "" {
						crashRun(t, url, dir, "up", ph.from, 0)
					}
					if _, killed := crashRun(t, url, dir, ph.direction, ph.target, at); !killed {
						t.Fatalf("cut point %d of %d: the run was not killed", at, cuts)
					}
					m, err := strata.New(ctx, db, strata.WithDir(dir), strata.WithForce())
					if err != nil {
						t.Fatal(err)
					}
					if ph.direction == "up" {
						_, err = m.Upgrade(ctx, ph.target)
					} else {
						_, err = m.Downgrade(ctx, ph.target)
					}
					if err != nil {
						t.Fatalf("cut point %d of %d: rerun: %v", at, cuts, err)
					}
					if got := dump(t, dialect, db); got != want {
						t.Fatalf("cut point %d of %d: after the rerun the database differs from a clean run:\n got:\n%s\nwant:\n%s", at, cuts, got, want)
					}
				})
			}
		})
	}
}

// TestResumeAfterKillConnection kills the runner's connection on the
// server (KILL) while a DML statement and while a DDL statement runs, and
// after each completed but before its progress was recorded (another
// session holds the progress row meanwhile): the upgrade fails, and the
// next one finishes the revision with each statement applied once.
func TestResumeAfterKillConnection(t *testing.T) {
	testdb.Skip(t, "mysql")
	for _, tc := range []struct {
		name, stmt string
		hits       int
	}{
		{"dml", "UPDATE acct SET hits = hits + 1 + SLEEP(1) * 0", 11},
		{"ddl", "CREATE TABLE slow AS SELECT SLEEP(1) AS x", 10},
	} {
		for _, when := range []string{"mid-statement", "before-progress"} {
			t.Run(tc.name+"/"+when, func(t *testing.T) {
				ctx := context.Background()
				db, url := testdb.Open(t, "mysql")
				dir := t.TempDir()
				write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE acct (id INT PRIMARY KEY, hits INT NOT NULL DEFAULT 0);\nINSERT INTO acct (id) VALUES (1);\n"+
					tc.stmt+";\nUPDATE acct SET hits = hits + 10;\n-- migrate:down\nDROP TABLE acct;\n")
				m := open(t, url, dir)
				var dbName string
				if err := db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&dbName); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() {
					_, err := m.Upgrade(ctx, "head")
					done <- err
				}()
				// waitFor returns the id of the session running a
				// statement like pattern.
				waitFor := func(pattern string) int64 {
					t.Helper()
					for {
						var id int64
						err := db.QueryRowContext(ctx, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ? AND INFO NOT LIKE '%PROCESSLIST%'", dbName, pattern).Scan(&id)
						if err == nil {
							return id
						}
						select {
						case err := <-done:
							t.Fatalf("the upgrade ended before its connection was killed: %v", err)
						default:
						}
					}
				}
				id := waitFor("%SLEEP(1)%")
				unlock := func() {}
				if when == "before-progress" {
					// Hold the progress row, so that the runner's record
					// of the statement waits once the statement is done.
					lock, err := db.BeginTx(ctx, nil)
					if err != nil {
						t.Fatal(err)
					}
					defer lock.Rollback()
					unlock = func() { lock.Rollback() }
					var n int
					if err := lock.QueryRowContext(ctx, "SELECT done FROM strata_revisions_progress WHERE revision = '001' FOR UPDATE").Scan(&n); err != nil {
						t.Fatal(err)
					}
					id = waitFor("UPDATE `strata_revisions_progress`%")
				}
				if _, err := db.ExecContext(ctx, fmt.Sprintf("KILL %d", id)); err != nil {
					t.Fatal(err)
				}
				err := <-done
				unlock()
				var pe *runner.PartialError
				if !errors.As(err, &pe) {
					t.Fatalf("upgrade with its connection killed: %v, want a PartialError", err)
				}
				if pe.Executed < 2 {
					t.Errorf("executed %d statements before the kill, want at least 2: %v", pe.Executed, err)
				}
				m2 := open(t, url, dir)
				res, err := m2.Upgrade(ctx, "head")
				if err != nil {
					t.Fatalf("upgrade after the kill: %v", err)
				}
				// What the rerun says it found: the DDL statement's fate
				// read from the catalog.
				if tc.name == "ddl" {
					want := "statement 3 (001.sql:5), in flight when the last run stopped, had not run"
					if when == "before-progress" {
						want = "statement 3 (001.sql:5), in flight when the last run stopped, had run"
					}
					if len(res) != 1 || !strings.Contains(res[0].ResumeNote, "statement(s) 1-2 had run before") || !strings.Contains(res[0].ResumeNote, want) {
						t.Errorf("the rerun's note: %+v, want it to say %q", res, want)
					}
				}
				var hits int
				if err := db.QueryRowContext(ctx, "SELECT hits FROM acct WHERE id = 1").Scan(&hits); err != nil || hits != tc.hits {
					t.Fatalf("hits = %d (%v), want %d: each update applied once", hits, err, tc.hits)
				}
			})
		}
	}
}

// crashConcurrentIndex builds an index concurrently on a table whose
// index expression sleeps per row where the setting ci.slow is on, so
// that a kill lands during the build;
// the revision's DML shows a second application in ci_log.
const crashConcurrentIndex = `-- strata:revision 001
-- strata:no-transaction
-- migrate:up
CREATE TABLE ci (id int PRIMARY KEY, v int NOT NULL);
CREATE TABLE ci_log (rev text NOT NULL);
INSERT INTO ci SELECT g, g % 7 FROM generate_series(1, 300) g;
CREATE FUNCTION ci_slow(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$BEGIN IF current_setting('ci.slow', true) = 'on' THEN PERFORM pg_sleep(0.01); END IF; RETURN x; END$$;
INSERT INTO ci_log VALUES ('before');
CREATE INDEX CONCURRENTLY ci_slow_v ON ci (ci_slow(v));
INSERT INTO ci_log VALUES ('after');
-- migrate:down
DROP INDEX CONCURRENTLY ci_slow_v;
DELETE FROM ci_log;
`

// TestResumeConcurrentIndex kills the client (SIGKILL) while PostgreSQL
// builds an index CONCURRENTLY in a no-transaction revision, which leaves
// the index invalid, and at the cut points around the build; the rerun
// drops the invalid index, builds it again and ends with one valid index,
// each DML statement applied once and the schema of a clean run (pg_dump
// leaves invalid indexes out, so they are counted from pg_index too).
func TestResumeConcurrentIndex(t *testing.T) {
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	dir := t.TempDir()
	write(t, dir, "001.sql", crashConcurrentIndex)
	cleanDB, cleanURL := testdb.Open(t, "postgres")
	cuts, _ := crashRun(t, cleanURL, dir, "up", "head", 0)
	want := dump(t, "postgres", cleanDB)
	state := func(db *sql.DB) (invalid, valid int, log string) {
		t.Helper()
		if err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE NOT i.indisvalid), count(*) FILTER (WHERE i.indisvalid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'ci_slow_v%'`).Scan(&invalid, &valid); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, `SELECT coalesce(string_agg(rev, ',' ORDER BY rev), '') FROM ci_log`).Scan(&log); err != nil {
			t.Fatal(err)
		}
		return invalid, valid, log
	}
	rerun := func(t *testing.T, db *sql.DB) []strata.Result {
		t.Helper()
		m, err := strata.New(ctx, db, strata.WithDir(dir), strata.WithForce())
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Upgrade(ctx, "head")
		if err != nil {
			t.Fatalf("rerun: %v", err)
		}
		if got := dump(t, "postgres", db); got != want {
			t.Fatalf("after the rerun the database differs from a clean run:\n got:\n%s\nwant:\n%s", got, want)
		}
		if inv, val, log := state(db); inv != 0 || val != 1 || log != "after,before" {
			t.Fatalf("after the rerun: %d invalid and %d valid index(es), ci_log %q; want 0, 1, \"after,before\"", inv, val, log)
		}
		return res
	}
	t.Run("during-build", func(t *testing.T) {
		db, url := testdb.Open(t, "postgres")
		var name string
		if err := db.QueryRowContext(ctx, "SELECT quote_ident(current_database())").Scan(&name); err != nil {
			t.Fatal(err)
		}
		mustExecDB(t, db, "ALTER DATABASE "+name+" SET ci.slow = 'on'")
		// The helper opens pgx itself: the session setting strata's Open
		// makes (postgres.ConnectionCheckInterval) goes in its URL.
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		helperURL := url + sep + "client_connection_check_interval=" + strconv.Itoa(postgres.ConnectionCheckInterval)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("STRATA_CRASH_HELPER=%s|%s|up|head|0", helperURL, dir))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the build runs, let it work a moment, then kill.
		for {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
				AND state = 'active' AND query LIKE 'CREATE INDEX CONCURRENTLY ci_slow_v%'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		// The server notices the client is gone (strata sets
		// client_connection_check_interval) and stops the build, leaving
		// the index invalid; the rerun waits for the run lock meanwhile.
		for {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY ci_slow_v%'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if inv, val, _ := state(db); inv != 1 || val != 0 {
			t.Fatalf("after the kill: %d invalid and %d valid index(es), want the build left invalid", inv, val)
		}
		mustExecDB(t, db, "ALTER DATABASE "+name+" RESET ci.slow")
		res := rerun(t, db)
		if len(res) != 1 || !strings.Contains(res[0].ResumeNote, "dropped the invalid index(es)") || !strings.Contains(res[0].ResumeNote, "had not run") {
			t.Errorf("the rerun's note: %+v, want it to say it dropped the invalid index and ran the build again", res)
		}
	})
	// Around the build: the cut points before and after each statement,
	// every second (every fourth with -short), as each costs a process
	// and a database.
	stride := 2
	if testing.Short() {
		stride = 4
	}
	for at := 1; at <= cuts; at += stride {
		t.Run(fmt.Sprint("cut", at), func(t *testing.T) {
			db, url := testdb.Open(t, "postgres")
			if _, killed := crashRun(t, url, dir, "up", "head", at); !killed {
				t.Fatalf("cut point %d of %d: the run was not killed", at, cuts)
			}
			rerun(t, db)
		})
	}
}

// dumpRows writes every row query returns to b, one line each, after
// prefix: the data half of the schema-and-data picture a crash test
// compares with a clean run.
func dumpRows(t *testing.T, db *sql.DB, query, prefix string, b *strings.Builder) {
	t.Helper()
	rs, err := db.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	names, err := rs.Columns()
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		vals := make([]sql.NullString, len(names))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(b, "  %s%v\n", prefix, vals)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
}
