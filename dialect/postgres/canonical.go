package postgres

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strata-go/strata/schema"
)

// maxIdentLen is NAMEDATALEN-1: PostgreSQL truncates longer names.
const maxIdentLen = 63

// Canonical rewrites s, a schema from another source (models, a schema
// file), in the spelling Inspect reports after it is rendered and
// applied: PostgreSQL's types (a RawType naming one of s's enum types
// becomes an EnumType), defaults as pg_get_expr prints them, names
// truncated to 63 bytes, primary key columns and auto-increment columns
// NOT NULL and without a default, identity kinds PostgreSQL has (SQLite's
// AUTOINCREMENT keyword is a plain identity), generated columns stored
// and without a default, referential actions in upper case, INITIALLY
// DEFERRED keys DEFERRABLE, btree as the default index method, UNIQUE
// constraints unique, view and function definitions trimmed, triggers
// naming their table after ON as Inspect writes it, and the names PostgreSQL
// generates for unnamed primary keys, foreign keys, UNIQUE constraints,
// indexes and checks (<table>_<columns>_pkey, _fkey, _key, _idx,
// _check). MySQL's table options and ON UPDATE are cleared: PostgreSQL
// has none. s.Name is left as it is.
//
// Expressions (checks, index predicates and keys, generated columns, view
// definitions) are only trimmed and, but for index keys, stripped of
// enclosing parentheses: the server's own spelling (casts such as
// 'x'::text, ANY (ARRAY[…]) for IN lists, views with qualified columns)
// cannot be derived without it, so a schema file must write them as
// Inspect reports them to compare equal.
func (Dialect) Canonical(s *schema.Schema) {
	for _, e := range s.Enums {
		e.Name = truncateIdent(e.Name)
	}
	for _, v := range s.Views {
		v.Name = truncateIdent(v.Name)
		v.Def = viewDef(v.Def)
		canonicalTriggers(v.Name, v.Triggers)
	}
	for _, f := range s.Functions {
		f.Def = strings.TrimSpace(f.Def)
	}
	for _, t := range s.Tables {
		t.Name = truncateIdent(t.Name)
		t.Engine, t.Charset, t.Collation, t.Options, t.Partition = "", "", "", "", ""
		canonicalTriggers(t.Name, t.Triggers)
		for _, c := range t.Columns {
			canonicalColumn(s, c)
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
			canonicalIndex(t, ix)
		}
		for _, ck := range t.Checks {
			ck.Expr = canonicalExpr(checkExpr(ck.Expr))
			if ck.Name == "" {
				ck.Name = objectName(t.Name, checkColumn(t, ck.Expr), "check")
			}
			ck.Name = truncateIdent(ck.Name)
		}
		for _, fk := range t.ForeignKeys {
			truncateAll(fk.Columns)
			truncateAll(fk.RefColumns)
			fk.RefTable = truncateIdent(fk.RefTable)
			fk.OnDelete = strings.ToUpper(strings.Join(strings.Fields(fk.OnDelete), " "))
			fk.OnUpdate = strings.ToUpper(strings.Join(strings.Fields(fk.OnUpdate), " "))
			if fk.InitiallyDeferred {
				fk.Deferrable = true
			}
			if fk.Match = strings.ToUpper(strings.TrimSpace(fk.Match)); fk.Match == "SIMPLE" {
				fk.Match = ""
			}
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

// canonicalTriggers writes the table after ON of each trigger of the
// table or view called name as Inspect does: quoted, without a schema.
func canonicalTriggers(name string, triggers []*schema.Trigger) {
	for _, tr := range triggers {
		tr.Name = truncateIdent(tr.Name)
		if def, err := triggerDef(tr.Def, name); err == nil {
			tr.Def = def
		}
	}
}

// canonicalColumn rewrites one column of s in Inspect's spelling.
func canonicalColumn(s *schema.Schema, c *schema.Column) {
	c.Name = truncateIdent(c.Name)
	if raw, ok := c.Type.(schema.RawType); ok {
		if name, ok := enumName(s, raw.SQL); ok {
			c.Type = schema.EnumType{Name: name}
		}
	}
	c.Type = canonicalType(c.Type)
	c.OnUpdate = ""
	c.Collation = canonicalCollation(c.Collation)
	if c.Identity == schema.IdentityAlways || c.Identity == schema.IdentitySerial {
		c.AutoIncrement = true
	}
	switch {
	case !c.AutoIncrement, c.Identity == schema.IdentityKeyword:
		c.Identity = ""
	case c.Identity != schema.IdentityAlways && c.Identity != schema.IdentitySerial:
		c.Identity = ""
	}
	if c.Generated.Expr != "" {
		// Not stripped of parentheses: pg_get_expr keeps those around an
		// expression cast to the column's type, as in (a * 2) for bigint.
		c.Generated = schema.Generated{Expr: strings.TrimSpace(c.Generated.Expr), Stored: true}
		c.Default = nil
	} else {
		c.Generated = schema.Generated{}
	}
	if c.Default != nil {
		c.Default = canonicalDefault(c.Default, c.Type)
	}
	if c.AutoIncrement {
		c.Default = nil
		c.Nullable = false
	}
	canonicalSequence(c)
}

// canonicalCollation returns a collation's name without the double quotes
// it may be written with; "default" is no collation.
func canonicalCollation(coll string) string {
	coll = strings.TrimSpace(coll)
	if n := len(coll); n >= 2 && coll[0] == '"' && coll[n-1] == '"' {
		coll = strings.ReplaceAll(coll[1:n-1], `""`, `"`)
	}
	if coll == "default" {
		return ""
	}
	return coll
}

// enumName returns the enum type of s a raw type names, if any.
func enumName(s *schema.Schema, sql string) (string, bool) {
	name := strings.TrimSpace(sql)
	if n := len(name); n >= 2 && name[0] == '"' && name[n-1] == '"' {
		name = strings.ReplaceAll(name[1:n-1], `""`, `"`)
	} else {
		name = strings.ToLower(name)
	}
	if _, ok := s.Enum(name); ok {
		return name, true
	}
	return "", false
}

// canonicalIndex rewrites an index of t in Inspect's spelling, naming it
// as PostgreSQL would when it has no name.
func canonicalIndex(t *schema.Table, ix *schema.Index) {
	ix.Method = strings.ToLower(strings.TrimSpace(ix.Method))
	if ix.Method == "btree" {
		ix.Method = ""
	}
	if ix.Constraint {
		ix.Unique = true
	}
	if ix.InitiallyDeferred {
		ix.Deferrable = true
	}
	ix.Where = canonicalExpr(ix.Where)
	truncateAll(ix.Include)
	for i, p := range ix.Params {
		ix.Params[i] = canonicalParams(p)
	}
	for i := range ix.Parts {
		p := &ix.Parts[i]
		p.Column = truncateIdent(p.Column)
		p.Expr = strings.TrimSpace(p.Expr)
		p.OpClass = strings.TrimSpace(p.OpClass)
		p.OpClassParams = canonicalParams(p.OpClassParams)
		p.Collation = canonicalCollation(p.Collation)
		p.Nulls = strings.ToUpper(strings.TrimSpace(p.Nulls))
		if p.Desc && p.Nulls == "FIRST" || !p.Desc && p.Nulls == "LAST" {
			p.Nulls = ""
		}
		p.Prefix = 0
	}
	if ix.Name == "" {
		label := "idx"
		if ix.Constraint {
			label = "key"
		}
		ix.Name = objectName(t.Name, indexColumnNames(ix), label)
	}
	ix.Name = truncateIdent(ix.Name)
}

// canonicalParams writes parameters as PostgreSQL keeps them (reloptions,
// an operator class's attoptions): name=value, separated by commas,
// without spaces or quotes around the value.
func canonicalParams(params string) string {
	var out []string
	for _, p := range strings.Split(params, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if name = strings.ToLower(strings.TrimSpace(name)); name == "" {
			continue
		}
		if !ok {
			out = append(out, name)
			continue
		}
		value = strings.TrimSpace(value)
		if n := len(value); n >= 2 && value[0] == '\'' && value[n-1] == '\'' {
			value = unquoteString(value)
		}
		out = append(out, name+"="+value)
	}
	return strings.Join(out, ",")
}

// funcNameRE matches an expression that starts with a function call.
var funcNameRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*\(`)

// indexColumnNames mirrors ChooseIndexColumnNames: the key columns'
// names, a function call's name or "expr" for an expression, made
// distinct with a number, joined by underscores.
func indexColumnNames(ix *schema.Index) string {
	seen := map[string]bool{}
	var names []string
	for _, p := range ix.Parts {
		name := p.Column
		if name == "" {
			name = "expr"
			if m := funcNameRE.FindStringSubmatch(stripParens(p.Expr)); m != nil {
				name = strings.ToLower(m[1])
			}
		}
		base := name
		for i := 1; seen[name]; i++ {
			name = base + strconv.Itoa(i)
		}
		seen[name] = true
		names = append(names, name)
	}
	joined := strings.Join(names, "_")
	if len(joined) > maxIdentLen {
		joined = clip(joined, maxIdentLen)
	}
	return joined
}

// identRE matches a quoted identifier, a string literal or a bare word.
var identRE = regexp.MustCompile(`"(?:[^"]|"")*"|'(?:[^']|'')*'|[A-Za-z_\pL][A-Za-z0-9_$\pL]*`)

// checkColumn returns the one column of t that a check expression names,
// or "" when it names none or several, as PostgreSQL's name for an
// unnamed check uses it.
func checkColumn(t *schema.Table, expr string) string {
	found := ""
	for _, tok := range identRE.FindAllString(expr, -1) {
		var name string
		switch tok[0] {
		case '\'':
			continue
		case '"':
			name = strings.ReplaceAll(tok[1:len(tok)-1], `""`, `"`)
		default:
			name = strings.ToLower(tok)
		}
		if _, ok := t.Column(name); !ok {
			continue
		}
		if found != "" && found != name {
			return ""
		}
		found = name
	}
	return found
}

// canonicalExpr trims an expression and strips the parentheses that
// enclose all of it, as pg_get_expr's pretty form does.
func canonicalExpr(s string) string {
	for {
		t := stripParens(s)
		if t == s {
			return t
		}
		s = t
	}
}

// canonicalDefault maps a default from another source to what
// pg_get_expr reports for it on a column of type t.
func canonicalDefault(d schema.Default, t schema.Type) schema.Default {
	d = columnDefault(formatDefault(d), t)
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

// checkSpelling spells a check expression as pg_get_constraintdef does
// where that changes nothing of its meaning: without the ::text and
// ::character varying casts it puts after a column or a string literal
// (status <> 'x' is reported as status::text <> 'x'::text on a varchar
// column), and with AND, OR and NOT in upper case. Quoted text and
// names are left alone.
func checkSpelling(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\'' || c == '"' {
			j := i + 1
			for j < len(s) {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(s))
			b.WriteString(s[i:end])
			i = end
			continue
		}
		if c == ':' && i > 0 && (isWordByte(s[i-1]) || s[i-1] == '\'' || s[i-1] == '"') {
			if n := textCastLen(s[i:]); n > 0 {
				i += n
				continue
			}
		}
		if isWordByte(c) && (i == 0 || !isWordByte(s[i-1])) {
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			w := s[i:j]
			switch strings.ToLower(w) {
			case "and", "or", "not":
				w = strings.ToUpper(w)
			}
			b.WriteString(w)
			i = j
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// textCastLen is the length of the ::text or ::character varying cast
// that s starts with, or 0.
func textCastLen(s string) int {
	for _, cast := range []string{"::character varying", "::text"} {
		if len(s) >= len(cast) && strings.EqualFold(s[:len(cast)], cast) &&
			(len(s) == len(cast) || !isWordByte(s[len(cast)]) && s[len(cast)] != '(' && s[len(cast)] != '[') {
			return len(cast)
		}
	}
	return 0
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
