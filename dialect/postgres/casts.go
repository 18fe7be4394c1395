package postgres

import (
	"fmt"

	"github.com/strata-go/strata/schema"
)

// A column's type change must never lose a value silently. PostgreSQL
// converts the values of ALTER COLUMN … TYPE with the assignment cast
// when no USING is given, and with the expression of USING otherwise. An
// explicit cast to a string type cuts a value to the type's length, where
// the assignment cast raises "value too long" instead; so strata writes
// USING only where no assignment cast exists, and never for a string
// target. Some assignment casts still change values without an error
// (numeric and time precision round, double precision to integer rounds,
// a timestamp to a date drops its time): before every change that is not
// known to keep every value, strata writes a check that counts the rows
// whose value would not survive the change and stops with the count and
// one example. The check is part of the revision, so --force does not
// pass it: strata never cuts values itself; to narrow past the values a
// column holds, change them first (an UPDATE in the revision before).

// assignable tells whether PostgreSQL has an assignment cast from one
// type to the other, so that ALTER … TYPE needs no USING.
func assignable(from, to schema.Type) bool {
	if _, ok := to.(schema.StringType); ok {
		// Conversion through text to a string type is an assignment cast
		// for every type.
		return true
	}
	if numeric(from) && numeric(to) {
		return true
	}
	f, fok := from.(schema.TimeType)
	t, tok := to.(schema.TimeType)
	if fok && tok {
		switch {
		case f.Kind == t.Kind:
			return true
		case f.Kind == schema.Date && t.Kind == schema.Timestamp,
			f.Kind == schema.Timestamp && t.Kind != schema.Timestamp:
			return true
		}
	}
	return false
}

func numeric(t schema.Type) bool {
	switch t.(type) {
	case schema.IntegerType, schema.DecimalType, schema.FloatType:
		return true
	}
	return false
}

// integerDigits is how many decimal digits an integer of bits bits needs.
func integerDigits(bits int) int {
	switch {
	case bits <= 16:
		return 5
	case bits <= 32:
		return 10
	}
	return 19
}

// lossless tells whether every value of type from survives unchanged as
// type to. It answers false when it does not know.
func lossless(from, to schema.Type) bool {
	switch t := to.(type) {
	case schema.StringType:
		if f, ok := from.(schema.StringType); ok {
			return !t.Fixed && t.Size == 0 || f.Size > 0 && t.Size >= f.Size && f.Fixed == t.Fixed
		}
		if _, ok := from.(schema.EnumType); ok {
			return !t.Fixed && t.Size == 0
		}
		switch from.(type) {
		case schema.IntegerType, schema.DecimalType, schema.BoolType, schema.TimeType, schema.FloatType:
			return !t.Fixed && t.Size == 0
		}
	case schema.IntegerType:
		if f, ok := from.(schema.IntegerType); ok {
			return t.Bits >= f.Bits
		}
	case schema.DecimalType:
		switch f := from.(type) {
		case schema.IntegerType:
			return t.Precision == 0 || t.Precision-t.Scale >= integerDigits(f.Bits)
		case schema.DecimalType:
			return t.Precision == 0 || f.Precision > 0 && t.Scale >= f.Scale && t.Precision-t.Scale >= f.Precision-f.Scale
		}
	case schema.FloatType:
		switch f := from.(type) {
		case schema.FloatType:
			return t.Bits >= f.Bits
		case schema.IntegerType:
			return t.Bits > 32 && f.Bits <= 32 || f.Bits <= 16
		}
	case schema.TimeType:
		f, ok := from.(schema.TimeType)
		if !ok {
			return false
		}
		switch {
		case f.Kind == schema.Date:
			return t.Kind != schema.TimeOfDay
		case f.Kind != t.Kind:
			return false
		}
		// A time of day loses its offset without a zone; a timestamp keeps
		// its moment either way.
		return t.Precision >= f.Precision && (t.WithZone || !f.WithZone || f.Kind == schema.Timestamp)
	}
	return false
}

// keepValuesCheck renders a statement that raises an error naming the
// count of rows whose value of column from would change when converted to
// to's type, and one of those values, when there is any.
func keepValuesCheck(table string, from, to *schema.Column) string {
	// A rename comes first: the column has its new name by then.
	col := quote(to.Name)
	old, typ := formatType(from.Type), formatType(to.Type)
	via := ""
	_, fromEnum := from.Type.(schema.EnumType)
	_, toEnum := to.Type.(schema.EnumType)
	if fromEnum || toEnum {
		via = "::text"
	}
	back := ""
	if fromEnum || toEnum {
		back = "::text"
	}
	changed := fmt.Sprintf("%s IS NOT NULL AND (%s%s::%s%s::%s IS DISTINCT FROM %s)", col, col, via, typ, back, old, col)
	return fmt.Sprintf("DO $strata$DECLARE strata_n bigint; strata_example text; BEGIN "+
		"SELECT count(*), min(left(%s::text, 80)) INTO strata_n, strata_example FROM %s WHERE %s; "+
		"IF strata_n > 0 THEN RAISE EXCEPTION 'strata: changing %s.%s from %s to %s would change %% row(s), for example %%; strata never cuts or rounds values: change them first', strata_n, quote_literal(strata_example); END IF; END$strata$",
		col, quote(table), changed,
		escapeRaise(table), escapeRaise(to.Name), escapeRaise(old), escapeRaise(typ))
}

// escapeRaise makes s literal text inside a RAISE format string written
// in single quotes.
func escapeRaise(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '\'':
			out = append(out, '\'', '\'')
		case '%':
			out = append(out, '%', '%')
		default:
			out = append(out, r)
		}
	}
	return string(out)
}
