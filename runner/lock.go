package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/strata-go/strata/dialect"
)

// DefaultLockTimeout is how long a run waits for another run's lock when
// the caller sets no timeout of its own (strata's options, --lock-timeout).
const DefaultLockTimeout = time.Minute

// lockReportAfter is how long a run waits for the lock before it says,
// in the log, who holds it.
const lockReportAfter = 1500 * time.Millisecond

// lockReportEvery is how often a run that goes on waiting says again who
// holds the lock.
const lockReportEvery = 30 * time.Second

// lockReportLimit bounds the look-up of the holder.
const lockReportLimit = 5 * time.Second

// LockTimeoutError reports a run that gave up waiting for the lock another
// run holds. Nothing was changed.
type LockTimeoutError struct {
	// Waited is how long the run waited: its lock timeout.
	Waited time.Duration
	// Holder describes who held the lock when the run gave up, as the
	// dialect sees it (pid, application, since when); "" when unknown.
	Holder string
	// Err is the dialect's error, which wraps context.DeadlineExceeded.
	Err error
}

func (e *LockTimeoutError) Error() string {
	holder := "another run (who, this database cannot tell)"
	if e.Holder != "" {
		holder = e.Holder
	}
	return fmt.Sprintf("runner: gave up waiting for the migration lock after %s; it is held by %s. Nothing was changed."+
		"\n  Wait for that run to end, or wait longer with --lock-timeout (0 waits forever).", e.Waited, holder)
}

func (e *LockTimeoutError) Unwrap() error { return e.Err }

// lock pins a connection and takes the dialect's lock on it, waiting up
// to r.LockTimeout (forever when zero) while another run holds it. After
// lockReportAfter, and every lockReportEvery after that, it logs who
// holds the lock, where the dialect can tell.
// unlock releases the lock and gives the connection back.
func (r *Runner) lock(ctx context.Context) (conn *sql.Conn, unlock func() error, err error) {
	wait, cancel := ctx, context.CancelFunc(func() {})
	if r.LockTimeout > 0 {
		wait, cancel = context.WithTimeout(ctx, r.LockTimeout)
	}
	defer cancel()
	start := time.Now()
	var (
		mu     sync.Mutex
		holder string
	)
	if reporter, ok := r.Dialect.(dialect.LockReporter); ok {
		done := make(chan struct{})
		defer close(done)
		go func() {
			timer := time.NewTimer(lockReportAfter)
			defer timer.Stop()
			for {
				select {
				case <-done:
					return
				case <-timer.C:
				}
				h := r.holder(ctx, reporter)
				mu.Lock()
				holder = h
				mu.Unlock()
				if h == "" {
					h = "another run"
				}
				select {
				case <-done: // took the lock meanwhile
					return
				default:
				}
				r.logger().Warn("waiting for the migration lock", "holder", h, "waited", time.Since(start).Round(time.Millisecond), "timeout", r.LockTimeout)
				timer.Reset(lockReportEvery)
			}
		}()
	}
	// Connecting counts as waiting: an in-memory SQLite database has one
	// connection, which the holder has pinned.
	conn, err = r.DB.Conn(wait)
	var release func(context.Context) error
	if err == nil {
		release, err = r.Dialect.Lock(wait, conn)
		if err != nil {
			conn.Close()
		}
	}
	if err != nil {
		if ctx.Err() == nil && wait.Err() != nil {
			e := &LockTimeoutError{Waited: r.LockTimeout, Err: err}
			if reporter, ok := r.Dialect.(dialect.LockReporter); ok {
				e.Holder = r.holder(ctx, reporter)
			}
			if e.Holder == "" {
				mu.Lock()
				e.Holder = holder
				mu.Unlock()
			}
			return nil, nil, e
		}
		return nil, nil, fmt.Errorf("runner: lock: %w", err)
	}
	if d := time.Since(start); d >= lockReportAfter {
		r.logger().Info("took the migration lock", "waited", d.Round(time.Millisecond))
	}
	unlock = func() error {
		var errs []error
		if uerr := release(context.WithoutCancel(ctx)); uerr != nil {
			errs = append(errs, fmt.Errorf("runner: unlock: %w", uerr))
		}
		return errors.Join(append(errs, conn.Close())...)
	}
	return conn, unlock, nil
}

// holder asks the dialect who holds the lock, within lockReportLimit.
func (r *Runner) holder(ctx context.Context, reporter dialect.LockReporter) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lockReportLimit)
	defer cancel()
	h, err := reporter.LockHolder(ctx, r.DB)
	if err != nil {
		r.logger().Debug("cannot tell who holds the migration lock", "error", err)
		return ""
	}
	return h
}
