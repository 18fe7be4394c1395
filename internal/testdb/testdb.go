// Package testdb gives tests a fresh database of each dialect: a SQLite
// file in a temporary directory, or a uniquely named database on the
// PostgreSQL or MariaDB/MySQL server named by STRATA_TEST_POSTGRES or
// STRATA_TEST_MYSQL (the local servers on 127.0.0.1 by default), dropped
// again when the test ends. A server that cannot be reached skips the test
// with the reason, or fails it when STRATA_TEST_REQUIRE_ALL=1 (CI).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/internal/dburl"
)

// Dialects lists the dialect names in test order.
var Dialects = []string{"sqlite", "postgres", "mysql"}

const (
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	defaultMySQL    = "mysql://root@127.0.0.1:3306/test"
)

// ServerURL returns the admin URL of the server for a dialect.
func ServerURL(dialect string) string {
	switch dialect {
	case "postgres":
		if u := os.Getenv("STRATA_TEST_POSTGRES"); u != "" {
			return u
		}
		return defaultPostgres
	case "mysql":
		if u := os.Getenv("STRATA_TEST_MYSQL"); u != "" {
			return u
		}
		return defaultMySQL
	}
	return ""
}

var (
	reachMu sync.Mutex
	reach   = map[string]error{}
)

// reachable checks once per process whether the server answers.
func reachable(dialect string) error {
	reachMu.Lock()
	defer reachMu.Unlock()
	if err, ok := reach[dialect]; ok {
		return err
	}
	db, err := openURL(dialect, ServerURL(dialect))
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
		db.Close()
	}
	// The reason is printed: keep a password of the admin URL out of it,
	// on the first call as on the cached ones.
	err = dburl.ScrubError(err, ServerURL(dialect))
	reach[dialect] = err
	return err
}

func openURL(dialect, u string) (*sql.DB, error) {
	switch dialect {
	case "sqlite":
		return sqlite.Open(u)
	case "postgres":
		return postgres.Open(u)
	case "mysql":
		return mysql.Open(u)
	}
	return nil, fmt.Errorf("testdb: unknown dialect %q", dialect)
}

var (
	skippedMu sync.Mutex
	skipped   = map[string][]string{}
)

// Main runs a package's tests and then says which server tests were
// skipped. go test hides a passing package's output, so the notice goes
// to the terminal when there is one (a person running go test ./...),
// else to standard error (seen with -v). Use it as TestMain:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	Report()
	os.Exit(code)
}

// Report says which server tests were skipped, as Main does; for a TestMain
// that does more than run the tests.
func Report() {
	skippedMu.Lock()
	defer skippedMu.Unlock()
	reachMu.Lock()
	defer reachMu.Unlock()
	if len(skipped) > 0 {
		w := io.Writer(os.Stderr)
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
		for _, d := range Dialects {
			if names := skipped[d]; len(names) > 0 {
				if len(names) > 3 {
					names = append(names[:3:3], "…")
				}
				reason := strings.Join(strings.Fields(fmt.Sprint(reach[d])), " ")
				fmt.Fprintf(w, "strata tests: %s: skipped %d %s test(s) (%s), the server being unreachable: %s; ./scripts/test runs them\n",
					pkgDir(), len(skipped[d]), d, strings.Join(names, ", "), reason)
			}
		}
	}
}

// pkgDir names the package under test by its directory in the module.
func pkgDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for root := wd; filepath.Dir(root) != root; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			if rel, err := filepath.Rel(root, wd); err == nil {
				return "./" + filepath.ToSlash(rel)
			}
		}
	}
	return wd
}

// Skip skips t (or fails it under STRATA_TEST_REQUIRE_ALL=1) when the
// dialect's server cannot be reached.
func Skip(t testing.TB, dialect string) {
	t.Helper()
	if dialect == "sqlite" {
		return
	}
	if err := reachable(dialect); err != nil {
		if os.Getenv("STRATA_TEST_REQUIRE_ALL") == "1" {
			t.Fatalf("testdb: %s server required (STRATA_TEST_REQUIRE_ALL=1) but unreachable: %v", dialect, err)
		}
		skippedMu.Lock()
		skipped[dialect] = append(skipped[dialect], t.Name())
		skippedMu.Unlock()
		t.Skipf("testdb: skipping %s test: server unreachable (%v); set STRATA_TEST_%s or run ./scripts/test", dialect, err, strings.ToUpper(dialect))
	}
}

// Name returns a fresh database name.
func Name() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "strata_test_" + hex.EncodeToString(b)
}

// URL creates a fresh, empty database of the dialect and returns its URL;
// the database is dropped when t ends.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	Skip(t, dialect)
	if dialect == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	u, drop, err := Create(dialect)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("testdb: %v", err)
		}
	})
	return u
}

// Create makes a fresh database on the dialect's server and returns its
// URL and a function that drops it. For callers without a testing.TB,
// such as testscript's Setup; the server must be reachable.
func Create(dialect string) (string, func() error, error) {
	if dialect != "postgres" && dialect != "mysql" {
		return "", nil, fmt.Errorf("testdb: Create: %q has no server", dialect)
	}
	name := Name()
	admin, err := openURL(dialect, ServerURL(dialect))
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() error {
		defer admin.Close()
		stmt := "DROP DATABASE IF EXISTS " + name
		if dialect == "postgres" {
			stmt += " WITH (FORCE)"
		}
		if _, err := admin.ExecContext(context.Background(), stmt); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}
	u, err := url.Parse(ServerURL(dialect))
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("server URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// Open creates a fresh database of the dialect and opens it; both the
// handle and the database go away when t ends. It returns the URL too.
func Open(t testing.TB, dialect string) (*sql.DB, string) {
	t.Helper()
	u := URL(t, dialect)
	db, err := openURL(dialect, u)
	if err != nil {
		t.Fatalf("testdb: open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db, u
}

// ForEachDialect runs fn as a parallel subtest per dialect, each with the
// dialect's name.
func ForEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			Skip(t, d)
			fn(t, d)
		})
	}
}
