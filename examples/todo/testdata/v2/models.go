package main

// Todo is one item of the list, now with a NOT NULL Completed flag: the
// model change of the walking skeleton's fourth step.
type Todo struct {
	ID          int64  `db:"id" strata:"pk"`
	Description string `db:"description" strata:"size:200"`
	Completed   bool   `db:"completed"`
}

// Models are the structs strata compares with the database.
var Models = []any{Todo{}}
