package sqlite

import "github.com/strata-go/strata/schema"

// Canonical rewrites s in the spelling the inspector reports: SQLite's
// type names, defaults as declared, and the rowid alias of a single
// INTEGER primary key as an auto-increment column.
func (Dialect) Canonical(s *schema.Schema) {
	s.Name = ""
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			c.Type = canonicalType(c.Type)
			if c.Default != nil {
				c.Default = parseDefault(formatDefault(c.Default))
			}
			c.Comment = ""
		}
		alias := rowidAlias(t)
		for _, c := range t.Columns {
			// Only the rowid alias increments by itself; a single integer key
			// the application assigns is rendered BIGINT so it is not one.
			c.AutoIncrement = c.AutoIncrement && c == alias
		}
		if t.PrimaryKey != nil {
			t.PrimaryKey.Name = ""
			for _, name := range t.PrimaryKey.Columns {
				if c, ok := t.Column(name); ok {
					c.Nullable = false
				}
			}
		}
		for _, fk := range t.ForeignKeys {
			fk.Name = ""
		}
		t.Comment = ""
	}
	s.Normalize()
}

// rowidAlias returns the column that is an alias of the rowid (a single
// INTEGER primary key), or nil.
func rowidAlias(t *schema.Table) *schema.Column {
	if t.PrimaryKey == nil || len(t.PrimaryKey.Columns) != 1 {
		return nil
	}
	c, ok := t.Column(t.PrimaryKey.Columns[0])
	if !ok {
		return nil
	}
	if _, isInt := c.Type.(schema.IntegerType); !isInt {
		return nil
	}
	return c
}
