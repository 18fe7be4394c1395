package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.LockReporter = (*Dialect)(nil)

// LockPrefix begins the name of the lock Lock takes with GET_LOCK; the
// database's name follows (LockName), so that runners on different
// databases of one server do not wait for each other, as MySQL's named
// locks belong to the server.
const LockPrefix = "strata:"

// maxLockName is the longest name GET_LOCK accepts.
const maxLockName = 64

// lockPoll is the longest single GET_LOCK wait: Lock waits in steps, so
// that it sees ctx end without the driver having to kill the connection.
const lockPoll = time.Second

// LockName returns the name of the lock for database: LockPrefix and the
// name, or, when that is longer than the 64 characters GET_LOCK takes,
// LockPrefix and the start of the name's SHA-256 in hex.
func LockName(database string) string {
	name := LockPrefix + database
	if len(name) <= maxLockName {
		return name
	}
	sum := sha256.Sum256([]byte(database))
	return LockPrefix + hex.EncodeToString(sum[:])[:maxLockName-len(LockPrefix)]
}

// lockName reads the database q is connected to and names its lock.
func lockName(ctx context.Context, q dialect.Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT DATABASE()")
	if err != nil {
		return "", fmt.Errorf("mysql: lock: read the database name: %w", err)
	}
	defer rows.Close()
	var database sql.NullString
	if rows.Next() {
		if err := rows.Scan(&database); err != nil {
			return "", fmt.Errorf("mysql: lock: read the database name: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("mysql: lock: read the database name: %w", err)
	}
	return LockName(database.String), nil
}

// Lock takes the named lock of conn's database (LockName) with GET_LOCK
// on conn, waiting while another session holds it until ctx ends; the
// wait may overshoot ctx's deadline by up to a second. The lock belongs
// to conn's session: unlock releases it with RELEASE_LOCK on the same
// conn, and it also goes away when the session ends (the client killed).
//
// A later variant for Galera clusters, where GET_LOCK is not replicated,
// will take a lock table instead; callers only see this method.
func (d *Dialect) Lock(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	name, err := lockName(ctx, conn)
	if err != nil {
		return nil, err
	}
	// Each GET_LOCK runs to its own end: were ctx to end in the middle,
	// the driver would drop the connection rather than cancel.
	step := context.WithoutCancel(ctx)
	for {
		var got sql.NullInt64
		err := conn.QueryRowContext(step, "SELECT GET_LOCK(?, ?)", name, int(lockPoll/time.Second)).Scan(&got)
		if err != nil {
			return nil, fmt.Errorf("mysql: lock %q: %w", name, err)
		}
		if !got.Valid {
			return nil, fmt.Errorf("mysql: lock %q: GET_LOCK returned NULL", name)
		}
		if got.Int64 == 1 {
			return func(ctx context.Context) error { return unlock(ctx, conn, name) }, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("mysql: wait for lock %q (held by another session): %w", name, err)
		}
	}
}

// LockHolder names the session that holds the lock of db's database: its
// connection id, user and host, program where the server records it, and
// what it is doing for how long.
func (d *Dialect) LockHolder(ctx context.Context, db *sql.DB) (string, error) {
	name, err := lockName(ctx, db)
	if err != nil {
		return "", err
	}
	var id sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", name).Scan(&id); err != nil {
		return "", fmt.Errorf("mysql: who holds lock %q: %w", name, err)
	}
	if !id.Valid {
		return "", nil
	}
	s := fmt.Sprintf("connection %d", id.Int64)
	var user, host, command, state string
	var secs int64
	err = db.QueryRowContext(ctx, "SELECT USER, HOST, COMMAND, TIME, COALESCE(STATE, '') FROM information_schema.PROCESSLIST WHERE ID = ?", id.Int64).
		Scan(&user, &host, &command, &secs, &state)
	if err != nil {
		if err == sql.ErrNoRows {
			return s + " (gone)", nil
		}
		return s, nil // the id says enough; the process list may be hidden
	}
	var details []string
	details = append(details, "user "+user+"@"+host)
	var program string
	// Only where performance_schema is on; without it the program stays unnamed.
	if db.QueryRowContext(ctx, "SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs WHERE PROCESSLIST_ID = ? AND ATTR_NAME = 'program_name'", id.Int64).
		Scan(&program) == nil && program != "" {
		details = append(details, "program "+program)
	}
	what := command
	if state != "" {
		what += " (" + state + ")"
	}
	details = append(details, fmt.Sprintf("%s for %s", what, time.Duration(secs)*time.Second))
	return s + " (" + strings.Join(details, ", ") + ")", nil
}

func unlock(ctx context.Context, conn *sql.Conn, name string) error {
	var released sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", name).Scan(&released); err != nil {
		return fmt.Errorf("mysql: unlock %q: %w", name, err)
	}
	switch {
	case !released.Valid:
		return fmt.Errorf("mysql: unlock %q: the lock was not held", name)
	case released.Int64 != 1:
		return fmt.Errorf("mysql: unlock %q: the lock is held by another session", name)
	}
	return nil
}
