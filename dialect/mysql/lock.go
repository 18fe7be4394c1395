package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LockName is the name of the lock Lock takes with GET_LOCK. MySQL's
// named locks belong to the server, not to one database, so runners on
// different databases of one server wait for each other too.
const LockName = "strata"

// DefaultLockTimeout is how long Lock waits when Dialect.LockTimeout is
// zero.
const DefaultLockTimeout = 5 * time.Minute

// lockPoll is the longest single GET_LOCK wait: Lock waits in steps, so
// that it sees ctx end without the driver having to kill the connection.
const lockPoll = time.Second

// Lock takes the named lock LockName with GET_LOCK on conn, waiting up to
// LockTimeout (DefaultLockTimeout when zero) or until ctx ends. The lock
// belongs to conn's session: unlock releases it with RELEASE_LOCK on the
// same conn, and it also goes away if the session ends.
//
// A later variant for Galera clusters, where GET_LOCK is not replicated,
// will take a lock table instead; callers only see this method.
func (d *Dialect) Lock(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	timeout := d.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	deadline := time.Now().Add(timeout)
	for {
		// Whole seconds, which every server version reads alike; the
		// last wait may overshoot the timeout by up to lockPoll.
		wait := 0
		if time.Until(deadline) > 0 {
			wait = int(lockPoll / time.Second)
		}
		var got sql.NullInt64
		err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", LockName, wait).Scan(&got)
		if err != nil {
			return nil, fmt.Errorf("mysql: lock %q: %w", LockName, err)
		}
		if !got.Valid {
			return nil, fmt.Errorf("mysql: lock %q: GET_LOCK returned NULL", LockName)
		}
		if got.Int64 == 1 {
			return func(ctx context.Context) error { return unlock(ctx, conn) }, nil
		}
		if !time.Now().Before(deadline) {
			holder := ""
			var id sql.NullInt64
			if conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", LockName).Scan(&id) == nil && id.Valid {
				holder = fmt.Sprintf(" by connection %d", id.Int64)
			}
			return nil, fmt.Errorf("mysql: lock %q: still held%s after %s; is another strata run in progress?", LockName, holder, timeout)
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("mysql: lock %q: %w", LockName, err)
		}
	}
}

func unlock(ctx context.Context, conn *sql.Conn) error {
	var released sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", LockName).Scan(&released); err != nil {
		return fmt.Errorf("mysql: unlock %q: %w", LockName, err)
	}
	switch {
	case !released.Valid:
		return fmt.Errorf("mysql: unlock %q: the lock was not held", LockName)
	case released.Int64 != 1:
		return fmt.Errorf("mysql: unlock %q: the lock is held by another session", LockName)
	}
	return nil
}
