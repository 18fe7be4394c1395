package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Executor = Dialect{}

var foreignKeyCheckRE = regexp.MustCompile(`(?i)^\s*PRAGMA\s+foreign_key_check\b`)

// Exec runs one statement of a revision. A table rebuild's triggers are
// saved and created again (see keepTriggers). PRAGMA foreign_key_check, which
// ends a table rebuild, reports violations as rows instead of failing: here
// any row fails the statement, naming the rows, so that the revision is
// rolled back rather than committed with broken references.
func (Dialect) Exec(ctx context.Context, q dialect.Querier, statement string) (sql.Result, error) {
	if res, handled, err := keepTriggers(ctx, q, statement); handled {
		return res, err
	}
	if !foreignKeyCheckRE.MatchString(statement) {
		return q.ExecContext(ctx, statement)
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
		return nil, fmt.Errorf("sqlite: foreign key violations after the change: %s", strings.Join(problems, "; "))
	}
	return driverResult{}, nil
}

type driverResult struct{}

func (driverResult) LastInsertId() (int64, error) { return 0, nil }
func (driverResult) RowsAffected() (int64, error) { return 0, nil }

// The rebuild's guard statement starts with saveTriggersMark, and a
// statement selecting the table's name as restoreTriggersMark follows the
// rename: Exec saves the table's triggers at the first and creates them
// again at the second, so that a rebuild run by strata keeps them.
const (
	saveTriggersMark    = "/* strata:save-triggers */ "
	restoreTriggersMark = "strata:restore-triggers"
)

var (
	savedMu sync.Mutex
	// saved holds trigger definitions between the two statements, by the
	// executing Querier and the table.
	saved = map[string][]string{}
)

// closingParen returns the index of the parenthesis that closes the one
// at s[open], skipping '…' literals, or -1.
func closingParen(s string, open int) int {
	depth, inStr := 0, false
	for i := open; i < len(s); i++ {
		switch c := s[i]; {
		case inStr:
			inStr = c != '\''
		case c == '\'':
			inStr = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

var guardTableRE = regexp.MustCompile(`tbl_name = '((?:[^']|'')*)' COLLATE NOCASE`)
var restoreRE = regexp.MustCompile(`^SELECT '((?:[^']|'')*)' AS "` + restoreTriggersMark + `"$`)

// keepTriggers handles the two statements; handled is false for any
// other.
func keepTriggers(ctx context.Context, q dialect.Querier, statement string) (res sql.Result, handled bool, err error) {
	if rest, ok := strings.CutPrefix(statement, saveTriggersMark); ok {
		m := guardTableRE.FindStringSubmatch(rest)
		if m == nil {
			return nil, false, nil
		}
		table := strings.ReplaceAll(m[1], "''", "'")
		// The triggers saved are those the guard counts: the ones the
		// rebuild does not create again itself.
		i := strings.Index(rest, triggerCountHead)
		if i < 0 {
			return nil, false, nil
		}
		j := closingParen(rest, i)
		if j < 0 {
			return nil, false, nil
		}
		count := rest[i : j+1]
		where := rest[i+len(triggerCountHead) : j]
		rows, err := q.QueryContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND "+where+" ORDER BY name")
		if err != nil {
			return nil, true, err
		}
		var defs []string
		for rows.Next() {
			var def string
			if err := rows.Scan(&def); err != nil {
				rows.Close()
				return nil, true, err
			}
			defs = append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, true, err
		}
		savedMu.Lock()
		saved[fmt.Sprintf("%p\x00%s", q, table)] = defs
		savedMu.Unlock()
		// The triggers are kept, so the guard need not count them.
		res, err := q.ExecContext(ctx, strings.Replace(rest, count, "0", 1))
		return res, true, err
	}
	if m := restoreRE.FindStringSubmatch(statement); m != nil {
		table := strings.ReplaceAll(m[1], "''", "'")
		key := fmt.Sprintf("%p\x00%s", q, table)
		savedMu.Lock()
		defs := saved[key]
		delete(saved, key)
		savedMu.Unlock()
		for _, def := range defs {
			if _, err := q.ExecContext(ctx, def); err != nil {
				return nil, true, fmt.Errorf("sqlite: create trigger again after rebuilding %s: %w", table, err)
			}
		}
		return driverResult{}, true, nil
	}
	return nil, false, nil
}
