package mysql

import (
	"database/sql"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-go/strata/schema"
)

// The mapping between information_schema.COLUMNS.COLUMN_TYPE and the
// neutral model:
//
//	tinyint(1)                     BoolType
//	tinyint, smallint, int, bigint IntegerType{8, 16, 32, 64}, Unsigned
//	                               for "unsigned"; display widths ignored
//	varchar(n), char(n), text      StringType{n}, {n, Fixed}, {}
//	float, double                  FloatType{32}, {64}
//	decimal(p,s)                   DecimalType{p, s}
//	datetime(p), date, time(p)     TimeType{Timestamp, p}, {Date}, {TimeOfDay, p}
//	blob                           BinaryType{}
//	anything else                  RawType, lower case outside quotes,
//	                               integer display widths dropped:
//	                               mediumint, timestamp(6), varbinary(16),
//	                               longtext, enum('a','B'), json...
//
// TIMESTAMP stays raw on purpose: a neutral TimeType{Timestamp,
// WithZone: true} (what a Go time.Time becomes) renders as DATETIME(p),
// because MySQL's TIMESTAMP ends in 2038 and converts with the session
// time zone. Reading TIMESTAMP back as TimeType would make it render as
// DATETIME, so a table copied from its own inspection would change.
// The rule that holds everything together is canonicalType: what Canonical
// makes of a type is what inspecting its rendering reports.

// colType is a COLUMN_TYPE (or a rendered type) taken apart.
type colType struct {
	text  string   // whole type, lower case outside quotes
	base  string   // "int", "varchar", "enum"...
	args  string   // what stands between the parentheses, if any
	paren bool     // whether there were parentheses
	attrs []string // words after the base: "unsigned", "zerofill"
}

func splitType(decl string) colType {
	s := lowerOutsideQuotes(strings.TrimSpace(decl))
	ct := colType{text: s}
	i := strings.IndexAny(s, "( ")
	if i < 0 {
		ct.base = s
		return ct
	}
	ct.base = s[:i]
	rest := s[i:]
	if rest[0] == '(' {
		end := closingParen(rest)
		if end < 0 {
			return colType{text: s, base: s}
		}
		ct.paren = true
		ct.args = strings.TrimSpace(rest[1:end])
		rest = rest[end+1:]
	}
	ct.attrs = strings.Fields(rest)
	return ct
}

// closingParen returns the index of the parenthesis closing s[0], skipping
// quoted text (with backslash escapes), or -1.
func closingParen(s string) int {
	depth, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote:
			switch c {
			case '\\':
				i++ // an escaped character, maybe a quote
			case '\'':
				inQuote = false
			}
		case c == '\'':
			inQuote = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// lowerOutsideQuotes lower-cases s but not what stands in single quotes
// (enum and set values keep their case).
func lowerOutsideQuotes(s string) string {
	b := []byte(s)
	inQuote := false
	for i, c := range b {
		switch {
		case c == '\'':
			inQuote = !inQuote
		case !inQuote && c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

var integerBits = map[string]int{"tinyint": 8, "smallint": 16, "int": 32, "integer": 32, "bigint": 64}

// numericBases are the types whose defaults MySQL prints unquoted.
var numericBases = []string{
	"tinyint", "smallint", "mediumint", "int", "integer", "bigint",
	"decimal", "numeric", "dec", "fixed", "float", "double", "real",
	"bit", "year", "bool", "boolean",
}

func isNumericBase(base string) bool { return slices.Contains(numericBases, base) }

// parseType maps a COLUMN_TYPE, as MySQL or MariaDB reports it, to the
// neutral model.
// defaultWidth reports whether args is the display width an integer type
// base gets without one (int(11), int(10) unsigned…), or is empty.
func defaultWidth(base, args string, unsigned bool) bool {
	if args == "" {
		return true
	}
	widths := map[string][2]string{
		"tinyint": {"4", "3"}, "smallint": {"6", "5"}, "mediumint": {"9", "8"},
		"int": {"11", "10"}, "integer": {"11", "10"}, "bigint": {"20", "20"},
	}
	w, ok := widths[base]
	if !ok {
		return true
	}
	if unsigned {
		return args == w[1]
	}
	return args == w[0]
}

func parseType(decl string) schema.Type {
	ct := splitType(decl)
	unsigned := slices.Contains(ct.attrs, "unsigned")
	plain := len(ct.attrs) == 0
	n1, n2, argsOK := numericArgs(ct.args)
	switch ct.base {
	case "tinyint", "smallint", "int", "integer", "bigint", "mediumint":
		if slices.Contains(ct.attrs, "zerofill") {
			return schema.RawType{SQL: ct.text}
		}
		if ct.base == "tinyint" && ct.args == "1" && plain {
			return schema.BoolType{}
		}
		if ct.paren && !defaultWidth(ct.base, ct.args, unsigned) {
			// A display width of the user's own, which the server keeps
			// and prints (MariaDB, MySQL before 8.0.19).
			return schema.RawType{SQL: ct.text}
		}
		if ct.base == "mediumint" {
			return schema.RawType{SQL: strings.Join(append([]string{"mediumint"}, ct.attrs...), " ")}
		}
		return schema.IntegerType{Bits: integerBits[ct.base], Unsigned: unsigned}
	case "bool", "boolean":
		return schema.BoolType{}
	case "varchar":
		if ct.paren && argsOK && plain {
			return schema.StringType{Size: n1}
		}
	case "char":
		if !ct.paren {
			n1, argsOK = 1, true
		}
		if argsOK && plain {
			return schema.StringType{Size: n1, Fixed: true}
		}
	case "text":
		if !ct.paren && plain {
			return schema.StringType{}
		}
	case "float":
		if !ct.paren && plain {
			return schema.FloatType{Bits: 32}
		}
	case "double", "real":
		if !ct.paren && (plain || slices.Equal(ct.attrs, []string{"precision"})) {
			return schema.FloatType{Bits: 64}
		}
	case "decimal", "numeric", "dec", "fixed":
		if !ct.paren {
			n1, n2, argsOK = 10, 0, true
		}
		if argsOK && plain {
			return schema.DecimalType{Precision: n1, Scale: n2}
		}
	case "datetime":
		if argsOK && plain {
			return schema.TimeType{Kind: schema.Timestamp, Precision: n1}
		}
	case "date":
		if !ct.paren && plain {
			return schema.TimeType{Kind: schema.Date}
		}
	case "time":
		if argsOK && plain {
			return schema.TimeType{Kind: schema.TimeOfDay, Precision: n1}
		}
	case "blob":
		if !ct.paren && plain {
			return schema.BinaryType{}
		}
	case "year":
		// MariaDB says year(4), MySQL 8 year.
		return schema.RawType{SQL: strings.Join(append([]string{"year"}, ct.attrs...), " ")}
	}
	return schema.RawType{SQL: ct.text}
}

// numericArgs reads "", "n" or "n,m"; ok is false for anything else.
func numericArgs(args string) (n1, n2 int, ok bool) {
	if args == "" {
		return 0, 0, true
	}
	a, b, two := strings.Cut(args, ",")
	n1, err1 := strconv.Atoi(strings.TrimSpace(a))
	if !two {
		return n1, 0, err1 == nil
	}
	n2, err2 := strconv.Atoi(strings.TrimSpace(b))
	return n1, n2, err1 == nil && err2 == nil
}

// formatType renders a neutral type as a column definition spells it.
// TimeType{Timestamp} becomes DATETIME whatever WithZone says (see the
// comment at the top of this file); BinaryType{Size: n} becomes
// VARBINARY(n), which reads back as RawType.
func formatType(t schema.Type) string {
	switch t := t.(type) {
	case schema.IntegerType:
		s := "BIGINT"
		switch t.Bits {
		case 8:
			s = "TINYINT"
		case 16:
			s = "SMALLINT"
		case 32:
			s = "INT"
		}
		if t.Unsigned {
			s += " UNSIGNED"
		}
		return s
	case schema.BoolType:
		return "TINYINT(1)"
	case schema.StringType:
		switch {
		case t.Fixed:
			return "CHAR(" + strconv.Itoa(max(t.Size, 1)) + ")"
		case t.Size > 0:
			return "VARCHAR(" + strconv.Itoa(t.Size) + ")"
		}
		return "TEXT"
	case schema.FloatType:
		if t.Bits == 32 {
			return "FLOAT"
		}
		return "DOUBLE"
	case schema.DecimalType:
		if t.Precision == 0 {
			return "DECIMAL"
		}
		return "DECIMAL(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case schema.TimeType:
		switch t.Kind {
		case schema.Date:
			return "DATE"
		case schema.TimeOfDay:
			return withPrecision("TIME", t.Precision)
		}
		return withPrecision("DATETIME", t.Precision)
	case schema.BinaryType:
		if t.Size > 0 {
			return "VARBINARY(" + strconv.Itoa(t.Size) + ")"
		}
		return "BLOB"
	case schema.RawType:
		return t.SQL
	}
	return "BLOB"
}

func withPrecision(name string, p int) string {
	if p == 0 {
		return name
	}
	return name + "(" + strconv.Itoa(p) + ")"
}

// canonicalType maps a type from another source to what inspecting its
// rendering reports.
func canonicalType(t schema.Type) schema.Type { return parseType(formatType(t)) }

// parseDefault classifies a COLUMN_DEFAULT. dataType is the column's
// DATA_TYPE and extra its EXTRA, which MySQL needs: it prints literals
// bare, so only the type tells the string '5' from the number 5, and it
// flags expressions with DEFAULT_GENERATED.
func (s server) parseDefault(raw sql.NullString, dataType, extra string) schema.Default {
	if !raw.Valid {
		return nil
	}
	if s.quotesDefaults() {
		return parseMariaDBDefault(raw.String)
	}
	v := raw.String
	switch {
	case strings.Contains(strings.ToUpper(extra), "DEFAULT_GENERATED"):
		return canonicalExpr(v)
	case isCurrentTimestamp(v):
		// MySQL 5.7 and MariaDB before 10.2.7 do not flag it.
		return canonicalExpr(v)
	case isNumericBase(strings.ToLower(dataType)):
		return schema.Literal{SQL: v}
	case strings.Contains(strings.ToLower(dataType), "binary") || strings.HasSuffix(strings.ToLower(dataType), "blob"):
		// MySQL 8 prints binary defaults in hex.
		if isBitOrHexLiteral(v) {
			return schema.Literal{SQL: v}
		}
	}
	return schema.Literal{SQL: quoteString(v)}
}

var (
	currentTimestampRE = regexp.MustCompile(`^(?i)(current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?$`)
	currentDateRE      = regexp.MustCompile(`^(?i)(current_date|curdate)\s*(?:\(\s*\))?$`)
	currentTimeRE      = regexp.MustCompile(`^(?i)(current_time|curtime)\s*(?:\(\s*(\d*)\s*\))?$`)
)

func isCurrentTimestamp(s string) bool { return currentTimestampRE.MatchString(strings.TrimSpace(s)) }

// canonicalExpr spells a default expression the one way this dialect
// reports it: the current-time functions as CURRENT_TIMESTAMP,
// CURRENT_TIMESTAMP(6), curdate(), curtime(); anything else as written
// without enclosing parentheses. NULL is no default.
func canonicalExpr(s string) schema.Default {
	s = stripParens(strings.TrimSpace(s))
	if s == "" || strings.EqualFold(s, "null") {
		return nil
	}
	if m := currentTimestampRE.FindStringSubmatch(s); m != nil {
		if m[2] == "" || m[2] == "0" {
			return schema.Expr{SQL: "CURRENT_TIMESTAMP"}
		}
		return schema.Expr{SQL: "CURRENT_TIMESTAMP(" + m[2] + ")"}
	}
	if currentDateRE.MatchString(s) {
		return schema.Expr{SQL: "curdate()"}
	}
	if m := currentTimeRE.FindStringSubmatch(s); m != nil {
		if m[2] == "" || m[2] == "0" {
			return schema.Expr{SQL: "curtime()"}
		}
		return schema.Expr{SQL: "curtime(" + m[2] + ")"}
	}
	return schema.Expr{SQL: synonyms(s)}
}

// stripParens removes parentheses that enclose all of s.
func stripParens(s string) string {
	for len(s) > 1 && s[0] == '(' && closingParen(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "xXnNiI_") // no hex floats, NaN, Inf
}

var bitOrHexRE = regexp.MustCompile(`^(?i)(b'[01]*'|x'[0-9a-f]*'|0x[0-9a-f]+|0b[01]+)$`)

func isBitOrHexLiteral(s string) bool { return bitOrHexRE.MatchString(s) }

// canonicalDefault rewrites a default from another source (a model) into
// what the server reports for a column of type t: TRUE and FALSE as 1 and
// 0 (bool is tinyint(1)), numbers in the column's own format (1.5 in a
// DECIMAL(10,2) is 1.50), strings re-quoted in the one spelling
// quoteString writes, times padded to the column's precision, the
// current-time expressions in canonical form, NULL as no default.
func canonicalDefault(t schema.Type, d schema.Default) schema.Default {
	switch d := d.(type) {
	case nil:
		return nil
	case schema.Expr:
		e := canonicalExpr(d.SQL)
		// The current time on a column with fractional seconds is
		// CURRENT_TIMESTAMP(p): MySQL refuses a bare CURRENT_TIMESTAMP
		// there, and MariaDB takes it but reports CURRENT_TIMESTAMP(p).
		if tt, ok := t.(schema.TimeType); ok && tt.Precision > 0 && e == (schema.Expr{SQL: "CURRENT_TIMESTAMP"}) {
			return schema.Expr{SQL: "CURRENT_TIMESTAMP(" + strconv.Itoa(tt.Precision) + ")"}
		}
		return e
	case schema.Literal:
		s := stripParens(strings.TrimSpace(d.SQL))
		switch strings.ToLower(s) {
		case "", "null":
			return nil
		case "true":
			s = "1"
		case "false":
			s = "0"
		}
		if isBitOrHexLiteral(s) {
			return schema.Literal{SQL: s}
		}
		value, quoted := unquoteString(s)
		if !quoted {
			if !isNumber(s) {
				return schema.Literal{SQL: d.SQL}
			}
			value = s
		}
		if isNumericBase(splitType(formatType(t)).base) {
			if n, ok := canonicalNumber(t, value); ok {
				return schema.Literal{SQL: n}
			}
			return schema.Literal{SQL: s}
		}
		if tt, ok := t.(schema.TimeType); ok {
			value = canonicalTime(tt, value)
		}
		return schema.Literal{SQL: quoteString(value)}
	}
	return d
}

// canonicalNumber prints v as the server prints a default of a numeric
// column of type t.
func canonicalNumber(t schema.Type, v string) (string, bool) {
	v = strings.TrimSpace(v)
	if !isNumber(v) {
		return "", false
	}
	switch t := t.(type) {
	case schema.IntegerType, schema.BoolType:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return strconv.FormatInt(n, 10), true
		}
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			return strconv.FormatUint(n, 10), true
		}
	case schema.FloatType:
		f, err := strconv.ParseFloat(v, t.Bits)
		if err == nil {
			return strconv.FormatFloat(f, 'f', -1, t.Bits), true
		}
	case schema.DecimalType:
		if strings.ContainsAny(v, "eE") {
			return v, true
		}
		scale := t.Scale
		if t.Precision == 0 {
			scale = 0
		}
		neg := strings.HasPrefix(v, "-")
		v = strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+"), "0")
		whole, frac, _ := strings.Cut(v, ".")
		if whole == "" {
			whole = "0"
		}
		if len(frac) > scale {
			return "", false // the server rounds; leave it as written
		}
		frac += strings.Repeat("0", scale-len(frac))
		out := whole
		if scale > 0 {
			out += "." + frac
		}
		if neg && strings.Trim(out, "0.") != "" {
			out = "-" + out
		}
		return out, true
	}
	return v, true
}

// canonicalTime pads a date or time literal as the server stores it for a
// column of type t: a DATETIME(3) default '2020-01-01' reads back as
// '2020-01-01 00:00:00.000'. Values it cannot read are left alone.
func canonicalTime(t schema.TimeType, v string) string {
	frac := func(p int) string {
		if p == 0 {
			return ""
		}
		return "." + strings.Repeat("0", p)
	}
	switch t.Kind {
	case schema.Date:
		for _, layout := range []string{time.DateOnly, time.DateTime, "2006-01-02 15:04:05.999999999"} {
			if tm, err := time.Parse(layout, v); err == nil {
				return tm.Format(time.DateOnly)
			}
		}
	case schema.TimeOfDay:
		for _, layout := range []string{"15:04:05.999999999", "15:04"} {
			if tm, err := time.Parse(layout, v); err == nil {
				return tm.Format("15:04:05" + frac(t.Precision))
			}
		}
	default:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999", time.DateOnly, "2006-01-02T15:04:05.999999999"} {
			if tm, err := time.Parse(layout, v); err == nil {
				return tm.Format(time.DateTime + frac(t.Precision))
			}
		}
	}
	return v
}

// formatDefault renders a default for a column definition, or a backfill
// value for an UPDATE. Expressions other than the current-time functions
// go in parentheses, as MySQL 8 requires.
func formatDefault(d schema.Default) string {
	switch d := d.(type) {
	case schema.Literal:
		return d.SQL
	case schema.Expr:
		s := strings.TrimSpace(d.SQL)
		if isCurrentTimestamp(s) || strings.HasPrefix(s, "(") && closingParen(s) == len(s)-1 {
			return s
		}
		return "(" + s + ")"
	}
	return "NULL"
}
