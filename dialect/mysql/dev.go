package mysql

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.DevDatabase = (*Dialect)(nil)

// devObjectsQuery lists the tables, views, sequences (MariaDB), routines
// and events of the connection's database, views first so that Clear
// drops them before the tables they read; triggers go with their tables.
const devObjectsQuery = `SELECT kind, name FROM (
  SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' ELSE 'table' END AS kind,
    TABLE_NAME AS name, CASE TABLE_TYPE WHEN 'VIEW' THEN 0 ELSE 1 END AS ord
  FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
UNION ALL
  SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, 2 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
UNION ALL
  SELECT 'event', EVENT_NAME, 3 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
) o ORDER BY ord, name`

// Objects lists the tables, views, sequences, routines and events of the
// connection's database.
func (d *Dialect) Objects(ctx context.Context, q dialect.Querier) ([]string, error) {
	out, err := dialect.ListPairs(ctx, q, devObjectsQuery)
	if err != nil {
		return nil, fmt.Errorf("mysql: list the database's objects: %w", err)
	}
	return out, nil
}

// Clear drops every object Objects lists, with foreign key checks off for
// the session meanwhile.
func (d *Dialect) Clear(ctx context.Context, q dialect.Querier) (err error) {
	objects, err := d.Objects(ctx, q)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "SET @strata_fk_checks = @@foreign_key_checks, foreign_key_checks = 0"); err != nil {
		return fmt.Errorf("mysql: clear: %w", err)
	}
	defer func() {
		if _, rerr := q.ExecContext(context.WithoutCancel(ctx), "SET foreign_key_checks = @strata_fk_checks"); rerr != nil && err == nil {
			err = fmt.Errorf("mysql: clear: %w", rerr)
		}
	}()
	for _, o := range objects {
		kind, name, _ := strings.Cut(o, " ")
		stmt := fmt.Sprintf("DROP %s IF EXISTS %s", strings.ToUpper(kind), quote(name))
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("mysql: clear: %s: %w", stmt, err)
		}
	}
	return nil
}
