package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Interrupter = Dialect{}

// Interrupter reads conn's backend process id; interrupt asks the server,
// over another connection of db, to cancel what that backend runs
// (pg_cancel_backend), which fails the statement and so its transaction.
func (Dialect) Interrupter(ctx context.Context, conn *sql.Conn, db *sql.DB) (func(), error) {
	var pid int64
	if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return nil, fmt.Errorf("postgres: read the backend pid: %w", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		db.ExecContext(ctx, "SELECT pg_cancel_backend($1)", pid)
	}, nil
}
