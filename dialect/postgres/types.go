package postgres

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/strata-go/strata/schema"
)

// defaultTimePrecision is the fractional-second precision PostgreSQL
// keeps for timestamp and time declared without one.
const defaultTimePrecision = 6

// arrayRE matches the dimensions of an array type.
var arrayRE = regexp.MustCompile(`(?: ?\[\d*\])+$`)

// typeRE splits a type as format_type spells it (or as people write it):
// the name, up to two modifiers and an optional time zone clause.
var typeRE = regexp.MustCompile(`^([a-z_][a-z0-9_ ]*?) ?(?:\( ?(\d+) ?(?:, ?(\d+) ?)?\))?(?: (with|without) time zone)?$`)

// parseType maps a type as format_type reports it to the neutral model.
// Common aliases (int4, varchar, timestamptz...) are understood too, so
// that canonicalType resolves what people write. What has no neutral form
// becomes a RawType holding the normalized spelling.
func parseType(s string) schema.Type {
	s = normalizeSQL(s)
	if loc := arrayRE.FindStringIndex(s); loc != nil && loc[0] > 0 {
		// Arrays keep PostgreSQL's spelling of the element type; any
		// number of dimensions, sized or not, is reported as [].
		return schema.RawType{SQL: formatType(parseType(s[:loc[0]])) + "[]"}
	}
	m := typeRE.FindStringSubmatch(s)
	if m == nil {
		return schema.RawType{SQL: s}
	}
	name, tz := m[1], m[4]
	hasMod := m[2] != ""
	n1, _ := strconv.Atoi(m[2])
	n2, _ := strconv.Atoi(m[3])
	timeType := func(kind schema.TimeKind, zone bool) schema.Type {
		p := defaultTimePrecision
		if hasMod {
			p = n1
		}
		t := schema.TimeType{Kind: kind, WithZone: zone, Precision: p}
		if hasMod && p == defaultTimePrecision {
			// timestamp(6) keeps the precision timestamp has, but PostgreSQL
			// keeps the modifier as written (pg_dump shows it): a RawType in
			// format_type's spelling, so that the two compare unequal.
			name, zone, _ := strings.Cut(formatType(t), " ")
			return schema.RawType{SQL: name + "(" + strconv.Itoa(p) + ") " + zone}
		}
		return t
	}
	switch name {
	case "timestamp":
		return timeType(schema.Timestamp, tz == "with")
	case "timestamptz":
		if tz == "" {
			return timeType(schema.Timestamp, true)
		}
	case "time":
		return timeType(schema.TimeOfDay, tz == "with")
	case "timetz":
		if tz == "" {
			return timeType(schema.TimeOfDay, true)
		}
	}
	if tz != "" {
		return schema.RawType{SQL: s}
	}
	switch name {
	case "smallint", "int2":
		if !hasMod {
			return schema.IntegerType{Bits: 16}
		}
	case "integer", "int", "int4":
		if !hasMod {
			return schema.IntegerType{Bits: 32}
		}
	case "bigint", "int8":
		if !hasMod {
			return schema.IntegerType{Bits: 64}
		}
	case "character varying", "varchar":
		if !hasMod {
			// Unbounded varchar is not text: expressions over it keep casts
			// to text (a CHECK prints as col::text = …), so it must round-trip
			// as itself.
			return schema.RawType{SQL: "character varying"}
		}
		return schema.StringType{Size: n1}
	case "text":
		if !hasMod {
			return schema.StringType{}
		}
	case "character", "char":
		if !hasMod {
			n1 = 1 // CHAR means CHAR(1)
		}
		return schema.StringType{Size: n1, Fixed: true}
	case "bpchar":
		if hasMod {
			return schema.StringType{Size: n1, Fixed: true}
		}
	case "boolean", "bool":
		if !hasMod {
			return schema.BoolType{}
		}
	case "real", "float4":
		if !hasMod {
			return schema.FloatType{Bits: 32}
		}
	case "double precision", "float8":
		if !hasMod {
			return schema.FloatType{Bits: 64}
		}
	case "float":
		if hasMod && n1 >= 1 && n1 <= 24 {
			return schema.FloatType{Bits: 32}
		}
		return schema.FloatType{Bits: 64}
	case "numeric", "decimal":
		return schema.DecimalType{Precision: n1, Scale: n2}
	case "date":
		if !hasMod {
			return schema.TimeType{Kind: schema.Date}
		}
	case "bytea":
		if !hasMod {
			return schema.BinaryType{}
		}
	}
	return schema.RawType{SQL: s}
}

// formatType renders a neutral type as format_type spells it, which is
// also valid DDL. Sizes PostgreSQL has no use for (binary lengths,
// unsigned integers) are dropped; precisions above 6 are capped, as the
// server does.
func formatType(t schema.Type) string {
	switch t := t.(type) {
	case schema.IntegerType:
		switch {
		case t.Bits > 0 && t.Bits <= 16:
			return "smallint"
		case t.Bits > 16 && t.Bits <= 32:
			return "integer"
		}
		return "bigint"
	case schema.StringType:
		switch {
		case t.Fixed && t.Size > 0:
			return "character(" + strconv.Itoa(t.Size) + ")"
		case t.Fixed:
			return "character(1)"
		case t.Size > 0:
			return "character varying(" + strconv.Itoa(t.Size) + ")"
		}
		return "text"
	case schema.BoolType:
		return "boolean"
	case schema.FloatType:
		if t.Bits > 0 && t.Bits <= 32 {
			return "real"
		}
		return "double precision"
	case schema.DecimalType:
		if t.Precision <= 0 {
			return "numeric"
		}
		return "numeric(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case schema.TimeType:
		zone := " without time zone"
		if t.WithZone {
			zone = " with time zone"
		}
		p := min(max(t.Precision, 0), defaultTimePrecision)
		mod := ""
		if p != defaultTimePrecision {
			mod = "(" + strconv.Itoa(p) + ")"
		}
		switch t.Kind {
		case schema.Date:
			return "date"
		case schema.TimeOfDay:
			return "time" + mod + zone
		}
		return "timestamp" + mod + zone
	case schema.BinaryType:
		return "bytea"
	case schema.EnumType:
		return quote(t.Name)
	case schema.RawType:
		return t.SQL
	}
	return ""
}

// canonicalType maps a type from another source to what inspecting the
// rendered column gives back.
func canonicalType(t schema.Type) schema.Type {
	switch t := t.(type) {
	case nil:
		return nil
	case schema.EnumType:
		return schema.EnumType{Name: truncateIdent(t.Name)}
	}
	return parseType(formatType(t))
}

// normalizeSQL collapses white space around a type or keyword and lower
// cases everything outside double quotes, which is how PostgreSQL folds
// unquoted names.
func normalizeSQL(s string) string {
	var b strings.Builder
	inQuote, space := false, false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			space = true
			continue
		default:
			r = unicode.ToLower(r)
		}
		if space {
			if !strings.ContainsRune("(),[]", r) && !strings.HasSuffix(b.String(), "(") && !strings.HasSuffix(b.String(), ",") {
				b.WriteByte(' ')
			}
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// castRE matches the casts PostgreSQL appends to a literal default:
// ::text, ::character varying, ::timestamp without time zone, ::integer[]...
var castRE = regexp.MustCompile(`^(?:::(?:[a-z_][a-z0-9_ ]*|"(?:[^"]|"")+")(?:\(\d+(?:,\d+)?\))?(?: with(?:out)? time zone)?(?:\[\])*)+$`)

// sqlValueFunctions are the keyword functions PostgreSQL reports in upper
// case and without parentheses.
var sqlValueFunctions = map[string]bool{
	"CURRENT_DATE": true, "CURRENT_TIME": true, "CURRENT_TIMESTAMP": true,
	"LOCALTIME": true, "LOCALTIMESTAMP": true, "CURRENT_USER": true,
	"CURRENT_ROLE": true, "SESSION_USER": true, "USER": true,
	"CURRENT_CATALOG": true, "CURRENT_SCHEMA": true,
}

// parseDefault classifies a default as pg_get_expr reports it. A quoted
// literal loses its trailing cast ('abc'::text is the literal 'abc'), and
// a number quoted only to carry a sign or a numeric type ('-1'::integer)
// becomes the bare number. true and false are lower case. now() and
// CURRENT_TIMESTAMP are one expression, CURRENT_TIMESTAMP. NULL, with or
// without a cast, is no default.
func parseDefault(s string) schema.Default {
	s = strings.TrimSpace(s)
	l := strings.ToLower(s)
	if s == "" || l == "null" || strings.HasPrefix(l, "null::") {
		return nil
	}
	if lit, cast, ok := splitLiteral(s); ok {
		if cast != "" {
			switch parseType(cast).(type) {
			case schema.IntegerType, schema.FloatType, schema.DecimalType:
				if n, ok := normalizeNumber(unquoteString(lit)); ok {
					return schema.Literal{SQL: n}
				}
			}
		}
		return schema.Literal{SQL: lit}
	}
	if l == "true" || l == "false" {
		return schema.Literal{SQL: l}
	}
	if n, ok := normalizeNumber(s); ok {
		return schema.Literal{SQL: n}
	}
	switch l {
	case "now()", "current_timestamp", "transaction_timestamp()":
		return schema.Expr{SQL: "CURRENT_TIMESTAMP"}
	}
	if u := strings.ToUpper(s); sqlValueFunctions[u] {
		return schema.Expr{SQL: u}
	}
	return schema.Expr{SQL: uncastArguments(s)}
}

// argCastRE matches a string literal that is an argument of a function
// call, with the ::text cast PostgreSQL writes after it: lower('X') is
// reported as lower('X'::text). The cast is what the argument gets
// anyway. Elsewhere the cast stays: ('now'::text)::date is evaluated on
// each insert, ('now')::date once, when the default is created.
var argCastRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*\(|, )('(?:[^']|'')*')::text([,)])`)

func uncastArguments(s string) string {
	for {
		out := argCastRE.ReplaceAllString(s, "$1$2$3")
		if out == s {
			return s
		}
		s = out
	}
}

// columnDefault is parseDefault for a column of type t. A literal cast to
// a time type other than the column's keeps its cast: '…'::timestamp on a
// timestamptz column is read in the session's time zone when a row is
// inserted, which the bare literal would not be.
func columnDefault(s string, t schema.Type) schema.Default {
	if lit, cast, ok := splitLiteral(strings.TrimSpace(s)); ok && cast != "" {
		if ct, isTime := parseType(cast).(schema.TimeType); isTime && t != nil && formatType(ct) != formatType(t) {
			return schema.Expr{SQL: lit + "::" + formatType(ct)}
		}
	}
	d := parseDefault(s)
	if tt, ok := t.(schema.TimeType); ok && tt.Kind == schema.Timestamp && tt.WithZone {
		if lit, ok := d.(schema.Literal); ok && strings.HasPrefix(lit.SQL, "'") {
			if utc, ok := utcTimestamp(unquoteString(lit.SQL)); ok {
				return schema.Literal{SQL: quoteString(utc)}
			}
		}
	}
	return d
}

// timestampLayouts are the spellings of a timestamp that utcTimestamp
// reads: with an offset as the server prints it (+00, +05:30) or as
// written, or without one.
var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999-07",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// utcTimestamp spells a timestamp with time zone literal in UTC, the one
// way both sides of a comparison read: the server prints a default in
// the session's time zone, and a model writes the time as it likes. A
// time without an offset is UTC, the instant time.Time values are
// compared as; rendered with +00, it is the same instant whatever the
// session's time zone. Text that is no timestamp ('infinity') is kept.
func utcTimestamp(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format("2006-01-02 15:04:05.999999") + "+00", true
		}
	}
	return "", false
}

// splitLiteral splits a quoted string literal followed only by casts into
// the literal and the last cast's type. ok is false for anything else.
func splitLiteral(s string) (lit, cast string, ok bool) {
	if len(s) < 2 || s[0] != '\'' {
		return "", "", false
	}
	end := -1
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			i++
			continue
		}
		end = i
		break
	}
	if end < 0 {
		return "", "", false
	}
	lit, rest := s[:end+1], normalizeSQL(s[end+1:])
	if rest == "" {
		return lit, "", true
	}
	if !castRE.MatchString(rest) {
		return "", "", false
	}
	casts := strings.Split(rest, "::")
	return lit, casts[len(casts)-1], true
}

// unquoteString returns the text of a plain '...' literal.
func unquoteString(lit string) string {
	return strings.ReplaceAll(lit[1:len(lit)-1], "''", "'")
}

// numberRE matches a decimal number with an optional exponent.
var numberRE = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)(?:[eE]([-+]?\d+))?$`)

// normalizeNumber writes a number the way PostgreSQL prints a numeric
// constant: no exponent, no leading zeros or plus sign, and the scale the
// digits give (1.50 stays 1.50, 1.5e-3 is 0.0015).
func normalizeNumber(s string) (string, bool) {
	m := numberRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	scale := 0
	if _, frac, ok := strings.Cut(m[1], "."); ok {
		scale = len(frac)
	}
	if m[2] != "" {
		exp, err := strconv.Atoi(m[2])
		if err != nil || exp > 1000 || exp < -1000 {
			return "", false
		}
		scale = max(scale-exp, 0)
	}
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
	if !ok {
		return "", false
	}
	return r.FloatString(scale), true
}

// formatDefault renders a default for a column definition or an UPDATE.
func formatDefault(d schema.Default) string {
	switch d := d.(type) {
	case schema.Literal:
		return d.SQL
	case schema.Expr:
		return d.SQL
	}
	return "NULL"
}
