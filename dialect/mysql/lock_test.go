package mysql_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/mysql"
)

// TestLock holds the lock on one connection and watches it from another.
// The lock is server-wide, so this is the package's only test that takes
// it.
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

	unlock, err := d.Lock(ctx, holder)
	if err != nil {
		t.Fatal(err)
	}
	holderID := queryInt(t, holder, "SELECT CONNECTION_ID()")
	if got := queryInt(t, other, "SELECT IS_USED_LOCK(?)", mysql.LockName); got != holderID {
		t.Errorf("IS_USED_LOCK = %d, want the holder's connection %d", got, holderID)
	}
	if got := queryInt(t, other, "SELECT GET_LOCK('strata', 0)"); got != 0 {
		t.Errorf("another session's GET_LOCK('strata', 0) = %d while held, want 0", got)
	}

	impatient := &mysql.Dialect{LockTimeout: time.Second}
	start := time.Now()
	if _, err := impatient.Lock(ctx, other); err == nil || !strings.Contains(err.Error(), "still held") {
		t.Errorf("second Lock: %v, want a still-held error", err)
	}
	if waited := time.Since(start); waited < time.Second || waited > 10*time.Second {
		t.Errorf("second Lock gave up after %s, want about 1s", waited)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.Lock(cancelled, other); err == nil {
		t.Error("Lock with a cancelled context succeeded")
	}

	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, other, "SELECT IS_USED_LOCK(?)", mysql.LockName); got == holderID {
		t.Error("the holder still has the lock after unlock")
	}
	if err := unlock(ctx); err == nil {
		t.Error("a second unlock succeeded")
	}
}
