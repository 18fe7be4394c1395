package postgres

// Exports for the external tests (package postgres_test), which cannot
// import this package's internals; they are external because
// internal/testdb imports this package.
var (
	ParseType      = parseType
	FormatType     = formatType
	CanonicalType  = canonicalType
	ParseDefault   = parseDefault
	ColumnDefault  = columnDefault
	CheckSpelling  = checkSpelling
	NormalizeCheck = normalizeCheck
	FormatDefault  = formatDefault
	NormalizeNum   = normalizeNumber
	ObjectName     = objectName
	QuoteString    = quoteString
	TruncateIdent  = truncateIdent
)
