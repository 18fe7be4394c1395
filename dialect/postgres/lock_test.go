package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/postgres"
)

func TestLockKey(t *testing.T) {
	t.Parallel()
	h := fnv.New64a()
	h.Write([]byte("strata"))
	if want := int64(h.Sum64()); postgres.LockKey != want {
		t.Errorf("LockKey = %d, want the FNV-1a hash of \"strata\", %d", postgres.LockKey, want)
	}
}

// TestLock holds the lock on one connection and wants a second session's
// pg_try_advisory_lock on the same key to fail until it is released.
func TestLock(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	ctx := context.Background()
	conn1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn1.Close()
	conn2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()

	try := func() bool {
		t.Helper()
		var got bool
		if err := conn2.QueryRowContext(ctx, fmt.Sprintf("SELECT pg_try_advisory_lock(%d)", postgres.LockKey)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got {
			if _, err := conn2.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_unlock(%d)", postgres.LockKey)); err != nil {
				t.Fatal(err)
			}
		}
		return got
	}

	unlock, err := d.Lock(ctx, conn1)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if try() {
		t.Fatalf("a second session took the lock while it was held")
	}
	var pid int64
	if err := conn1.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	who, err := d.LockHolder(ctx, db)
	if err != nil {
		t.Fatalf("LockHolder: %v", err)
	}
	if want := fmt.Sprintf("pid %d (application ", pid); !strings.HasPrefix(who, want) || !strings.Contains(who, " since ") {
		t.Errorf("LockHolder = %q, want it to begin %q and say since when", who, want)
	}

	// A second runner waits, and gives up when its context ends, leaving
	// nothing behind that could take the lock later.
	conn3, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn3.Close()
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := d.Lock(short, conn3); err == nil {
		t.Fatalf("a second Lock succeeded while the lock was held")
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Lock: %v, want it to end with its context", err)
	}

	// A runner that waits gets the lock once it is released.
	got := make(chan error, 1)
	go func() {
		unlock3, err := d.Lock(ctx, conn3)
		if err == nil {
			err = unlock3(ctx)
		}
		got <- err
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-got:
		t.Fatalf("a waiting Lock returned (%v) while the lock was held", err)
	default:
	}

	if err := unlock(ctx); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("waiting Lock: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("a waiting Lock did not get the lock after it was released")
	}
	if !try() {
		t.Fatalf("the lock is still held after unlock")
	}
	if who, err := d.LockHolder(ctx, db); err != nil || who != "" {
		t.Errorf("LockHolder after unlock = %q, %v; want none", who, err)
	}
	if err := unlock(ctx); err == nil {
		t.Errorf("a second unlock succeeded, want an error: the lock is not held")
	}
}
