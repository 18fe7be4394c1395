package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Stored functions and procedures (schema.Function). MySQL has no
// overloading, so a routine's Key is its kind and name (Args is empty);
// Params is its parameter list and Returns a function's result type, as
// information_schema.PARAMETERS spells them; Def is the statement that
// makes it, without DEFINER:
//
//	CREATE FUNCTION `f`(`a` int(11)) RETURNS int(11)
//	DETERMINISTIC
//	READS SQL DATA
//	SQL SECURITY INVOKER
//	COMMENT 'what it does'
//	RETURN a + 1
//
// the characteristics in that order and only where they are not the
// defaults (NOT DETERMINISTIC, CONTAINS SQL, SQL SECURITY DEFINER, no
// comment), the body as the server keeps it (ROUTINE_DEFINITION). Two
// set-based queries read every routine. A routine runs with its own
// sql_mode and character set, which strata does not compare.

// inspectRoutines reads the functions and procedures of database.
func inspectRoutines(ctx context.Context, q dialect.Querier, database string) ([]*schema.Function, error) {
	type key struct{ kind, name string }
	const paramsQuery = `SELECT ROUTINE_TYPE, SPECIFIC_NAME, ORDINAL_POSITION, COALESCE(PARAMETER_MODE, ''),
  COALESCE(PARAMETER_NAME, ''), DTD_IDENTIFIER
FROM information_schema.PARAMETERS
WHERE SPECIFIC_SCHEMA = ? AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE') AND ORDINAL_POSITION > 0
ORDER BY ROUTINE_TYPE, SPECIFIC_NAME, ORDINAL_POSITION`
	params := map[key][]string{}
	err := each(ctx, q, paramsQuery, []any{database}, func(rows *sql.Rows) error {
		var kind, name, mode, param, typ string
		var pos int
		if err := rows.Scan(&kind, &name, &pos, &mode, &param, &typ); err != nil {
			return err
		}
		p := quote(param) + " " + typ
		if strings.EqualFold(kind, "PROCEDURE") && mode != "" {
			p = strings.ToUpper(mode) + " " + p
		}
		k := key{strings.ToLower(kind), name}
		params[k] = append(params[k], p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	const routinesQuery = `SELECT ROUTINE_TYPE, ROUTINE_NAME, COALESCE(DTD_IDENTIFIER, ''), COALESCE(ROUTINE_DEFINITION, ''),
  IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT
FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE')`
	var out []*schema.Function
	err = each(ctx, q, routinesQuery, []any{database}, func(rows *sql.Rows) error {
		var kind, name, returns, body, deterministic, access, security, comment string
		if err := rows.Scan(&kind, &name, &returns, &body, &deterministic, &access, &security, &comment); err != nil {
			return err
		}
		kind = strings.ToLower(kind)
		f := &schema.Function{Kind: kind, Name: name, Params: strings.Join(params[key{kind, name}], ", ")}
		if kind == schema.FunctionKind {
			f.Returns = returns
		}
		f.Def = routineDef(f, strings.EqualFold(deterministic, "YES"), access, security, comment, body)
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("routines: %w", err)
	}
	return out, nil
}

// routineDef writes the statement that makes f (see the top of this file).
func routineDef(f *schema.Function, deterministic bool, access, security, comment, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE %s %s(%s)", strings.ToUpper(f.Kind), quote(f.Name), f.Params)
	if f.Kind == schema.FunctionKind {
		b.WriteString(" RETURNS " + f.Returns)
	}
	if deterministic {
		b.WriteString("\nDETERMINISTIC")
	}
	if a := strings.ToUpper(strings.TrimSpace(access)); a != "" && a != "CONTAINS SQL" {
		b.WriteString("\n" + a)
	}
	if strings.EqualFold(security, "INVOKER") {
		b.WriteString("\nSQL SECURITY INVOKER")
	}
	if comment != "" {
		b.WriteString("\nCOMMENT " + quoteString(comment))
	}
	b.WriteString("\n" + strings.TrimSpace(body))
	return b.String()
}

// renderRoutine renders CreateFunction, DropFunction and ReplaceFunction.
// MySQL 8 has no CREATE OR REPLACE for routines, so a replacement drops
// the routine and makes it again.
func renderRoutine(o op.Op) ([]string, error) {
	drop := func(f *schema.Function) string {
		return fmt.Sprintf("DROP %s %s", strings.ToUpper(f.Kind), quote(f.Name))
	}
	create := func(f *schema.Function) (string, error) {
		def := strings.TrimSuffix(strings.TrimSpace(f.Def), ";")
		if def == "" {
			return "", fmt.Errorf("no definition")
		}
		return def, nil
	}
	var (
		stmts []string
		err   error
	)
	switch o := o.(type) {
	case op.CreateFunction:
		var s string
		if s, err = create(o.Function); err == nil {
			stmts = []string{s}
		}
	case op.DropFunction:
		stmts = []string{drop(o.Function)}
	case op.ReplaceFunction:
		var s string
		if s, err = create(o.To); err == nil {
			stmts = []string{drop(o.From), s}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	return stmts, nil
}

// Scheduled events (schema.Function of EventKind): Def is the statement
// that makes the event, without DEFINER:
//
//	CREATE EVENT `e` ON SCHEDULE EVERY 1 HOUR STARTS '2030-01-01 00:00:00'
//	ON COMPLETION PRESERVE
//	DISABLE
//	COMMENT 'what it does'
//	DO body
//
// ON COMPLETION, DISABLE and COMMENT only where they are not the defaults
// (NOT PRESERVE, ENABLE, none). An event made without STARTS starts when
// it is made, which information_schema cannot tell from a STARTS given:
// a STARTS equal to the event's creation time is left out, so that the
// same event made at two moments compares equal.

// inspectEvents reads the events of database.
func inspectEvents(ctx context.Context, q dialect.Querier, database string) ([]*schema.Function, error) {
	const query = `SELECT EVENT_NAME, EVENT_TYPE, COALESCE(DATE_FORMAT(EXECUTE_AT, '%Y-%m-%d %H:%i:%s'), ''),
  COALESCE(INTERVAL_VALUE, ''), COALESCE(INTERVAL_FIELD, ''),
  COALESCE(IF(STARTS = CREATED, NULL, DATE_FORMAT(STARTS, '%Y-%m-%d %H:%i:%s')), ''),
  COALESCE(DATE_FORMAT(ENDS, '%Y-%m-%d %H:%i:%s'), ''), STATUS, ON_COMPLETION, EVENT_COMMENT, EVENT_DEFINITION
FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`
	var out []*schema.Function
	err := each(ctx, q, query, []any{database}, func(rows *sql.Rows) error {
		var name, typ, at, every, field, starts, ends, status, completion, comment, body string
		if err := rows.Scan(&name, &typ, &at, &every, &field, &starts, &ends, &status, &completion, &comment, &body); err != nil {
			return err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "CREATE EVENT %s ON SCHEDULE ", quote(name))
		if strings.EqualFold(typ, "ONE TIME") {
			b.WriteString("AT " + quoteString(at))
		} else {
			fmt.Fprintf(&b, "EVERY %s %s", every, strings.ToUpper(field))
			if starts != "" {
				b.WriteString(" STARTS " + quoteString(starts))
			}
			if ends != "" {
				b.WriteString(" ENDS " + quoteString(ends))
			}
		}
		if strings.EqualFold(completion, "PRESERVE") {
			b.WriteString("\nON COMPLETION PRESERVE")
		}
		switch strings.ToUpper(status) {
		case "DISABLED":
			b.WriteString("\nDISABLE")
		case "SLAVESIDE_DISABLED":
			b.WriteString("\nDISABLE ON SLAVE")
		}
		if comment != "" {
			b.WriteString("\nCOMMENT " + quoteString(comment))
		}
		b.WriteString("\nDO " + strings.TrimSpace(body))
		out = append(out, &schema.Function{Kind: schema.EventKind, Name: name, Def: b.String()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return out, nil
}
