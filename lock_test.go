package strata_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// TestWithLockTimeout: while another connection holds the lock, Upgrade
// gives up after the timeout with a *runner.LockTimeoutError naming the
// holder; once the lock is free, it runs.
func TestWithLockTimeout(t *testing.T) {
	if _, err := strata.New(context.Background(), nil, strata.WithLockTimeout(-time.Second)); err == nil {
		t.Error("a negative lock timeout was accepted")
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n")
		const timeout = 700 * time.Millisecond
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithLockTimeout(timeout))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		conn, err := m.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		unlock, err := m.Dialect().Lock(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Upgrade(ctx, "head")
		var lt *runner.LockTimeoutError
		if !errors.As(err, &lt) || lt.Waited != timeout || lt.Holder == "" || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("upgrade while the lock is held: %v; want a LockTimeoutError after %s naming the holder", err, timeout)
		}
		if err := unlock(ctx); err != nil {
			t.Fatal(err)
		}
		if res, err := m.Upgrade(ctx, "head"); err != nil || len(res) != 1 {
			t.Fatalf("upgrade after the lock was released: %d results, %v", len(res), err)
		}
	})
}
