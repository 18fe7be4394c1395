package sqlite

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/strata-go/strata/schema"
)

var typeRE = regexp.MustCompile(`^\s*([a-z][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$`)

// parseType maps a declared column type to the neutral model. SQLite keeps
// the declaration as written; names are matched case-insensitively, and
// every integer is 64 bits, since that is what SQLite stores.
func parseType(decl string) schema.Type {
	d := strings.ToLower(strings.TrimSpace(decl))
	m := typeRE.FindStringSubmatch(d)
	if m == nil {
		return schema.RawType{SQL: d}
	}
	name := strings.Join(strings.Fields(m[1]), " ")
	n1, _ := strconv.Atoi(m[2])
	n2, _ := strconv.Atoi(m[3])
	switch name {
	case "integer", "int", "bigint", "smallint", "tinyint", "mediumint", "int2", "int4", "int8", "unsigned big int":
		return schema.IntegerType{Bits: 64}
	case "text", "clob":
		return schema.StringType{}
	case "varchar", "character varying", "varying character", "nvarchar", "native character":
		return schema.StringType{Size: n1}
	case "char", "character", "nchar":
		return schema.StringType{Size: n1, Fixed: true}
	case "boolean", "bool":
		return schema.BoolType{}
	case "real", "double", "double precision", "float":
		return schema.FloatType{Bits: 64}
	case "decimal", "numeric":
		return schema.DecimalType{Precision: n1, Scale: n2}
	case "datetime", "timestamp":
		return schema.TimeType{Kind: schema.Timestamp}
	case "date":
		return schema.TimeType{Kind: schema.Date}
	case "time":
		return schema.TimeType{Kind: schema.TimeOfDay}
	case "blob":
		return schema.BinaryType{}
	}
	return affinityType(name, n1, d)
}

// affinityType maps a type name SQLite does not list by name by the rules
// of its type affinity (https://sqlite.org/datatype3.html#affname): a
// name containing INT is an integer, CHAR, CLOB or TEXT a string, REAL,
// FLOA or DOUB a float. Other names keep their declaration.
func affinityType(name string, size int, decl string) schema.Type {
	switch {
	case strings.Contains(name, "int"):
		return schema.IntegerType{Bits: 64}
	case strings.Contains(name, "char") || strings.Contains(name, "clob") || strings.Contains(name, "text"):
		return schema.StringType{Size: size}
	case strings.Contains(name, "real") || strings.Contains(name, "floa") || strings.Contains(name, "doub"):
		return schema.FloatType{Bits: 64}
	}
	return schema.RawType{SQL: decl}
}

// formatType renders a neutral type as SQLite declares it.
func formatType(t schema.Type) string {
	switch t := t.(type) {
	case schema.IntegerType:
		return "INTEGER"
	case schema.StringType:
		switch {
		case t.Fixed:
			return "CHAR(" + strconv.Itoa(t.Size) + ")"
		case t.Size > 0:
			return "VARCHAR(" + strconv.Itoa(t.Size) + ")"
		}
		return "TEXT"
	case schema.BoolType:
		return "BOOLEAN"
	case schema.FloatType:
		return "REAL"
	case schema.DecimalType:
		if t.Precision == 0 {
			return "NUMERIC"
		}
		return "DECIMAL(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case schema.TimeType:
		return [...]string{"DATETIME", "DATE", "TIME"}[t.Kind]
	case schema.BinaryType:
		return "BLOB"
	case schema.EnumType:
		return "TEXT"
	case schema.RawType:
		return t.SQL
	}
	return "BLOB"
}

// canonicalType maps a type from another source to what inspecting the
// rendered declaration gives back.
func canonicalType(t schema.Type) schema.Type { return parseType(formatType(t)) }

// parseDefault classifies a default as SQLite reports it (the text of the
// declaration).
func parseDefault(s string) schema.Default {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.EqualFold(s, "null") {
		// DEFAULT NULL, kept as written: it is part of the declaration.
		return schema.Literal{SQL: s}
	}
	for len(s) > 1 && s[0] == '(' && s[len(s)-1] == ')' && balanced(s[1:len(s)-1]) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	switch l := strings.ToLower(s); {
	case l == "true" || l == "false":
		return schema.Literal{SQL: l}
	case s[0] == '\'' || s[0] == 'x' && len(s) > 1 && s[1] == '\'' || s[0] == 'X' && len(s) > 1 && s[1] == '\'':
		return schema.Literal{SQL: s}
	case isNumber(s):
		return schema.Literal{SQL: s}
	case l == "current_timestamp" || l == "current_date" || l == "current_time":
		return schema.Expr{SQL: strings.ToUpper(s)}
	}
	return schema.Expr{SQL: s}
}

func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// formatDefault renders a default for a column definition.
func formatDefault(d schema.Default) string {
	switch d := d.(type) {
	case schema.Literal:
		if strings.HasPrefix(d.SQL, "-") {
			return "(" + d.SQL + ")"
		}
		return d.SQL
	case schema.Expr:
		switch strings.ToUpper(d.SQL) {
		case "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME":
			return strings.ToUpper(d.SQL)
		}
		return "(" + d.SQL + ")"
	}
	return ""
}
