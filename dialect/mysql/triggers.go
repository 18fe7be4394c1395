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

// tableTrigger is a trigger read before it is attached to its table.
type tableTrigger struct {
	table   string
	trigger *schema.Trigger
}

// inspectTriggers reads the triggers of database's tables from
// information_schema.TRIGGERS in one query. Each Def is written the one
// way triggerDef writes it, without DEFINER, so that a trigger compares
// equal whoever created it.
//
// ACTION_ORDER (FOLLOWS and PRECEDES) is not kept: two triggers of one
// table for the same timing and event are created again in name order.
func inspectTriggers(ctx context.Context, q dialect.Querier, database string) ([]tableTrigger, error) {
	const query = `SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT
FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME`
	var out []tableTrigger
	err := each(ctx, q, query, []any{database}, func(rows *sql.Rows) error {
		var table, name, timing, event, body string
		if err := rows.Scan(&table, &name, &timing, &event, &body); err != nil {
			return err
		}
		out = append(out, tableTrigger{table: table, trigger: &schema.Trigger{
			Name: name,
			Def:  triggerDef(name, timing, event, table, body),
		}})
		return nil
	})
	return out, err
}

// triggerDef is the statement that creates a trigger, as Inspect reports
// it: CREATE TRIGGER `name` BEFORE INSERT ON `table` FOR EACH ROW body,
// the body as the server keeps it (ACTION_STATEMENT).
func triggerDef(name, timing, event, table, body string) string {
	return fmt.Sprintf("CREATE TRIGGER %s %s %s ON %s FOR EACH ROW %s",
		quote(name), strings.ToUpper(timing), strings.ToUpper(event), quote(table), strings.TrimSpace(body))
}

// renderTrigger renders CreateTrigger and DropTrigger. A body with
// BEGIN … END holds semicolons; it goes to the server as one statement,
// which needs no DELIMITER (that is the mysql client's).
func renderTrigger(o op.Op) ([]string, error) {
	switch o := o.(type) {
	case op.CreateTrigger:
		if o.Trigger == nil || strings.TrimSpace(o.Trigger.Def) == "" {
			return nil, fmt.Errorf("mysql: render %s: no trigger definition", o)
		}
		return []string{triggerStatement(o.Trigger.Def)}, nil
	case op.DropTrigger:
		if o.Trigger == nil || o.Trigger.Name == "" {
			return nil, fmt.Errorf("mysql: render %s: needs the trigger's name", o)
		}
		// Trigger names are per database on MySQL: no ON table.
		return []string{"DROP TRIGGER " + quote(o.Trigger.Name)}, nil
	}
	return nil, fmt.Errorf("mysql: render %s: not a trigger op", o)
}

// triggerStatement is a trigger's definition as one statement to send.
func triggerStatement(def string) string { return strings.TrimSuffix(strings.TrimSpace(def), ";") }

// renamedInTriggers makes again the triggers of current that name a column
// o renames, with the new name: the server follows a renamed table in its
// triggers but leaves their bodies as they are, where the model (and
// PostgreSQL and SQLite) rewrite the column (op.AlterColumn's Apply).
// Without current, or when o keeps the name, there is nothing to do.
func renamedInTriggers(current *schema.Schema, o op.AlterColumn) []string {
	t, ok := tableIn(current, o.Table)
	if !ok || o.From == nil || o.To == nil || o.From.Name == o.To.Name {
		return nil
	}
	var stmts []string
	for _, tr := range t.Triggers {
		def := schema.RenameTriggerColumn(tr.Def, o.From.Name, o.To.Name)
		if def != tr.Def {
			stmts = append(stmts, "DROP TRIGGER "+quote(tr.Name), triggerStatement(def))
		}
	}
	return stmts
}
