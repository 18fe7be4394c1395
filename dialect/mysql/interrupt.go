package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Interrupter = Dialect{}

// Interrupter reads conn's connection id; interrupt runs KILL QUERY on it
// over another connection of db, which ends the statement (an ALTER TABLE
// in progress is rolled back) and leaves the connection open.
func (Dialect) Interrupter(ctx context.Context, conn *sql.Conn, db *sql.DB) (func(), error) {
	var id uint64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return nil, fmt.Errorf("mysql: read the connection id: %w", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		db.ExecContext(ctx, fmt.Sprintf("KILL QUERY %d", id))
	}, nil
}
