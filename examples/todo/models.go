package main

// Todo is one item of the list.
type Todo struct {
	ID          int64  `db:"id" strata:"pk"`
	Description string `db:"description" strata:"size:200"`
}

// Models are the structs strata compares with the database.
var Models = []any{Todo{}}
