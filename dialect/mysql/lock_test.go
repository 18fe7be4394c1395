package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/mysql"
)

// TestLock holds the lock on one connection and watches it from another.
func TestLock(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	ctx := context.Background()
	holder, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var database string
	if err := db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&database); err != nil {
		t.Fatal(err)
	}
	name := mysql.LockName(database)

	unlock, err := d.Lock(ctx, holder)
	if err != nil {
		t.Fatal(err)
	}
	holderID := queryInt(t, holder, "SELECT CONNECTION_ID()")
	if got := queryInt(t, other, "SELECT IS_USED_LOCK(?)", name); got != holderID {
		t.Errorf("IS_USED_LOCK(%q) = %d, want the holder's connection %d", name, got, holderID)
	}
	if got := queryInt(t, other, "SELECT GET_LOCK(?, 0)", name); got != 0 {
		t.Errorf("another session's GET_LOCK(%q, 0) = %d while held, want 0", name, got)
	}
	who, err := d.LockHolder(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if want := "connection " + itoa(holderID); !strings.HasPrefix(who, want) || !strings.Contains(who, "user ") {
		t.Errorf("LockHolder = %q, want it to begin %q and name the user", who, want)
	}

	wait, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := d.Lock(wait, other); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Lock: %v, want one that wraps context.DeadlineExceeded", err)
	}
	if waited := time.Since(start); waited < time.Second || waited > 10*time.Second {
		t.Errorf("second Lock gave up after %s, want about 1.5s", waited)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.Lock(cancelled, other); err == nil {
		t.Error("Lock with a cancelled context succeeded")
	}

	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, other, "SELECT IS_USED_LOCK(?)", name); got == holderID {
		t.Error("the holder still has the lock after unlock")
	}
	if who, err := d.LockHolder(ctx, db); err != nil || who != "" {
		t.Errorf("LockHolder after unlock = %q, %v; want none", who, err)
	}
	if err := unlock(ctx); err == nil {
		t.Error("a second unlock succeeded")
	}
}

// TestLockPerDatabase takes the locks of two databases of one server at
// once: GET_LOCK names belong to the server, so the lock's name carries
// the database's.
func TestLockPerDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lockOf := func(db *sql.DB, d *mysql.Dialect) (func(context.Context) error, error) {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		wait, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		return d.Lock(wait, conn)
	}
	db1, d1 := fresh(t)
	db2, d2 := fresh(t)
	unlock1, err := lockOf(db1, d1)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock1(ctx)
	unlock2, err := lockOf(db2, d2)
	if err != nil {
		t.Fatalf("the lock of a second database while the first's is held: %v", err)
	}
	defer unlock2(ctx)
}

func TestLockName(t *testing.T) {
	t.Parallel()
	if got := mysql.LockName("shop"); got != "strata:shop" {
		t.Errorf("LockName(shop) = %q", got)
	}
	long := strings.Repeat("d", 64)
	got := mysql.LockName(long)
	if len(got) != 64 || !strings.HasPrefix(got, mysql.LockPrefix) {
		t.Errorf("LockName(64 characters) = %q (%d characters), want 64 beginning %q", got, len(got), mysql.LockPrefix)
	}
	if other := mysql.LockName(strings.Repeat("d", 63) + "e"); other == got {
		t.Errorf("two long names share the lock %q", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
