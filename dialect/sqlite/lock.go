package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/strata-go/strata/dialect"
)

// LockFileSuffix names the file beside a database file that Lock locks:
// app.db is locked through app.db-strata-lock.
const LockFileSuffix = "-strata-lock"

// Lock polling intervals: the first retry comes soon, later ones back off.
const (
	lockPollMin = 5 * time.Millisecond
	lockPollMax = 200 * time.Millisecond
)

// Lock takes strata's run lock on the database conn reaches, waiting
// while another runner holds it until ctx ends.
//
// SQLite's own locks do not serve as a run lock: they belong to one
// transaction, and a revision marked no-transaction runs in none. For a
// database file the lock is an exclusive flock(2) on the file beside it
// named with LockFileSuffix, created when missing and never removed. The
// operating system releases it when the process that holds it ends,
// however it ends (kill -9 included), and it excludes other runners of
// the same process as well as other processes. The holder writes its
// pid, host and the time it took the lock into the file, for LockHolder.
//
// An in-memory database lives in its one connection, so its lock is a
// mutex of this process for that connection.
func (d Dialect) Lock(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	file := d.file
	if !d.known {
		var err error
		if file, err = databaseFile(ctx, conn); err != nil {
			return nil, err
		}
	}
	if file == "" {
		return lockMemory(ctx, conn)
	}
	return lockFile(ctx, file+LockFileSuffix)
}

// LockHolder reads who holds the lock of a database file from its lock
// file; for an in-memory database, the holder is this process.
func (d Dialect) LockHolder(ctx context.Context, db *sql.DB) (string, error) {
	file := d.file
	if !d.known {
		var err error
		if file, err = databaseFile(ctx, db); err != nil {
			return "", err
		}
	}
	if file == "" {
		return fmt.Sprintf("another runner in this process (pid %d) using the in-memory database", os.Getpid()), nil
	}
	data, err := os.ReadFile(file + LockFileSuffix)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: read lock file: %w", err)
	}
	return describeHolder(string(data), time.Now()), nil
}

// databaseFile returns the file of the main database q reaches, "" for
// an in-memory or temporary one.
func databaseFile(ctx context.Context, q dialect.Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		return "", fmt.Errorf("sqlite: read the database file: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var name string
		var file sql.NullString
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", fmt.Errorf("sqlite: read the database file: %w", err)
		}
		if name == "main" {
			return file.String, rows.Close()
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("sqlite: read the database file: %w", err)
	}
	return "", nil
}

func lockFile(ctx context.Context, path string) (func(context.Context) error, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open the lock file beside the database (strata must be able to create it): %w", err)
	}
	for wait := lockPollMin; ; wait = min(2*wait, lockPollMax) {
		locked, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
		}
		if locked {
			break
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			f.Close()
			return nil, fmt.Errorf("sqlite: wait for lock %s (held by another runner): %w", path, ctx.Err())
		case <-timer.C:
		}
	}
	if err := writeHolder(f); err != nil {
		unlockFile(f)
		f.Close()
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	return func(context.Context) error {
		// Emptied before it is released, so that the next holder's
		// description is the only one the file ever shows.
		terr := f.Truncate(0)
		uerr := unlockFile(f)
		cerr := f.Close()
		if err := errors.Join(terr, uerr, cerr); err != nil {
			return fmt.Errorf("sqlite: unlock %s: %w", path, err)
		}
		return nil
	}, nil
}

// writeHolder replaces the lock file's content with this process's
// description: "pid=N host=H program=P since=RFC3339".
func writeHolder(f *os.File) error {
	host, _ := os.Hostname()
	line := fmt.Sprintf("pid=%d host=%s program=%s since=%s\n", os.Getpid(), field(host),
		field(filepath.Base(os.Args[0])), time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(line), 0)
	return err
}

func field(s string) string {
	if s == "" {
		return "?"
	}
	return strings.Join(strings.Fields(s), "_")
}

// describeHolder turns a lock file's line into words; "" when the file
// is empty (the lock was just taken or released).
func describeHolder(line string, now time.Time) string {
	kv := map[string]string{}
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			kv[k] = v
		}
	}
	pid, err := strconv.Atoi(kv["pid"])
	if err != nil {
		return ""
	}
	s := fmt.Sprintf("pid %d (%s on %s)", pid, kv["program"], kv["host"])
	if since, err := time.Parse(time.RFC3339, kv["since"]); err == nil {
		s += fmt.Sprintf(", since %s (%s ago)", since.Format(time.RFC3339), now.Sub(since).Round(time.Second))
	}
	return s
}

// memLocks are the locks of in-memory databases, by driver connection.
var memLocks = struct {
	sync.Mutex
	m map[any]*memLock
}{m: map[any]*memLock{}}

type memLock struct {
	held chan struct{} // holds one token while locked
	refs int           // holders and waiters
}

func lockMemory(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	var key any
	if err := conn.Raw(func(dc any) error { key = dc; return nil }); err != nil {
		return nil, fmt.Errorf("sqlite: lock: %w", err)
	}
	memLocks.Lock()
	l := memLocks.m[key]
	if l == nil {
		l = &memLock{held: make(chan struct{}, 1)}
		memLocks.m[key] = l
	}
	l.refs++
	memLocks.Unlock()
	release := func() {
		memLocks.Lock()
		if l.refs--; l.refs == 0 {
			delete(memLocks.m, key)
		}
		memLocks.Unlock()
	}
	select {
	case l.held <- struct{}{}:
	case <-ctx.Done():
		release()
		return nil, fmt.Errorf("sqlite: wait for the lock of the in-memory database: %w", ctx.Err())
	}
	// A second call must not take a token another holder put there since
	// (nor wait for one forever), so it fails as the other dialects' do.
	var unlocked atomic.Bool
	return func(context.Context) error {
		if unlocked.Swap(true) {
			return errors.New("sqlite: unlock the in-memory database: the lock is not held")
		}
		<-l.held
		release()
		return nil
	}, nil
}
