package mysql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Interrupter = Dialect{}

// Interrupter reads conn's connection id; interrupt runs KILL QUERY on it
// over another connection of db, which ends the statement (an ALTER TABLE
// in progress is rolled back) and leaves the connection open.
func (Dialect) Interrupter(ctx context.Context, conn *sql.Conn, db *sql.DB) (func(), error) {
	interrupt, err := dialect.SessionInterrupter(ctx, conn, db, "SELECT CONNECTION_ID()", func(id int64) (string, []any) {
		return fmt.Sprintf("KILL QUERY %d", id), nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: %w", err)
	}
	return interrupt, nil
}
