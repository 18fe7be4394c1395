package mysql

import (
	"fmt"
	"strconv"
	"strings"
)

// sqlType is a column type as a statement or information_schema's
// COLUMN_TYPE writes it, read into what decides which values it holds.
type sqlType struct {
	base     string   // lower case, synonyms resolved: int, varchar, decimal…
	args     []string // the numbers in parentheses, or an enum's values
	unsigned bool
}

func (t sqlType) String() string {
	s := t.base
	if len(t.args) > 0 {
		parts := make([]string, len(t.args))
		for i, a := range t.args {
			if t.base == "enum" || t.base == "set" {
				a = "'" + strings.ReplaceAll(a, "'", "''") + "'"
			}
			parts[i] = a
		}
		s += "(" + strings.Join(parts, ",") + ")"
	}
	if t.unsigned {
		s += " unsigned"
	}
	return s
}

var typeSynonyms = map[string]string{
	"integer": "int", "int4": "int", "int1": "tinyint", "int2": "smallint", "int3": "mediumint", "int8": "bigint",
	"middleint": "mediumint", "dec": "decimal", "numeric": "decimal", "fixed": "decimal", "real": "double",
	"float8": "double", "float4": "float", "character": "char", "nchar": "char", "nvarchar": "varchar",
	"bool": "tinyint", "boolean": "tinyint",
}

// readType reads a column type at the start of tokens and returns it
// with the number of tokens it took. ok is false when tokens do not
// start with a word.
func readType(tokens []Token) (t sqlType, n int, ok bool) {
	c := &cursor{toks: tokens}
	c.word("NATIONAL")
	w := upper(c.peek())
	if w == "" {
		return sqlType{}, 0, false
	}
	c.i++
	t.base = strings.ToLower(w)
	if s, ok := typeSynonyms[t.base]; ok {
		t.base = s
		if w == "BOOL" || w == "BOOLEAN" {
			t.args = []string{"1"}
		}
	}
	switch {
	case t.base == "char" && c.word("VARYING"):
		t.base = "varchar"
	case t.base == "double" && c.word("PRECISION"):
	case t.base == "long" && c.word("VARCHAR"), t.base == "long" && c.word("VARBINARY"):
		t.base = "mediumtext"
	case t.base == "long":
		t.base = "mediumtext"
	}
	if c.peek().IsPunct("(") {
		c.i++
		t.args = nil
		for !c.done() && !c.peek().IsPunct(")") {
			switch tok := c.peek(); tok.Kind {
			case Number, String:
				t.args = append(t.args, tok.Value)
			}
			c.i++
		}
		c.punct(")")
	}
	for {
		switch {
		case c.word("UNSIGNED"):
			t.unsigned = true
		case c.word("SIGNED"), c.word("ZEROFILL"), c.word("BINARY"), c.word("ASCII"), c.word("UNICODE"), c.word("BYTE"):
		case c.word("CHARACTER", "SET"), c.word("CHARSET"), c.word("COLLATE"):
			c.i++ // the charset or collation name
		default:
			return t, c.i, true
		}
	}
}

// intRange is the range of an integer type.
func intRange(t sqlType) (lo, hi string, ok bool) {
	bits := map[string]uint{"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "bigint": 64}[t.base]
	if bits == 0 {
		return "", "", false
	}
	if t.unsigned {
		if bits == 64 {
			return "0", "18446744073709551615", true
		}
		return "0", strconv.FormatUint(1<<bits-1, 10), true
	}
	if bits == 64 {
		return "-9223372036854775808", "9223372036854775807", true
	}
	return strconv.FormatInt(-(1 << (bits - 1)), 10), strconv.FormatInt(1<<(bits-1)-1, 10), true
}

func (t sqlType) arg(i int, def int) int {
	if i < len(t.args) {
		if n, err := strconv.Atoi(t.args[i]); err == nil {
			return n
		}
	}
	return def
}

// decimal's precision and scale (MySQL's defaults: 10, 0).
func (t sqlType) decimal() (p, s int) { return t.arg(0, 10), t.arg(1, 0) }

// textLimit is the most bytes a text or blob type holds; 0 for others.
func textLimit(base string) int64 {
	switch base {
	case "tinytext", "tinyblob":
		return 255
	case "text", "blob":
		return 65535
	case "mediumtext", "mediumblob":
		return 16777215
	case "longtext", "longblob", "json":
		return 4294967295
	}
	return 0
}

// family groups types by the check their values need.
func (t sqlType) family() string {
	switch t.base {
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		return "int"
	case "decimal":
		return "decimal"
	case "float", "double":
		return "float"
	case "char", "varchar":
		return "char"
	case "binary", "varbinary":
		return "bytes"
	case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob":
		return "text"
	case "date", "datetime", "timestamp", "time", "year", "enum", "set", "json", "bit":
		return t.base
	}
	return "other"
}

// intDigits is how many decimal digits an integer type's values take.
func intDigits(t sqlType) int {
	_, hi, _ := intRange(t)
	lo, _, _ := intRange(t)
	return max(len(hi), len(strings.TrimPrefix(lo, "-")))
}

// holds reports whether every value of type from fits type to unchanged,
// so that no row need be read. It answers false when unsure.
func holds(from, to sqlType) bool {
	ff, tf := from.family(), to.family()
	switch {
	case tf == "other" || tf == "set" || tf == "bit":
		return true // not checked (see docs: what the guard cannot see)
	case ff == "int" && tf == "int":
		flo, fhi, _ := intRange(from)
		tlo, thi, _ := intRange(to)
		return cmpInt(tlo, flo) <= 0 && cmpInt(fhi, thi) <= 0
	case ff == "int" && tf == "decimal":
		p, s := to.decimal()
		return (!to.unsigned || from.unsigned) && p-s >= intDigits(from)
	case ff == "decimal" && tf == "decimal":
		fp, fs := from.decimal()
		tp, ts := to.decimal()
		return (!to.unsigned || from.unsigned) && tp-ts >= fp-fs && ts >= fs
	case (ff == "int" || ff == "decimal" || ff == "float") && tf == "float":
		return true
	case (ff == "char" && tf == "char") || (ff == "bytes" && tf == "bytes"):
		return to.arg(0, 1) >= from.arg(0, 1)
	case ff == "char" && tf == "text":
		return int64(from.arg(0, 1))*4 <= textLimit(to.base)
	case ff == "text" && tf == "text":
		return textLimit(to.base) >= textLimit(from.base)
	case ff == "enum" && (tf == "enum"):
		for _, v := range from.args {
			if !containsFold(to.args, v) {
				return false
			}
		}
		return true
	case ff == "date" && (tf == "date" || tf == "datetime"):
		return true
	case (ff == "datetime" && tf == "datetime") || (ff == "timestamp" && tf == "timestamp") || (ff == "time" && tf == "time") || (ff == "timestamp" && tf == "datetime"):
		return to.arg(0, 0) >= from.arg(0, 0)
	case ff == "year" && (tf == "year" || tf == "int" && to.base != "tinyint"):
		return true
	case ff == "json" && tf == "json":
		return true
	case tf == "json" && (ff == "int" || ff == "decimal" || ff == "float"):
		return true
	}
	return false
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// cmpInt compares two integers written in decimal.
func cmpInt(a, b string) int {
	an, bn := strings.HasPrefix(a, "-"), strings.HasPrefix(b, "-")
	switch {
	case an && !bn:
		return -1
	case !an && bn:
		return 1
	case an:
		return -cmpInt(a[1:], b[1:])
	}
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// numericRE matches the text of a number, as REGEXP reads a string literal
// (strata's session keeps backslash escapes, so none is used).
const numericRE = `'^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'`

// lossCondition is a SQL condition, on col (a quoted column), true for
// the non-NULL values that type to would not hold as they are: too long,
// out of range, rounded, not a number, not a date, not an allowed enum
// value. It is empty when the guard does not check the type (see holds).
func lossCondition(col string, from, to sqlType, mode Mode) string {
	dec := "CAST(" + col + " AS DECIMAL(65,30))"
	var cond string
	switch to.family() {
	case "int":
		lo, hi, _ := intRange(to)
		cond = fmt.Sprintf("NOT (%s REGEXP '^[+-]?[0-9]+([.]0*)?$') OR %s NOT BETWEEN %s AND %s", col, dec, lo, hi)
	case "decimal":
		p, s := to.decimal()
		cond = fmt.Sprintf("NOT (%s REGEXP %s) OR %s <> ROUND(%s, %d) OR ABS(%s) >= 1%s", col, numericRE, dec, dec, s, dec, strings.Repeat("0", max(p-s, 0)))
		if to.unsigned {
			cond += " OR " + dec + " < 0"
		}
	case "float":
		cond = fmt.Sprintf("NOT (%s REGEXP %s)", col, numericRE)
	case "char":
		cond = fmt.Sprintf("CHAR_LENGTH(%s) > %d", col, to.arg(0, 1))
	case "bytes":
		cond = fmt.Sprintf("LENGTH(%s) > %d", col, to.arg(0, 1))
	case "text":
		cond = fmt.Sprintf("LENGTH(%s) > %d", col, textLimit(to.base))
	case "date":
		cond = fmt.Sprintf("CAST(%[1]s AS DATE) IS NULL OR CAST(%[1]s AS DATETIME(6)) <> CAST(CAST(%[1]s AS DATE) AS DATETIME(6))", col)
	case "datetime", "timestamp":
		cond = fmt.Sprintf("CAST(%[1]s AS DATETIME(6)) IS NULL OR CAST(%[1]s AS DATETIME(6)) <> CAST(%[1]s AS DATETIME(%[2]d))", col, to.arg(0, 0))
		if to.base == "timestamp" {
			cond += fmt.Sprintf(" OR CAST(%s AS DATETIME(6)) NOT BETWEEN '1970-01-01 00:00:01' AND '2038-01-19 03:14:07.999999'", col)
		}
	case "time":
		switch from.family() {
		case "date", "datetime", "timestamp":
			cond = "TRUE" // the date part goes
		default:
			cond = fmt.Sprintf("CAST(%[1]s AS TIME(6)) IS NULL OR CAST(%[1]s AS TIME(6)) <> CAST(%[1]s AS TIME(%[2]d))", col, to.arg(0, 0))
		}
	case "year":
		cond = fmt.Sprintf("NOT (%s REGEXP '^[0-9]{1,4}$') OR (%s NOT BETWEEN 1901 AND 2155 AND %s <> 0)", col, dec, dec)
	case "enum":
		vals := make([]string, len(to.args))
		for i, v := range to.args {
			if !mode.NoBackslashEscapes {
				v = strings.ReplaceAll(v, `\`, `\\`)
			}
			vals[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		}
		cond = fmt.Sprintf("%s NOT IN (%s)", col, strings.Join(vals, ", "))
	case "json":
		cond = fmt.Sprintf("NOT JSON_VALID(%s)", col)
	default:
		return ""
	}
	return fmt.Sprintf("%s IS NOT NULL AND (%s)", col, cond)
}
