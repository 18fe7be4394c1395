package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Interrupter = Dialect{}

// Interrupter reads conn's backend process id; interrupt asks the server,
// over another connection of db, to cancel what that backend runs
// (pg_cancel_backend), which fails the statement and so its transaction.
func (Dialect) Interrupter(ctx context.Context, conn *sql.Conn, db *sql.DB) (func(), error) {
	interrupt, err := dialect.SessionInterrupter(ctx, conn, db, "SELECT pg_backend_pid()", func(pid int64) (string, []any) {
		return "SELECT pg_cancel_backend($1)", []any{pid}
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return interrupt, nil
}
