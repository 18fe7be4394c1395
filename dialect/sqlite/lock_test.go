package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/sqlite"
)

// TestLock: a second Lock on the same file waits until its context ends
// while the first holds, LockHolder names this process, and the lock
// passes on once released; the zero Dialect finds the file by itself.
func TestLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sqlite.Open("sqlite:" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := sqlite.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
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

	unlock, err := d.Lock(ctx, conn1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + sqlite.LockFileSuffix); err != nil {
		t.Fatalf("no lock file: %v", err)
	}
	who, err := d.LockHolder(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("pid %d (", os.Getpid()); !strings.HasPrefix(who, want) || !strings.Contains(who, " ago)") {
		t.Errorf("LockHolder = %q, want it to begin %q and say since when", who, want)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := (sqlite.Dialect{}).Lock(short, conn2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second Lock while held: %v, want it to end with its context", err)
	}

	got := make(chan error, 1)
	go func() {
		unlock2, err := d.Lock(ctx, conn2)
		if err == nil {
			err = unlock2(ctx)
		}
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-got:
		t.Fatalf("a waiting Lock returned (%v) while the lock was held", err)
	default:
	}
	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("waiting Lock: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a waiting Lock did not get the lock after it was released")
	}
	if who, err := d.LockHolder(ctx, db); err != nil || who != "" {
		t.Errorf("LockHolder after release = %q, %v; want none", who, err)
	}
	if err := unlock(ctx); err == nil {
		t.Errorf("a second unlock succeeded, want an error: the lock is not held")
	}
}

// TestLockMemory: an in-memory database's lock is this process's, per
// connection.
func TestLockMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open("sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var d sqlite.Dialect
	unlock, err := d.Lock(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := d.Lock(short, conn); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second Lock on the connection while held: %v, want it to end with its context", err)
	}
	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	// A second call of the first unlock fails, and leaves the lock taken
	// since with its holder.
	unlock2, err := d.Lock(ctx, conn)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	if err := unlock(ctx); err == nil {
		t.Errorf("a second unlock succeeded, want an error: the lock is not held")
	}
	short2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel2()
	if _, err := d.Lock(short2, conn); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock after a stale unlock: %v, want it to wait for the holder until its context ends", err)
	}
	if err := unlock2(ctx); err != nil {
		t.Fatal(err)
	}
}
