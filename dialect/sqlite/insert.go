package sqlite

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/strata-go/strata/op"
)

// insertBatch is the number of rows per INSERT statement of a BulkInsert.
const insertBatch = 500

// bulkInsert renders o as INSERT statements of up to insertBatch rows,
// values as literals.
func bulkInsert(o op.BulkInsert) ([]string, error) {
	var stmts []string
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", quote(o.Table), quoteList(o.Columns))
	for start := 0; start < len(o.Rows); start += insertBatch {
		rows := o.Rows[start:min(start+insertBatch, len(o.Rows))]
		var b strings.Builder
		b.WriteString(head)
		for i, row := range rows {
			if len(row) != len(o.Columns) {
				return nil, fmt.Errorf("sqlite: %s: row %d has %d values for %d columns", o, start+i+1, len(row), len(o.Columns))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range row {
				lit, err := literal(v)
				if err != nil {
					return nil, fmt.Errorf("sqlite: %s: row %d, column %q: %w", o, start+i+1, o.Columns[j], err)
				}
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(lit)
			}
			b.WriteByte(')')
		}
		stmts = append(stmts, b.String())
	}
	return stmts, nil
}

// literal writes a Go value as a SQLite literal: NULL, integers, floats,
// quoted strings, X'..' blobs. A bool is 1 or 0, the integer SQLite
// stores for TRUE and FALSE (and so for a boolean column's DEFAULT
// false). A time.Time is written in UTC as 'YYYY-MM-DD HH:MM:SS.fff',
// the text form SQLite's date functions read and CURRENT_TIMESTAMP-like
// defaults compare with. A driver.Valuer gives its value first.
func literal(v any) (string, error) {
	if vr, ok := v.(driver.Valuer); ok {
		dv, err := vr.Value()
		if err != nil {
			return "", err
		}
		v = dv
	}
	switch v := v.(type) {
	case nil:
		return "NULL", nil
	case bool:
		if v {
			return "1", nil
		}
		return "0", nil
	case string:
		return quoteString(v), nil
	case []byte:
		return "X'" + strings.ToUpper(hex.EncodeToString(v)) + "'", nil
	case time.Time:
		return "'" + v.UTC().Format("2006-01-02 15:04:05.000") + "'", nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return "", fmt.Errorf("%d does not fit SQLite's 64-bit signed integers", u)
		}
		return strconv.FormatUint(u, 10), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("%v has no SQL literal", f)
		}
		s := strconv.FormatFloat(f, 'g', -1, rv.Type().Bits())
		if !strings.ContainsAny(s, ".eE") {
			s += ".0" // stays REAL, not INTEGER
		}
		return s, nil
	case reflect.String:
		return quoteString(rv.String()), nil
	}
	return "", fmt.Errorf("cannot write a %T as a literal (want nil, bool, a number, string, []byte or time.Time)", v)
}
