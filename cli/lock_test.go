package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/cli"
	"github.com/strata-go/strata/internal/testdb"
)

// strataBin is the strata command, built from cmd/strata for the tests
// (without -race, so that many processes start quickly under go test
// -race). The test binary itself doubles as a process that takes the
// migration lock and holds it until killed (STRATA_TEST_HOLD_LOCK=URL).
var strataBin string

func TestMain(m *testing.M) {
	if url := os.Getenv("STRATA_TEST_HOLD_LOCK"); url != "" {
		if err := holdLock(url); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "strata-cli-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	strataBin = filepath.Join(dir, "strata")
	if out, err := exec.Command("go", "build", "-o", strataBin, "../cmd/strata").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build strata: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	testdb.Report()
	os.Exit(code)
}

func holdLock(url string) error {
	ctx := context.Background()
	m, err := strata.Open(ctx, url, strata.WithDir(os.TempDir()))
	if err != nil {
		return err
	}
	conn, err := m.DB().Conn(ctx)
	if err != nil {
		return err
	}
	if _, err := m.Dialect().Lock(ctx, conn); err != nil {
		return err
	}
	fmt.Println("locked")
	select {} // until killed
}

// result is what one strata process did.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("strata %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

func strataCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(strataBin, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL=")
	return cmd
}

// run runs strata as a process of its own.
func run(t *testing.T, args ...string) result {
	t.Helper()
	cmd := strataCmd(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("strata %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return result{args: args, stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// runAll starts one strata process per argument list at once and waits
// for them all.
func runAll(t *testing.T, argss ...[]string) []result {
	t.Helper()
	out := make([]result, len(argss))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, args := range argss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = run(t, args...)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// pause is a statement that takes a while (about 0.1s), to widen the
// window in which concurrent runs could overlap.
var pause = map[string]string{
	"sqlite":   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) FROM c",
	"postgres": "SELECT pg_sleep(0.1)",
	"mysql":    "DO SLEEP(0.1)",
}

// chain writes n revisions 001…n: each creates table tN and counts its
// run with a row in runs (n for an upgrade, -n for a downgrade); 001
// creates runs itself. Each downgrade pauses first.
func chain(t *testing.T, dialect string, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := 1; i <= n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "-- strata:revision %03d\n", i)
		if i > 1 {
			fmt.Fprintf(&b, "-- strata:parents %03d\n", i-1)
		}
		b.WriteString("-- migrate:up\n")
		if i == 1 {
			b.WriteString("CREATE TABLE runs (n INTEGER NOT NULL);\n")
		} else {
			fmt.Fprintf(&b, "CREATE TABLE t%d (id INTEGER PRIMARY KEY);\n", i)
		}
		fmt.Fprintf(&b, "INSERT INTO runs (n) VALUES (%d);\n-- migrate:down\n", i)
		if i == 1 {
			b.WriteString("DROP TABLE runs;\n")
		} else {
			fmt.Fprintf(&b, "%s;\nDROP TABLE t%d;\nINSERT INTO runs (n) VALUES (%d);\n", pause[dialect], i, -i)
		}
		writeFile(t, dir, fmt.Sprintf("%03d.sql", i), b.String())
	}
	return dir
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func openDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := strata.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// applied reads the version table.
func applied(t *testing.T, db *sql.DB) map[string]bool {
	t.Helper()
	rows, err := db.Query("SELECT revision FROM strata_revisions")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		set[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

// tableExists asks the database's catalog whether table exists.
func tableExists(t *testing.T, db *sql.DB, dialect, table string) bool {
	t.Helper()
	query := map[string]string{
		"sqlite":   "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '" + table + "'",
		"postgres": "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '" + table + "'",
		"mysql":    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '" + table + "'",
	}[dialect]
	return queryInt(t, db, query) == 1
}

// consistent checks that the version table of a chain(n) database holds
// a prefix 001…k of the chain (each revision with its parent), that
// exactly the tables of those revisions exist, and that each recorded
// revision's upgrade ran once more than its downgrade.
func consistent(t *testing.T, db *sql.DB, dialect string, n int) int {
	t.Helper()
	set := applied(t, db)
	k := 0
	for k < n && set[fmt.Sprintf("%03d", k+1)] {
		k++
	}
	if len(set) != k {
		t.Fatalf("version table %v is not a prefix of the chain: a revision without its parent", set)
	}
	for i := 2; i <= n; i++ {
		if got, want := tableExists(t, db, dialect, fmt.Sprintf("t%d", i)), i <= k; got != want {
			t.Fatalf("table t%d exists %t, but its revision applied %t (version table %v)", i, got, want, set)
		}
	}
	if k == 0 {
		return 0
	}
	for i := 2; i <= n; i++ {
		ups := queryInt(t, db, fmt.Sprintf("SELECT COUNT(*) FROM runs WHERE n = %d", i))
		downs := queryInt(t, db, fmt.Sprintf("SELECT COUNT(*) FROM runs WHERE n = %d", -i))
		want := 0
		if i <= k {
			want = 1
		}
		if ups-downs != want {
			t.Fatalf("revision %03d: %d upgrades and %d downgrades ran, but it is applied %t", i, ups, downs, i <= k)
		}
	}
	return k
}

// TestConcurrentMixedRuns starts 4 upgrades to head and 4 one-step
// downgrades at once, five times: every process exits 0, and the version
// table, the schema and the runs agree (no revision without its parent).
func TestConcurrentMixedRuns(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		const n = 6
		url := testdb.URL(t, dialect)
		dir := chain(t, dialect, n)
		db := openDB(t, url)
		if r := run(t, "upgrade", "003", "--dir", dir, "--database", url); r.code != 0 {
			t.Fatal(r)
		}
		for trial := range 5 {
			var argss [][]string
			for range 4 {
				argss = append(argss, []string{"upgrade", "head", "--dir", dir, "--database", url})
				argss = append(argss, []string{"downgrade", "--force", "--dir", dir, "--database", url, "--", "-1"})
			}
			for _, r := range runAll(t, argss...) {
				// A downgrade that finds the database at base (the others
				// went first) has nothing to undo and says so.
				if r.code != 0 && !strings.Contains(r.stderr, `target "-1": only 0 revisions are applied`) {
					t.Errorf("trial %d: %s", trial, r)
				}
			}
			k := consistent(t, db, dialect, n)
			t.Logf("trial %d: at %03d", trial, k)
			if k == 0 { // downgrades won; start again from the middle
				if r := run(t, "upgrade", "003", "--dir", dir, "--database", url); r.code != 0 {
					t.Fatal(r)
				}
			}
		}
	})
}

// TestConcurrentDowngrades: 8 processes run `downgrade -1` at once on a
// database at revision 012; together they undo exactly 8 revisions, each
// once.
func TestConcurrentDowngrades(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		const n, procs = 12, 8
		url := testdb.URL(t, dialect)
		dir := chain(t, dialect, n)
		db := openDB(t, url)
		if r := run(t, "upgrade", "--dir", dir, "--database", url); r.code != 0 {
			t.Fatal(r)
		}
		var argss [][]string
		for range procs {
			argss = append(argss, []string{"downgrade", "--dir", dir, "--database", url, "--", "-1"})
		}
		for _, r := range runAll(t, argss...) {
			if r.code != 0 || !strings.Contains(r.stdout, "Downgraded") {
				t.Errorf("a concurrent downgrade -1: %s", r)
			}
		}
		if k := consistent(t, db, dialect, n); k != n-procs {
			t.Fatalf("%d concurrent `downgrade -1` left the database at %03d, want %03d", procs, k, n-procs)
		}
		if downs := queryInt(t, db, "SELECT COUNT(*) FROM runs WHERE n < 0"); downs != procs {
			t.Fatalf("%d downgrades ran, want %d", downs, procs)
		}
	})
}

// TestConcurrentNoTransaction: 16 processes upgrade to a revision marked
// no-transaction at once; it runs exactly once (one counter row).
func TestConcurrentNoTransaction(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		const procs = 16
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		writeFile(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE runs (n INTEGER NOT NULL);\n-- migrate:down\nDROP TABLE runs;\n")
		writeFile(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- strata:no-transaction\n"+
			"-- migrate:up\n"+pause[dialect]+";\nINSERT INTO runs (n) VALUES (2);\nINSERT INTO runs (n) VALUES (20);\n-- migrate:down\nDELETE FROM runs;\n")
		if r := run(t, "upgrade", "001", "--dir", dir, "--database", url); r.code != 0 {
			t.Fatal(r)
		}
		var argss [][]string
		for range procs {
			argss = append(argss, []string{"upgrade", "--dir", dir, "--database", url})
		}
		applies := 0
		for _, r := range runAll(t, argss...) {
			if r.code != 0 {
				t.Errorf("a concurrent upgrade: %s", r)
			}
			applies += strings.Count(r.stdout, "Upgraded 002")
		}
		db := openDB(t, url)
		if runs := queryInt(t, db, "SELECT COUNT(*) FROM runs"); runs != 2 || applies != 1 {
			t.Fatalf("%d concurrent upgrades: the no-transaction revision reported applied %d times and left %d rows, want once and 2 rows", procs, applies, runs)
		}
	})
}

// TestInterruptOnLastStatement sends SIGINT to strata while the last
// statement of a revision runs: strata says the run was interrupted and
// what became of the revision, and exits 130; the version table does not
// record the revision.
func TestInterruptOnLastStatement(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		slow := map[string]string{
			// SQLite cannot stop a statement in flight: it finishes, and the
			// revision is rolled back before it commits.
			"sqlite":   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c",
			"postgres": "SELECT pg_sleep(60)",
			"mysql": "SELECT COUNT(*) FROM information_schema.COLLATIONS a, information_schema.COLLATIONS b, " +
				"information_schema.COLLATIONS c, information_schema.COLLATIONS d, information_schema.COLLATIONS e",
		}[dialect]
		writeFile(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n"+slow+";\n-- migrate:down\nDROP TABLE a;\n")
		cmd := strataCmd("upgrade", "--debug", "--dir", dir, "--database", url)
		var stdout, stderr bytes.Buffer
		cmd.Stdout = &stdout
		pipe, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The debug log names each statement once it has run: after
		// CREATE TABLE a, the last statement is running.
		sc := bufio.NewScanner(pipe)
		signalled := false
		for sc.Scan() {
			stderr.WriteString(sc.Text() + "\n")
			if !signalled && strings.Contains(sc.Text(), "CREATE TABLE a") {
				time.Sleep(200 * time.Millisecond)
				if err := cmd.Process.Signal(os.Interrupt); err != nil {
					t.Fatal(err)
				}
				signalled = true
			}
		}
		err = cmd.Wait()
		r := result{args: cmd.Args[1:], stdout: stdout.String(), stderr: stderr.String()}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			r.code = ee.ExitCode()
		}
		if !signalled {
			t.Fatalf("the first statement was never logged: %s", r)
		}
		if r.code != cli.ExitInterrupted || !strings.Contains(r.stderr, "Interrupted") || !strings.Contains(r.stderr, "001 was interrupted at 001.sql:4") ||
			strings.Contains(r.stdout, "Nothing to upgrade") {
			t.Fatalf("want exit %d saying the upgrade of 001 was interrupted at its last statement: %s", cli.ExitInterrupted, r)
		}
		wantTable, wantSays := false, "rolled back"
		if dialect == "mysql" {
			wantTable, wantSays = true, "statement 1 (001.sql:3) of 001 ran before the interruption and stay applied"
		}
		if !strings.Contains(r.stderr, wantSays) {
			t.Errorf("the message does not say %q: %s", wantSays, r)
		}
		db := openDB(t, url)
		if got := applied(t, db); len(got) != 0 {
			t.Errorf("the interrupted revision is recorded: %v", got)
		}
		if got := tableExists(t, db, dialect, "a"); got != wantTable {
			t.Errorf("table a exists %t after the interruption, want %t", got, wantTable)
		}
	})
}

// lockHolder starts a process that takes the migration lock of url and
// holds it until killed.
func lockHolder(t *testing.T, url string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "STRATA_TEST_HOLD_LOCK="+url)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("the lock holder said %q, %v", line, err)
	}
	return cmd
}

// TestLockTimeout: while another process holds the lock, upgrade gives
// up after --lock-timeout (or strata.toml's lock_timeout), saying who
// holds the lock, and changes nothing.
func TestLockTimeout(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := chain(t, dialect, 2)
		holder := lockHolder(t, url)
		want := map[string]string{
			"sqlite":   fmt.Sprintf("held by pid %d (", holder.Process.Pid),
			"postgres": "held by pid ",
			"mysql":    "held by connection ",
		}[dialect]
		for _, tc := range []struct {
			name  string
			args  []string
			after string
		}{
			{"flag", []string{"--lock-timeout", "2s"}, "2s"},
			{"config", nil, "1s"},
		} {
			config := filepath.Join(t.TempDir(), "strata.toml")
			writeFile(t, filepath.Dir(config), "strata.toml", "lock_timeout = \"1s\"\n")
			start := time.Now()
			r := run(t, append([]string{"upgrade", "--config", config, "--dir", dir, "--database", url}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "gave up waiting for the migration lock after "+tc.after) || !strings.Contains(r.stderr, want) {
				t.Fatalf("%s: want exit 1, giving up after %s, the lock %s…: %s", tc.name, tc.after, want, r)
			}
			if tc.name == "flag" && !strings.Contains(r.stderr, "waiting for the migration lock") {
				t.Errorf("%s: no word while waiting: %s", tc.name, r)
			}
			t.Logf("%s: gave up after %s:\n%s", tc.name, time.Since(start).Round(time.Millisecond), r.stderr)
		}
		if tableExists(t, openDB(t, url), dialect, "strata_revisions") {
			t.Fatalf("a run that timed out created the version table")
		}
	})
}

// TestLockKilledHolder: a process holding the lock is killed (SIGKILL);
// the next run gets the lock and applies.
func TestLockKilledHolder(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := chain(t, dialect, 2)
		holder := lockHolder(t, url)
		if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		holder.Wait()
		r := run(t, "upgrade", "--lock-timeout", "30s", "--dir", dir, "--database", url)
		if r.code != 0 || !strings.Contains(r.stdout, "Upgraded 002") {
			t.Fatalf("after the holder was killed: %s", r)
		}
	})
}
