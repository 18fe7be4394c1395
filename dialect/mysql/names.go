package mysql

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var _ dialect.GeneratedNamer = (*Dialect)(nil)

var (
	// generatedFK is InnoDB's <table>_ibfk_<n>, generatedCheck MySQL 8's
	// <table>_chk_<n>, mariaDBCheck MariaDB's name for an unnamed table
	// check.
	generatedFK    = regexp.MustCompile(`_ibfk_[0-9]+$`)
	generatedCheck = regexp.MustCompile(`_chk_[0-9]+$`)
	mariaDBCheck   = regexp.MustCompile(`^CONSTRAINT_[0-9]+$`)
	// numbered is the _2, _3… the server adds to an index name taken.
	numbered = regexp.MustCompile(`_[0-9]+$`)
)

// GeneratedName reports whether name has the form of the names the
// server makes up: <table>_ibfk_<n> for a foreign key; for a check
// <table>_chk_<n> (MySQL 8), CONSTRAINT_<n> or, for a check written on a
// column, the column's name (MariaDB); for an index, the name of one of
// t's columns, with a _<n> where that was taken. The table part is not
// checked: a renamed table keeps what its keys were called.
func (d *Dialect) GeneratedName(t *schema.Table, kind op.ConstraintKind, name string) bool {
	switch kind {
	case op.ForeignKeyConstraint:
		return generatedFK.MatchString(name)
	case op.CheckConstraint:
		if d.server.mariaDB {
			return mariaDBCheck.MatchString(name) || isColumn(t, name)
		}
		return generatedCheck.MatchString(name)
	case op.IndexConstraint:
		return isColumn(t, name) || isColumn(t, numbered.ReplaceAllString(name, ""))
	}
	return false
}

func isColumn(t *schema.Table, name string) bool {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

// renameConstraint renames an index in place (RENAME INDEX, MySQL 5.7 and
// MariaDB 10.5.2; before, a drop and an add in one statement). Neither
// server renames a check or a foreign key: a check is dropped and added
// in one statement; a foreign key is dropped and added in two, so that
// the index InnoDB keeps for it stays under its own name (in one
// statement the server renames that index along, which the schema would
// not follow), and a rename of that index is its own op.
func (d *Dialect) renameConstraint(current *schema.Schema, o op.RenameConstraint) ([]string, error) {
	t, ok := tableIn(current, o.Table)
	if !ok {
		return nil, fmt.Errorf("mysql: render %s: table %q is not in the current schema", o, o.Table)
	}
	alter := func(clauses ...string) string {
		return fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))
	}
	switch o.KindIn(t) {
	case op.IndexConstraint:
		if !d.server.mariaDB || !d.server.probed() || d.server.atLeast(10, 5, 2) {
			return []string{alter(fmt.Sprintf("RENAME INDEX %s TO %s", quote(o.From), quote(o.To)))}, nil
		}
		ix, _ := t.Index(o.From)
		renamed := ix.Clone()
		renamed.Name = o.To
		def, err := d.indexDef(renamed)
		if err != nil {
			return nil, fmt.Errorf("mysql: render %s: %w", o, err)
		}
		return []string{alter("DROP INDEX "+quote(o.From), "ADD "+def)}, nil
	case op.CheckConstraint:
		ck, _ := t.Check(o.From)
		drop, err := d.dropCheck(current, op.DropCheck{Table: o.Table, Check: ck})
		if err != nil {
			return nil, err
		}
		if len(drop) != 1 {
			return nil, fmt.Errorf("mysql: render %s: dropping the check takes %d statements", o, len(drop))
		}
		renamed := *ck
		renamed.Name = o.To
		return []string{drop[0] + ", ADD " + checkDef(&renamed)}, nil
	case op.ForeignKeyConstraint:
		fk, _ := t.ForeignKey(o.From)
		renamed := *fk
		renamed.Name = o.To
		return []string{
			alter("DROP FOREIGN KEY " + quote(o.From)),
			alter("ADD " + foreignKeyDef(&renamed)),
		}, nil
	case op.PrimaryKeyConstraint:
		return nil, fmt.Errorf("mysql: render %s: a primary key is always called PRIMARY", o)
	}
	return nil, fmt.Errorf("mysql: render %s: no constraint or index %q in the current schema", o, o.From)
}
