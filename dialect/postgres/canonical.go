package postgres

import (
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/strata-go/strata/schema"
)

// maxIdentLen is NAMEDATALEN-1: PostgreSQL truncates longer names.
const maxIdentLen = 63

// Canonical rewrites s, a schema from another source (models, a schema
// file), in the spelling Inspect reports after it is rendered and
// applied: PostgreSQL's types, defaults as pg_get_expr prints them, names
// truncated to 63 bytes, primary key columns and identity columns NOT
// NULL, identity columns without a default, referential actions in upper
// case, and the names PostgreSQL generates for unnamed primary and
// foreign keys. s.Name is left as it is.
func (Dialect) Canonical(s *schema.Schema) {
	for _, t := range s.Tables {
		t.Name = truncateIdent(t.Name)
		for _, c := range t.Columns {
			c.Name = truncateIdent(c.Name)
			c.Type = canonicalType(c.Type)
			if c.Default != nil {
				c.Default = canonicalDefault(c.Default, c.Type)
			}
			if c.AutoIncrement {
				c.Default = nil
				c.Nullable = false
			}
		}
		if pk := t.PrimaryKey; pk != nil {
			truncateAll(pk.Columns)
			for _, name := range pk.Columns {
				if c, ok := t.Column(name); ok {
					c.Nullable = false
				}
			}
			if pk.Name == "" {
				pk.Name = objectName(t.Name, "", "pkey")
			}
			pk.Name = truncateIdent(pk.Name)
		}
		for _, ix := range t.Indexes {
			ix.Name = truncateIdent(ix.Name)
			for i := range ix.Parts {
				ix.Parts[i].Column = truncateIdent(ix.Parts[i].Column)
			}
		}
		for _, fk := range t.ForeignKeys {
			truncateAll(fk.Columns)
			truncateAll(fk.RefColumns)
			fk.RefTable = truncateIdent(fk.RefTable)
			fk.OnDelete = strings.ToUpper(strings.Join(strings.Fields(fk.OnDelete), " "))
			fk.OnUpdate = strings.ToUpper(strings.Join(strings.Fields(fk.OnUpdate), " "))
		}
	}
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			// A reference without columns means the parent's primary key.
			if len(fk.RefColumns) == 0 {
				if parent, ok := s.Table(fk.RefTable); ok && parent.PrimaryKey != nil {
					fk.RefColumns = append([]string(nil), parent.PrimaryKey.Columns...)
				}
			}
			if fk.Name == "" {
				fk.Name = uniqueFKName(t, fk)
			}
			fk.Name = truncateIdent(fk.Name)
		}
	}
	s.Normalize()
}

// canonicalDefault maps a default from another source to what
// pg_get_expr reports for it on a column of type t.
func canonicalDefault(d schema.Default, t schema.Type) schema.Default {
	d = parseDefault(formatDefault(d))
	lit, ok := d.(schema.Literal)
	if !ok || !strings.HasPrefix(lit.SQL, "'") {
		return d
	}
	text := unquoteString(lit.SQL)
	switch t.(type) {
	case schema.IntegerType, schema.FloatType, schema.DecimalType:
		// The server parses a quoted number into the column's type.
		if n, ok := normalizeNumber(strings.TrimSpace(text)); ok {
			return schema.Literal{SQL: n}
		}
	case schema.BoolType:
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "t", "true", "y", "yes", "on", "1":
			return schema.Literal{SQL: "true"}
		case "f", "false", "n", "no", "off", "0":
			return schema.Literal{SQL: "false"}
		}
	case schema.BinaryType:
		// bytea defaults are printed in hex format.
		if !strings.HasPrefix(text, `\x`) && !strings.Contains(text, `\`) {
			return schema.Literal{SQL: `'\x` + hex.EncodeToString([]byte(text)) + `'`}
		}
	}
	return d
}

// uniqueFKName returns the name PostgreSQL gives an unnamed foreign key,
// <table>_<columns>_fkey, when no other key of t uses it; PostgreSQL would
// add a number to tell two apart, which depends on what exists.
func uniqueFKName(t *schema.Table, fk *schema.ForeignKey) string {
	addition := strings.Join(fk.Columns, "_")
	if len(addition) > maxIdentLen {
		addition = addition[:maxIdentLen]
	}
	name := objectName(t.Name, addition, "fkey")
	for _, other := range t.ForeignKeys {
		if other != fk && other.Name == name {
			return ""
		}
	}
	return name
}

// objectName mirrors PostgreSQL's makeObjectName: name1_name2_label, with
// name1 and name2 shortened (the longer first) to fit 63 bytes.
func objectName(name1, name2, label string) string {
	overhead := 0
	if label != "" {
		overhead += len(label) + 1
	}
	if name2 != "" {
		overhead++
	}
	avail := maxIdentLen - overhead
	n1, n2 := len(name1), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	name := clip(name1, n1)
	if name2 != "" {
		name += "_" + clip(name2, n2)
	}
	if label != "" {
		name += "_" + label
	}
	return name
}

// truncateIdent shortens a name to the 63 bytes PostgreSQL keeps, never
// splitting a character.
func truncateIdent(name string) string { return clip(name, maxIdentLen) }

func truncateAll(names []string) {
	for i, n := range names {
		names[i] = truncateIdent(n)
	}
}

// clip returns the longest prefix of s of at most n bytes that ends on a
// character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
