package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.DevDatabase = Dialect{}

// devObjectsQuery lists the main database's objects but SQLite's own
// (sqlite_sequence, sqlite_stat1, automatic indexes), views and triggers
// first so that Clear drops them before the tables they read.
const devObjectsQuery = `SELECT type, name FROM main.sqlite_schema
WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, name`

// Objects lists the tables, views, indexes and triggers of the main
// database.
func (Dialect) Objects(ctx context.Context, q dialect.Querier) ([]string, error) {
	out, err := dialect.ListPairs(ctx, q, devObjectsQuery)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list the database's objects: %w", err)
	}
	return out, nil
}

// Clear drops every table, view, index and trigger, with foreign keys off
// for the session meanwhile, and forgets AUTOINCREMENT counters.
func (d Dialect) Clear(ctx context.Context, q dialect.Querier) (err error) {
	objects, err := d.Objects(ctx, q)
	if err != nil {
		return err
	}
	var fk int
	if err := scanOne(ctx, q, "PRAGMA foreign_keys", &fk); err != nil {
		return fmt.Errorf("sqlite: clear: %w", err)
	}
	if _, err := q.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("sqlite: clear: %w", err)
	}
	defer func() {
		if _, rerr := q.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA foreign_keys = %d", fk)); rerr != nil && err == nil {
			err = fmt.Errorf("sqlite: clear: %w", rerr)
		}
	}()
	for _, o := range objects {
		kind, name, _ := strings.Cut(o, " ")
		stmt := fmt.Sprintf("DROP %s IF EXISTS %s", strings.ToUpper(kind), quote(name))
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlite: clear: %s: %w", stmt, err)
		}
	}
	var seq int
	if err := scanOne(ctx, q, "SELECT count(*) FROM main.sqlite_schema WHERE name = 'sqlite_sequence'", &seq); err != nil {
		return fmt.Errorf("sqlite: clear: %w", err)
	}
	if seq > 0 {
		if _, err := q.ExecContext(ctx, "DELETE FROM sqlite_sequence"); err != nil {
			return fmt.Errorf("sqlite: clear: %w", err)
		}
	}
	return nil
}

// scanOne reads the single value query returns into dest.
func scanOne(ctx context.Context, q dialect.Querier, query string, dest any) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("%s returned no row", query)
	}
	if err := rows.Scan(dest); err != nil {
		return err
	}
	return rows.Close()
}
