package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Executor = Dialect{}

var foreignKeyCheckRE = regexp.MustCompile(`(?i)^\s*PRAGMA\s+foreign_key_check\b`)

// Exec runs one statement of a revision as it is written. PRAGMA
// foreign_key_check, which ends a revision's table rebuilds, reports
// violations as rows instead of failing: here any row fails the
// statement, naming the rows, so that the revision is rolled back rather
// than committed with broken references.
//
// A statement that fails may leave a rebuild half-way, after its PRAGMA
// legacy_alter_table = ON: the transaction rolls back, but the pragma,
// which belongs to the connection, would stay on for whatever the
// connection runs next. Exec turns it off again after a failure.
func (Dialect) Exec(ctx context.Context, q dialect.Querier, statement string) (sql.Result, error) {
	if !foreignKeyCheckRE.MatchString(statement) {
		res, err := q.ExecContext(ctx, statement)
		if err != nil {
			_, _ = q.ExecContext(ctx, "PRAGMA legacy_alter_table = OFF")
		}
		return res, err
	}
	rows, err := q.QueryContext(ctx, statement)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, err
		}
		if len(problems) < 5 {
			problems = append(problems, fmt.Sprintf("%s row %d has no matching row in %s", table, rowid.Int64, parent))
		} else if len(problems) == 5 {
			problems = append(problems, "…")
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		_, _ = q.ExecContext(ctx, "PRAGMA legacy_alter_table = OFF")
		return nil, fmt.Errorf("sqlite: foreign key violations after the change: %s", strings.Join(problems, "; "))
	}
	return driverResult{}, nil
}

type driverResult struct{}

func (driverResult) LastInsertId() (int64, error) { return 0, nil }
func (driverResult) RowsAffected() (int64, error) { return 0, nil }
