package schema

import "fmt"

// Type is a column's type in dialect-neutral form. It is sealed: the
// kinds are the structs of this file, and RawType holds what has no
// neutral form. Every kind is a comparable value, so two types are equal
// exactly when == says so.
type Type interface {
	fmt.Stringer
	typ()
}

// IntegerType is a whole number of Bits bits (8, 16, 32 or 64).
type IntegerType struct {
	Bits     int
	Unsigned bool
}

// StringType is character data. Size 0 means unbounded (TEXT); Fixed
// means blank-padded CHAR(Size).
type StringType struct {
	Size  int
	Fixed bool
}

// BoolType is a boolean.
type BoolType struct{}

// FloatType is a binary floating point number of Bits bits (32 or 64).
type FloatType struct{ Bits int }

// DecimalType is an exact number; Precision 0 means unconstrained.
type DecimalType struct{ Precision, Scale int }

// TimeKind says which part of a moment a TimeType holds.
type TimeKind int

// The kinds of TimeType.
const (
	Timestamp TimeKind = iota
	Date
	TimeOfDay
)

// TimeType is a date, a time of day or both. Precision is the number of
// fractional second digits kept (0 to 6); dialects fill in their default
// in Canonical.
type TimeType struct {
	Kind      TimeKind
	WithZone  bool
	Precision int
}

// BinaryType is a byte string. Size 0 means unbounded.
type BinaryType struct{ Size int }

// EnumType is a column of a named enum type (PostgreSQL); MySQL's inline
// ENUM(…) columns are RawType.
type EnumType struct{ Name string }

func (EnumType) typ() {}

func (t EnumType) String() string { return "enum " + t.Name }

// RawType is a type with no neutral form, kept as the database spells it
// (lower case, aliases resolved by the dialect).
type RawType struct{ SQL string }

func (IntegerType) typ() {}
func (StringType) typ()  {}
func (BoolType) typ()    {}
func (FloatType) typ()   {}
func (DecimalType) typ() {}
func (TimeType) typ()    {}
func (BinaryType) typ()  {}
func (RawType) typ()     {}

func (t IntegerType) String() string {
	s := fmt.Sprintf("int%d", t.Bits)
	if t.Unsigned {
		s = "u" + s
	}
	return s
}

func (t StringType) String() string {
	switch {
	case t.Fixed:
		return fmt.Sprintf("char(%d)", t.Size)
	case t.Size > 0:
		return fmt.Sprintf("varchar(%d)", t.Size)
	}
	return "text"
}

func (BoolType) String() string { return "bool" }

func (t FloatType) String() string { return fmt.Sprintf("float%d", t.Bits) }

func (t DecimalType) String() string {
	if t.Precision == 0 {
		return "decimal"
	}
	return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
}

func (t TimeType) String() string {
	s := [...]string{"timestamp", "date", "time"}[t.Kind]
	if t.Kind != Date {
		s += fmt.Sprintf("(%d)", t.Precision)
	}
	if t.WithZone {
		s += " with time zone"
	}
	return s
}

func (t BinaryType) String() string {
	if t.Size > 0 {
		return fmt.Sprintf("binary(%d)", t.Size)
	}
	return "blob"
}

func (t RawType) String() string { return t.SQL }

// Default is a column default. It is sealed: Literal or Expr.
type Default interface {
	fmt.Stringer
	def()
}

// Literal is a constant default written as SQL: a quoted string, a
// number, TRUE or FALSE.
type Literal struct{ SQL string }

// Expr is a default computed by the database, such as CURRENT_TIMESTAMP.
type Expr struct{ SQL string }

func (Literal) def() {}
func (Expr) def()    {}

func (l Literal) String() string { return l.SQL }
func (e Expr) String() string    { return e.SQL }

// ZeroValue returns the literal that Go's zero value of a field of type t
// stores: 0, false, the empty string and so on. Types without one yield
// nil.
func ZeroValue(t Type) Default {
	switch t := t.(type) {
	case IntegerType, FloatType, DecimalType:
		return Literal{SQL: "0"}
	case BoolType:
		return Literal{SQL: "false"}
	case StringType:
		return Literal{SQL: "''"}
	case BinaryType:
		return Literal{SQL: "''"}
	case TimeType:
		switch t.Kind {
		case Date:
			return Literal{SQL: "'0001-01-01'"}
		case TimeOfDay:
			return Literal{SQL: "'00:00:00'"}
		}
		return Literal{SQL: "'0001-01-01 00:00:00'"}
	}
	return nil
}
