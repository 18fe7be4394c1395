package dialect

import (
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// GeneratedNamer is implemented by dialects whose database makes up names
// for constraints and indexes the DDL leaves unnamed. GeneratedName
// reports whether name, of a constraint of kind on t, has the form the
// database gives such a constraint (PostgreSQL's t_col_fkey, t_col_check1,
// t_col_key; MySQL's t_ibfk_1, t_chk_1; MariaDB's CONSTRAINT_1). diff
// treats two generated names as the same name (diff.GeneratedNames), so
// that a schema that names nothing never makes a change out of the number
// or the table name the database happened to put in one.
type GeneratedNamer interface {
	GeneratedName(t *schema.Table, kind op.ConstraintKind, name string) bool
}
