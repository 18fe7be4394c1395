package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/strata-go/strata/dialect"
)

// LockKey is the advisory lock key strata's runners share: the 64-bit
// FNV-1a hash of "strata", as a signed bigint. Every strata process uses
// the same key; the lock is per database, since PostgreSQL scopes
// advisory locks to the database.
const LockKey int64 = 3123434189823381532

// Lock polling intervals: the first retry comes soon, later ones back off.
const (
	lockPollMin = 10 * time.Millisecond
	lockPollMax = 500 * time.Millisecond
)

// Lock takes the session-level advisory lock LockKey on conn, waiting
// until the holder releases it or ctx ends. The returned unlock releases
// it on the same conn; conn must stay open, and no one else may use it,
// until then.
//
// It polls pg_try_advisory_lock rather than block in pg_advisory_lock:
// when ctx ends, pgx's default is to drop the connection, not to cancel
// the query, and a backend left waiting in pg_advisory_lock would take
// the lock after its client has gone and hold it until it noticed.
func (Dialect) Lock(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	try := fmt.Sprintf("SELECT pg_try_advisory_lock(%d)", LockKey)
	for wait := lockPollMin; ; wait = min(2*wait, lockPollMax) {
		var locked bool
		if err := conn.QueryRowContext(ctx, try).Scan(&locked); err != nil {
			return nil, fmt.Errorf("postgres: take advisory lock %d: %w", LockKey, err)
		}
		if locked {
			break
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("postgres: wait for advisory lock %d (held by another runner): %w", LockKey, ctx.Err())
		case <-timer.C:
		}
	}
	unlock := func(ctx context.Context) error {
		var released bool
		err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT pg_advisory_unlock(%d)", LockKey)).Scan(&released)
		if err != nil {
			return fmt.Errorf("postgres: release advisory lock %d: %w", LockKey, err)
		}
		if !released {
			return errors.New("postgres: release advisory lock: this session did not hold it")
		}
		return nil
	}
	return unlock, nil
}

var _ dialect.LockReporter = Dialect{}

// LockHolder names the backend that holds the advisory lock LockKey in
// db's database (pg_locks joined with pg_stat_activity): its pid,
// application name, user and client, when it connected, and what it has
// been doing since when.
func (Dialect) LockHolder(ctx context.Context, db *sql.DB) (string, error) {
	const query = `SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(a.usename::text, ''),
	COALESCE(host(a.client_addr), 'local'), a.backend_start, COALESCE(a.state, ''), COALESCE(a.state_change, a.backend_start), now()
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND l.classid::text::bigint = $1 AND l.objid::text::bigint = $2`
	key := uint64(LockKey)
	hi, lo := key>>32, key&0xffffffff
	var (
		pid                      int64
		app, user, client, state string
		started, since, now      time.Time
	)
	err := db.QueryRowContext(ctx, query, int64(hi), int64(lo)).Scan(&pid, &app, &user, &client, &started, &state, &since, &now)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: who holds advisory lock %d: %w", LockKey, err)
	}
	if app == "" {
		app = "unnamed"
	}
	return fmt.Sprintf("pid %d (application %s, user %s from %s, connected %s, %s since %s, %s ago)",
		pid, app, user, client, started.Format(time.RFC3339), state, since.Format(time.RFC3339), now.Sub(since).Round(time.Second)), nil
}
