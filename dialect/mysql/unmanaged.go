package mysql

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// unmanagedQuery lists, as (kind, name, table) rows, what the database ?
// holds that Inspect does not model, so that strata can say it does not
// manage it rather than find that two schemas match: stored procedures
// and functions, events, MariaDB's sequences and system-versioned
// tables, the partitioning of a table, invisible columns. {hidden}
// selects the indexes the optimizer ignores (MySQL's invisible indexes,
// MariaDB's IGNORED ones), on servers that have them.
//
// Each kind that strata comes to model leaves this list.
const unmanagedQuery = `SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, ''
FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
UNION ALL
SELECT 'event', EVENT_NAME, '' FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?
UNION ALL
SELECT CASE TABLE_TYPE WHEN 'SEQUENCE' THEN 'sequence' ELSE 'system-versioned table' END, TABLE_NAME, ''
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('SEQUENCE', 'SYSTEM VERSIONED')
UNION ALL
SELECT DISTINCT 'partitioning', '', TABLE_NAME
FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL
UNION ALL
SELECT 'invisible column', COLUMN_NAME, TABLE_NAME
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND EXTRA LIKE '%INVISIBLE%'
UNION ALL
SELECT DISTINCT 'ignored index', INDEX_NAME, TABLE_NAME
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND {hidden}`

// inspectUnmanaged reads what database db holds that strata does not
// model (see unmanagedQuery); the objects of excluded tables are left
// out with them.
func (d *Dialect) inspectUnmanaged(ctx context.Context, q dialect.Querier, db string, exclude []string) ([]schema.Unmanaged, error) {
	hidden := "false"
	switch {
	case d.server.mariaDB && d.server.atLeast(10, 6, 0):
		hidden = "IGNORED = 'YES'"
	case !d.server.mariaDB && d.server.atLeast(8, 0, 0):
		hidden = "IS_VISIBLE = 'NO'"
	}
	query := strings.Replace(unmanagedQuery, "{hidden}", hidden, 1)
	args := []any{db, db, db, db, db, db}
	var out []schema.Unmanaged
	err := each(ctx, q, query, args, func(rows *sql.Rows) error {
		var u schema.Unmanaged
		if err := rows.Scan(&u.Kind, &u.Name, &u.Table); err != nil {
			return err
		}
		if !slices.Contains(exclude, u.Table) && !slices.Contains(exclude, u.Name) {
			out = append(out, u)
		}
		return nil
	})
	return out, err
}
