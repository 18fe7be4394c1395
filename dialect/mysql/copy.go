package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

// CopyForRehearsal copies the database src reaches into the empty
// database dst reaches, on the same server, so that a plan can be
// rehearsed on the copy: every base table's definition (SHOW CREATE
// TABLE, foreign keys included), and the rows of the tables in withData,
// refusing when those hold more than limit rows (limit < 0: no limit).
// Views, triggers and routines are not copied.
func (d Dialect) CopyForRehearsal(ctx context.Context, src, dst dialect.Querier, withData []string, limit int64) error {
	var srcDB, dstDB string
	if err := scanOne(ctx, src, "SELECT DATABASE()", &srcDB); err != nil {
		return fmt.Errorf("mysql: copy: %w", err)
	}
	if err := scanOne(ctx, dst, "SELECT DATABASE()", &dstDB); err != nil {
		return fmt.Errorf("mysql: copy: %w", err)
	}
	rows, err := src.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
	if err != nil {
		return fmt.Errorf("mysql: copy: list tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("mysql: copy: list tables: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("mysql: copy: list tables: %w", err)
	}
	copyData := map[string]bool{}
	var total int64
	for _, t := range withData {
		var n int64
		if err := scanOne(ctx, src, "SELECT COUNT(*) FROM "+quote(t), &n); err != nil {
			continue // not there (yet): nothing to copy
		}
		copyData[t] = true
		total += n
	}
	if limit >= 0 && total > limit {
		return fmt.Errorf("mysql: the tables the plan touches hold %d rows, over the dry-run copy limit of %d; raise it with --dry-run-limit (-1 for none)", total, limit)
	}
	if _, err := dst.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 0"); err != nil {
		return fmt.Errorf("mysql: copy: %w", err)
	}
	defer dst.ExecContext(context.WithoutCancel(ctx), "SET FOREIGN_KEY_CHECKS = 1")
	for _, t := range tables {
		var name, ddl string
		rows, err := src.QueryContext(ctx, "SHOW CREATE TABLE "+quote(t))
		if err != nil {
			return fmt.Errorf("mysql: copy table %s: %w", t, err)
		}
		if rows.Next() {
			err = rows.Scan(&name, &ddl)
		}
		rows.Close()
		if err != nil || ddl == "" {
			return fmt.Errorf("mysql: copy table %s: no definition (%v)", t, err)
		}
		if _, err := dst.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("mysql: copy table %s: %w", t, err)
		}
		if copyData[t] {
			if _, err := dst.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s.%s SELECT * FROM %s.%s", quote(dstDB), quote(t), quote(srcDB), quote(t))); err != nil {
				return fmt.Errorf("mysql: copy rows of %s: %w", t, err)
			}
		}
	}
	return nil
}

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
		return sql.ErrNoRows
	}
	return rows.Scan(dest)
}

var _ dialect.NameReader = (*Dialect)(nil)

// Names implements dialect.NameReader with Lex: the bare and quoted names
// of statement, inside executable comments too, and the double-quoted
// strings, which name things where a session runs with ANSI_QUOTES. A
// statement that does not lex to the end gives the names before the
// fault and whatever follows read as its tail.
func (d *Dialect) Names(statement string) []string {
	tokens, _ := LexExecutable(statement)
	var names []string
	for _, t := range tokens {
		if n, ok := t.Name(); ok || t.Kind == String && strings.HasPrefix(t.Text, `"`) {
			if !ok {
				n = t.Value
			}
			names = append(names, n)
		}
	}
	return names
}
