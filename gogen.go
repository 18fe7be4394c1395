package strata

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// goSource writes rev, whose ops are ops (upgrade) and reverse
// (downgrade), as a Go migration of package pkg, through the op API, so
// that the same file runs on every dialect. An op the API cannot say is
// written as Execute of its SQL for this dialect, with a comment.
func (m *Migrator) goSource(pkg string, rev *revision.Revision, plan *Plan) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\n\t\"github.com/strata-go/strata\"\n)\n\n", pkg)
	fmt.Fprintf(&b, "// Written by strata migrate.\nfunc init() {\n\tstrata.Register(strata.Migration{\n")
	fmt.Fprintf(&b, "\t\tRevision: %q,\n", rev.ID)
	fmt.Fprintf(&b, "\t\tParents: %#v,\n", append([]string{}, rev.Parents...))
	fmt.Fprintf(&b, "\t\tMessage: %q,\n", rev.Message)
	if len(rev.BranchLabels) > 0 {
		fmt.Fprintf(&b, "\t\tBranchLabels: %#v,\n", rev.BranchLabels)
	}
	if len(rev.DependsOn) > 0 {
		fmt.Fprintf(&b, "\t\tDependsOn: %#v,\n", rev.DependsOn)
	}
	for _, dir := range []struct {
		name  string
		ops   []op.Op
		start *schema.Schema
	}{{"Upgrade", plan.Ops, plan.Current}, {"Downgrade", plan.Reverse, nil}} {
		fmt.Fprintf(&b, "\t\t%s: func(ctx context.Context, op *strata.Op) error {\n", dir.name)
		state := dir.start
		if state == nil {
			// The downgrade starts where the upgrade ends.
			state = plan.Current.Clone()
			for _, o := range plan.Ops {
				if err := o.Apply(state); err != nil {
					return nil, err
				}
			}
		} else {
			state = state.Clone()
		}
		// The upgrade goes to the models; the downgrade back to the
		// database, whose spelling is its own.
		neutral := plan.Neutral
		if dir.name == "Downgrade" {
			neutral = nil
		}
		for i, o := range dir.ops {
			if dir.name == "Upgrade" {
				goNotes(&b, plan, i)
			}
			if err := m.goOp(&b, state, o, neutral); err != nil {
				return nil, err
			}
			if err := o.Apply(state); err != nil {
				return nil, err
			}
		}
		b.WriteString("\t\t\treturn nil\n\t\t},\n")
	}
	b.WriteString("\t})\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("strata: format the Go revision: %w\n%s", err, b.String())
	}
	return src, nil
}

// portable gives c the type and default the models gave it, before the
// dialect's canonical form (SQLite's int64 for every integer, MySQL's 0
// for false), so that the Go revision means the same on every dialect.
func portable(neutral *schema.Schema, table string, c *schema.Column) *schema.Column {
	if neutral == nil {
		return c
	}
	t, ok := neutral.Table(table)
	if !ok {
		return c
	}
	n, ok := t.Column(c.Name)
	if !ok {
		return c
	}
	cp := c.Clone()
	cp.Type, cp.Default = n.Type, n.Default
	return cp
}

func (m *Migrator) goOp(b *bytes.Buffer, state *schema.Schema, o op.Op, neutral *schema.Schema) error {
	q := strconv.Quote
	w := func(format string, args ...any) { fmt.Fprintf(b, "\t\t\t"+format+"\n", args...) }
	switch o := o.(type) {
	case op.CreateTable:
		t := o.Table
		if !portableTable(t) || !m.declaredPortable(t.Columns...) {
			// Its indexes go with it: the op API knows nothing of a
			// table Execute made.
			break
		}
		var cols []string
		for _, c := range t.Columns {
			cols = append(cols, goColumn(portable(neutral, t.Name, c), t))
		}
		w("op.CreateTable(%s,\n\t\t\t\t%s,\n\t\t\t)", q(t.Name), strings.Join(cols, ",\n\t\t\t\t"))
		// An index the op API cannot say is this dialect's SQL, on the
		// table as the file has made it so far: without the foreign keys
		// and checks, which follow.
		after := state.Clone()
		bare := t.Clone()
		bare.Indexes, bare.ForeignKeys, bare.Checks = nil, nil, nil
		if err := (op.CreateTable{Table: bare}).Apply(after); err != nil {
			return err
		}
		for _, ix := range t.Indexes {
			ci := op.CreateIndex{Table: t.Name, Index: ix}
			if !m.goIndex(b, t.Name, ix, after, ci) {
				if err := m.goExecute(b, after, ci); err != nil {
					return err
				}
			}
			if err := ci.Apply(after); err != nil {
				return err
			}
		}
		for _, fk := range t.ForeignKeys {
			goForeignKey(b, t.Name, fk)
		}
		for _, ck := range t.Checks {
			w("op.AddCheck(%s, %s, %s)", q(t.Name), q(ck.Name), goSQL(ck.Expr))
		}
		return nil
	case op.DropTable:
		w("op.DropTable(%s)", q(o.Table.Name))
		return nil
	case op.RenameTable:
		w("op.RenameTable(%s, %s)", q(o.From), q(o.To))
		return nil
	case op.AddColumn:
		if portableColumn(o.Column) && m.declaredPortable(o.Column) {
			col := goColumn(portable(neutral, o.Table, o.Column), nil)
			switch {
			case o.Position.First:
				col += ".First()"
			case o.Position.After != "":
				col += fmt.Sprintf(".After(%s)", q(o.Position.After))
			}
			w("op.AddColumn(%s, %s)", q(o.Table), col)
			return nil
		}
	case op.DropColumn:
		w("op.DropColumn(%s, %s)", q(o.Table), q(o.Column.Name))
		return nil
	case op.AlterColumn:
		if portableColumn(o.To) && m.declaredPortable(o.To) && o.From.AutoIncrement == o.To.AutoIncrement && o.From.Generated == o.To.Generated &&
			o.From.Collation == o.To.Collation && o.From.Comment == o.To.Comment && o.From.Identity == o.To.Identity {
			var ch []string
			if o.From.Name != o.To.Name {
				ch = append(ch, fmt.Sprintf("strata.RenameColumn(%s)", q(o.To.Name)))
			}
			to := portable(neutral, o.Table, o.To)
			if o.From.Type != o.To.Type {
				ch = append(ch, fmt.Sprintf("strata.SetType(%s)", goType(to.Type)))
			}
			if o.From.Default != o.To.Default {
				if o.To.Default == nil {
					ch = append(ch, "strata.DropDefault()")
				} else {
					ch = append(ch, fmt.Sprintf("strata.SetDefault(%s)", goSQL(goDefault(to.Default))))
				}
			}
			if o.From.Nullable != o.To.Nullable {
				if o.To.Nullable {
					ch = append(ch, "strata.DropNotNull()")
				} else {
					ch = append(ch, "strata.SetNotNull()")
				}
			}
			w("op.AlterColumn(%s, %s, %s)", q(o.Table), q(o.From.Name), strings.Join(ch, ", "))
			return nil
		}
	case op.CreateIndex:
		if m.goIndex(b, o.Table, o.Index, state, o) {
			return nil
		}
	case op.DropIndex:
		if o.Index.Constraint {
			w("op.DropConstraint(%s, %s)", q(o.Table), q(o.Index.Name))
		} else {
			w("op.DropIndex(%s, %s)", q(o.Table), q(o.Index.Name))
		}
		return nil
	case op.AddForeignKey:
		if fk := o.ForeignKey; fk.Name != "" && fk.OnUpdate == "" && !fk.Deferrable && fk.Match == "" && !fk.NotValid && fk.Comment == "" {
			goForeignKey(b, o.Table, o.ForeignKey)
			return nil
		}
	case op.DropForeignKey:
		if o.ForeignKey.Name != "" {
			w("op.DropConstraint(%s, %s)", q(o.Table), q(o.ForeignKey.Name))
			return nil
		}
	case op.AddCheck:
		if ck := o.Check; ck.Name != "" && !ck.NoInherit && !ck.NotValid && ck.Comment == "" {
			w("op.AddCheck(%s, %s, %s)", q(o.Table), q(o.Check.Name), goSQL(o.Check.Expr))
			return nil
		}
	case op.DropCheck:
		if o.Check.Name != "" {
			w("op.DropConstraint(%s, %s)", q(o.Table), q(o.Check.Name))
			return nil
		}
	case op.RenameConstraint:
		// The op API finds the kind by name: where the name stands for
		// another kind first, the SQL is written instead.
		if t, ok := state.Table(o.Table); ok && op.ConstraintKindOf(t, o.From) == o.KindIn(t) {
			w("op.RenameConstraint(%s, %s, %s)", q(o.Table), q(o.From), q(o.To))
			return nil
		}
	}
	return m.goExecute(b, state, o)
}

// goExecute writes o as Execute of this dialect's SQL, for what the op
// API cannot say.
func (m *Migrator) goExecute(b *bytes.Buffer, state *schema.Schema, o op.Op) error {
	stmts, err := m.dialect.Render(state, o)
	if err != nil {
		return fmt.Errorf("strata: %s: %w", o, err)
	}
	fmt.Fprintf(b, "\t\t\t// %s: no portable op; the SQL is %s's.\n", o, m.dialect.Name())
	for _, s := range stmts {
		fmt.Fprintf(b, "\t\t\top.Execute(%s, strata.OnlyOn(%q))\n", goSQL(s), m.dialect.Name())
	}
	return nil
}

// goSQL writes SQL as a Go string literal a reviewer reads as the SQL
// itself: quoted when it needs no escape, else a raw string literal,
// laid out on its lines. SQL holding a backquote (MySQL's identifiers)
// cannot be raw: a multi-line one is written a quoted line at a time.
func goSQL(s string) string {
	quoted := strconv.Quote(s)
	if quoted == `"`+s+`"` {
		return quoted
	}
	// A raw string loses carriage returns, and Go source holds no NUL
	// or byte order mark.
	if utf8.ValidString(s) && !strings.ContainsAny(s, "`\r\x00\uFEFF") {
		return "`" + s + "`"
	}
	lines := strings.SplitAfter(s, "\n")
	if len(lines) == 1 {
		return quoted
	}
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		if l != "" {
			parts = append(parts, strconv.Quote(l))
		}
	}
	return strings.Join(parts, " +\n\t\t\t\t")
}

// goIndex writes an index through the op API when it can say it.
func (m *Migrator) goIndex(b *bytes.Buffer, table string, ix *schema.Index, state *schema.Schema, o op.CreateIndex) bool {
	if !portableIndex(ix) {
		return false
	}
	cols := ix.ColumnNames()
	args := strconv.Quote(table) + ", " + strconv.Quote(ix.Name)
	for _, c := range cols {
		args += ", " + strconv.Quote(c)
	}
	switch {
	case ix.Constraint:
		fmt.Fprintf(b, "\t\t\top.AddUnique(%s)\n", args)
	case ix.Unique:
		fmt.Fprintf(b, "\t\t\top.CreateUniqueIndex(%s)\n", args)
	default:
		fmt.Fprintf(b, "\t\t\top.CreateIndex(%s)\n", args)
	}
	return true
}

// portableIndex reports whether the op API can say ix: named, on plain
// columns, ascending, whole, of the default method, not partial.
func portableIndex(ix *schema.Index) bool {
	if len(ix.ColumnNames()) != len(ix.Parts) || ix.Where != "" || ix.Method != "" || ix.Name == "" {
		return false
	}
	if len(ix.Include) > 0 || len(ix.Params) > 0 || ix.NullsNotDistinct || ix.Deferrable || ix.InitiallyDeferred || ix.Comment != "" {
		return false
	}
	for _, p := range ix.Parts {
		if p.Desc || p.Prefix > 0 || p.OpClass != "" || p.OpClassParams != "" || p.Collation != "" || p.Nulls != "" {
			return false
		}
	}
	return true
}

func goForeignKey(b *bytes.Buffer, table string, fk *schema.ForeignKey) {
	ondelete := ""
	if fk.OnDelete != "" {
		ondelete = ", " + strconv.Quote(strings.ToLower(fk.OnDelete))
	}
	fmt.Fprintf(b, "\t\t\top.AddForeignKey(%q, %q, %#v, %q, %#v%s)\n", table, fk.Name, fk.Columns, fk.RefTable, fk.RefColumns, ondelete)
}

// declaredPortable reports whether the op API, which knows types and not
// their declarations, writes each column as the dialect would with its
// declared type (SQLite's, as the user wrote it: bigint, bool): a column
// declared otherwise is written in the dialect's SQL, so that it keeps
// its declaration.
func (m *Migrator) declaredPortable(cols ...*schema.Column) bool {
	for _, c := range cols {
		if c.DeclaredType == "" {
			continue
		}
		plain := c.Clone()
		plain.DeclaredType = ""
		render := func(c *schema.Column) string {
			stmts, err := m.dialect.Render(&schema.Schema{}, op.CreateTable{Table: &schema.Table{Name: "t", Columns: []*schema.Column{c}}})
			if err != nil {
				return ""
			}
			return strings.Join(stmts, ";")
		}
		if want := render(c); want == "" || want != render(plain) {
			return false
		}
	}
	return true
}

// portableTable reports whether CreateTable of the op API can say t: its
// columns, a primary key, and what goes after the table (indexes, named
// foreign keys and checks), but no triggers.
func portableTable(t *schema.Table) bool {
	for _, c := range t.Columns {
		if !portableColumn(c) {
			return false
		}
	}
	// A primary key's name is the dialect's own for the table (models
	// name none), so the op API's unnamed key gives it back.
	// Nor can it say triggers: a table made again by a downgrade would come
	// back without them.
	if t.Comment != "" || t.Engine != "" || t.Charset != "" || t.Collation != "" || t.Options != "" || t.Partition != "" || t.Strict || t.WithoutRowID || len(t.Triggers) > 0 {
		return false
	}
	if pk := t.PrimaryKey; pk != nil && pk.Comment != "" {
		return false
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == "" || fk.OnUpdate != "" || fk.Deferrable || fk.Match != "" || fk.NotValid || fk.Comment != "" {
			return false
		}
	}
	for _, ck := range t.Checks {
		if ck.Name == "" || ck.NoInherit || ck.NotValid || ck.Comment != "" {
			return false
		}
	}
	return true
}

func portableColumn(c *schema.Column) bool {
	if c.Generated != (schema.Generated{}) || c.Collation != "" || c.OnUpdate != "" || c.Identity != "" ||
		c.Invisible || c.Check != "" {
		return false
	}
	return goType(c.Type) != ""
}

// goColumn writes a column definition; t, when set, is its table, for the
// primary key.
func goColumn(c *schema.Column, t *schema.Table) string {
	s := fmt.Sprintf("strata.Column(%q, %s)", c.Name, goType(c.Type))
	if c.Nullable {
		s += ".Null()"
	}
	if c.Default != nil {
		s += fmt.Sprintf(".Default(%s)", goSQL(goDefault(c.Default)))
	}
	if t != nil && t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name) {
		s += ".PrimaryKey()"
	}
	if c.AutoIncrement {
		s += ".AutoIncrement()"
	}
	if c.Comment != "" {
		s += fmt.Sprintf(".Comment(%q)", c.Comment)
	}
	return s
}

func goDefault(d schema.Default) string {
	if e, ok := d.(schema.Expr); ok {
		if strings.EqualFold(e.SQL, "CURRENT_TIMESTAMP") {
			return "CURRENT_TIMESTAMP"
		}
		return "(" + e.SQL + ")"
	}
	return d.String()
}

// goType returns the op API's expression for t, or "" when it has none.
func goType(t schema.Type) string {
	switch t := t.(type) {
	case schema.IntegerType:
		if t.Unsigned {
			return ""
		}
		switch t.Bits {
		case 16:
			return "strata.SmallInt"
		case 32:
			return "strata.Integer"
		case 64:
			return "strata.BigInt"
		}
	case schema.StringType:
		switch {
		case t.Fixed:
			return fmt.Sprintf("strata.Char(%d)", t.Size)
		case t.Size > 0:
			return fmt.Sprintf("strata.Varchar(%d)", t.Size)
		}
		return "strata.Text"
	case schema.BoolType:
		return "strata.Boolean"
	case schema.FloatType:
		if t.Bits == 32 {
			return "strata.Real"
		}
		return "strata.Double"
	case schema.DecimalType:
		return fmt.Sprintf("strata.Decimal(%d, %d)", t.Precision, t.Scale)
	case schema.TimeType:
		switch {
		case t.Kind == schema.Date:
			return "strata.Date"
		case t.Kind == schema.Timestamp && t.WithZone:
			return "strata.TimestampTZ"
		case t.Kind == schema.Timestamp:
			return "strata.Timestamp"
		}
	case schema.BinaryType:
		if t.Size == 0 {
			return "strata.Blob"
		}
	case schema.RawType:
		return fmt.Sprintf("strata.RawType(%s)", goSQL(t.SQL))
	}
	return ""
}

// writeGoRevision saves rev as a Go migration in the migrations package
// (or in rev.Dir, a version path, when set).
func (m *Migrator) writeGoRevision(rev *revision.Revision, plan *Plan) error {
	dir := m.cfg.dir
	if rev.Dir != "" {
		dir = rev.Dir
	}
	pkg := filepath.Base(dir)
	src, err := m.goSource(pkg, rev, plan)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(revision.FileName(rev), ".sql") + ".go"
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("strata: write %s: %w", p, err)
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return fmt.Errorf("strata: write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("strata: write %s: %w", p, err)
	}
	rev.Path, rev.Dir = name, dir
	return nil
}
