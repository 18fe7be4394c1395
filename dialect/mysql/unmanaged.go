package mysql

import (
	"context"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// unmanagedQuery lists, as (kind, name, table) rows, what the database
// holds that Inspect does not model, so that strata can say it does not
// manage it rather than find that two schemas match: MariaDB's sequences
// and system-versioned tables. (Routines, events, partitioning, invisible
// columns and ignored indexes are modelled.)
//
// Each kind that strata comes to model leaves this list.
const unmanagedQuery = `SELECT CASE TABLE_TYPE WHEN 'SEQUENCE' THEN 'sequence' ELSE 'system-versioned table' END, TABLE_NAME, ''
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('SEQUENCE', 'SYSTEM VERSIONED')`

// inspectUnmanaged reads what database db holds that strata does not
// model (see unmanagedQuery); the objects of excluded tables are left
// out with them.
func (d *Dialect) inspectUnmanaged(ctx context.Context, q dialect.Querier, db string, exclude []string) ([]schema.Unmanaged, error) {
	return dialect.ReadUnmanaged(ctx, q, unmanagedQuery, []any{db}, exclude)
}
