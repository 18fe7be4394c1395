package postgres_test

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/internal/testdb"
)

// TestApplicationName: strata's sessions show as application_name strata
// in pg_stat_activity, unless the URL names another; on PostgreSQL 14 and
// later they carry client_connection_check_interval.
func TestApplicationName(t *testing.T) {
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	base := testdb.URL(t, "postgres")
	for _, c := range []struct{ name, url, want string }{
		{"default", base, "strata"},
		{"url sets one", base + "&application_name=billing-migrations", "billing-migrations"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, "?") {
				c.url = strings.Replace(c.url, "&", "?", 1)
			}
			db, err := postgres.Open(c.url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var name, seen, interval string
			var version int
			err = db.QueryRowContext(ctx, `SELECT current_setting('application_name'),
				(SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()),
				current_setting('server_version_num')::int,
				coalesce(current_setting('client_connection_check_interval', true), '')`).Scan(&name, &seen, &version, &interval)
			if err != nil {
				t.Fatal(err)
			}
			if name != c.want || seen != c.want {
				t.Errorf("application_name = %q, pg_stat_activity shows %q; want %q", name, seen, c.want)
			}
			if version >= 140000 && interval != "1s" {
				t.Errorf("client_connection_check_interval = %q, want 1s", interval)
			}
		})
	}
}

// TestKilledHolderReleasesLock: a strata process SIGKILLed while it holds
// the run's advisory lock and a statement of its runs (pg_sleep(600)
// here) loses the lock as soon as the server notices the client is gone
// (client_connection_check_interval, PostgreSQL 14 and later), not when
// the statement ends ten minutes later. The bound of 60 s is far above
// the interval and far below the statement; the time measured is logged.
func TestKilledHolderReleasesLock(t *testing.T) {
	if u := os.Getenv("STRATA_TEST_HOLDER_URL"); u != "" {
		holdLock(u)
		return
	}
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	db, u := testdb.Open(t, "postgres")
	var version int
	if err := db.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version < 140000 {
		t.Skip("client_connection_check_interval needs PostgreSQL 14")
	}
	holder := exec.Command(os.Args[0], "-test.run=^TestKilledHolderReleasesLock$")
	holder.Env = append(os.Environ(), "STRATA_TEST_HOLDER_URL="+u)
	holder.Stderr = os.Stderr
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	// Wait until the holder's statement runs.
	dbname := strings.TrimPrefix(mustParse(t, u).Path, "/")
	for {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%' AND state = 'active'`, dbname).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = holder.Wait()
	killed := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT pg_try_advisory_lock(%d)", postgres.LockKey)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got {
			t.Logf("the killed holder's lock was free %v after SIGKILL", time.Since(killed).Round(time.Millisecond))
			return
		}
		if time.Since(killed) > 60*time.Second {
			t.Fatalf("the killed holder's backend still holds the lock 60 s after SIGKILL")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// holdLock is the holder process: it takes the lock, says so, and runs a
// long statement until it is killed.
func holdLock(u string) {
	ctx := context.Background()
	db, err := postgres.Open(u)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := (postgres.Dialect{}).Lock(ctx, conn); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("locked")
	_, _ = conn.ExecContext(ctx, "SELECT pg_sleep(600)")
	os.Exit(1)
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
