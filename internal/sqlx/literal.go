// Package sqlx holds the few pieces of SQL writing that every dialect
// shares, so that dialects need not import one another.
package sqlx

import (
	"reflect"
	"strconv"
)

// Integer writes v as a SQL integer literal when v is a Go integer of any
// size or signedness (named integer types included); ok is false for
// anything else.
func Integer(v any) (s string, ok bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), true
	}
	return "", false
}
