package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/strata-go/strata/dialect"
)

// CopyForRehearsal copies the database src reaches into the empty
// database dst reaches, on the same server, so that a plan can be
// rehearsed on the copy: every base table's definition (SHOW CREATE
// TABLE, foreign keys included; MariaDB's sequences too), the rows of the
// tables in withData, refusing when those hold more than limit rows
// (limit < 0: no limit), then the views, the triggers (after the rows, so
// that copying fires none) and the stored procedures and functions, each
// without its DEFINER so that any user who can create them can copy them,
// and with the names its body qualifies with src's database qualified
// with dst's (requalify), so that running them on the copy never writes
// the original.
// A revision that drops or replaces one of these, or calls one, then runs
// on the copy as it will on the database. Events are not copied.
func (d Dialect) CopyForRehearsal(ctx context.Context, src, dst dialect.Querier, withData []string, limit int64) error {
	var srcDB, dstDB string
	if err := scanOne(ctx, src, "SELECT DATABASE()", &srcDB); err != nil {
		return fmt.Errorf("mysql: copy: %w", err)
	}
	if err := scanOne(ctx, dst, "SELECT DATABASE()", &dstDB); err != nil {
		return fmt.Errorf("mysql: copy: %w", err)
	}
	rows, err := src.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN ('BASE TABLE', 'SEQUENCE') ORDER BY TABLE_NAME")
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
			if err := copyRows(ctx, src, dst, srcDB, dstDB, t); err != nil {
				return err
			}
		}
	}
	if err := copyViews(ctx, src, dst); err != nil {
		return err
	}
	triggers, err := inspectTriggers(ctx, src, srcDB)
	if err != nil {
		return fmt.Errorf("mysql: copy triggers: %w", err)
	}
	for _, tt := range triggers {
		def, err := requalify(triggerStatement(tt.trigger.Def), srcDB, dstDB)
		if err != nil {
			return fmt.Errorf("mysql: copy trigger %s: %w", tt.trigger.Name, err)
		}
		if _, err := dst.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("mysql: copy trigger %s: %w", tt.trigger.Name, err)
		}
	}
	return copyRoutines(ctx, src, dst, srcDB, dstDB)
}

// requalify points the names def qualifies with the database src (as in
// src.t) at dst instead, so that a trigger or routine of the copy, whose
// body the server keeps as written, never reads or writes the database
// itself. A body the lexer cannot read, or that names src inside an
// executable comment, is refused: the copy must not touch the original.
func requalify(def, src, dst string) (string, error) {
	tokens, err := Lex(def)
	if err != nil {
		return "", fmt.Errorf("read its body to keep the copy off database %s: %w", src, err)
	}
	var b strings.Builder
	last := 0
	for i, t := range tokens {
		if t.Kind == Executable && strings.Contains(strings.ToLower(t.Value), strings.ToLower(src)) {
			return "", fmt.Errorf("its body names database %s inside an executable comment, which a dry run on a copy cannot redirect; rehearse on a copy of your own (strata test, or a staging server)", src)
		}
		n, ok := t.Name()
		if !ok || n != src || i+1 >= len(tokens) || !tokens[i+1].IsPunct(".") || i > 0 && tokens[i-1].IsPunct(".") {
			continue
		}
		b.WriteString(def[last:t.Pos])
		b.WriteString(quote(dst))
		last = t.Pos + len(t.Text)
	}
	b.WriteString(def[last:])
	return b.String(), nil
}

// copyRows copies the rows of table t by naming its columns: a generated
// column takes no value (the server refuses one), and an invisible
// column (MariaDB) is left out of SELECT *.
func copyRows(ctx context.Context, src, dst dialect.Querier, srcDB, dstDB, t string) error {
	var cols []string
	err := each(ctx, src, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND IS_GENERATED = 'NEVER' ORDER BY ORDINAL_POSITION",
		[]any{t}, func(rows *sql.Rows) error {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			cols = append(cols, quote(c))
			return nil
		})
	if err != nil {
		return fmt.Errorf("mysql: copy rows of %s: list columns: %w", t, err)
	}
	if len(cols) == 0 {
		return nil // a sequence: its state is not copied
	}
	list := strings.Join(cols, ", ")
	if _, err := dst.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s.%s (%s) SELECT %s FROM %s.%s", quote(dstDB), quote(t), list, list, quote(srcDB), quote(t))); err != nil {
		return fmt.Errorf("mysql: copy rows of %s: %w", t, err)
	}
	return nil
}

// definer matches the DEFINER clause SHOW CREATE writes.
var definer = regexp.MustCompile("DEFINER=(`(?:[^`]|``)*`|'(?:[^']|'')*'|[^ @]+)@(`(?:[^`]|``)*`|'(?:[^']|'')*'|[^ ]+) ")

// copyViews creates the views of src in dst. A view may read another
// view, so the ones that fail are tried again while each round creates
// one more.
func copyViews(ctx context.Context, src, dst dialect.Querier) error {
	var names []string
	err := each(ctx, src, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME", nil, func(rows *sql.Rows) error {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		names = append(names, n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("mysql: copy views: %w", err)
	}
	defs := map[string]string{}
	for _, n := range names {
		var def string
		err := each(ctx, src, "SHOW CREATE VIEW "+quote(n), nil, func(rows *sql.Rows) error {
			cols, err := rows.Columns()
			if err != nil {
				return err
			}
			dest := make([]any, len(cols))
			for i := range dest {
				dest[i] = new(sql.RawBytes)
			}
			dest[1] = &def
			return rows.Scan(dest...)
		})
		if err != nil {
			return fmt.Errorf("mysql: copy view %s: %w", n, err)
		}
		defs[n] = definer.ReplaceAllString(def, "")
	}
	for len(names) > 0 {
		var failed []string
		var last error
		for _, n := range names {
			if _, err := dst.ExecContext(ctx, defs[n]); err != nil {
				failed, last = append(failed, n), fmt.Errorf("mysql: copy view %s: %w", n, err)
			}
		}
		if len(failed) == len(names) {
			return last
		}
		names = failed
	}
	return nil
}

// copyRoutines creates the stored procedures and functions of src in dst.
func copyRoutines(ctx context.Context, src, dst dialect.Querier, srcDB, dstDB string) error {
	type routine struct{ kind, name string }
	var rs []routine
	err := each(ctx, src, "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION') ORDER BY ROUTINE_TYPE, ROUTINE_NAME", nil, func(rows *sql.Rows) error {
		var r routine
		if err := rows.Scan(&r.kind, &r.name); err != nil {
			return err
		}
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("mysql: copy routines: %w", err)
	}
	for _, r := range rs {
		var def sql.NullString
		err := each(ctx, src, "SHOW CREATE "+r.kind+" "+quote(r.name), nil, func(rows *sql.Rows) error {
			cols, err := rows.Columns()
			if err != nil {
				return err
			}
			dest := make([]any, len(cols))
			for i := range dest {
				dest[i] = new(sql.RawBytes)
			}
			dest[2] = &def // Create Procedure / Create Function
			return rows.Scan(dest...)
		})
		if err != nil {
			return fmt.Errorf("mysql: copy %s %s: %w", strings.ToLower(r.kind), r.name, err)
		}
		if !def.Valid {
			return fmt.Errorf("mysql: copy %s %s: the server shows no definition (the user lacks the privilege to read it)", strings.ToLower(r.kind), r.name)
		}
		body, err := requalify(definer.ReplaceAllString(def.String, ""), srcDB, dstDB)
		if err != nil {
			return fmt.Errorf("mysql: copy %s %s: %w", strings.ToLower(r.kind), r.name, err)
		}
		if _, err := dst.ExecContext(ctx, body); err != nil {
			return fmt.Errorf("mysql: copy %s %s: %w", strings.ToLower(r.kind), r.name, err)
		}
	}
	return nil
}

var _ dialect.CopyChecker = Dialect{}

// CheckForCopy refuses statements that name the database src reaches
// (as any identifier: mydb.t, USE mydb, inside executable comments too),
// or that do not lex and hold its name: run on a copy, they would act on
// the database itself.
func (Dialect) CheckForCopy(ctx context.Context, src dialect.Querier, statements []string) error {
	var db string
	if err := scanOne(ctx, src, "SELECT DATABASE()", &db); err != nil {
		return fmt.Errorf("mysql: copy: %w", err)
	}
	for _, s := range statements {
		tokens, err := LexExecutable(s)
		named := err != nil && strings.Contains(s, db)
		for _, t := range tokens {
			if n, ok := t.Name(); ok && n == db {
				named = true
			}
		}
		if named {
			return fmt.Errorf("mysql: the statement %q names the database %s itself; run on the dry run's copy it would change the database, so the dry run refuses it: write the names without the database's, or rehearse on a copy of your own (strata test, a staging server)", oneLine(s), db)
		}
	}
	return nil
}

// oneLine shortens a statement for a message.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
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
